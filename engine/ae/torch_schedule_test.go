package ae

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// torchScheduleCase is one fixture written by testdata/torch/schedule.py:
// a PyTorch 1.13 run in float64 under a torch.optim.lr_scheduler.
type torchScheduleCase struct {
	Case             string `json:"case"`
	Layers           []int  `json:"layers"`
	HiddenActivation string `json:"hidden_activation"`
	OutputActivation string `json:"output_activation"`
	Loss             string `json:"loss"`
	BatchSize        int    `json:"batch_size"`
	Steps            int    `json:"steps"`
	StepsPerEpoch    int    `json:"steps_per_epoch"`
	Optimizer        struct {
		Name     string  `json:"name"`
		LR       float64 `json:"lr"`
		Momentum float64 `json:"momentum"`
	} `json:"optimizer"`
	Schedule       Schedule           `json:"schedule"`
	LRs            []float64          `json:"lrs"`
	Losses         []float64          `json:"losses"`
	InitParamSums  map[string]float64 `json:"init_param_sums"`
	FinalParamSums map[string]float64 `json:"final_param_sums"`
}

// TestTorchSchedule replays PyTorch runs under StepLR and CosineAnnealingLR
// (with Adam, and StepLR with momentum): the learning rate of every step,
// and the losses and final parameter sums to a relative error below 1e-9,
// which holds only if the optimizer's state carries on across the changes
// of rate as PyTorch's does.
func TestTorchSchedule(t *testing.T) {
	files, err := filepath.Glob("testdata/torch/schedule/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in testdata/torch/schedule (%v)", err)
	}
	digits := bundleDigits(t, 64, 0)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var fx torchScheduleCase
		if err := json.Unmarshal(raw, &fx); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		t.Run(fx.Case, func(t *testing.T) { replayTorchSchedule(t, &fx, digits) })
	}
}

func replayTorchSchedule(t *testing.T, fx *torchScheduleCase, digits []float64) {
	const n = 784
	opt := Optimizer(fx.Optimizer.Name)
	if opt == SGD && fx.Optimizer.Momentum > 0 {
		opt = Momentum
	}
	cfg := Config{
		Inputs: n, Hidden: []int{fx.Layers[1]}, Activation: []Activation{Activation(fx.HiddenActivation)},
		Output: Activation(fx.OutputActivation), Loss: Loss(fx.Loss), Init: InitNormal,
		Optimizer: opt, LR: fx.Optimizer.LR, Momentum: fx.Optimizer.Momentum,
		BatchSize: fx.BatchSize, Schedule: fx.Schedule,
	}
	tr, err := NewTrainer(cfg, digits, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := tr.Model()
	setTorchInit(m)
	checkSums(t, "initial", m, fx.InitParamSums)

	var worst float64
	for s := range fx.Steps {
		if s > 0 && s%fx.StepsPerEpoch == 0 {
			// The fixture's batches come in a fixed order, so TrainBatch
			// feeds them; the epoch boundary is the trainer's own.
			tr.nextEpoch()
		}
		// PyTorch's schedulers update the rate recursively (lr·γ, or a
		// ratio of cosines), the engine from the closed form: they agree
		// to rounding.
		if lr, want := tr.LR(), fx.LRs[s]; math.Abs(lr-want) > 1e-14*want {
			t.Fatalf("step %d: lr %.17g, PyTorch %.17g", s, lr, want)
		}
		lo, hi := 16*(s%4)*n, (16*(s%4)+16)*n
		loss, err := tr.TrainBatch(digits[lo:hi], digits[lo:hi])
		if err != nil {
			t.Fatal(err)
		}
		rel := math.Abs(loss-fx.Losses[s]) / math.Abs(fx.Losses[s])
		if !(rel < 1e-9) {
			t.Fatalf("step %d: loss %.17g, PyTorch %.17g (relative error %.2g)", s, loss, fx.Losses[s], rel)
		}
		worst = max(worst, rel)
	}
	checkSums(t, "final", m, fx.FinalParamSums)
	if first, last := fx.LRs[0], fx.LRs[fx.Steps-1]; !(last < first/2) {
		t.Fatalf("the fixture's rate went from %g to %g: it does not exercise a schedule", first, last)
	}
	t.Logf("%d losses match PyTorch (worst relative error %.1g), lr %g → %g", fx.Steps, worst, fx.LRs[0], fx.LRs[fx.Steps-1])
}
