package ae

import (
	"math"
	"testing"

	"aeplayground/engine/noise"
)

// TestEvaluate checks each figure of an evaluation against the same figure
// computed digit by digit with Reconstruct, for an MSE and a BCE model.
func TestEvaluate(t *testing.T) {
	digits := bundleDigits(t, 300, 70)
	train, test := digits[:300*784], digits[300*784:]
	spec := noise.Spec{Kind: noise.Mask, Level: 0.4}
	for _, loss := range []Loss{MSE, BCE} {
		cfg, _ := Preset("survey")
		cfg.Loss, cfg.BatchSize = loss, 32 // 70 held-out digits: a last, shorter batch
		tr, err := NewTrainer(cfg, train, test)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.Step(20); err != nil {
			t.Fatal(err)
		}
		e := tr.Evaluate(spec)
		var mse, bce float64
		lo, hi := math.Inf(1), math.Inf(-1)
		xhat := make([]float64, 784)
		for i := range 70 {
			x := test[i*784 : (i+1)*784]
			tr.Model().Reconstruct(x, xhat)
			for j, v := range xhat {
				mse += (v - x[j]) * (v - x[j])
				c := clampOpen(v)
				bce -= x[j]*math.Log(c) + (1-x[j])*math.Log(1-c)
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		mse /= 70 * 784
		bce /= 70 * 784
		near := func(what string, got, want, tol float64) {
			if math.Abs(got-want) > tol*math.Abs(want) {
				t.Errorf("%s: %s %v, want %v", loss, what, got, want)
			}
		}
		near("MSE", e.MSE, mse, 1e-9)
		near("OutMin", e.OutMin, lo, 1e-9)
		near("OutMax", e.OutMax, hi, 1e-9)
		if loss == MSE {
			near("Loss", e.Loss, mse, 1e-9)
		} else {
			near("Loss", e.Loss, bce, 1e-6) // from the logits, without clamping
		}
		near("Loss against TestLoss", e.Loss, tr.TestLoss(), 0)
		near("NoisyLoss against TestLossWith", e.NoisyLoss, tr.TestLossWith(spec), 0)
		if e.NoisyLoss <= e.Loss {
			t.Errorf("%s: masking 40%% of the pixels did not raise the loss: %v <= %v", loss, e.NoisyLoss, e.Loss)
		}
		if !math.IsNaN(tr.Evaluate(noise.Spec{}).NoisyLoss) {
			t.Errorf("%s: NoisyLoss without a corruption is not NaN", loss)
		}
		// Over the training digits: the mean of every digit's error.
		var sum float64
		for i := range 300 {
			x := train[i*784 : (i+1)*784]
			tr.Model().Reconstruct(x, xhat)
			for j, v := range xhat {
				sum += (v - x[j]) * (v - x[j])
			}
		}
		near("TrainEvaluation MSE", tr.TrainEvaluation().MSE, sum/(300*784), 1e-9)
	}
}
