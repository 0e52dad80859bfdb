package pca

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"aeplayground/engine/internal/vec"
)

// ErrRankDeficient is returned by PrincipalAngles when the columns of a basis
// are linearly dependent (numerically), so they do not span a subspace of
// the stated dimension: a decoder whose columns have collapsed.
var ErrRankDeficient = errors.New("pca: basis columns are linearly dependent")

// PrincipalAngles returns the principal angles, in radians and ascending,
// between the subspaces spanned by the columns of a (n×ka, row-major, e.g. a
// decoder's weight matrix W*) and of b (n×kb); there are min(ka, kb) of them.
//
// With orthonormal bases Q_a, Q_b of the two subspaces,
//
//	cos θ_i = σ_i(Q_aᵀ Q_b),
//
// the singular values in descending order, clamped to [0, 1]. The bases come
// from Householder QR factorisations A = Q_a R_a (the factorisation behind
// gonum's mat.QR, written here as plain loops: gonum's QR, products and SVD
// took 120 ms for n = 784, k = 64 as wasm, these loops a fraction of it).
// Because arccos is ill-conditioned near 1 (σ = 1 - 10⁻¹⁶ gives
// θ ≈ 1.5·10⁻⁸), angles below π/4 are taken from their sines instead
// (Björck & Golub 1973; Knyazev & Argentati 2002): with ka ≥ kb and the full
// orthogonal Q = [Q_a Q_a⊥] of the QR factorisation, Qᵀ Q_b stacks Q_aᵀ Q_b
// (cosines) on Q_a⊥ᵀ Q_b (sines), so small angles are accurate to about
// 10⁻¹⁵ rad.
//
// The angles do not depend on the bases chosen: for any invertible k×k
// matrix M, span(A M) = span(A). That is the property needed to compare a
// linear autoencoder, whose optimal decoder is W* = V_k M⁻¹, with PCA's V_k.
//
// It returns an error for inconsistent sizes, non-finite entries, or
// columns that are (numerically) linearly dependent (ErrRankDeficient).
func PrincipalAngles(a []float64, ka int, b []float64, kb int, n int) ([]float64, error) {
	switch {
	case n < 1 || ka < 1 || kb < 1:
		return nil, fmt.Errorf("pca: PrincipalAngles: bad dimensions n=%d ka=%d kb=%d", n, ka, kb)
	case ka > n || kb > n:
		return nil, fmt.Errorf("pca: PrincipalAngles: %d or %d columns in ℝ^%d", ka, kb, n)
	case len(a) != n*ka || len(b) != n*kb:
		return nil, fmt.Errorf("pca: PrincipalAngles: len(a) = %d, len(b) = %d, want %d and %d", len(a), len(b), n*ka, n*kb)
	}
	if ka < kb {
		a, ka, b, kb = b, kb, a, ka
	}
	at, err := transposeChecked(a, n, ka)
	if err != nil {
		return nil, err
	}
	bt, err := transposeChecked(b, n, kb)
	if err != nil {
		return nil, err
	}
	// Orthonormal basis of span(b) as the rows of qb (kb×n).
	tb, err := householderQR(bt, n, kb)
	if err != nil {
		return nil, err
	}
	qb := make([]float64, kb*n)
	for c := 0; c < kb; c++ {
		qb[c*n+c] = 1
	}
	applyQ(bt, tb, n, qb)
	return anglesTo(at, ka, qb, kb, n)
}

// AnglesTo returns the principal angles between the span of the k columns of
// decoder (n×k, row-major, e.g. the decoder weights W* of a linear
// autoencoder) and the span of the top k principal components, ascending;
// 1 <= k <= K. They tend to 0 as the autoencoder converges to PCA's
// subspace (package doc, "Comparing an autoencoder with PCA"). See
// PrincipalAngles.
func (p *PCA) AnglesTo(decoder []float64, k int) ([]float64, error) {
	n := p.N
	if k < 1 || k > p.K {
		return nil, fmt.Errorf("pca: AnglesTo: k = %d outside [1, %d]", k, p.K)
	}
	if len(decoder) != n*k {
		return nil, fmt.Errorf("pca: AnglesTo: len(decoder) = %d, want %d·%d", len(decoder), n, k)
	}
	at, err := transposeChecked(decoder, n, k)
	if err != nil {
		return nil, err
	}
	// The components are orthonormal already, and stored as V_kᵀ.
	qb := append([]float64(nil), p.Components[:k*n]...)
	return anglesTo(at, k, qb, k, n)
}

// transposeChecked returns the k×n transpose of the n×k matrix a, so that
// columns are contiguous, or ErrNotFinite.
func transposeChecked(a []float64, n, k int) ([]float64, error) {
	t := make([]float64, k*n)
	for j := 0; j < n; j++ {
		for c, v := range a[j*k : (j+1)*k] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, ErrNotFinite
			}
			t[c*n+j] = v
		}
	}
	return t, nil
}

// anglesTo returns the principal angles between the span of the ka columns
// stored as the rows of at (ka×n, overwritten) and the span of the kb ≤ ka
// orthonormal vectors that are the rows of qb (kb×n, overwritten).
func anglesTo(at []float64, ka int, qb []float64, kb, n int) ([]float64, error) {
	ta, err := householderQR(at, n, ka)
	if err != nil {
		return nil, err
	}
	applyQT(at, ta, n, qb) // qb ← Qᵀ Q_b
	// Top ka rows: Q_aᵀ Q_b, whose singular values are the cosines.
	top := mat.NewDense(ka, kb, nil)
	for c := 0; c < kb; c++ {
		for i := 0; i < ka; i++ {
			top.Set(i, c, qb[c*n+i])
		}
	}
	var svd mat.SVD
	if !svd.Factorize(top, mat.SVDNone) {
		return nil, errors.New("pca: SVD did not converge")
	}
	cos := svd.Values(nil) // descending, so the angles ascend
	// Bottom n-ka rows: Q_a⊥ᵀ Q_b, whose singular values are the sines.
	// Reduce it to its kb×kb triangular factor first.
	sin := make([]float64, kb)
	if nb := n - ka; nb > 0 {
		bot := make([]float64, kb*nb)
		for c := 0; c < kb; c++ {
			copy(bot[c*nb:(c+1)*nb], qb[c*n+ka:(c+1)*n])
		}
		householderR(bot, nb, kb)
		r := min(nb, kb)
		rm := mat.NewDense(r, kb, nil)
		for c := 0; c < kb; c++ {
			for i := 0; i <= min(c, r-1); i++ {
				rm.Set(i, c, bot[c*nb+i])
			}
		}
		if !svd.Factorize(rm, mat.SVDNone) {
			return nil, errors.New("pca: SVD did not converge")
		}
		copy(sin, svd.Values(nil)) // missing ones (r < kb) are 0
	}
	slices.Sort(sin) // ascending, like the angles
	ang := make([]float64, kb)
	for i := range ang {
		t := math.Acos(math.Min(math.Max(cos[i], 0), 1))
		if t < math.Pi/4 {
			t = math.Asin(math.Min(math.Max(sin[i], 0), 1))
		}
		ang[i] = t
	}
	return ang, nil
}

// householderQR computes the QR factorisation of the n×k matrix (k ≤ n)
// whose columns are the rows of at (k×n, row-major), in the LAPACK layout:
// on return row c holds R's column c in its first c+1 entries (R_cc at
// index c) and the Householder vector v_c (with implicit v_c[c] = 1) below;
// H_c = I - τ_c v_c v_cᵀ and Q = H_0 H_1 ⋯ H_{k-1}. It returns τ, or
// ErrRankDeficient if some |R_cc| ≤ 10⁻¹³·n·max|R_jj|, i.e. the columns are
// numerically dependent.
func householderQR(at []float64, n, k int) ([]float64, error) {
	tau := make([]float64, k)
	var rmax float64
	for c := 0; c < k; c++ {
		tau[c] = householderCol(at, n, k, c)
		rmax = math.Max(rmax, math.Abs(at[c*n+c]))
	}
	for c := 0; c < k; c++ {
		if !(math.Abs(at[c*n+c]) > 1e-13*float64(n)*rmax) {
			return nil, ErrRankDeficient
		}
	}
	return tau, nil
}

// householderR overwrites the first min(n, k) entries of each row of at as
// householderQR does, without the rank check; only R is used.
func householderR(at []float64, n, k int) {
	for c := 0; c < min(n, k); c++ {
		householderCol(at, n, k, c)
	}
}

// householderCol makes the reflector H_c that zeroes column c below the
// diagonal and applies it to the columns after c. It returns τ_c.
//
//go:noinline
func householderCol(at []float64, n, k, c int) float64 {
	x := at[c*n+c : (c+1)*n]
	alpha := x[0]
	tail := x[1:]
	xnorm := norm(tail)
	if xnorm == 0 {
		return 0 // H = I
	}
	beta := -math.Copysign(math.Hypot(alpha, xnorm), alpha)
	tau := (beta - alpha) / beta
	s := 1 / (alpha - beta)
	for i := range tail {
		tail[i] *= s
	}
	x[0] = beta
	for d := c + 1; d < k; d++ {
		y := at[d*n+c : (d+1)*n]
		reflect(tail, tau, y)
	}
	return tau
}

// reflect applies H = I - τ v vᵀ, v = (1, tail), to y.
func reflect(tail []float64, tau float64, y []float64) {
	yt := y[1:]
	w := tau * (y[0] + vec.Dot(tail, yt))
	y[0] -= w
	vec.Axpy(yt, -w, tail)
}

// applyQT overwrites each row y of ys (vectors of length n) with Qᵀ y, Q the
// orthogonal factor of householderQR's result f with reflectors τ.
func applyQT(f, tau []float64, n int, ys []float64) {
	for r := 0; r+n <= len(ys); r += n {
		y := ys[r : r+n]
		for c, t := range tau {
			if t != 0 {
				reflect(f[c*n+c+1:(c+1)*n], t, y[c:])
			}
		}
	}
}

// applyQ overwrites each row y of ys with Q y (the reflectors in reverse).
func applyQ(f, tau []float64, n int, ys []float64) {
	for r := 0; r+n <= len(ys); r += n {
		y := ys[r : r+n]
		for c := len(tau) - 1; c >= 0; c-- {
			if t := tau[c]; t != 0 {
				reflect(f[c*n+c+1:(c+1)*n], t, y[c:])
			}
		}
	}
}
