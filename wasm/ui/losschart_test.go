package ui

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
		{"non-finite values are ignored", [][]float64{{0.3, math.NaN(), 0.2, math.Inf(1)}}, 0.3},
		{"all zero", [][]float64{{0, 0, 0}}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if top, _ := robustTop(nil, c.curves...); top != c.top {
				t.Errorf("robustTop = %g, want %g", top, c.top)
			}
		})
	}
}

func TestSeriesNearest(t *testing.T) {
	s := series{X: []float64{0, 0.5, 1, 2}, Y: []float64{4, 3, 2, 1}}
	for _, c := range []struct {
		x    float64
		want int
	}{
		{-1, 0}, {0, 0}, {0.2, 0}, {0.25, 0}, {0.3, 1}, {0.9, 2}, {1.5, 2}, {1.6, 3}, {9, 3}, {math.NaN(), -1},
	} {
		if got := s.nearest(c.x); got != c.want {
			t.Errorf("nearest(%g) = %d, want %d", c.x, got, c.want)
		}
	}
	if got := (&series{}).nearest(1); got != -1 {
		t.Errorf("nearest in an empty series = %d, want -1", got)
	}
}

func TestPlotFrameXAtInvertsX(t *testing.T) {
	f := plotFrame{W: 460, H: 240, Left: 60, Right: 14, Top: 14, Bottom: 42, X0: 0, X1: 2.5, Y0: 0, Y1: 0.15}
	for _, v := range []float64{0, 0.3, 1, 2.5} {
		if got := f.xAt(f.x(v)); math.Abs(got-v) > 1e-12 {
			t.Errorf("xAt(x(%g)) = %g", v, got)
		}
	}
	if got := f.xAt(f.Left); got != f.X0 {
		t.Errorf("xAt(Left) = %g, want X0 = %g", got, f.X0)
	}
	if got := f.xAt(f.W - f.Right); math.Abs(got-f.X1) > 1e-12 {
		t.Errorf("xAt(W-Right) = %g, want X1 = %g", got, f.X1)
	}
}

// A value off the scale is drawn at the plot's edge, not outside it.
func TestPathClampsToTheFrame(t *testing.T) {
	f := plotFrame{W: 100, H: 100, X0: 0, X1: 1, Y0: 0, Y1: 1}
	got := f.path([]float64{0, 0.5, 1}, []float64{0.5, 1682, -3})
	want := fmt.Sprintf("M0.0 50.0L50.0 %.1fL100.0 %.1f", f.y(1), f.y(0))
	if got != want {
		t.Errorf("path = %q, want %q", got, want)
	}
	if strings.Contains(got, "-") {
		t.Errorf("path %q leaves the frame", got)
	}
}

// A spike is off the axis the chart draws, and the legend names it; a
// plain run has no such note.
func TestLossChartOffScale(t *testing.T) {
	var l lossChart
	for i, y := range decay(50, 0.11, 0.027) {
		l.train.add(float64(i)/50, y)
	}
	if _, text := l.offScale(l.frame()); text != "" {
		t.Errorf("a plain run: off-scale note %q", text)
	}
	l.train.add(1, 1682)
	l.test.add(1, 900)
	f := l.frame()
	if f.Y1 >= 1 {
		t.Errorf("the axis ends at %g: the spike set it", f.Y1)
	}
	if _, text := l.offScale(f); text != "▲ off the scale: 1682 at epoch 1.00" {
		t.Errorf("off-scale note %q", text)
	}
}
