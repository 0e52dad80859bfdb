// Package vec holds the two vector kernels the engine's packages share:
//
//	Dot(a, b)     = Σ_i a_i b_i
//	Axpy(c, a, b):  c_i += a · b_i
//
// Both are unrolled by four: in Go's WebAssembly code every loop back-edge
// goes through the function's block dispatch, so fewer iterations pay, and
// the form `for i := 0; i < n-3; i += 4` is the one in which the compiler
// proves i+1..i+3 in bounds. They allocate nothing.
package vec

// Dot returns Σ a_i b_i over the length of a (b may be longer), summed in
// index order, so that the result does not depend on the unrolling.
func Dot(a, b []float64) float64 {
	n := len(a)
	b = b[:n]
	var s float64
	i := 0
	for ; i < n-3; i += 4 {
		s += a[i] * b[i]
		s += a[i+1] * b[i+1]
		s += a[i+2] * b[i+2]
		s += a[i+3] * b[i+3]
	}
	for ; i < n; i++ {
		s += a[i] * b[i]
	}
	return s
}

// Axpy adds a·b to c over the length of c (b may be longer).
func Axpy(c []float64, a float64, b []float64) {
	n := len(c)
	b = b[:n]
	j := 0
	for ; j < n-3; j += 4 {
		c[j] += a * b[j]
		c[j+1] += a * b[j+1]
		c[j+2] += a * b[j+2]
		c[j+3] += a * b[j+3]
	}
	for ; j < n; j++ {
		c[j] += a * b[j]
	}
}
