package pca

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"aeplayground/engine/internal/vec"
)

// PCA is a fitted principal component analysis of m samples in ℝⁿ.
type PCA struct {
	// N is the number of features, K the number of components kept.
	N, K int
	// Mean is μ, of length N.
	Mean []float64
	// Components holds v_1, …, v_K as the rows of a K×N row-major matrix
	// (so it is V_Kᵀ): orthonormal rows, sorted by variance, descending.
	// The sign of each component is fixed so that its entry of largest
	// magnitude is positive.
	Components []float64
	// Variance holds the explained variances λ_1 ≥ … ≥ λ_K, the eigenvalues
	// of the population covariance C = (1/m) Σ (x-μ)(x-μ)ᵀ.
	Variance []float64
	// TotalVariance is tr C = Σ_{i=1..N} λ_i, computed from the centred data
	// directly.
	TotalVariance float64
	// Spectrum holds the eigenvalues of C known to Fit, in descending
	// order, for scree plots: all N of them when the covariance was
	// decomposed fully (at most 160 non-constant features), otherwise the
	// top ones that Lanczos found converged, at least K of them. Rounding
	// errors below zero are clamped to 0.
	Spectrum []float64
}

// Fit computes the mean and the top-k principal components of the m×n data
// (row-major: sample s is data[s*n:(s+1)*n]).
//
// It returns an error if m < 1, n < 1, k < 1, k > min(m, n),
// len(data) != m*n, or the data contains NaN or ±Inf. Fit does not modify
// data.
//
// Cost: the covariance takes n²m/2 multiply-adds (or about nnz²/2 per sample
// for data that is mostly zero); for n = 784, m = 10,000 see the package
// benchmarks. Fit the largest k needed once and use Floor and Truncate for
// smaller k.
func Fit(data []float64, m, n, k int) (*PCA, error) {
	return fit(data, m, n, k, methodAuto)
}

// FitSample fits PCA to s samples drawn without replacement by rng from the
// m×n data: a cheaper estimate when m is large and the data dense (the
// covariance costs are proportional to the number of samples). Its Floor
// refers to the sample, not to all m samples. With s >= m it is Fit.
func FitSample(data []float64, m, n, k, s int, rng *rand.Rand) (*PCA, error) {
	if s >= m || m < 1 || n < 1 || len(data) != m*n {
		return Fit(data, m, n, k)
	}
	if s < 1 {
		return nil, fmt.Errorf("pca: sample size %d < 1", s)
	}
	perm := rng.Perm(m)[:s]
	sub := make([]float64, s*n)
	for i, r := range perm {
		copy(sub[i*n:(i+1)*n], data[r*n:(r+1)*n])
	}
	return Fit(sub, s, n, k)
}

type method int

const (
	methodAuto method = iota
	methodDense
	methodLanczos
	methodDenseCov   // force the dense covariance kernel (auto eigen)
	methodSparseCov  // force the sparse covariance kernel (auto eigen)
	methodDenseBoth  // dense covariance, dense eigen
	methodSparseBoth // sparse covariance, Lanczos
)

// ErrNotFinite is returned by Fit for data containing NaN or ±Inf.
var ErrNotFinite = errors.New("pca: data contains NaN or Inf")

func fit(data []float64, m, n, k int, meth method) (*PCA, error) {
	switch {
	case m < 1 || n < 1:
		return nil, fmt.Errorf("pca: bad shape %d×%d", m, n)
	case len(data) != m*n:
		return nil, fmt.Errorf("pca: len(data) = %d, want m·n = %d·%d = %d", len(data), m, n, m*n)
	case k < 1 || k > min(m, n):
		return nil, fmt.Errorf("pca: k = %d outside [1, min(m, n) = %d]", k, min(m, n))
	}

	// Mean, finiteness, sparsity and constant features in one pass.
	mean := make([]float64, n)
	active := make([]bool, n)
	first := data[:n]
	nnz := 0
	for s := 0; s < m; s++ {
		z, ok := addRow(data[s*n:(s+1)*n], first, mean, active)
		if !ok {
			return nil, ErrNotFinite
		}
		nnz += z
	}
	inv := 1 / float64(m)
	for j := range mean {
		mean[j] *= inv
	}
	// A constant feature has variance exactly 0 and its own eigenvector
	// e_j; it is left out of the covariance (MNIST has 67 such pixels).
	var act, idle []int
	for j, a := range active {
		if a {
			act = append(act, j)
		} else {
			idle = append(idle, j)
			mean[j] = first[j] // exact, without rounding
		}
	}
	// Total variance by the two-pass formula, accurate for any mean.
	var total float64
	for s := 0; s < m; s++ {
		total += sqDist(data[s*n:(s+1)*n], mean, act)
	}
	total *= inv

	na := len(act)
	sparse := float64(nnz) < sparseDensity*float64(m)*float64(n)
	dense := na <= denseEigenMax
	switch meth {
	case methodDense:
		dense = true
	case methodLanczos:
		dense = false
	case methodDenseCov:
		sparse = false
	case methodSparseCov:
		sparse = true
	case methodDenseBoth:
		sparse, dense = false, true
	case methodSparseBoth:
		sparse, dense = true, false
	}

	kk := min(k, na) // components with possibly non-zero variance
	var vals, vecs []float64
	if na > 0 {
		var c []float64
		if sparse {
			c = covSparse(data, m, n, mean, act)
		} else {
			c = covDense(data, m, n, mean, act)
		}
		var ok bool
		if dense {
			vals, vecs, ok = eigenDense(c, na, kk)
		} else {
			vals, vecs, ok = eigenLanczos(c, na, kk)
		}
		if !ok {
			return nil, errors.New("pca: eigendecomposition did not converge")
		}
	}

	p := &PCA{
		N:             n,
		K:             k,
		Mean:          mean,
		Components:    make([]float64, k*n),
		TotalVariance: total,
	}
	for r := 0; r < kk; r++ {
		v := p.Components[r*n : (r+1)*n]
		for a, j := range act {
			v[j] = vecs[r*na+a]
		}
	}
	// The idle features' unit vectors are eigenvectors of eigenvalue 0.
	for r := kk; r < k; r++ {
		p.Components[r*n+idle[r-kk]] = 1
	}
	for r := 0; r < k; r++ {
		fixSign(p.Components[r*n : (r+1)*n])
	}
	for i := range vals {
		vals[i] = math.Max(vals[i], 0)
	}
	if len(vals) == na && dense {
		// Full spectrum: append the zeros of the constant features.
		vals = append(vals, make([]float64, n-na)...)
	} else if len(vals) < k {
		vals = append(vals, make([]float64, k-len(vals))...)
	}
	p.Spectrum = vals
	p.Variance = append([]float64(nil), vals[:k]...)
	return p, nil
}

// dotCentred returns vᵀ(x - μ), unrolled by four like dot.
func dotCentred(v, x, mean []float64) float64 {
	x, mean = x[:len(v)], mean[:len(v)]
	var s0, s1, s2, s3 float64
	for len(v) >= 4 && len(x) >= 4 && len(mean) >= 4 {
		s0 += v[0] * (x[0] - mean[0])
		s1 += v[1] * (x[1] - mean[1])
		s2 += v[2] * (x[2] - mean[2])
		s3 += v[3] * (x[3] - mean[3])
		v, x, mean = v[4:], x[4:], mean[4:]
	}
	for i, vi := range v {
		s0 += vi * (x[i] - mean[i])
	}
	return (s0 + s1) + (s2 + s3)
}

// addRow adds row to sum, marks in active the features where row differs
// from first, and returns the number of non-zero entries, or false if row
// holds NaN or ±Inf. (Per-row functions let V8 tier up the hot loops; see
// addOuterSparse.)
//
//go:noinline
func addRow(row, first, sum []float64, active []bool) (nnz int, ok bool) {
	first, sum, active = first[:len(row)], sum[:len(row)], active[:len(row)]
	for j, v := range row {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, false
		}
		if v != 0 {
			nnz++
		}
		if v != first[j] {
			active[j] = true
		}
		sum[j] += v
	}
	return nnz, true
}

// sqDist returns Σ_{j ∈ act} (row_j - mean_j)².
//
//go:noinline
func sqDist(row, mean []float64, act []int) float64 {
	var s float64
	for _, j := range act {
		d := row[j] - mean[j]
		s += d * d
	}
	return s
}

// fixSign flips v so that its entry of largest magnitude is positive (the
// first such entry on ties), making components reproducible.
func fixSign(v []float64) {
	var big float64
	for _, x := range v {
		if math.Abs(x) > math.Abs(big) {
			big = x
		}
	}
	if big < 0 {
		for i := range v {
			v[i] = -v[i]
		}
	}
}

// ExplainedRatio returns Variance[i] / TotalVariance for each component, the
// fraction of the total variance each one explains (all 0 if the data has
// no variance).
func (p *PCA) ExplainedRatio() []float64 {
	r := make([]float64, p.K)
	if p.TotalVariance > 0 {
		for i, v := range p.Variance {
			r[i] = v / p.TotalVariance
		}
	}
	return r
}

// Project sets code = V_Kᵀ (x - μ), the coordinates of x along the K
// components. len(x) must be N and len(code) K. It does not allocate.
func (p *PCA) Project(x, code []float64) {
	n := p.N
	if len(x) != n || len(code) != p.K {
		panic("pca: Project: bad length")
	}
	mean := p.Mean[:n]
	for r := range code {
		code[r] = dotCentred(p.Components[r*n:(r+1)*n], x, mean)
	}
}

// Reconstruct sets xhat = μ + V_K code, the point of the principal subspace
// with the given coordinates. len(code) must be K and len(xhat) N. It does
// not allocate. Reconstruct(Project(x)) is the orthogonal projection of x
// onto the affine subspace μ + span(V_K), the best rank-K reconstruction.
func (p *PCA) Reconstruct(code, xhat []float64) {
	n := p.N
	if len(xhat) != n || len(code) != p.K {
		panic("pca: Reconstruct: bad length")
	}
	copy(xhat, p.Mean)
	for r, z := range code {
		vec.Axpy(xhat, z, p.Components[r*n:(r+1)*n])
	}
}

// Floor returns the least per-pixel mean squared error of any rank-k affine
// reconstruction of the fitted data (Eckart–Young):
//
//	floor(k) = (1/n) Σ_{i>k} λ_i = (TotalVariance - Σ_{i≤k} λ_i) / n,
//
// the mean of (x̂ - x)² over all m samples and n features when x̂ is the
// projection onto the top k components. A linear autoencoder with a k-unit
// bottleneck and biases, trained with MSE, approaches it from above;
// Floor(0) = TotalVariance/n is the error of predicting every sample by the
// mean. k may be anything in [0, len(Spectrum)] (at least [0, K]); Floor
// panics otherwise. With the full spectrum the tail is summed directly,
// otherwise it is the difference, clamped at 0.
func (p *PCA) Floor(k int) float64 {
	if k < 0 || k > len(p.Spectrum) {
		panic(fmt.Sprintf("pca: Floor(%d) outside [0, %d]", k, len(p.Spectrum)))
	}
	if len(p.Spectrum) == p.N {
		var s float64
		for _, l := range p.Spectrum[k:] {
			s += l
		}
		return s / float64(p.N)
	}
	s := p.TotalVariance
	for _, l := range p.Spectrum[:k] {
		s -= l
	}
	return math.Max(s, 0) / float64(p.N)
}

// Truncate returns the same fit keeping only the top k components,
// 1 <= k <= K; it shares no memory with p. Floor works on it as on p.
func (p *PCA) Truncate(k int) *PCA {
	if k < 1 || k > p.K {
		panic(fmt.Sprintf("pca: Truncate(%d) outside [1, %d]", k, p.K))
	}
	return &PCA{
		N:             p.N,
		K:             k,
		Mean:          append([]float64(nil), p.Mean...),
		Components:    append([]float64(nil), p.Components[:k*p.N]...),
		Variance:      append([]float64(nil), p.Variance[:k]...),
		TotalVariance: p.TotalVariance,
		Spectrum:      append([]float64(nil), p.Spectrum...),
	}
}
