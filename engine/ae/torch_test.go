package ae

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"aeplayground/engine/noise"
)

// torchCase is one fixture written by testdata/torch/conformance.py: a run
// of PyTorch 1.13 in float64 from a closed-form initialisation.
type torchCase struct {
	Case        string       `json:"case"`
	Layers      []int        `json:"layers"`
	Activations []Activation `json:"activations"` // of each layer, input to output
	Loss        string       `json:"loss"`
	Tied        bool         `json:"tied"`
	L2          float64      `json:"l2"`
	Sparse      *struct {
		Rho  float64 `json:"rho"`
		Beta float64 `json:"beta"`
	} `json:"sparse"`
	Contractive float64 `json:"contractive"`
	BatchSize   int     `json:"batch_size"`
	Steps       int     `json:"steps"`
	Optimizer   struct {
		Name     string  `json:"name"`
		LR       float64 `json:"lr"`
		Momentum float64 `json:"momentum"`
	} `json:"optimizer"`
	Noise *struct {
		Kind      noise.Kind `json:"kind"`
		Level     float64    `json:"level"`
		Dropped   int        `json:"dropped"`
		InputSums []float64  `json:"input_sums"` // of each step's corrupted batch
	} `json:"noise"`
	Losses         []float64          `json:"losses"`
	DataLosses     []float64          `json:"data_losses"`
	InitParamSums  map[string]float64 `json:"init_param_sums"`
	FinalParamSums map[string]float64 `json:"final_param_sums"`
}

// torchCases are the fixtures the test requires, so that a lost file fails
// it rather than shrinking it.
var torchCases = []string{
	"survey_bce_adam", "mse_linear_adam", "bce_sgd_momentum", "tied_bce_adam",
	"l2_mse_adam", "l2_mse_momentum", "denoise_mask_bce_adam",
	"gaussian_bce_adam", "saltpepper_bce_adam",
	"sparse_kl_bce_adam", "contractive_sigmoid_mse_adam", "contractive_tanh_bce_adam",
	"deep_tanh_sigmoid_bce_adam",
}

// TestTorchConformance replays each PyTorch run step by step and requires
// the same objective and data term at every step to a relative error below
// 1e-9, and the same parameter sums before and after.
func TestTorchConformance(t *testing.T) {
	files, err := filepath.Glob("testdata/torch/*.json")
	if err != nil {
		t.Fatal(err)
	}
	digits := bundleDigits(t, 64, 0)
	var seen []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var fx torchCase
		if err := json.Unmarshal(raw, &fx); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		seen = append(seen, fx.Case)
		t.Run(fx.Case, func(t *testing.T) { replayTorch(t, &fx, digits) })
	}
	for _, c := range torchCases {
		if !slices.Contains(seen, c) {
			t.Errorf("fixture %s.json is missing: run testdata/torch/conformance.py", c)
		}
	}
}

func replayTorch(t *testing.T, fx *torchCase, digits []float64) {
	const n = 784
	nl := len(fx.Layers) - 1
	d := nl / 2
	if len(fx.Activations) != nl || nl != 2*d {
		t.Fatalf("%d activations for layers %v", len(fx.Activations), fx.Layers)
	}
	opt := Optimizer(fx.Optimizer.Name)
	if opt == SGD && fx.Optimizer.Momentum > 0 {
		opt = Momentum
	}
	cfg := Config{
		Inputs: n, Hidden: fx.Layers[1 : d+1], Activation: fx.Activations[:d],
		Output: fx.Activations[nl-1], Loss: Loss(fx.Loss), Init: InitNormal,
		Optimizer: opt, LR: fx.Optimizer.LR, Momentum: fx.Optimizer.Momentum,
		BatchSize: fx.BatchSize, Tied: fx.Tied, L2: fx.L2, Contractive: fx.Contractive,
	}
	if fx.Sparse != nil {
		cfg.SparseRho, cfg.SparseBeta = fx.Sparse.Rho, fx.Sparse.Beta
	}
	tr, err := NewTrainer(cfg, digits, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := tr.Model()
	// The decoder mirrors the encoder's activations: PyTorch was given each
	// layer's explicitly.
	for l, ly := range m.layers {
		if ly.act != fx.Activations[l] {
			t.Fatalf("layer %d: the engine uses %s, PyTorch %s", l, ly.act, fx.Activations[l])
		}
	}
	setTorchInit(m)
	checkSums(t, "initial", m, fx.InitParamSums)

	corrupt := torchNoise(t, fx, digits)
	var worst float64
	check := func(what string, s int, got, want float64) {
		t.Helper()
		rel := math.Abs(got-want) / math.Abs(want)
		if !(rel < 1e-9) {
			t.Fatalf("step %d: %s %.17g, PyTorch %.17g (relative error %.2g)", s, what, got, want, rel)
		}
		worst = max(worst, rel)
	}
	for s := range fx.Steps {
		lo, hi := 16*(s%4)*n, (16*(s%4)+16)*n
		clean := digits[lo:hi]
		input := corrupt(s, clean)
		loss, err := tr.TrainBatch(input, clean)
		if err != nil {
			t.Fatal(err)
		}
		check("objective", s, loss, fx.Losses[s])
		check("data term", s, tr.Progress().DataLoss, fx.DataLosses[s])
	}
	checkSums(t, "final", m, fx.FinalParamSums)
	t.Logf("%d steps match PyTorch, worst relative error %.2g, last loss %.12g", fx.Steps, worst, fx.Losses[fx.Steps-1])
}

// torchNoise returns what turns step s's clean batch into the network's
// input, as the fixture's noise describes; it checks each corrupted batch's
// sum against PyTorch's.
func torchNoise(t *testing.T, fx *torchCase, digits []float64) func(s int, clean []float64) []float64 {
	const n = 784
	if fx.Noise == nil {
		return func(_ int, clean []float64) []float64 { return clean }
	}
	nz := fx.Noise
	if len(nz.InputSums) != fx.Steps {
		t.Fatalf("%d input sums for %d steps", len(nz.InputSums), fx.Steps)
	}
	sumCheck := func(s int, x []float64) []float64 {
		if got, want := sum(x), nz.InputSums[s]; math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Fatalf("step %d: the corrupted batch sums to %.17g, PyTorch's to %.17g", s, got, want)
		}
		return x
	}
	buf := make([]float64, 16*n)
	// The draws u_c are rand.Float64 of a generator whose source returns
	// splitmix64(c), c = 0, 1, …, taken over the whole run.
	rng := rand.New(&splitmix64{})
	switch nz.Kind {
	case noise.Mask:
		// keep[i,j] = 0 if ((i·784 + j)·2654435761 mod 2³²) ≥ 2³¹, i the
		// digit's index in the data: the same mask at every epoch.
		masked := append([]float64(nil), digits...)
		dropped := 0
		for i := range 64 {
			for j := range n {
				if uint32((i*n+j)*2654435761) >= 1<<31 {
					masked[i*n+j] = 0
					dropped++
				}
			}
		}
		if dropped != nz.Dropped {
			t.Fatalf("mask drops %d pixels, the fixture %d", dropped, nz.Dropped)
		}
		return func(s int, _ []float64) []float64 {
			lo := 16 * (s % 4) * n
			return sumCheck(s, masked[lo:lo+16*n])
		}
	case noise.Gaussian:
		// noise.Apply draws its z with the ziggurat, which cannot be given
		// PyTorch's draws; its formula, clip(x + σz, 0, 1), is redone here
		// with z from Box–Muller.
		return func(s int, clean []float64) []float64 {
			for i, v := range clean {
				u1, u2 := rng.Float64(), rng.Float64()
				z := math.Sqrt(-2*math.Log(1-u1)) * math.Cos(2*math.Pi*u2)
				buf[i] = math.Min(1, math.Max(0, v+nz.Level*z))
			}
			return sumCheck(s, buf)
		}
	case noise.SaltPepper:
		// The engine's own corruption, fed the fixture's uniform draws.
		spec := noise.Spec{Kind: noise.SaltPepper, Level: nz.Level}
		return func(s int, clean []float64) []float64 {
			spec.Apply(rng, clean, buf)
			return sumCheck(s, buf)
		}
	}
	t.Fatalf("unknown noise %q", nz.Kind)
	return nil
}

// splitmix64 is a rand.Source returning splitmix64(c) for c = 0, 1, …:
// the draws conformance.py makes.
type splitmix64 struct{ c uint64 }

func (s *splitmix64) Uint64() uint64 {
	z := s.c + 0x9E3779B97F4A7C15
	s.c++
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// checkSums compares the sum of each parameter tensor with PyTorch's.
func checkSums(t *testing.T, when string, m *Model, want map[string]float64) {
	t.Helper()
	got := map[string]float64{}
	for l, ly := range m.layers {
		if !ly.tied {
			got[fmt.Sprintf("W%d", l)] = sum(ly.w.of(m.theta))
		}
		got[fmt.Sprintf("b%d", l)] = sum(ly.b.of(m.theta))
	}
	if len(got) != len(want) {
		t.Errorf("%s: the engine has %d parameter tensors, PyTorch %d", when, len(got), len(want))
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

// setTorchInit sets m's parameters to the closed-form initialisation the
// PyTorch fixtures compute too (a tied decoder has only its bias):
//
//	W_l[o,i] = 0.1 sin(0.37(o·in+i) + l + 1),  b_l[o] = 0.01 cos(0.37 o + l + 1).
func setTorchInit(m *Model) {
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
}
