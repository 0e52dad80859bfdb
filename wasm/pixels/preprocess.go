package pixels

import "math"

// Geometry of an MNIST digit: 28x28 pixels, the ink fitted into a 20x20 box.
const (
	Side = 28
	Box  = 20
	Len  = Side * Side
)

// scratch is Preprocess's scratch space (the page calls it from one
// goroutine at a time).
var scratch []float64

// Preprocess turns a drawing (w x h intensities in [0,1], row-major, 1 = ink)
// into a 28x28 digit the way MNIST's digits were made: the ink's bounding box
// is scaled to fit 20x20 keeping its aspect ratio, anti-aliased by averaging
// the area each output pixel covers, and placed so that its centre of mass
// falls on the centre of the 28x28 field. Without this a drawn digit looks
// nothing like the training data and its reconstructions are poor.
//
// It returns false when the drawing has no ink.
func Preprocess(ink []float64, w, h int, out []float64) bool {
	clear(out[:Len])
	x0, y0, x1, y1, ok := inkBounds(ink, w, h)
	if !ok {
		return false
	}
	bw, bh := x1-x0, y1-y0
	scale := float64(Box) / float64(max(bw, bh))
	ow := max(1, int(math.Ceil(float64(bw)*scale-1e-9)))
	oh := max(1, int(math.Ceil(float64(bh)*scale-1e-9)))

	// Area average, separably: columns first, then rows.
	// The scratch space is reused: the pad preprocesses its drawing every
	// frame while the pen moves.
	need := h*ow + ow*oh + bh + oh
	if cap(scratch) < need {
		scratch = make([]float64, need)
	}
	scratch := scratch[:need]
	clear(scratch)
	cols, scratch := scratch[:h*ow], scratch[h*ow:]
	box, scratch := scratch[:ow*oh], scratch[ow*oh:]
	src, dst := scratch[:bh], scratch[bh:]
	for y := y0; y < y1; y++ {
		areaResample(ink[y*w+x0:y*w+x1], cols[y*ow:(y+1)*ow], scale)
	}
	for u := 0; u < ow; u++ {
		for y := y0; y < y1; y++ {
			src[y-y0] = cols[y*ow+u]
		}
		areaResample(src, dst, scale)
		for v := 0; v < oh; v++ {
			box[v*ow+u] = dst[v]
		}
	}

	// Centre of mass of the box, in pixel-centre coordinates.
	var mass, mx, my float64
	for v := 0; v < oh; v++ {
		for u := 0; u < ow; u++ {
			p := box[v*ow+u]
			mass += p
			mx += p * (float64(u) + 0.5)
			my += p * (float64(v) + 0.5)
		}
	}
	if mass == 0 {
		return false
	}
	dx := int(math.Round(Side/2 - mx/mass))
	dy := int(math.Round(Side/2 - my/mass))
	for v := 0; v < oh; v++ {
		for u := 0; u < ow; u++ {
			x, y := u+dx, v+dy
			if x >= 0 && x < Side && y >= 0 && y < Side {
				out[y*Side+x] = min(1, box[v*ow+u])
			}
		}
	}
	return true
}

// inkBounds returns the half-open bounding box [x0,x1) x [y0,y1) of the
// pixels with ink.
func inkBounds(ink []float64, w, h int) (x0, y0, x1, y1 int, ok bool) {
	x0, y0, x1, y1 = w, h, 0, 0
	for y := 0; y < h; y++ {
		for x, p := range ink[y*w : (y+1)*w] {
			if p > 0 {
				x0, x1 = min(x0, x), max(x1, x+1)
				y0, y1 = min(y0, y), max(y1, y+1)
			}
		}
	}
	return x0, y0, x1, y1, x1 > x0
}

// areaResample shrinks src into dst where one source pixel becomes scale
// output pixels (scale <= 1): each output pixel is the mean of the source it
// covers, counting partly covered source pixels by the fraction covered (a
// tiny drawing has scale > 1 and is enlarged the same way).
// Output pixels past the end of the source average only the part they cover
// of it, weighted by the full pixel, so edges fade as anti-aliasing should.
func areaResample(src, dst []float64, scale float64) {
	step := 1 / scale // source pixels per output pixel
	for u := range dst {
		a, b := float64(u)*step, float64(u+1)*step
		var sum float64
		for i := int(a); i < len(src) && float64(i) < b; i++ {
			lo, hi := max(a, float64(i)), min(b, float64(i+1))
			sum += src[i] * (hi - lo)
		}
		dst[u] = sum / step
	}
}
