package main

import (
	"math"

	"aeplayground/engine/mnist"
	"aeplayground/wasm/pixels"
	"aeplayground/wasm/protocol"
)

// maxInterpSteps bounds the images of one interpolation.
const maxInterpSteps = 16

// decodePoint sends the decoder's image at the code point z: the decoder
// used as a generator, anywhere in the code plane.
func (s *session) decodePoint(z []float64) {
	if s.tr == nil {
		s.refuse("decode: there is no model yet")
		return
	}
	for _, v := range z {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			s.refuse("decode: the point %v is not finite", z)
			return
		}
	}
	xhat := make([]float64, mnist.Pixels)
	if err := s.tr.Model().Decode(z, xhat); err != nil {
		s.refuse("%v", err)
		return
	}
	s.post(&protocol.Decoded{Z: z, AE: pixels.FromUnit(nil, xhat)})
}

// interpolate sends steps images from held-out digit a to b, two ways:
// the decoder's at the codes (1-t) z_a + t z_b, and PCA's at the
// coefficients (1-t) c_a + t c_b of the model's rank. PCA's reconstruction
// μ + V c is affine in c, so its images are a cross-fade of the two
// projections, (1-t) x̂_a + t x̂_b; a non-linear decoder may pass through
// other shapes on the way.
func (s *session) interpolate(a, b, steps int) {
	if s.tr == nil {
		s.refuse("interpolate: there is no model yet")
		return
	}
	d := s.data
	nTest := len(d.testLabels)
	if a < 0 || a >= nTest || b < 0 || b >= nTest {
		s.refuse("interpolate: digits %d and %d; the held-out digits are numbered 0 to %d", a, b, nTest-1)
		return
	}
	if steps < 2 || steps > maxInterpSteps {
		s.refuse("interpolate: %d steps; between 2 and %d", steps, maxInterpSteps)
		return
	}
	n := mnist.Pixels
	xa, xb := d.test[a*n:(a+1)*n], d.test[b*n:(b+1)*n]
	model, pc := s.tr.Model(), d.pca
	k, pk := model.K(), min(model.K(), pc.K)
	za, zb, z := make([]float64, k), make([]float64, k), make([]float64, k)
	model.Encode(xa, za)
	model.Encode(xb, zb)
	ca, cb, c := make([]float64, pc.K), make([]float64, pc.K), make([]float64, pc.K)
	pc.Project(xa, ca)
	pc.Project(xb, cb)
	clear(ca[pk:])
	clear(cb[pk:])
	m := &protocol.Interpolated{A: a, B: b, Steps: steps, AE: make([]byte, steps*n), PCA: make([]byte, steps*n), PCAK: pk}
	xhat := make([]float64, n)
	for i := range steps {
		t := float64(i) / float64(steps-1)
		lerp(z, za, zb, t)
		if err := model.Decode(z, xhat); err != nil {
			s.refuse("%v", err) // lengths of our own making: not expected
			return
		}
		pixels.FromUnit(m.AE[i*n:(i+1)*n], xhat)
		lerp(c, ca, cb, t)
		pc.Reconstruct(c, xhat)
		pixels.FromUnit(m.PCA[i*n:(i+1)*n], xhat)
	}
	s.post(m)
}

// lerp sets dst = (1-t) a + t b.
func lerp(dst, a, b []float64, t float64) {
	for j := range dst {
		dst[j] = (1-t)*a[j] + t*b[j]
	}
}
