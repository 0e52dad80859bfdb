package pixels

import (
	"math"
	"testing"
)

// canvas is a w x h drawing with filled ellipses of ink, like a pad's pixels.
type canvas struct {
	w, h int
	ink  []float64
}

func newCanvas(w, h int) *canvas { return &canvas{w, h, make([]float64, w*h)} }

// ring draws an elliptical ring (a "0") centred at (cx, cy).
func (c *canvas) ring(cx, cy, rx, ry, thick float64) {
	for y := 0; y < c.h; y++ {
		for x := 0; x < c.w; x++ {
			dx, dy := (float64(x)+0.5-cx)/rx, (float64(y)+0.5-cy)/ry
			r := math.Hypot(dx, dy)
			if r <= 1 && r >= 1-thick {
				c.ink[y*c.w+x] = 1
			}
		}
	}
}

// bar draws a filled axis-aligned rectangle (a "1" when tall and thin).
func (c *canvas) bar(x0, y0, x1, y1 int) {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			c.ink[y*c.w+x] = 1
		}
	}
}

// stats returns the ink bounding box size and centre of mass of a 28x28 digit.
func stats(d []float64) (bw, bh int, cx, cy float64) {
	x0, y0, x1, y1, _ := inkBounds(d, Side, Side)
	var m float64
	for y := 0; y < Side; y++ {
		for x := 0; x < Side; x++ {
			p := d[y*Side+x]
			m += p
			cx += p * (float64(x) + 0.5)
			cy += p * (float64(y) + 0.5)
		}
	}
	return x1 - x0, y1 - y0, cx / m, cy / m
}

func TestPreprocessCentresLargeOffCentreDigit(t *testing.T) {
	// A large "0" pushed into the top-left corner of a 280x280 pad, partly
	// off its edge.
	c := newCanvas(280, 280)
	c.ring(90, 100, 85, 120, 0.25)
	out := make([]float64, Len)
	if !Preprocess(c.ink, c.w, c.h, out) {
		t.Fatal("preprocess found no ink")
	}
	bw, bh, cx, cy := stats(out)
	if bh != Box || bw > Box {
		t.Errorf("ink box %dx%d, want height %d and width <= %d", bw, bh, Box, Box)
	}
	if math.Abs(cx-14) > 0.5 || math.Abs(cy-14) > 0.5 {
		t.Errorf("centre of mass (%.2f, %.2f), want (14, 14) within half a pixel", cx, cy)
	}
	// The ink stays within the 20x20 box around the centre of mass, and
	// leaves a margin to the field's edges, as MNIST's digits do.
	for y := 0; y < Side; y++ {
		for x := 0; x < Side; x++ {
			if out[y*Side+x] > 0 && (x < 2 || x > 25 || y < 1 || y > 26) {
				t.Fatalf("ink at (%d, %d), outside the centred box", x, y)
			}
		}
	}
}

func TestPreprocessKeepsAspectAndAntiAliases(t *testing.T) {
	// A tall thin bar (a "1"), 30 x 200 pixels, in the bottom-right corner.
	c := newCanvas(280, 280)
	c.bar(230, 70, 260, 270)
	out := make([]float64, Len)
	Preprocess(c.ink, c.w, c.h, out)
	bw, bh, cx, cy := stats(out)
	if bh != Box {
		t.Errorf("height %d, want %d", bh, Box)
	}
	if want := 3; bw != want { // 30/200 of 20 pixels
		t.Errorf("width %d, want %d (aspect kept)", bw, want)
	}
	if math.Abs(cx-14) > 0.5 || math.Abs(cy-14) > 0.5 {
		t.Errorf("centre of mass (%.2f, %.2f), want (14, 14)", cx, cy)
	}
	// Area averaging: the bar is 3 output pixels wide in exact area, so every
	// pixel is full ink; a bar of 35 source pixels covers 3.5 and leaves a
	// grey anti-aliased column.
	c2 := newCanvas(280, 280)
	c2.bar(10, 10, 45, 210)
	Preprocess(c2.ink, c2.w, c2.h, out)
	grey := false
	for _, p := range out {
		if p > 0.2 && p < 0.8 {
			grey = true
		}
		if p < 0 || p > 1 {
			t.Fatalf("pixel %v outside [0, 1]", p)
		}
	}
	if !grey {
		t.Error("no anti-aliased grey pixel at the edge of a bar of fractional width")
	}
}

func TestPreprocessSmallDigitIsEnlarged(t *testing.T) {
	c := newCanvas(280, 280)
	c.ring(200, 60, 8, 10, 0.4)
	out := make([]float64, Len)
	Preprocess(c.ink, c.w, c.h, out)
	if _, bh, _, _ := stats(out); bh != Box {
		t.Errorf("height %d, want %d", bh, Box)
	}
}

func TestPreprocessEmpty(t *testing.T) {
	out := make([]float64, Len)
	out[5] = 1
	if Preprocess(make([]float64, 100*100), 100, 100, out) {
		t.Error("an empty drawing reported ink")
	}
	for _, p := range out {
		if p != 0 {
			t.Fatal("an empty drawing left ink in the output")
		}
	}
}
