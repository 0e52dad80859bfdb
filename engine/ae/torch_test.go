package ae

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// torchCase is one fixture written by testdata/torch/conformance.py: a run
// of PyTorch 1.13 in float64 from a closed-form initialisation.
type torchCase struct {
	Case             string  `json:"case"`
	Layers           []int   `json:"layers"`
	HiddenActivation string  `json:"hidden_activation"`
	OutputActivation string  `json:"output_activation"`
	Loss             string  `json:"loss"`
	Tied             bool    `json:"tied"`
	L2               float64 `json:"l2"`
	BatchSize        int     `json:"batch_size"`
	Steps            int     `json:"steps"`
	Optimizer        struct {
		Name     string  `json:"name"`
		LR       float64 `json:"lr"`
		Momentum float64 `json:"momentum"`
	} `json:"optimizer"`
	Noise *struct {
		Kind    string `json:"kind"`
		Dropped int    `json:"dropped"`
	} `json:"noise"`
	Losses         []float64          `json:"losses"`
	InitParamSums  map[string]float64 `json:"init_param_sums"`
	FinalParamSums map[string]float64 `json:"final_param_sums"`
}

// TestTorchConformance replays each PyTorch run step by step and requires
// the same losses to a relative error below 1e-9.
func TestTorchConformance(t *testing.T) {
	files, err := filepath.Glob("testdata/torch/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in testdata/torch (%v)", err)
	}
	digits := bundleDigits(t, 64, 0)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var fx torchCase
		if err := json.Unmarshal(raw, &fx); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		t.Run(fx.Case, func(t *testing.T) { replayTorch(t, &fx, digits) })
	}
}

func replayTorch(t *testing.T, fx *torchCase, digits []float64) {
	const n = 784
	opt := Optimizer(fx.Optimizer.Name)
	if opt == SGD && fx.Optimizer.Momentum > 0 {
		opt = Momentum
	}
	cfg := Config{
		Inputs: n, Hidden: []int{fx.Layers[1]}, Activation: []Activation{Activation(fx.HiddenActivation)},
		Output: Activation(fx.OutputActivation), Loss: Loss(fx.Loss), Init: InitNormal,
		Optimizer: opt, LR: fx.Optimizer.LR, Momentum: fx.Optimizer.Momentum,
		BatchSize: fx.BatchSize, Tied: fx.Tied, L2: fx.L2,
	}
	tr, err := NewTrainer(cfg, digits, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := tr.Model()
	// The closed-form initialisation both sides compute:
	// W_l[o,i] = 0.1 sin(0.37(o·in+i) + l + 1), b_l[o] = 0.01 cos(0.37 o + l + 1).
	for l, ly := range m.layers {
		if !ly.tied {
			w := ly.w.of(m.theta)
			for o := range ly.out {
				for i := range ly.in {
					w[o*ly.in+i] = 0.1 * math.Sin(0.37*float64(o*ly.in+i)+float64(l)+1)
				}
			}
		}
		b := ly.b.of(m.theta)
		for o := range b {
			b[o] = 0.01 * math.Cos(0.37*float64(o)+float64(l)+1)
		}
	}
	checkSums(t, "initial", m, fx.InitParamSums)

	input := digits
	if fx.Noise != nil {
		// keep[i,j] = 0 if ((i·784 + j)·2654435761 mod 2³²) ≥ 2³¹, as the fixture states.
		input = append([]float64(nil), digits...)
		dropped := 0
		for i := range 64 {
			for j := range n {
				if uint32((i*n+j)*2654435761) >= 1<<31 {
					input[i*n+j] = 0
					dropped++
				}
			}
		}
		if dropped != fx.Noise.Dropped {
			t.Fatalf("mask drops %d pixels, the fixture %d", dropped, fx.Noise.Dropped)
		}
	}
	for s := range fx.Steps {
		lo, hi := 16*(s%4)*n, (16*(s%4)+16)*n
		loss, err := tr.TrainBatch(input[lo:hi], digits[lo:hi])
		if err != nil {
			t.Fatal(err)
		}
		want := fx.Losses[s]
		if rel := math.Abs(loss-want) / math.Abs(want); !(rel < 1e-9) {
			t.Fatalf("step %d: loss %.17g, PyTorch %.17g (relative error %.2g)", s, loss, want, rel)
		}
	}
	checkSums(t, "final", m, fx.FinalParamSums)
	t.Logf("%d losses match PyTorch, last %.12g", fx.Steps, fx.Losses[fx.Steps-1])
}

// checkSums compares the sum of each parameter tensor with PyTorch's.
func checkSums(t *testing.T, when string, m *Model, want map[string]float64) {
	t.Helper()
	got := map[string]float64{}
	for l, ly := range m.layers {
		if !ly.tied {
			got[string(rune('W'))+string(rune('0'+l))] = sum(ly.w.of(m.theta))
		}
		got["b"+string(rune('0'+l))] = sum(ly.b.of(m.theta))
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: no parameter %s", when, k)
			continue
		}
		if math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
			t.Errorf("%s sum of %s: %.15g, PyTorch %.15g", when, k, g, w)
		}
	}
}

func sum(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s
}
