package pca

// The covariance C = (1/m) Σ_s (x_s-μ)(x_s-μ)ᵀ of 10,000 MNIST digits is
// the one large computation of a fit: n(n+1)/2 · m ≈ 3·10⁹ multiply-adds for
// n = 784, done as plain Go loops because gonum's BLAS kernels are amd64
// assembly and fall back to slow generic code in WebAssembly.
//
// Two kernels are provided:
//
//   - covDense packs a panel of samples transposed (feature-major) and runs a
//     4×2 register-blocked kernel over it (the blocks that fit the 16 float
//     registers of both amd64 and Go's wasm backend; 4×4 spills and was
//     slower in both). Only the upper block triangle is computed.
//   - covSparse skips zero entries: for data that is mostly zero, as MNIST
//     digits are (about 80 % of pixels are exactly 0), it accumulates the
//     uncentred second moment S = (1/m) Σ_s x_s x_sᵀ over the non-zero
//     entries of each sample only and uses C = S - μμᵀ. That costs about
//     nnz²/2 per sample instead of n²/2, roughly 20 times less for MNIST.
//     Subtracting μμᵀ loses a little accuracy when the means are large
//     compared with the standard deviations (relative error about
//     ε·|μ|²/λ), harmless for pixel intensities in [0, 1].

// panelRows is the number of samples packed per panel in covDense. A panel of
// 128 samples is 1 KiB per feature, so the 6 rows a 4×2 block touches stay in
// L1 while the whole panel (784 features: 800 KB) stays in L2.
const panelRows = 128

// sparseDensity is the fraction of non-zero entries below which Fit uses
// covSparse. Measured on 10,000×784: covSparse costs ≈1.7 ns (native) to
// 10 ns (wasm) per non-zero pair, covDense ≈0.6 ns to 1.2 ns per pair.
const sparseDensity = 0.3

// covDense returns the na×na covariance of the active features act (row-major).
func covDense(data []float64, m, n int, mean []float64, act []int) []float64 {
	na := len(act)
	np := (na + 3) &^ 3 // pad to a multiple of 4 with zero rows
	L := panelRows
	buf := make([]float64, np*L)
	acc := make([]float64, np*np)
	for l0 := 0; l0 < m; l0 += L {
		cnt := min(L, m-l0)
		if cnt < L {
			clear(buf)
		}
		for l := 0; l < cnt; l++ {
			row := data[(l0+l)*n : (l0+l+1)*n]
			for f, j := range act {
				buf[f*L+l] = row[j] - mean[j]
			}
		}
		syrkPanel(buf, np, L, acc)
	}
	c := make([]float64, na*na)
	inv := 1 / float64(m)
	for a := 0; a < na; a++ {
		for b := a; b < na; b++ {
			v := acc[a*np+b] * inv
			c[a*na+b] = v
			c[b*na+a] = v
		}
	}
	return c
}

// syrkPanel adds the upper block triangle of buf·bufᵀ to acc, where buf is
// np×L (np a multiple of 4) and acc is np×np, both row-major.
func syrkPanel(buf []float64, np, L int, acc []float64) {
	for ib := 0; ib < np; ib += 4 {
		syrkRows(buf, np, L, ib, acc)
	}
}

// syrkRows adds rows ib…ib+3, columns ib… of buf·bufᵀ to acc with a 4×2
// register block: per sample it loads 6 values and does 8 multiply-adds.
// (A function per block row also lets V8 tier it up early; see
// addOuterSparse.)
//
//go:noinline
func syrkRows(buf []float64, np, L, ib int, acc []float64) {
	a0 := buf[ib*L : ib*L+L]
	a1 := buf[(ib+1)*L : (ib+1)*L+L]
	a2 := buf[(ib+2)*L : (ib+2)*L+L]
	a3 := buf[(ib+3)*L : (ib+3)*L+L]
	a1, a2, a3 = a1[:len(a0)], a2[:len(a0)], a3[:len(a0)]
	for jb := ib; jb < np; jb += 2 {
		b0 := buf[jb*L : jb*L+L]
		b1 := buf[(jb+1)*L : (jb+1)*L+L]
		b0, b1 = b0[:len(a0)], b1[:len(a0)]
		var s00, s01, s10, s11, s20, s21, s30, s31 float64
		for l, x0 := range a0 {
			x1, x2, x3 := a1[l], a2[l], a3[l]
			y0, y1 := b0[l], b1[l]
			s00 += x0 * y0
			s01 += x0 * y1
			s10 += x1 * y0
			s11 += x1 * y1
			s20 += x2 * y0
			s21 += x2 * y1
			s30 += x3 * y0
			s31 += x3 * y1
		}
		r := acc[ib*np+jb : ib*np+jb+2]
		r[0] += s00
		r[1] += s01
		r = acc[(ib+1)*np+jb : (ib+1)*np+jb+2]
		r[0] += s10
		r[1] += s11
		r = acc[(ib+2)*np+jb : (ib+2)*np+jb+2]
		r[0] += s20
		r[1] += s21
		r = acc[(ib+3)*np+jb : (ib+3)*np+jb+2]
		r[0] += s30
		r[1] += s31
	}
}

// covSparse returns the na×na covariance of the active features act,
// computed as S - μμᵀ with S accumulated over the non-zero entries only.
func covSparse(data []float64, m, n int, mean []float64, act []int) []float64 {
	s := make([]float64, n*n) // upper triangle of Σ x xᵀ
	idx := make([]int, n)
	val := make([]float64, n)
	for r := 0; r < m; r++ {
		addOuterSparse(data[r*n:(r+1)*n], s, idx, val)
	}
	na := len(act)
	c := make([]float64, na*na)
	inv := 1 / float64(m)
	for a, i := range act {
		for b := a; b < na; b++ {
			j := act[b]
			v := s[i*n+j]*inv - mean[i]*mean[j]
			c[a*na+b] = v
			c[b*na+a] = v
		}
	}
	return c
}

// addOuterSparse adds the upper triangle of x xᵀ to the n×n matrix s,
// touching only the non-zero entries of x; idx and val are scratch space of
// length n.
//
// It is a function of its own, called once per sample, so that a WebAssembly
// engine that compiles hot functions with its optimising compiler only
// after some calls (V8's dynamic tiering; it cannot switch a running call
// over) runs almost all of the work in optimised code.
//
//go:noinline
func addOuterSparse(x, s []float64, idx []int, val []float64) {
	n := len(x)
	nz := 0
	idx, val = idx[:n], val[:n]
	for j, v := range x {
		if v != 0 {
			idx[nz] = j
			val[nz] = v
			nz++
		}
	}
	ix, vx := idx[:nz], val[:nz]
	for a, i := range ix {
		va := vx[a]
		sr := s[i*n : i*n+n]
		ib := ix[a:]
		vb := vx[a:]
		vb = vb[:len(ib)]
		for b, j := range ib {
			sr[j] += va * vb[b]
		}
	}
}
