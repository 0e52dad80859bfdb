package vec

import (
	"math/rand/v2"
	"testing"
)

// TestKernels compares Dot and Axpy with the one-line loops they unroll,
// for every length through two unrolled rounds and a remainder, with b
// longer than the result.
func TestKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 11 {
		a, b, c := make([]float64, n), make([]float64, n+3), make([]float64, n)
		for i := range a {
			a[i], c[i] = rng.NormFloat64(), rng.NormFloat64()
		}
		for i := range b {
			b[i] = rng.NormFloat64()
		}
		var want float64
		for i := range a {
			want += a[i] * b[i]
		}
		if got := Dot(a, b); got != want {
			t.Errorf("n=%d: Dot %v, want %v", n, got, want)
		}
		wantC := append([]float64(nil), c...)
		for i := range wantC {
			wantC[i] += 0.7 * b[i]
		}
		Axpy(c, 0.7, b)
		for i := range c {
			if c[i] != wantC[i] {
				t.Errorf("n=%d: Axpy c[%d] = %v, want %v", n, i, c[i], wantC[i])
			}
		}
	}
}

func TestKernelsAllocateNothing(t *testing.T) {
	a, b := make([]float64, 100), make([]float64, 100)
	if n := testing.AllocsPerRun(10, func() { Axpy(a, Dot(a, b), b) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
