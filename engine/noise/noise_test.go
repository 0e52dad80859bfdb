package noise

import (
	"math"
	"math/rand/v2"
	"testing"
)

func ramp(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i%17) / 16
	}
	return x
}

func TestApplyStatistics(t *testing.T) {
	const n = 200000
	x := ramp(n)
	for _, tc := range []struct {
		spec  Spec
		check func(t *testing.T, x, y []float64)
	}{
		{Spec{None, 0.7}, func(t *testing.T, x, y []float64) {
			for i := range x {
				if x[i] != y[i] {
					t.Fatalf("pixel %d changed: %v -> %v", i, x[i], y[i])
				}
			}
		}},
		{Spec{Mask, 0.3}, func(t *testing.T, x, y []float64) {
			zeroed := 0
			for i := range x {
				if y[i] != x[i] && y[i] != 0 {
					t.Fatalf("pixel %d: %v -> %v, want unchanged or 0", i, x[i], y[i])
				}
				if x[i] != 0 && y[i] == 0 {
					zeroed++
				}
			}
			nonzero := n - n/17 - 1
			if got := float64(zeroed) / float64(nonzero); math.Abs(got-0.3) > 0.01 {
				t.Errorf("masked fraction %.4f, want 0.3", got)
			}
		}},
		{Spec{Gaussian, 0.2}, func(t *testing.T, x, y []float64) {
			var sum, sq float64
			cnt := 0
			for i := range x {
				if y[i] < 0 || y[i] > 1 {
					t.Fatalf("pixel %d = %v outside [0,1]", i, y[i])
				}
				if x[i] == 0.5 { // far from the clip: the noise is unbiased there
					d := y[i] - x[i]
					if y[i] > 0 && y[i] < 1 {
						sum += d
						sq += d * d
						cnt++
					}
				}
			}
			if cnt == 0 {
				return
			}
			mean, sd := sum/float64(cnt), math.Sqrt(sq/float64(cnt))
			if math.Abs(mean) > 0.01 || math.Abs(sd-0.2) > 0.02 {
				t.Errorf("noise mean %.4f sd %.4f, want 0 and about 0.2", mean, sd)
			}
		}},
		{Spec{SaltPepper, 0.4}, func(t *testing.T, x, y []float64) {
			salt, pepper, changedCand := 0, 0, 0
			for i := range x {
				if y[i] != x[i] && y[i] != 0 && y[i] != 1 {
					t.Fatalf("pixel %d: %v -> %v, want unchanged, 0 or 1", i, x[i], y[i])
				}
				if x[i] > 0 && x[i] < 1 {
					changedCand++
					switch y[i] {
					case 1:
						salt++
					case 0:
						pepper++
					}
				}
			}
			fs, fp := float64(salt)/float64(changedCand), float64(pepper)/float64(changedCand)
			if math.Abs(fs-0.2) > 0.01 || math.Abs(fp-0.2) > 0.01 {
				t.Errorf("salt %.4f pepper %.4f, want 0.2 each", fs, fp)
			}
		}},
	} {
		t.Run(string(tc.spec.Kind), func(t *testing.T) {
			y := make([]float64, n)
			tc.spec.Apply(rand.New(rand.NewPCG(1, 2)), x, y)
			tc.check(t, x, y)
		})
	}
}

func TestApplyIsSeeded(t *testing.T) {
	x := ramp(784)
	a, b := make([]float64, 784), make([]float64, 784)
	s := Spec{SaltPepper, 0.5}
	s.Apply(rand.New(rand.NewPCG(7, 7)), x, a)
	s.Apply(rand.New(rand.NewPCG(7, 7)), x, b)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different corruption at pixel %d", i)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		spec Spec
		ok   bool
	}{
		{Spec{}, true},
		{Spec{None, 5}, true},
		{Spec{Mask, 0.5}, true},
		{Spec{Mask, 1.5}, false},
		{Spec{SaltPepper, -0.1}, false},
		{Spec{Gaussian, 0.5}, true},
		{Spec{Gaussian, math.NaN()}, false},
		{Spec{Gaussian, 3}, false},
		{Spec{"blur", 0.1}, false},
	} {
		if err := tc.spec.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: Validate() = %v, want ok=%v", tc.spec, err, tc.ok)
		}
	}
}

func TestApplyAllocatesNothing(t *testing.T) {
	x := ramp(784)
	y := make([]float64, 784)
	rng := rand.New(rand.NewPCG(1, 1))
	s := Spec{Gaussian, 0.3}
	if a := testing.AllocsPerRun(10, func() { s.Apply(rng, x, y) }); a != 0 {
		t.Errorf("Apply allocates %v times", a)
	}
}
