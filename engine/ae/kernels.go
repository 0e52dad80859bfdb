package ae

import (
	"math"

	"aeplayground/engine/internal/vec"
)

// The three matrix products of a training step, as plain loops.
//
// gonum's Dgemm is fast natively but its fast kernels are amd64 assembly:
// compiled to WebAssembly it falls back to generic code that splits work
// over goroutines, which a single-threaded wasm instance cannot use. These
// loops are written for the compiler instead, and tuned by measurement
// under Node (see kernels_test.go for the microbenchmarks):
//
//   - Register blocking. gemmNT works on 2 rows of A × 4 rows of B at a
//     time, keeping the 8 sums in registers, so each loaded value feeds two
//     or four multiply-adds. gemmNN and gemmTNAdd update 2 rows of C from 4
//     rows of B (axpy24): 6 loads and 2 stores per 8 multiply-adds instead
//     of 6 and 1 per 4. Larger tiles (3×4, 4×4) spill: Go's wasm backend
//     has 16 float registers. Tiles of C held in registers while walking A
//     and B down their columns (strided) measured 2× slower than these:
//     every row costs a bounds check and offset arithmetic.
//   - Bounds checks out of inner loops. Every slice is re-sliced to the
//     loop's length first, and unrolled loops are written
//     `for j := 0; j < n-3; j += 4` — the one form of which the compiler
//     proves j+1..j+3 in bounds (`j+4 <= n` leaves three checks per slice).
//   - Unrolling by 4. In Go's wasm code every loop back-edge goes through
//     the function's block dispatch (a br_table), so fewer iterations pay.
//   - The inner kernels are separate, non-inlined functions: inlined into
//     the drivers, the register allocator spills their sums and pointers.
//
// Each entry of C is still summed in the same order as a naive loop over
// the inner dimension (gemmTNAdd continuing from C's old value), so results
// are bit-identical to the plain triple loops of kernels_test.go.
// All matrices are dense and row-major.

// gemmNT sets C = A·Bᵀ, with A m×k, B n×k and C m×n.
// (Forward pass of a layer: Z = X Wᵀ, W stored out×in.)
func gemmNT(c, a, b []float64, m, n, k int) {
	i := 0
	for ; i+2 <= m; i += 2 {
		a0, a1 := a[i*k:i*k+k], a[(i+1)*k:(i+1)*k+k]
		c0, c1 := c[i*n:i*n+n], c[(i+1)*n:(i+1)*n+n]
		j := 0
		for ; j+4 <= n; j += 4 {
			c0[j], c0[j+1], c0[j+2], c0[j+3], c1[j], c1[j+1], c1[j+2], c1[j+3] =
				dot24(a0, a1, b[j*k:j*k+k], b[(j+1)*k:(j+1)*k+k], b[(j+2)*k:(j+2)*k+k], b[(j+3)*k:(j+3)*k+k])
		}
		for ; j < n; j++ {
			bj := b[j*k : j*k+k]
			c0[j], c1[j] = vec.Dot(a0, bj), vec.Dot(a1, bj)
		}
	}
	if i < m {
		ai, ci := a[i*k:i*k+k], c[i*n:i*n+n]
		for j := range ci {
			ci[j] = vec.Dot(ai, b[j*k:j*k+k])
		}
	}
}

// gemmNN sets C = A·B, with A m×k, B k×n and C m×n.
// (Input gradient of a layer: dX = dZ W.)
func gemmNN(c, a, b []float64, m, n, k int) {
	i := 0
	for ; i+2 <= m; i += 2 {
		c0, c1 := c[i*n:i*n+n], c[(i+1)*n:(i+1)*n+n]
		a0, a1 := a[i*k:i*k+k], a[(i+1)*k:(i+1)*k+k]
		clear(c0)
		clear(c1)
		p := 0
		for ; p+4 <= k; p += 4 {
			axpy24(c0, c1, b[p*n:p*n+n], b[(p+1)*n:(p+1)*n+n], b[(p+2)*n:(p+2)*n+n], b[(p+3)*n:(p+3)*n+n],
				a0[p], a0[p+1], a0[p+2], a0[p+3], a1[p], a1[p+1], a1[p+2], a1[p+3])
		}
		for ; p < k; p++ {
			bp := b[p*n : p*n+n]
			vec.Axpy(c0, a0[p], bp)
			vec.Axpy(c1, a1[p], bp)
		}
	}
	if i < m {
		ci, ai := c[i*n:i*n+n], a[i*k:i*k+k]
		clear(ci)
		p := 0
		for ; p+4 <= k; p += 4 {
			axpy4(ci, ai[p], ai[p+1], ai[p+2], ai[p+3],
				b[p*n:p*n+n], b[(p+1)*n:(p+1)*n+n], b[(p+2)*n:(p+2)*n+n], b[(p+3)*n:(p+3)*n+n])
		}
		for ; p < k; p++ {
			vec.Axpy(ci, ai[p], b[p*n:p*n+n])
		}
	}
}

// gemmTNAdd adds Aᵀ·B to C, with A m×n, B m×k and C n×k.
// (Weight gradient of a layer: dW += dZᵀ X.)
func gemmTNAdd(c, a, b []float64, m, n, k int) {
	p := 0
	for ; p+2 <= n; p += 2 {
		c0, c1 := c[p*k:p*k+k], c[(p+1)*k:(p+1)*k+k]
		i := 0
		for ; i+4 <= m; i += 4 {
			a0, a1, a2, a3 := a[i*n+p:i*n+p+2], a[(i+1)*n+p:(i+1)*n+p+2], a[(i+2)*n+p:(i+2)*n+p+2], a[(i+3)*n+p:(i+3)*n+p+2]
			axpy24(c0, c1, b[i*k:i*k+k], b[(i+1)*k:(i+1)*k+k], b[(i+2)*k:(i+2)*k+k], b[(i+3)*k:(i+3)*k+k],
				a0[0], a1[0], a2[0], a3[0], a0[1], a1[1], a2[1], a3[1])
		}
		for ; i < m; i++ {
			bi := b[i*k : i*k+k]
			vec.Axpy(c0, a[i*n+p], bi)
			vec.Axpy(c1, a[i*n+p+1], bi)
		}
	}
	if p < n {
		cp := c[p*k : p*k+k]
		i := 0
		for ; i+4 <= m; i += 4 {
			axpy4(cp, a[i*n+p], a[(i+1)*n+p], a[(i+2)*n+p], a[(i+3)*n+p],
				b[i*k:i*k+k], b[(i+1)*k:(i+1)*k+k], b[(i+2)*k:(i+2)*k+k], b[(i+3)*k:(i+3)*k+k])
		}
		for ; i < m; i++ {
			vec.Axpy(cp, a[i*n+p], b[i*k:i*k+k])
		}
	}
}

// dot24 returns the eight dot products of a0 and a1 with b0..b3 (all of
// a0's length), s_rc = a_r·b_c, each summed in index order.
//
//go:noinline
func dot24(a0, a1, b0, b1, b2, b3 []float64) (s00, s01, s02, s03, s10, s11, s12, s13 float64) {
	n := len(a0)
	a1, b0, b1, b2, b3 = a1[:n], b0[:n], b1[:n], b2[:n], b3[:n]
	p := 0
	for ; p < n-3; p += 4 {
		x0, x1 := a0[p], a1[p]
		y := b0[p]
		s00 += x0 * y
		s10 += x1 * y
		y = b1[p]
		s01 += x0 * y
		s11 += x1 * y
		y = b2[p]
		s02 += x0 * y
		s12 += x1 * y
		y = b3[p]
		s03 += x0 * y
		s13 += x1 * y

		x0, x1 = a0[p+1], a1[p+1]
		y = b0[p+1]
		s00 += x0 * y
		s10 += x1 * y
		y = b1[p+1]
		s01 += x0 * y
		s11 += x1 * y
		y = b2[p+1]
		s02 += x0 * y
		s12 += x1 * y
		y = b3[p+1]
		s03 += x0 * y
		s13 += x1 * y

		x0, x1 = a0[p+2], a1[p+2]
		y = b0[p+2]
		s00 += x0 * y
		s10 += x1 * y
		y = b1[p+2]
		s01 += x0 * y
		s11 += x1 * y
		y = b2[p+2]
		s02 += x0 * y
		s12 += x1 * y
		y = b3[p+2]
		s03 += x0 * y
		s13 += x1 * y

		x0, x1 = a0[p+3], a1[p+3]
		y = b0[p+3]
		s00 += x0 * y
		s10 += x1 * y
		y = b1[p+3]
		s01 += x0 * y
		s11 += x1 * y
		y = b2[p+3]
		s02 += x0 * y
		s12 += x1 * y
		y = b3[p+3]
		s03 += x0 * y
		s13 += x1 * y
	}
	for ; p < n; p++ {
		x0, x1 := a0[p], a1[p]
		y := b0[p]
		s00 += x0 * y
		s10 += x1 * y
		y = b1[p]
		s01 += x0 * y
		s11 += x1 * y
		y = b2[p]
		s02 += x0 * y
		s12 += x1 * y
		y = b3[p]
		s03 += x0 * y
		s13 += x1 * y
	}
	return
}

// axpy24 adds x00·b0 + x01·b1 + x02·b2 + x03·b3 to c0 and
// x10·b0 + x11·b1 + x12·b2 + x13·b3 to c1 (the b's at least c0's length).
//
//go:noinline
func axpy24(c0, c1, b0, b1, b2, b3 []float64, x00, x01, x02, x03, x10, x11, x12, x13 float64) {
	if x00 == 0 && x01 == 0 && x02 == 0 && x03 == 0 && x10 == 0 && x11 == 0 && x12 == 0 && x13 == 0 {
		return // ReLU codes and blank pixels are often zero
	}
	n := len(c0)
	c1, b0, b1, b2, b3 = c1[:n], b0[:n], b1[:n], b2[:n], b3[:n]
	j := 0
	for ; j < n-3; j += 4 {
		y0, y1, y2, y3 := b0[j], b1[j], b2[j], b3[j]
		c0[j] = c0[j] + x00*y0 + x01*y1 + x02*y2 + x03*y3
		c1[j] = c1[j] + x10*y0 + x11*y1 + x12*y2 + x13*y3
		y0, y1, y2, y3 = b0[j+1], b1[j+1], b2[j+1], b3[j+1]
		c0[j+1] = c0[j+1] + x00*y0 + x01*y1 + x02*y2 + x03*y3
		c1[j+1] = c1[j+1] + x10*y0 + x11*y1 + x12*y2 + x13*y3
		y0, y1, y2, y3 = b0[j+2], b1[j+2], b2[j+2], b3[j+2]
		c0[j+2] = c0[j+2] + x00*y0 + x01*y1 + x02*y2 + x03*y3
		c1[j+2] = c1[j+2] + x10*y0 + x11*y1 + x12*y2 + x13*y3
		y0, y1, y2, y3 = b0[j+3], b1[j+3], b2[j+3], b3[j+3]
		c0[j+3] = c0[j+3] + x00*y0 + x01*y1 + x02*y2 + x03*y3
		c1[j+3] = c1[j+3] + x10*y0 + x11*y1 + x12*y2 + x13*y3
	}
	for ; j < n; j++ {
		y0, y1, y2, y3 := b0[j], b1[j], b2[j], b3[j]
		c0[j] = c0[j] + x00*y0 + x01*y1 + x02*y2 + x03*y3
		c1[j] = c1[j] + x10*y0 + x11*y1 + x12*y2 + x13*y3
	}
}

// axpy4 adds a0·b0 + a1·b1 + a2·b2 + a3·b3 to c.
func axpy4(c []float64, a0, a1, a2, a3 float64, b0, b1, b2, b3 []float64) {
	if a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0 {
		return // ReLU codes and blank pixels are often zero
	}
	n := len(c)
	b0, b1, b2, b3 = b0[:n], b1[:n], b2[:n], b3[:n]
	j := 0
	for ; j < n-3; j += 4 {
		c[j] = c[j] + a0*b0[j] + a1*b1[j] + a2*b2[j] + a3*b3[j]
		c[j+1] = c[j+1] + a0*b0[j+1] + a1*b1[j+1] + a2*b2[j+1] + a3*b3[j+1]
		c[j+2] = c[j+2] + a0*b0[j+2] + a1*b1[j+2] + a2*b2[j+2] + a3*b3[j+2]
		c[j+3] = c[j+3] + a0*b0[j+3] + a1*b1[j+3] + a2*b2[j+3] + a3*b3[j+3]
	}
	for ; j < n; j++ {
		c[j] = c[j] + a0*b0[j] + a1*b1[j] + a2*b2[j] + a3*b3[j]
	}
}

// sigmoids overwrites z with sigmoid(z) (activation.go), bit for bit what
// math.Exp's pure-Go algorithm gives — the one WebAssembly builds use:
// e^−|z| by reduction to r = x − k·ln2, the same rational approximation of
// e^r, then a multiplication by 2^k built from its bits, which is exact
// while the result is normal (|z| < 708); outside that range, near 0 and
// for NaN it calls sigmoid. Under wasm a Go function call costs more than
// the arithmetic, and math.Exp makes two (Ldexp, and its special cases),
// so inlining it into the loop makes the output layer's activation 4-5×
// faster there. Natively math.Exp is assembly that may differ from this in
// the last bit; this loop is also faster than it, and gives native builds
// the same numbers as the browser.
func sigmoids(z []float64) {
	const (
		ln2Hi    = 6.93147180369123816490e-01
		ln2Lo    = 1.90821492927058770002e-10
		log2e    = 1.44269504088896338700e+00
		nearZero = 1.0 / (1 << 28)
		p1       = 1.66666666666666657415e-01
		p2       = -2.77777777770155933842e-03
		p3       = 6.61375632143793436117e-05
		p4       = -1.65339022054652515390e-06
		p5       = 4.13813679705723846039e-08
	)
	for i, v := range z {
		x := -math.Abs(v)
		if !(x > -708) || x > -nearZero {
			z[i] = sigmoid(v)
			continue
		}
		k := int(log2e*x - 0.5)
		hi := x - float64(k)*ln2Hi
		lo := float64(k) * ln2Lo
		r := hi - lo
		t := r * r
		c := r - t*(p1+t*(p2+t*(p3+t*(p4+t*p5))))
		y := 1 - ((lo - (r*c)/(2-c)) - hi)
		e := y * math.Float64frombits(uint64(1023+k)<<52) // Ldexp(y, k)
		if v >= 0 {
			z[i] = 1 / (1 + e)
		} else {
			z[i] = e / (1 + e)
		}
	}
}

// transpose sets dst (c×r) to the transpose of src (r×c). Four source
// rows at a time, so that each destination row is written in runs of four.
func transpose(dst, src []float64, r, c int) {
	dst, src = dst[:r*c], src[:r*c]
	i := 0
	for ; i+4 <= r; i += 4 {
		s0, s1, s2, s3 := src[i*c:i*c+c], src[(i+1)*c:(i+1)*c+c], src[(i+2)*c:(i+2)*c+c], src[(i+3)*c:(i+3)*c+c]
		for j := range s0 {
			d := dst[j*r+i : j*r+i+4]
			d[0], d[1], d[2], d[3] = s0[j], s1[j], s2[j], s3[j]
		}
	}
	for ; i < r; i++ {
		for j, v := range src[i*c : i*c+c] {
			dst[j*r+i] = v
		}
	}
}
