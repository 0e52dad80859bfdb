package plot

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// decay is a training curve: n losses falling from start towards end.
func decay(n int, start, end float64) []float64 {
	ys := make([]float64, n)
	for i := range ys {
		ys[i] = end + (start-end)*math.Exp(-float64(i)/float64(n)*5)
	}
	return ys
}

func maxOf(ys ...[]float64) float64 {
	m := math.Inf(-1)
	for _, c := range ys {
		for _, v := range c {
			m = max(m, v)
		}
	}
	return m
}

func TestRobustTop(t *testing.T) {
	curve := decay(200, 0.11, 0.027)
	withSpike := append(append([]float64{}, curve...), 1682)
	twoSpikes := append(append([]float64{}, curve[:100]...), 2.1, 6.3e7)
	for _, c := range []struct {
		name   string
		curves [][]float64
		top    float64
	}{
		{"no points", nil, 0},
		{"a falling curve keeps its start", [][]float64{curve}, maxOf(curve)},
		{"one blow-up is cut off", [][]float64{withSpike}, maxOf(curve)},
		{"the held-out curve counts too", [][]float64{curve, {0.12, 0.05}}, 0.12},
		{"a spike in the held-out curve", [][]float64{curve, {0.1, 900}}, maxOf(curve)},
		{"every spike goes, whatever its size", [][]float64{twoSpikes}, maxOf(curve[:100])},
		{"non-Finite values are ignored", [][]float64{{0.3, math.NaN(), 0.2, math.Inf(1)}}, 0.3},
		{"all zero", [][]float64{{0, 0, 0}}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if top, _ := RobustTop(nil, c.curves...); top != c.top {
				t.Errorf("RobustTop = %g, want %g", top, c.top)
			}
		})
	}
}

func TestSeriesNearest(t *testing.T) {
	s := Series{X: []float64{0, 0.5, 1, 2}, Y: []float64{4, 3, 2, 1}}
	for _, c := range []struct {
		x    float64
		want int
	}{
		{-1, 0}, {0, 0}, {0.2, 0}, {0.25, 0}, {0.3, 1}, {0.9, 2}, {1.5, 2}, {1.6, 3}, {9, 3}, {math.NaN(), -1},
	} {
		if got := s.Nearest(c.x); got != c.want {
			t.Errorf("nearest(%g) = %d, want %d", c.x, got, c.want)
		}
	}
	if got := (&Series{}).Nearest(1); got != -1 {
		t.Errorf("nearest in an empty Series = %d, want -1", got)
	}
}

func TestPlotFrameXAtInvertsX(t *testing.T) {
	f := Frame{W: 460, H: 240, Left: 60, Right: 14, Top: 14, Bottom: 42, X0: 0, X1: 2.5, Y0: 0, Y1: 0.15}
	for _, v := range []float64{0, 0.3, 1, 2.5} {
		if got := f.XAt(f.X(v)); math.Abs(got-v) > 1e-12 {
			t.Errorf("xAt(x(%g)) = %g", v, got)
		}
	}
	if got := f.XAt(f.Left); got != f.X0 {
		t.Errorf("xAt(Left) = %g, want X0 = %g", got, f.X0)
	}
	if got := f.XAt(f.W - f.Right); math.Abs(got-f.X1) > 1e-12 {
		t.Errorf("xAt(W-Right) = %g, want X1 = %g", got, f.X1)
	}
}

// A value off the scale is drawn at the plot's edge, not outside it.
func TestPathClampsToTheFrame(t *testing.T) {
	f := Frame{W: 100, H: 100, X0: 0, X1: 1, Y0: 0, Y1: 1}
	got := f.Path([]float64{0, 0.5, 1}, []float64{0.5, 1682, -3})
	want := fmt.Sprintf("M0.0 50.0L50.0 %.1fL100.0 %.1f", f.Y(1), f.Y(0))
	if got != want {
		t.Errorf("path = %q, want %q", got, want)
	}
	if strings.Contains(got, "-") {
		t.Errorf("path %q leaves the frame", got)
	}
}
