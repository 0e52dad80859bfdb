package ae

import (
	"math"

	"aeplayground/engine/noise"
)

// Evaluation is what one pass over a set of digits measures of the model.
// Losses are per-pixel means, like the training loss.
type Evaluation struct {
	Loss           float64 // the data term in the model's own loss (MSE or BCE)
	MSE            float64 // squared error, whatever the loss: comparable with PCA's
	OutMin, OutMax float64 // the smallest and largest reconstructed pixel
	// NoisyLoss is the data term on the digits corrupted by the spec given
	// to Evaluate, scored against the clean digits: how well the model
	// denoises. NaN for no corruption.
	NoisyLoss float64
}

// Evaluate measures the model on the held-out digits: its loss, its
// squared error, the range of its outputs and, if spec corrupts, its loss
// on the corrupted digits. The corruption is drawn from the same seed at
// every call, so two models (or two calls) see the same corrupted digits.
// It returns NaNs without held-out digits.
func (t *Trainer) Evaluate(spec noise.Spec) Evaluation {
	e := t.evaluate(t.test, t.nTest, noise.Spec{})
	e.NoisyLoss = math.NaN()
	if spec.Active() {
		e.NoisyLoss = t.evaluate(t.test, t.nTest, spec).Loss
	}
	return e
}

// TrainEvaluation measures the model over all its training digits, not a
// minibatch: the figure to compare with PCA's floor on those digits.
func (t *Trainer) TrainEvaluation() Evaluation {
	e := t.evaluate(t.train, t.nTrain, noise.Spec{})
	e.NoisyLoss = math.NaN()
	return e
}

// evaluate runs the n digits of set, corrupted by spec, through the model
// in batches and scores the output against the clean digits.
func (t *Trainer) evaluate(set []float64, n int, spec noise.Spec) Evaluation {
	e := Evaluation{Loss: math.NaN(), MSE: math.NaN(), OutMin: math.NaN(), OutMax: math.NaN()}
	if n == 0 {
		return e
	}
	t.evalSrc.Seed(t.cfg.Seed, streamEval)
	m, bs := t.model, t.cfg.BatchSize
	bce := t.cfg.Loss == BCE
	out := t.acts[len(t.acts)-1]
	var loss, mse float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for start := 0; start < n; start += bs {
		rows := min(bs, n-start)
		clean := set[start*t.n : (start+rows)*t.n]
		y := out[:rows*t.n]
		spec.Apply(t.eval, clean, t.acts[0])
		m.forward(t.acts, rows, bce)
		if bce {
			loss += bceLogits(y, clean, nil, 0) * float64(rows)
			sigmoids(y) // the logits become x̂ for the squared error
		}
		d := mseLoss(y, clean, nil, 0) * float64(rows)
		mse += d
		if !bce {
			loss += d
		}
		for _, v := range y {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	e.Loss, e.MSE = loss/float64(n), mse/float64(n)
	e.OutMin, e.OutMax = lo, hi
	return e
}
