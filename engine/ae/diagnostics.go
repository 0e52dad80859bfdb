package ae

import (
	"math"

	"aeplayground/engine/internal/vec"
)

// Diagnostics are what the page shows of a model beside its loss.
type Diagnostics struct {
	// RhoHat is the mean activation ρ̂_l of each code unit over the digits:
	// what the sparsity penalty pulls toward ρ.
	RhoHat []float64
	// JacobianNorm is the mean over the digits of ‖J_x(h)‖_F, the
	// Frobenius norm of the encoder's Jacobian ∂h/∂x: what the contractive
	// penalty keeps small.
	JacobianNorm float64
	// WeightNorms is ‖W‖_F of each weight matrix: what L2 decay shrinks.
	WeightNorms []float64
}

// Diagnose computes the diagnostics over digits x (row-major, Inputs pixels
// each). The Jacobian of an encoder h = f_d(W_d … f_1(W_1 x + b_1) …) is
//
//	J = diag(s_d) W_d ⋯ diag(s_1) W_1,   s_l = f_l'(a_l),
//
// which for one layer has the closed form ‖J‖²_F = Σ_l s_l² ‖W_l‖².
// It costs about one forward pass per digit for a single layer, and a
// product of the encoder's matrices per digit for a deep one, so pass a
// few hundred digits at most.
func (m *Model) Diagnose(x []float64) Diagnostics {
	n, k := m.cfg.Inputs, m.K()
	rows := len(x) / n
	d := len(m.cfg.Hidden)
	diag := Diagnostics{RhoHat: make([]float64, k), WeightNorms: m.WeightNorms()}
	if rows == 0 {
		return diag
	}

	first := m.layers[0]
	w1 := first.w.of(m.theta)
	rowSq := make([]float64, first.out)
	for l := range first.out {
		r := w1[l*n : (l+1)*n]
		rowSq[l] = vec.Dot(r, r)
	}
	var jac []float64 // J so far, out×n, for deep encoders
	var next []float64
	for i := range rows {
		acts := m.encode(x[i*n : (i+1)*n])
		vec.Axpy(diag.RhoHat, 1/float64(rows), acts[d])
		if d == 1 {
			var f2 float64
			for l, h := range acts[1] {
				s := first.act.slope(h)
				f2 += s * s * rowSq[l]
			}
			diag.JacobianNorm += math.Sqrt(f2) / float64(rows)
			continue
		}
		jac = append(jac[:0], w1...)
		for l, h := range acts[1] {
			s := first.act.slope(h)
			for j := range n {
				jac[l*n+j] *= s
			}
		}
		for li := 1; li < d; li++ {
			ly := m.layers[li]
			next = append(next[:0], make([]float64, ly.out*n)...)
			gemmNN(next, ly.w.of(m.theta), jac, ly.out, n, ly.in)
			for l, h := range acts[li+1] {
				s := ly.act.slope(h)
				for j := range n {
					next[l*n+j] *= s
				}
			}
			jac, next = next, jac
		}
		diag.JacobianNorm += math.Sqrt(vec.Dot(jac, jac)) / float64(rows)
	}
	return diag
}

// Histogram counts the values in bins equal bins over [lo, hi]; values
// outside are counted in the first or last bin.
func Histogram(v []float64, bins int, lo, hi float64) []int {
	if bins < 1 {
		return nil
	}
	h := make([]int, bins)
	for _, x := range v {
		b := int(float64(bins) * (x - lo) / (hi - lo))
		h[min(max(b, 0), bins-1)]++
	}
	return h
}
