package pca

import (
	"fmt"
	"math"

	"aeplayground/engine/internal/vec"
)

// ReconstructionError returns PCA's per-pixel mean squared error on the m
// digits of data (row-major, m×N), each reconstructed from its projection
// onto the K components fitted on the training digits:
//
//	err = (1/(m N)) Σ_s ‖x_s − μ − V_K V_Kᵀ (x_s − μ)‖²
//	    = (1/(m N)) Σ_s (‖x_s − μ‖² − ‖V_Kᵀ (x_s − μ)‖²),
//
// the second form because V_K's columns are orthonormal (Pythagoras). On
// the digits PCA was fitted to this is Floor(K); on other digits it is what
// an autoencoder's held-out loss must be compared with, like for like
// (Eckart–Young bounds the loss on the fitted digits only). Use Truncate for
// fewer components. It allocates one code vector of K.
func (p *PCA) ReconstructionError(data []float64, m int) (float64, error) {
	n := p.N
	if m < 1 || len(data) != m*n {
		return 0, fmt.Errorf("pca: %d values are not %d samples of %d features", len(data), m, n)
	}
	code := make([]float64, p.K)
	var sum float64
	for s := range m {
		x := data[s*n : (s+1)*n]
		p.Project(x, code)
		var total float64
		for j, v := range x {
			d := v - p.Mean[j]
			total += d * d
		}
		sum += total - vec.Dot(code, code)
	}
	e := math.Max(sum, 0) / float64(m*n)
	if math.IsNaN(e) || math.IsInf(e, 0) {
		return 0, fmt.Errorf("pca: the samples hold NaN or ±Inf")
	}
	return e, nil
}
