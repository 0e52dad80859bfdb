package ae

import (
	"math"
	"slices"
	"testing"

	"aeplayground/engine/pca"
)

// These tests train on real digits and check what theory.md says must
// happen. Each runs in a few seconds natively; the margins measured when
// they were written are in the comments.

const degree = 180 / math.Pi

// TestLinearAutoencoderMeetsPCA (theory.md §4): a linear autoencoder with
// squared error, trained from random weights, reaches PCA's rank-k floor
// and its decoder's column space turns into PCA's top-k subspace.
// Measured: after 12 epochs on 2,000 digits the loss is 1.015× the floor
// and the median principal angle 2.6° (from 84° at the start); the largest
// angle, along the 16th component, is still closing (54°), as the small
// gap between the 16th and 17th eigenvalues predicts.
func TestLinearAutoencoderMeetsPCA(t *testing.T) {
	const m, k, epochs = 2000, 16, 12
	data := bundleDigits(t, m, 0)
	p, err := pca.Fit(data, m, 784, k)
	if err != nil {
		t.Fatal(err)
	}
	floor := p.Floor(k)
	cfg, _ := Preset("linear-pca")
	if cfg.K() != k || !cfg.Linear() || cfg.Loss != MSE {
		t.Fatalf("the linear-pca preset is not a linear k=%d MSE autoencoder: %+v", k, cfg)
	}
	tr, err := NewTrainer(cfg, data, data) // scored on the digits PCA was fitted to
	if err != nil {
		t.Fatal(err)
	}
	angles := func() []float64 {
		_, h, w := tr.Model().Decoder()
		a, err := p.AnglesTo(w, h)
		if err != nil {
			t.Fatal(err)
		}
		for i := range a {
			a[i] *= degree
		}
		return a
	}
	start := angles()
	startMedian := median(start)
	batches := (m + cfg.BatchSize - 1) / cfg.BatchSize
	for ep := 1; ep <= epochs; ep++ {
		if _, err := tr.Step(batches); err != nil {
			t.Fatal(err)
		}
		a := angles()
		t.Logf("epoch %2d: loss/floor %.4f, principal angles median %5.2f° max %5.2f°", ep, tr.TestLoss()/floor, median(a), a[len(a)-1])
	}
	ratio := tr.TestLoss() / floor
	end := angles()
	t.Logf("floor %.6f; angles at the start %.1f°, at the end %.2f°", floor, roundAll(start), roundAll(end))
	if ratio > 1.02 {
		t.Errorf("loss is %.4f× PCA's floor, want ≤ 1.02", ratio)
	}
	if ratio < 1-1e-9 {
		t.Errorf("loss is %.6f× PCA's floor: below the Eckart–Young optimum, so one of them is wrong", ratio)
	}
	if med := median(end); med >= 5 || med >= startMedian/4 {
		t.Errorf("median principal angle %.2f° (start %.2f°), want < 5°", med, startMedian)
	}
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func roundAll(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Round(x*100) / 100
	}
	return out
}
