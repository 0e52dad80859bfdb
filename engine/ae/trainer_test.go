package ae

import (
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"strings"
	"testing"

	"aeplayground/engine/noise"
)

// variants are configs covering every option of the trainer, on digits.
func variants(t testing.TB) map[string]Config {
	t.Helper()
	out := map[string]Config{}
	for _, p := range Presets() {
		out[p.Name] = p.Config
	}
	c, _ := Preset("survey")
	c.Tied, c.L2 = true, 1e-4
	out["tied+l2"] = c
	c, _ = Preset("contractive")
	c.Tied, c.Optimizer, c.Momentum, c.LR = true, Momentum, 0.9, 0.05
	out["tied+contractive+momentum"] = c
	c, _ = Preset("sparse")
	c.Noise, c.Optimizer, c.LR = noise.Spec{Kind: noise.SaltPepper, Level: 0.2}, SGD, 0.5
	out["denoising+sparse+sgd"] = c
	c, _ = Preset("deep")
	c.Tied, c.Noise = true, noise.Spec{Kind: noise.Gaussian, Level: 0.3}
	out["deep+tied+gaussian"] = c
	return out
}

// TestStepAllocatesNothing: after warm-up a training step, epoch changes
// and reshuffles included, allocates nothing, for every variant.
func TestStepAllocatesNothing(t *testing.T) {
	data := bundleDigits(t, 300, 0)
	for name, cfg := range variants(t) {
		t.Run(name, func(t *testing.T) {
			tr, err := NewTrainer(cfg, data, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tr.Step(1); err != nil {
				t.Fatal(err)
			}
			if a := testing.AllocsPerRun(5, func() { tr.Step(1) }); a != 0 {
				t.Errorf("a training step allocates %v times", a)
			}
		})
	}
}

// TestDeterministic: the same config and seed give the same losses; another
// seed gives others.
func TestDeterministic(t *testing.T) {
	data := bundleDigits(t, 200, 50)
	run := func(cfg Config) []float64 {
		tr, err := NewTrainer(cfg, data[:200*784], data[200*784:])
		if err != nil {
			t.Fatal(err)
		}
		var out []float64
		for range 6 {
			p, err := tr.Step(2)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, p.Loss, tr.TestLoss())
		}
		return out
	}
	cfg, _ := Preset("denoising")
	cfg.BatchSize = 32
	a, b := run(cfg), run(cfg)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("run 2 differs at %d: %v vs %v", i, a[i], b[i])
		}
	}
	cfg.Seed++
	c := run(cfg)
	if c[0] == a[0] && c[len(c)-1] == a[len(a)-1] {
		t.Fatalf("another seed gave the same losses %v", c)
	}
}

var update = flag.Bool("update", false, "rewrite testdata/golden_losses.json")

// TestGoldenLosses trains a few variants for a few steps and compares every
// loss with testdata/golden_losses.json, written natively with -update. The
// same test runs as wasm under Node (make test-wasm), so the two builds are
// shown to compute the same numbers to 1e-12.
func TestGoldenLosses(t *testing.T) {
	data := bundleDigits(t, 256, 100)
	got := map[string][]float64{}
	for name, cfg := range variants(t) {
		cfg.BatchSize = min(cfg.BatchSize, 64)
		tr, err := NewTrainer(cfg, data[:256*784], data[256*784:])
		if err != nil {
			t.Fatal(err)
		}
		for range 8 {
			p, err := tr.Step(1)
			if err != nil {
				t.Fatal(err)
			}
			got[name] = append(got[name], p.Loss)
		}
		got[name] = append(got[name], tr.TestLoss())
	}
	const path = "testdata/golden_losses.json"
	if *update {
		raw, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string][]float64
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	for name, w := range want {
		g := got[name]
		if len(g) != len(w) {
			t.Errorf("%s: %d losses, golden %d", name, len(g), len(w))
			continue
		}
		for i := range w {
			if rel := math.Abs(g[i]-w[i]) / math.Abs(w[i]); !(rel <= 1e-12) {
				t.Errorf("%s step %d: %.17g, golden %.17g (relative %.2g)", name, i, g[i], w[i], rel)
			}
		}
	}
}

// TestDivergenceRestores: a learning rate far too large is caught at the
// first non-finite loss or weight, and the model is put back as it was.
func TestDivergenceRestores(t *testing.T) {
	data := bundleDigits(t, 512, 0)
	for _, tc := range []struct {
		preset string
		opt    Optimizer
		lr     float64
	}{{"survey", Adam, 10}, {"linear-pca", Adam, 10}, {"linear-pca", SGD, 100}, {"survey", Momentum, 100}} {
		cfg, _ := Preset(tc.preset)
		cfg.Optimizer, cfg.LR, cfg.Momentum, cfg.BatchSize = tc.opt, tc.lr, 0.9, 64
		tr, err := NewTrainer(cfg, data, nil)
		if err != nil {
			t.Fatal(err)
		}
		var stepErr error
		var before []float64
		for i := 0; i < 200 && stepErr == nil; i++ {
			before = append(before[:0], tr.Model().Params()...)
			_, stepErr = tr.Step(1)
		}
		if !errors.Is(stepErr, ErrDiverged) {
			t.Fatalf("%s, %s lr %v: no divergence reported (err %v)", tc.preset, tc.opt, tc.lr, stepErr)
		}
		if !errors.Is(stepErr, ErrDiverged) || strings.Contains(stepErr.Error(), "learning rate") {
			t.Errorf("the error %q is not ErrDiverged stating only the fact (the page gives the advice)", stepErr)
		}
		for i, v := range tr.Model().Params() {
			if v != before[i] {
				t.Fatalf("%s: parameter %d is %v after the failed step, was %v", tc.opt, i, v, before[i])
			}
		}
		t.Logf("%s, %s lr %v: %v", tc.preset, tc.opt, tc.lr, stepErr)
	}
}

func TestValidate(t *testing.T) {
	base, _ := Preset("survey")
	for _, tc := range []struct {
		name   string
		change func(c *Config)
		want   string // in the message; "" means valid
	}{
		{"preset", func(c *Config) {}, ""},
		{"no layers", func(c *Config) { c.Hidden, c.Activation = nil, nil }, "encoder layers"},
		{"too deep", func(c *Config) {
			c.Hidden = []int{8, 8, 8, 8, 8, 8, 8}
			c.Activation = []Activation{ReLU, ReLU, ReLU, ReLU, ReLU, ReLU, ReLU}
		}, "between 1 and 6"},
		{"zero width", func(c *Config) { c.Hidden = []int{0} }, "between 1 and 1024"},
		{"huge code", func(c *Config) { c.Hidden = []int{100000} }, "between 1 and 1024"},
		{"overcomplete 1024", func(c *Config) { c.Hidden = []int{1024} }, ""},
		{"too many params", func(c *Config) {
			c.Hidden = []int{1024, 1024, 1024, 1024, 1024}
			c.Activation = []Activation{ReLU, ReLU, ReLU, ReLU, ReLU}
		}, "parameters exceed"},
		{"activations count", func(c *Config) { c.Activation = nil }, "one per layer"},
		{"unknown activation", func(c *Config) { c.Activation = []Activation{"swish"} }, "unknown activation"},
		{"bce linear", func(c *Config) { c.Output = Linear }, "sigmoid output"},
		{"lr NaN", func(c *Config) { c.LR = math.NaN() }, "learning rate"},
		{"lr negative", func(c *Config) { c.LR = -1 }, "learning rate"},
		{"lr huge", func(c *Config) { c.LR = 1e9 }, "learning rate"},
		{"batch", func(c *Config) { c.BatchSize = 5000 }, "batch size"},
		{"sparse relu", func(c *Config) { c.SparseBeta, c.SparseRho = 1, 0.05 }, "sigmoid code layer"},
		{"sparse rho", func(c *Config) {
			c.Activation = []Activation{Sigmoid}
			c.SparseBeta, c.SparseRho = 1, 1.5
		}, "ρ"},
		{"contractive relu", func(c *Config) { c.Contractive = 0.1 }, "sigmoid or tanh"},
		{"contractive deep", func(c *Config) {
			c.Hidden, c.Activation = []int{64, 16}, []Activation{Sigmoid, Sigmoid}
			c.Contractive = 0.1
		}, "single encoder layer"},
		{"noise", func(c *Config) { c.Noise = noise.Spec{Kind: noise.Mask, Level: 2} }, "outside [0, 1]"},
		{"momentum", func(c *Config) { c.Optimizer, c.Momentum = Momentum, 1 }, "momentum"},
		{"optimizer", func(c *Config) { c.Optimizer = "lbfgs" }, "unknown optimizer"},
		{"init", func(c *Config) { c.Init = "zeros" }, "unknown initialisation"},
	} {
		c := base.clone()
		tc.change(&c)
		err := c.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrConfig)):
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
