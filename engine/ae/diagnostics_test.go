package ae

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestJacobianNorm compares Diagnose's ‖∂h/∂x‖_F with a Jacobian taken by
// central differences of Encode, for one layer (closed form) and deep
// encoders (product of matrices).
func TestJacobianNorm(t *testing.T) {
	for _, cfg := range []Config{
		smallConfig([]int{4}, []Activation{Sigmoid}, Sigmoid, BCE),
		smallConfig([]int{4}, []Activation{Tanh}, Sigmoid, BCE),
		smallConfig([]int{5, 3}, []Activation{Tanh, Sigmoid}, Linear, MSE),
		smallConfig([]int{6, 5, 2}, []Activation{LeakyReLU, Tanh, Linear}, Linear, MSE),
	} {
		m, err := NewModel(cfg)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(5, 5))
		n, k, rows := cfg.Inputs, cfg.K(), 3
		x := make([]float64, rows*n)
		for i := range x {
			x[i] = rng.Float64()
		}
		var want float64
		hp, hm := make([]float64, k), make([]float64, k)
		for i := range rows {
			xi := append([]float64(nil), x[i*n:(i+1)*n]...)
			var f2 float64
			for j := range n {
				v := xi[j]
				xi[j] = v + 1e-6
				m.Encode(xi, hp)
				xi[j] = v - 1e-6
				m.Encode(xi, hm)
				xi[j] = v
				for l := range k {
					d := (hp[l] - hm[l]) / 2e-6
					f2 += d * d
				}
			}
			want += math.Sqrt(f2) / float64(rows)
		}
		got := m.Diagnose(x).JacobianNorm
		if math.Abs(got-want) > 1e-7*want {
			t.Errorf("%s: Jacobian norm %.10g, finite differences %.10g", m, got, want)
		}
	}
}

func TestHistogram(t *testing.T) {
	got := Histogram([]float64{-1, 0, 0.1, 0.5, 0.99, 1, 2}, 4, 0, 1)
	want := []int{3, 0, 1, 3}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Histogram = %v, want %v", got, want)
		}
	}
}
