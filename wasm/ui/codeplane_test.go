package ui

import (
	"aeplayground/wasm/ui/plot"
	"math"
	"testing"
)

// A position in the plane maps back to the code it shows: yAt inverts y
// and xAt inverts x, so a click decodes the point under the pointer.
func TestPlaneInvertsItsAxes(t *testing.T) {
	f := (&codePlane{pts: []float64{-3, 0.01, 7, -0.09, 2, 0}}).frameFor()
	for _, z := range [][2]float64{{-3, 0.01}, {7, -0.09}, {0, 0}, {1.5, -0.04}} {
		x, y := f.XAt(f.X(z[0])), f.YAt(f.Y(z[1]))
		if math.Abs(x-z[0]) > 1e-12 || math.Abs(y-z[1]) > 1e-12 {
			t.Errorf("%v is drawn at (%g, %g), read back as (%g, %g)", z, f.X(z[0]), f.Y(z[1]), x, y)
		}
	}
	if !(f.X0 < -3 && f.X1 > 7 && f.Y0 < -0.09 && f.Y1 > 0.01) {
		t.Errorf("the frame %+v does not hold every code with a margin", f)
	}
}

// The read-out tells apart two points an arrow key apart (a fortieth of
// the plot).
func TestFixedShowsAnArrowStep(t *testing.T) {
	for _, span := range []float64{0.1, 1, 12, 350, 2e-4} {
		a, b := 0.3*span, 0.3*span+span/40
		if fixed(a, span) == fixed(b, span) {
			t.Errorf("span %g: %g and %g both read %s", span, a, b, fixed(a, span))
		}
	}
}

// Ticks are whole multiples of their step: zero reads 0, not -1.39e-18.
func TestTicksAreMultiplesOfTheirStep(t *testing.T) {
	var ranges [][2]float64
	for i := 1; i <= 300; i++ { // ranges across zero, of many sizes
		ranges = append(ranges, [2]float64{-0.0037 * float64(i), 0.0011 * float64(i*i%17+1)})
	}
	for _, r := range ranges {
		ts := plot.Ticks(r[0], r[1], 4)
		if len(ts) < 2 {
			t.Fatalf("%v: plot.Ticks %v", r, ts)
		}
		step := ts[1] - ts[0]
		for _, v := range ts {
			if q := v / step; math.Abs(q-math.Round(q)) > 1e-9 || (math.Round(q) == 0 && v != 0) {
				t.Errorf("%v: tick %g is not a whole multiple of %g (text %s)", r, v, step, plot.TickText(v))
			}
		}
	}
}
