package pca

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// basis returns the n×k row-major matrix with the given columns.
func basis(n int, cols ...[]float64) []float64 {
	k := len(cols)
	a := make([]float64, n*k)
	for c, col := range cols {
		for j, v := range col {
			a[j*k+c] = v
		}
	}
	return a
}

func unit(n, i int) []float64 {
	e := make([]float64, n)
	e[i] = 1
	return e
}

// rotated returns cos θ e_i + sin θ e_j in ℝⁿ.
func rotated(n, i, j int, theta float64) []float64 {
	v := make([]float64, n)
	v[i], v[j] = math.Cos(theta), math.Sin(theta)
	return v
}

// mix returns a·M for the n×k matrix a and a random k×k matrix M (almost
// surely invertible, but far from orthogonal).
func mix(rng *rand.Rand, a []float64, n, k int) []float64 {
	m := make([]float64, k*k)
	for i := range m {
		m[i] = rng.NormFloat64()
	}
	for i := 0; i < k; i++ {
		m[i*k+i] += 3 // keep it well away from singular
	}
	out := make([]float64, n*k)
	for j := 0; j < n; j++ {
		for c := 0; c < k; c++ {
			var s float64
			for t := 0; t < k; t++ {
				s += a[j*k+t] * m[t*k+c]
			}
			out[j*k+c] = s * 10 // and scaled
		}
	}
	return out
}

func TestPrincipalAngles(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(10, 10))
	q5 := randOrtho(rng, 30, 5)
	q3 := randOrtho(rng, 30, 3)
	mixed := mix(rng, q5, 30, 5)
	// An orthogonal complement: the last 3 of 8 orthonormal columns are
	// orthogonal to the first 5.
	q8 := randOrtho(rng, 30, 8)
	first5 := columns(q8, 30, 8, 5)
	last3 := make([]float64, 30*3)
	for j := 0; j < 30; j++ {
		copy(last3[j*3:(j+1)*3], q8[j*8+5:j*8+8])
	}
	const n = 6
	for _, test := range []struct {
		name   string
		a      []float64
		ka     int
		b      []float64
		kb     int
		n      int
		want   []float64
		absTol float64
	}{
		{name: "identical", a: q5, ka: 5, b: q5, kb: 5, n: 30, want: []float64{0, 0, 0, 0, 0}, absTol: 1e-14},
		{name: "mixed by invertible M", a: q5, ka: 5, b: mixed, kb: 5, n: 30, want: []float64{0, 0, 0, 0, 0}, absTol: 1e-13},
		{name: "orthogonal", a: first5, ka: 5, b: last3, kb: 3, n: 30, want: []float64{math.Pi / 2, math.Pi / 2, math.Pi / 2}, absTol: 1e-14},
		{name: "nested", a: first5, ka: 5, b: mix(rng, columns(q8, 30, 8, 2), 30, 2), kb: 2, n: 30, want: []float64{0, 0}, absTol: 1e-13},
		{name: "nested swapped", a: columns(q8, 30, 8, 2), ka: 2, b: first5, kb: 5, n: 30, want: []float64{0, 0}, absTol: 1e-13},
		{name: "line rotated by 0.3", a: basis(n, unit(n, 0)), ka: 1, b: basis(n, rotated(n, 0, 1, 0.3)), kb: 1, n: n, want: []float64{0.3}, absTol: 1e-15},
		{name: "line rotated by 2 (obtuse)", a: basis(n, unit(n, 0)), ka: 1, b: basis(n, rotated(n, 0, 1, 2)), kb: 1, n: n, want: []float64{math.Pi - 2}, absTol: 1e-15},
		{name: "plane rotated by θ=1.2", a: basis(n, unit(n, 0), unit(n, 1)), ka: 2, b: basis(n, unit(n, 0), rotated(n, 1, 2, 1.2)), kb: 2, n: n, want: []float64{0, 1.2}, absTol: 1e-15},
		{name: "plane rotated by θ=1e-9", a: basis(n, unit(n, 0), unit(n, 1)), ka: 2, b: basis(n, unit(n, 1), rotated(n, 0, 4, 1e-9)), kb: 2, n: n, want: []float64{0, 1e-9}, absTol: 1e-20},
		{name: "two rotations", a: basis(n, unit(n, 0), unit(n, 1)), ka: 2, b: basis(n, rotated(n, 0, 2, 0.1), rotated(n, 1, 3, 0.7)), kb: 2, n: n, want: []float64{0.1, 0.7}, absTol: 1e-15},
		{name: "scaled and sheared plane", a: basis(n, unit(n, 0), unit(n, 1)), ka: 2, b: basis(n, []float64{2, 3, 0, 0, 0, 0}, []float64{-5, 1e-3, 0, 0, 0, 0}), kb: 2, n: n, want: []float64{0, 0}, absTol: 1e-15},
		{name: "vs random 3-space", a: q5, ka: 5, b: q3, kb: 3, n: 30, want: nil},
	} {
		got, err := PrincipalAngles(test.a, test.ka, test.b, test.kb, test.n)
		if err != nil {
			t.Errorf("%s: %v", test.name, err)
			continue
		}
		if len(got) != min(test.ka, test.kb) {
			t.Errorf("%s: %d angles, want %d", test.name, len(got), min(test.ka, test.kb))
			continue
		}
		for i := range got {
			if got[i] < 0 || got[i] > math.Pi/2 || (i > 0 && got[i] < got[i-1]) {
				t.Errorf("%s: angles %v not ascending in [0, π/2]", test.name, got)
				break
			}
		}
		if test.want == nil {
			continue
		}
		for i, w := range test.want {
			if math.Abs(got[i]-w) > test.absTol {
				t.Errorf("%s: angle %d = %.17g, want %.17g", test.name, i, got[i], w)
			}
		}
		// The angles are symmetric in a and b.
		back, err := PrincipalAngles(test.b, test.kb, test.a, test.ka, test.n)
		if err != nil {
			t.Errorf("%s swapped: %v", test.name, err)
			continue
		}
		for i := range got {
			if math.Abs(back[i]-got[i]) > 1e-14 {
				t.Errorf("%s: angle %d = %g, swapped %g", test.name, i, got[i], back[i])
			}
		}
	}
}

func TestPrincipalAnglesErrors(t *testing.T) {
	t.Parallel()
	e := basis(4, unit(4, 0), unit(4, 1))
	for _, test := range []struct {
		name   string
		a      []float64
		ka     int
		b      []float64
		kb     int
		n      int
		is     error
		isNone bool
	}{
		{name: "len a", a: e[:7], ka: 2, b: e, kb: 2, n: 4},
		{name: "len b", a: e, ka: 2, b: e, kb: 1, n: 4},
		{name: "ka=0", a: nil, ka: 0, b: e, kb: 2, n: 4},
		{name: "k>n", a: make([]float64, 6), ka: 3, b: make([]float64, 6), kb: 3, n: 2},
		{name: "dependent", a: basis(4, unit(4, 0), unit(4, 0)), ka: 2, b: e, kb: 2, n: 4, is: ErrRankDeficient},
		{name: "zero", a: make([]float64, 8), ka: 2, b: e, kb: 2, n: 4, is: ErrRankDeficient},
		{name: "NaN", a: basis(4, unit(4, 0), []float64{0, math.NaN(), 0, 0}), ka: 2, b: e, kb: 2, n: 4, is: ErrNotFinite},
	} {
		_, err := PrincipalAngles(test.a, test.ka, test.b, test.kb, test.n)
		if err == nil {
			t.Errorf("%s: no error", test.name)
			continue
		}
		if test.is != nil && !errors.Is(err, test.is) {
			t.Errorf("%s: error %v, want %v", test.name, err, test.is)
		}
	}
}

// TestAnglesTo checks the property the playground relies on: the optimal
// linear autoencoder's decoder W* = V_k M⁻¹ spans PCA's subspace for any
// invertible M, so its angles are 0, while a random decoder's are not.
func TestAnglesTo(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 11))
	const m, n, k = 300, 40, 4
	data, _ := planted(rng, m, n, []float64{4, 3, 2, 1}, 0.1)
	p, err := Fit(data, m, n, 6)
	if err != nil {
		t.Fatal(err)
	}
	opt := mix(rng, componentsAsColumns(p, k), n, k)
	ang, err := p.AnglesTo(opt, k)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range ang {
		if a > 1e-13 {
			t.Errorf("V_k M: angle %d = %g, want 0", i, a)
		}
	}
	rnd := randOrtho(rng, n, k)
	ang, err = p.AnglesTo(rnd, k)
	if err != nil {
		t.Fatal(err)
	}
	if ang[k-1] < 0.5 {
		t.Errorf("random decoder: largest angle %g, want large", ang[k-1])
	}
	// A decoder spanning the top-(k-1) components and one random direction
	// has k-1 zero angles and one non-zero one.
	part := componentsAsColumns(p, k)
	for j := 0; j < n; j++ {
		part[j*k+k-1] = rnd[j*k]
	}
	ang, err = p.AnglesTo(part, k)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < k-1; i++ {
		if ang[i] > 1e-13 {
			t.Errorf("partial decoder: angle %d = %g, want 0", i, ang[i])
		}
	}
	if ang[k-1] < 0.5 {
		t.Errorf("partial decoder: last angle %g, want large", ang[k-1])
	}
	if _, err := p.AnglesTo(opt, 7); err == nil {
		t.Error("AnglesTo with k > K: no error")
	}
	if _, err := p.AnglesTo(opt[:n*k-1], k); err == nil {
		t.Error("AnglesTo with a short decoder: no error")
	}
}
