package ae

import (
	"fmt"
	"math"
	"testing"
)

// TestInitDistributions checks each initialisation scheme layer by layer
// against the distribution its doc comment names: the mean, the variance
// and the range of the weights and of the biases, on a deep network so
// that every layer has its own fan-in and fan-out. The tolerances are five
// standard errors of the statistic for the layer's number of draws, so a
// bound taken from the fan-out instead of the fan-in (or a factor of √2
// off) is far outside them.
func TestInitDistributions(t *testing.T) {
	pytorch := func(in, out int) initDist { return initDist{"uniform", 1 / math.Sqrt(float64(in))} }
	glorot := func(in, out int) initDist { return initDist{"uniform", math.Sqrt(6 / float64(in+out))} }
	normal := func(in, out int) initDist { return initDist{"normal", 0.1} }
	zero := func(in, out int) initDist { return initDist{"zero", 0} }
	type scheme struct {
		init Init
		// the weights' and biases' distributions of an encoder (enc) and a
		// decoder layer with the given fan-in and fan-out
		encW, encB, decW, decB func(in, out int) initDist
	}
	schemes := []scheme{
		{InitPyTorch, pytorch, pytorch, pytorch, pytorch},
		{InitGlorot, glorot, zero, glorot, zero},
		{InitNormal, normal, zero, normal, zero},
		{InitSurvey, normal, zero, pytorch, pytorch},
	}
	for _, s := range schemes {
		for _, tied := range []bool{false, true} {
			cfg := Config{Inputs: 784, Hidden: []int{128, 32}, Activation: []Activation{ReLU, ReLU}, Output: Sigmoid,
				Loss: BCE, Init: s.init, Optimizer: Adam, LR: 0.001, BatchSize: 8, Seed: 5, Tied: tied}
			m, err := NewModel(cfg)
			if err != nil {
				t.Fatal(err)
			}
			d := len(cfg.Hidden)
			for l, ly := range m.layers {
				name := fmt.Sprintf("%s tied=%v layer %d (%d→%d)", s.init, tied, l, ly.in, ly.out)
				wd, bd := s.encW(ly.in, ly.out), s.encB(ly.in, ly.out)
				if l >= d {
					wd, bd = s.decW(ly.in, ly.out), s.decB(ly.in, ly.out)
				}
				if ly.tied {
					bd = initDist{"zero", 0} // a tied decoder's weights are the encoder's; its bias starts at 0
				} else {
					checkDist(t, name+" weights", ly.w.of(m.theta), wd)
				}
				checkDist(t, name+" biases", ly.b.of(m.theta), bd)
			}
		}
	}
}

// initDist is a distribution of initial values.
type initDist struct {
	kind string  // "uniform", "normal" or "zero"
	a    float64 // uniform: the bound; normal: σ
}

// checkDist compares the sample's mean, variance and range with d.
func checkDist(t *testing.T, name string, v []float64, d initDist) {
	t.Helper()
	n := float64(len(v))
	var mean, sq, lo, hi float64
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		mean += x
		sq += x * x
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	mean /= n
	secondMoment := sq / n // about 0, so this is the variance
	switch d.kind {
	case "zero":
		if lo != 0 || hi != 0 {
			t.Errorf("%s: in [%g, %g], want all 0", name, lo, hi)
		}
		return
	case "uniform":
		// U(−a, a): mean 0, variance a²/3, E x⁴ = a⁴/5, so the sample
		// mean's standard error is a/√(3n) and the second moment's
		// √(a⁴/5 − a⁴/9)/√n.
		a := d.a
		if seMean := a / math.Sqrt(3*n); math.Abs(mean) > 5*seMean {
			t.Errorf("%s: mean %.3g, want 0 ± %.2g", name, mean, 5*seMean)
		}
		want, se := a*a/3, a*a*math.Sqrt(4.0/45)/math.Sqrt(n)
		if math.Abs(secondMoment-want) > 5*se {
			t.Errorf("%s: variance %.4g, want a²/3 = %.4g ± %.2g (a = %.4g)", name, secondMoment, want, 5*se, a)
		}
		// Every draw inside (−a, a), and the extremes close to ±a: with n
		// draws the chance that none lies beyond 0.75a at one end is
		// 0.875ⁿ (2e-4 for the smallest layer here, 32 biases: the seed
		// is fixed, so this is checked once and for all).
		if lo < -a || hi > a {
			t.Errorf("%s: in [%.4g, %.4g], outside ±%.4g", name, lo, hi, a)
		}
		if hi < 0.75*a || lo > -0.75*a {
			t.Errorf("%s: in [%.4g, %.4g], want extremes near ±%.4g", name, lo, hi, a)
		}
	case "normal":
		// N(0, σ²): the sample mean's standard error is σ/√n and the
		// second moment's √2 σ²/√n.
		s := d.a
		if seMean := s / math.Sqrt(n); math.Abs(mean) > 5*seMean {
			t.Errorf("%s: mean %.3g, want 0 ± %.2g", name, mean, 5*seMean)
		}
		if se := math.Sqrt2 * s * s / math.Sqrt(n); math.Abs(secondMoment-s*s) > 5*se {
			t.Errorf("%s: variance %.4g, want σ² = %.4g ± %.2g", name, secondMoment, s*s, 5*se)
		}
		if b := 6.5 * s; lo < -b || hi > b {
			t.Errorf("%s: in [%.4g, %.4g], beyond 6.5σ", name, lo, hi)
		}
	}
}
