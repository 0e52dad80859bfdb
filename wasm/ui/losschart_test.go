package ui

import (
	"math"
	"testing"
)

// A spike is off the axis the chart draws, and the legend names it; a
// plain run has no such note.
func TestLossChartOffScale(t *testing.T) {
	var l lossChart
	for i := range 50 { // a training curve falling from 0.11 towards 0.027
		x := float64(i) / 50
		l.train.Add(x, 0.027+0.083*math.Exp(-5*x))
	}
	if _, text := l.offScale(l.frame()); text != "" {
		t.Errorf("a plain run: off-scale note %q", text)
	}
	l.train.Add(1, 1682)
	l.test.Add(1, 900)
	f := l.frame()
	if f.Y1 >= 1 {
		t.Errorf("the axis ends at %g: the spike set it", f.Y1)
	}
	if _, text := l.offScale(f); text != "▲ off the scale: 1682 at epoch 1.00" {
		t.Errorf("off-scale note %q", text)
	}
}
