package ae

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"aeplayground/engine/noise"
	"aeplayground/engine/pca"
)

// TestPresetClaims trains each preset as the page does (its 10,000
// training digits, reshuffled each epoch) for the epochs its description
// states, and checks each figure the description gives, measured on the
// page's 500 held-out digits: the phrase must appear in the description
// and the measurement must lie within the stated tolerance of its value.
// "Plain" is the preset without its noise and penalties, the comparison
// the description makes. The linear presets' figures are checked by
// TestLinearPresetsMeetPCA. Natively this takes about a minute.
func TestPresetClaims(t *testing.T) {
	longTraining(t)
	const nTrain, nTest = 10000, 500
	data := bundleDigits(t, nTrain, nTest)
	train, test := data[:nTrain*784], data[nTrain*784:]
	masked := noise.Spec{Kind: noise.Mask, Level: 0.5}

	meanRhoHat := func(tr *Trainer) float64 {
		var s float64
		r := tr.Model().Diagnose(test).RhoHat
		for _, v := range r {
			s += v
		}
		return s / float64(len(r))
	}
	heldOutMSE := func(tr *Trainer) float64 {
		xhat := make([]float64, 784)
		var s float64
		for i := range nTest {
			x := test[i*784 : (i+1)*784]
			tr.Model().Reconstruct(x, xhat)
			for j, v := range xhat {
				s += (v - x[j]) * (v - x[j])
			}
		}
		return s / (nTest * 784)
	}
	pcaHeldOut := func(*Trainer) float64 {
		p, err := pca.Fit(train, nTrain, 784, 32)
		if err != nil {
			t.Fatal(err)
		}
		e, err := p.ReconstructionError(test, nTest)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}

	claims := []struct {
		preset    string
		plain     bool
		epochs    int
		what      string
		measure   func(*Trainer) float64
		phrase    string // in the preset's description
		want, tol float64
	}{
		{"survey", false, 5, "held-out BCE", (*Trainer).TestLoss, "held-out BCE is about 0.13 after 5 epochs", 0.13, 0.005},
		{"denoising", false, 1, "BCE on masked held-out digits", func(tr *Trainer) float64 { return tr.TestLossWith(masked) },
			"After 1 epoch on these 10,000 digits it restores held-out digits with half their pixels masked to a BCE of about 0.124", 0.124, 0.003},
		{"denoising", true, 1, "BCE on masked held-out digits, trained without noise", func(tr *Trainer) float64 { return tr.TestLossWith(masked) },
			"trained without noise scores about 0.186", 0.186, 0.005},
		{"sparse", false, 1, "mean ρ̂ on held-out digits", meanRhoHat, "after 1 epoch on these 10,000 digits the units' mean activation over held-out digits is about 0.058", 0.058, 0.003},
		{"sparse", true, 1, "mean ρ̂ without the penalty", meanRhoHat, "without the penalty it is about 0.85", 0.85, 0.02},
		{"contractive", false, 1, "‖J‖_F on held-out digits", func(tr *Trainer) float64 { return tr.Model().Diagnose(test).JacobianNorm },
			"after 1 epoch on these 10,000 digits the encoder's Jacobian norm ‖∂h/∂x‖_F on held-out digits is about 0.11", 0.11, 0.005},
		{"contractive", true, 1, "‖J‖_F without the penalty", func(tr *Trainer) float64 { return tr.Model().Diagnose(test).JacobianNorm },
			"without the penalty it is about 2.4", 2.4, 0.1},
		{"deep", false, 1, "held-out MSE", heldOutMSE, "after 1 epoch on these 10,000 digits: MSE about 0.041", 0.041, 0.002},
		{"deep", false, 1, "PCA's held-out MSE with k = 32", pcaHeldOut, "above PCA's 0.017 with the same k = 32", 0.017, 0.0005},
	}
	// One training run per config and epoch count (the sparse and
	// contractive presets without their penalties are the same network).
	runs := map[string]*Trainer{}
	measured := map[string]float64{} // by preset and what
	for _, c := range claims {
		info, ok := presetInfo(c.preset)
		if !ok {
			t.Fatalf("no preset %q", c.preset)
		}
		if !strings.Contains(info.About, c.phrase) {
			t.Errorf("%s: the description does not say %q:\n%s", c.preset, c.phrase, info.About)
		}
		cfg := info.Config.clone()
		if c.plain {
			cfg.Noise, cfg.SparseBeta, cfg.SparseRho, cfg.Contractive = noise.Spec{}, 0, 0, 0
		}
		key, _ := json.Marshal(struct {
			C Config
			E int
		}{cfg, c.epochs})
		tr := runs[string(key)]
		if tr == nil {
			var err error
			if tr, err = NewTrainer(cfg, train, test); err != nil {
				t.Fatal(err)
			}
			if _, err := tr.Step(c.epochs * ((nTrain + cfg.BatchSize - 1) / cfg.BatchSize)); err != nil {
				t.Fatal(err)
			}
			if p := tr.Progress(); p.Epoch != c.epochs-1 || p.EpochFrac != float64(c.epochs) {
				t.Fatalf("%s: trained to epoch %v, want %d whole epochs", c.preset, p.EpochFrac, c.epochs)
			}
			runs[string(key)] = tr
		}
		got := c.measure(tr)
		measured[c.preset+": "+c.what] = got
		t.Logf("%s: %s after %d epochs: %.4f (stated %v ± %v)", c.preset, c.what, c.epochs, got, c.want, c.tol)
		if !(math.Abs(got-c.want) <= c.tol) {
			t.Errorf("%s: %s is %.4f, the description says %v (tolerance %v)", c.preset, c.what, got, c.want, c.tol)
		}
	}
	if mse, floor := measured["deep: held-out MSE"], measured["deep: PCA's held-out MSE with k = 32"]; !(mse > floor) {
		t.Errorf("deep: held-out MSE %.4f is below PCA's %.4f: the description says above", mse, floor)
	}
}

func presetInfo(name string) (PresetInfo, bool) {
	for _, p := range Presets() {
		if p.Name == name {
			return p, true
		}
	}
	return PresetInfo{}, false
}
