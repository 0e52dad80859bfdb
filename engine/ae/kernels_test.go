package ae

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// Naive triple loops: the definitions the kernels must reproduce, each entry
// summed in order over the inner dimension.

func naiveNT(c, a, b []float64, m, n, k int) {
	for i := range m {
		for j := range n {
			var s float64
			for p := range k {
				s += a[i*k+p] * b[j*k+p]
			}
			c[i*n+j] = s
		}
	}
}

func naiveNN(c, a, b []float64, m, n, k int) {
	for i := range m {
		for j := range n {
			var s float64
			for p := range k {
				s += a[i*k+p] * b[p*n+j]
			}
			c[i*n+j] = s
		}
	}
}

func naiveTNAdd(c, a, b []float64, m, n, k int) {
	for p := range n {
		for j := range k {
			s := c[p*k+j]
			for i := range m {
				s += a[i*n+p] * b[i*k+j]
			}
			c[p*k+j] = s
		}
	}
}

// randMat returns n normal entries of which about a fraction zeros is 0
// (the kernels skip all-zero coefficient groups).
func randMat(r *rand.Rand, n int, zeros float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		if r.Float64() >= zeros {
			v[i] = r.NormFloat64()
		}
	}
	return v
}

// TestKernels checks every kernel against its naive loop on awkward shapes,
// bit for bit: the kernels keep the naive summation order. C starts as
// garbage, so gemmNT and gemmNN must overwrite it and gemmTNAdd must add
// to it.
func TestKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	sizes := []int{1, 2, 3, 4, 5, 7, 8, 9, 17, 33}
	kernels := []struct {
		name        string
		fast, naive func(c, a, b []float64, m, n, k int)
		aLen, bLen  func(m, n, k int) int
		cLen        func(m, n, k int) int
		accumulate  bool
	}{
		{"gemmNT", gemmNT, naiveNT, func(m, n, k int) int { return m * k }, func(m, n, k int) int { return n * k },
			func(m, n, k int) int { return m * n }, false},
		{"gemmNN", gemmNN, naiveNN, func(m, n, k int) int { return m * k }, func(m, n, k int) int { return k * n },
			func(m, n, k int) int { return m * n }, false},
		{"gemmTNAdd", gemmTNAdd, naiveTNAdd, func(m, n, k int) int { return m * n }, func(m, n, k int) int { return m * k },
			func(m, n, k int) int { return n * k }, true},
	}
	for _, kn := range kernels {
		for _, m := range sizes {
			for _, n := range sizes {
				for _, k := range sizes {
					for _, zeros := range []float64{0, 0.8} {
						a, b := randMat(r, kn.aLen(m, n, k), zeros), randMat(r, kn.bLen(m, n, k), zeros)
						got := randMat(r, kn.cLen(m, n, k), 0)
						want := append([]float64(nil), got...)
						if !kn.accumulate {
							for i := range want {
								want[i] = 0
							}
						}
						kn.fast(got, a, b, m, n, k)
						kn.naive(want, a, b, m, n, k)
						for i := range want {
							if got[i] != want[i] {
								t.Fatalf("%s m=%d n=%d k=%d zeros=%v: c[%d] = %v, naive %v",
									kn.name, m, n, k, zeros, i, got[i], want[i])
							}
						}
					}
				}
			}
		}
	}
}

// TestKernelsSubslices checks that the kernels touch only the first m·n (or
// n·k) entries of C when its slice is longer, as the trainer's buffers are.
func TestKernelsSubslices(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	m, n, k := 5, 7, 9
	a, b := randMat(r, 64, 0), randMat(r, 64, 0)
	for name, f := range map[string]func(c, a, b []float64, m, n, k int){
		"gemmNT": gemmNT, "gemmNN": gemmNN, "gemmTNAdd": gemmTNAdd,
	} {
		c := make([]float64, 100)
		for i := range c {
			c[i] = 42
		}
		f(c, a, b, m, n, k)
		for i := max(m*n, n*k); i < len(c); i++ {
			if c[i] != 42 {
				t.Fatalf("%s wrote c[%d]", name, i)
			}
		}
	}
}

// The products of one training step at the two benchmark workloads (see
// bench_test.go), rows digits of 784 pixels and a code of h units:
//
//	fwdEnc  Z = X Wᵀ     gemmNT    m=rows n=h   k=784 (X is sparse digits)
//	fwdDec  Z = H Wᵀ     gemmNT    m=rows n=784 k=h
//	dWdec   ∂W += dZᵀ H  gemmTNAdd m=rows n=784 k=h
//	dWenc   ∂W += dZᵀ X  gemmTNAdd m=rows n=h   k=784
//	dXdec   dH = dZ W    gemmNN    m=rows n=h   k=784
func BenchmarkKernels(b *testing.B) {
	for _, w := range []struct {
		name    string
		rows, h int
	}{{"W1", 256, 32}, {"W2", 32, 64}} {
		digits := bundleDigits(b, w.rows, 0)
		for _, s := range []struct {
			name    string
			f       func(c, a, b []float64, m, n, k int)
			m, n, k int
			aLen    int
			bLen    int
			cLen    int
			digitsA bool
			digitsB bool
		}{
			{"fwdEnc", gemmNT, w.rows, w.h, 784, w.rows * 784, w.h * 784, w.rows * w.h, true, false},
			{"fwdDec", gemmNT, w.rows, 784, w.h, w.rows * w.h, 784 * w.h, w.rows * 784, false, false},
			{"dWdec", gemmTNAdd, w.rows, 784, w.h, w.rows * 784, w.rows * w.h, 784 * w.h, false, false},
			{"dWenc", gemmTNAdd, w.rows, w.h, 784, w.rows * w.h, w.rows * 784, w.h * 784, false, true},
			{"dXdec", gemmNN, w.rows, w.h, 784, w.rows * 784, 784 * w.h, w.rows * w.h, false, false},
		} {
			b.Run(fmt.Sprintf("%s/%s", w.name, s.name), func(b *testing.B) {
				r := rand.New(rand.NewPCG(5, 6))
				x, y, c := randMat(r, s.aLen, 0), randMat(r, s.bLen, 0), randMat(r, s.cLen, 0)
				if s.digitsA {
					x = digits
				}
				if s.digitsB {
					y = digits
				}
				for b.Loop() {
					s.f(c, x, y, s.m, s.n, s.k)
				}
				b.ReportMetric(float64(b.N)*2*float64(s.m*s.n*s.k)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// TestSigmoids checks the inlined sigmoid against sigmoid (math.Exp) on
// normal, huge, tiny and special arguments: bit for bit under wasm, where
// math.Exp is the same pure-Go algorithm, and to an ulp or so natively,
// where it is assembly.
func TestSigmoids(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	z := make([]float64, 300000)
	for i := range z {
		switch i % 4 {
		case 0, 1:
			z[i] = 10 * r.NormFloat64()
		case 2:
			z[i] = 1000 * r.NormFloat64()
		case 3:
			z[i] = 1e-8 * r.NormFloat64()
		}
	}
	copy(z, []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 708, -708, 745.2, -745.2, 1e300})
	got := append([]float64(nil), z...)
	sigmoids(got)
	for i, v := range z {
		want := sigmoid(v)
		if runtime.GOARCH == "wasm" {
			if math.Float64bits(got[i]) != math.Float64bits(want) {
				t.Fatalf("sigmoids(%v) = %v, sigmoid %v", v, got[i], want)
			}
		} else if !(math.Abs(got[i]-want) <= 4e-16*want) && !(math.IsNaN(got[i]) && math.IsNaN(want)) {
			t.Fatalf("sigmoids(%v) = %v, sigmoid %v", v, got[i], want)
		}
	}
}

// TestTranspose checks transpose on awkward shapes.
func TestTranspose(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, rows := range []int{1, 3, 4, 5, 9} {
		for _, cols := range []int{1, 2, 7, 8} {
			src, dst := randMat(r, rows*cols, 0), randMat(r, rows*cols, 0)
			transpose(dst, src, rows, cols)
			for i := range rows {
				for j := range cols {
					if dst[j*rows+i] != src[i*cols+j] {
						t.Fatalf("%d×%d: dst[%d][%d] = %v, src[%d][%d] = %v", rows, cols, j, i, dst[j*rows+i], i, j, src[i*cols+j])
					}
				}
			}
		}
	}
}
