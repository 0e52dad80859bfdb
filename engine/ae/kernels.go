package ae

// The three matrix products of a training step, as plain loops.
//
// gonum's Dgemm is fast natively but its fast kernels are amd64 assembly:
// compiled to WebAssembly it falls back to generic code that splits work
// over goroutines, which a single-threaded wasm instance cannot use. These
// loops are written for the compiler instead: slices are re-sliced to their
// exact length before the inner loop so bounds checks are hoisted, and each
// inner loop does four multiply-adds per load and store of its output.
// All matrices are dense and row-major.

// gemmNT sets C = A·Bᵀ, with A m×k, B n×k and C m×n.
// (Forward pass of a layer: Z = X Wᵀ, W stored out×in.)
func gemmNT(c, a, b []float64, m, n, k int) {
	i := 0
	for ; i+4 <= m; i += 4 {
		a0, a1, a2, a3 := a[i*k:i*k+k], a[(i+1)*k:(i+1)*k+k], a[(i+2)*k:(i+2)*k+k], a[(i+3)*k:(i+3)*k+k]
		c0, c1, c2, c3 := c[i*n:i*n+n], c[(i+1)*n:(i+1)*n+n], c[(i+2)*n:(i+2)*n+n], c[(i+3)*n:(i+3)*n+n]
		for j := range n {
			bj := b[j*k : j*k+k]
			a0, a1, a2, a3 := a0[:len(bj)], a1[:len(bj)], a2[:len(bj)], a3[:len(bj)]
			var s0, s1, s2, s3 float64
			for p, v := range bj {
				s0 += a0[p] * v
				s1 += a1[p] * v
				s2 += a2[p] * v
				s3 += a3[p] * v
			}
			c0[j], c1[j], c2[j], c3[j] = s0, s1, s2, s3
		}
	}
	for ; i < m; i++ {
		ai, ci := a[i*k:i*k+k], c[i*n:i*n+n]
		for j := range ci {
			ci[j] = dot(ai, b[j*k:j*k+k])
		}
	}
}

// gemmNN sets C = A·B, with A m×k, B k×n and C m×n.
// (Input gradient of a layer: dX = dZ W.)
func gemmNN(c, a, b []float64, m, n, k int) {
	for i := range m {
		ci, ai := c[i*n:i*n+n], a[i*k:i*k+k]
		clear(ci)
		p := 0
		for ; p+4 <= k; p += 4 {
			axpy4(ci, ai[p], ai[p+1], ai[p+2], ai[p+3],
				b[p*n:p*n+n], b[(p+1)*n:(p+1)*n+n], b[(p+2)*n:(p+2)*n+n], b[(p+3)*n:(p+3)*n+n])
		}
		for ; p < k; p++ {
			axpy(ci, ai[p], b[p*n:p*n+n])
		}
	}
}

// gemmTNAdd adds Aᵀ·B to C, with A m×n, B m×k and C n×k.
// (Weight gradient of a layer: dW += dZᵀ X.)
func gemmTNAdd(c, a, b []float64, m, n, k int) {
	for p := range n {
		cp := c[p*k : p*k+k]
		i := 0
		for ; i+4 <= m; i += 4 {
			axpy4(cp, a[i*n+p], a[(i+1)*n+p], a[(i+2)*n+p], a[(i+3)*n+p],
				b[i*k:i*k+k], b[(i+1)*k:(i+1)*k+k], b[(i+2)*k:(i+2)*k+k], b[(i+3)*k:(i+3)*k+k])
		}
		for ; i < m; i++ {
			axpy(cp, a[i*n+p], b[i*k:i*k+k])
		}
	}
}

// axpy4 adds a0·b0 + a1·b1 + a2·b2 + a3·b3 to c.
func axpy4(c []float64, a0, a1, a2, a3 float64, b0, b1, b2, b3 []float64) {
	if a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0 {
		return // ReLU codes and blank pixels are often zero
	}
	b0, b1, b2, b3 = b0[:len(c)], b1[:len(c)], b2[:len(c)], b3[:len(c)]
	for j, v := range c {
		c[j] = v + a0*b0[j] + a1*b1[j] + a2*b2[j] + a3*b3[j]
	}
}

// axpy adds a·b to c.
func axpy(c []float64, a float64, b []float64) {
	b = b[:len(c)]
	for j := range c {
		c[j] += a * b[j]
	}
}

// dot returns Σ a_i b_i.
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}
