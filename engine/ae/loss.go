package ae

import (
	"fmt"
	"math"
)

// Loss names the data term of the objective (package doc, "Losses"). Both use
// PyTorch's reduction='mean': the sum over a batch of m digits and n pixels
// is divided by m·n, so losses are per-pixel means.
type Loss string

const (
	// MSE is L = (1/mn) Σ_i Σ_j (x̂_ij − x_ij)².
	MSE Loss = "mse"
	// BCE is L = −(1/mn) Σ_i Σ_j [x_ij log x̂_ij + (1−x_ij) log(1−x̂_ij)],
	// with a sigmoid output x̂ = σ(z); it is computed from the logits z.
	BCE Loss = "bce"
)

// Losses lists every loss, in the order the page offers them.
var Losses = []Loss{MSE, BCE}

func (l Loss) valid() error {
	switch l {
	case MSE, BCE:
		return nil
	}
	return fmt.Errorf("unknown loss %q (want mse or bce)", l)
}

// mseLoss returns (1/len) Σ (y−x)² and, if dy is not nil, writes
// ∂L/∂y = 2(y−x)·scale into it. scale is 1/(m·n) for the training batch.
func mseLoss(y, x, dy []float64, scale float64) float64 {
	x = x[:len(y)]
	var sum float64
	if dy == nil {
		for i, v := range y {
			d := v - x[i]
			sum += d * d
		}
		return sum / float64(len(y))
	}
	dy = dy[:len(y)]
	for i, v := range y {
		d := v - x[i]
		sum += d * d
		dy[i] = 2 * d * scale
	}
	return sum / float64(len(y))
}

// bceLogits returns the binary cross-entropy of σ(z) against x, computed
// from the logits z in the form that cannot overflow:
//
//	−[x log σ(z) + (1−x) log(1−σ(z))] = max(z,0) − z·x + log(1 + e^−|z|).
//
// If dz is not nil it receives ∂L/∂z = (σ(z) − x)·scale: the sigmoid's
// derivative and the log's cancel, which is why BCE is paired with a
// sigmoid output.
func bceLogits(z, x, dz []float64, scale float64) float64 {
	x = x[:len(z)]
	var sum float64
	for i, v := range z {
		sum += math.Max(v, 0) - v*x[i] + math.Log1p(math.Exp(-math.Abs(v)))
	}
	if dz != nil {
		dz = dz[:len(z)]
		for i, v := range z {
			dz[i] = (sigmoid(v) - x[i]) * scale
		}
	}
	return sum / float64(len(z))
}
