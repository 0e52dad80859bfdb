package main

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"aeplayground/engine/ae"
	"aeplayground/engine/mnist"
	"aeplayground/wasm/pixels"
	"aeplayground/wasm/protocol"
)

// A DecodePoint at a held-out digit's code is answered with that digit's
// reconstruction; an interpolation starts and ends at the two digits'
// reconstructions, the decoder's and PCA's.
func TestDecodePointAndInterpolate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		preset string
		edit   func(*ae.Config)
	}{
		{"linear, k = 2", "linear-pca", func(c *ae.Config) { c.Hidden = []int{2} }},
		{"deep, k = 2", "survey", func(c *ae.Config) { c.Hidden, c.Activation = []int{32, 2}, []ae.Activation{ae.LeakyReLU, ae.Linear} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRecorder()
			if err := r.start(fakeBundle(t, 200, 30)); err != nil {
				t.Fatal(err)
			}
			r.send(&protocol.SetConfig{Config: config(t, tc.preset, tc.edit)})
			r.send(&protocol.Step{N: 20})
			n := mnist.Pixels
			model, test := r.tr.Model(), r.data.test
			recon := func(i int) []byte {
				xhat := make([]float64, n)
				model.Reconstruct(test[i*n:(i+1)*n], xhat)
				return pixels.FromUnit(nil, xhat)
			}
			pcaRecon := func(i int) []byte {
				xhat := make([]float64, n)
				r.pcaReconstruct(test[i*n:(i+1)*n], xhat)
				return pixels.FromUnit(nil, xhat)
			}
			for _, i := range []int{0, 7, 13} {
				z := make([]float64, 2)
				model.Encode(test[i*n:(i+1)*n], z)
				r.msgs = nil
				r.send(&protocol.DecodePoint{Z: z})
				got := last[*protocol.Decoded](r)
				if got == nil {
					t.Fatalf("digit %d: replies %v, want decoded", i, r.types())
				}
				if !bytes.Equal(got.AE, recon(i)) {
					t.Errorf("digit %d: the image at its code is not its reconstruction", i)
				}
			}

			const a, b, steps = 3, 8, 5
			r.msgs = nil
			r.send(&protocol.Interpolate{A: a, B: b, Steps: steps})
			m := last[*protocol.Interpolated](r)
			if m == nil || len(m.AE) != steps*n || len(m.PCA) != steps*n || m.PCAK != 2 {
				t.Fatalf("replies %v, want an interpolation of %d images at PCA rank 2: %+v", r.types(), steps, m)
			}
			img := func(row []byte, i int) []byte { return row[i*n : (i+1)*n] }
			for _, c := range []struct {
				what      string
				got, want []byte
			}{
				{"the decoder's first image", img(m.AE, 0), recon(a)},
				{"the decoder's last image", img(m.AE, steps-1), recon(b)},
				{"PCA's first image", img(m.PCA, 0), pcaRecon(a)},
				{"PCA's last image", img(m.PCA, steps-1), pcaRecon(b)},
			} {
				if !bytes.Equal(c.got, c.want) {
					t.Errorf("%s is not the digit's reconstruction", c.what)
				}
			}
			if bytes.Equal(img(m.AE, 2), img(m.AE, 0)) {
				t.Error("the middle of the interpolation is its start")
			}
		})
	}
}

func TestDecodeRefusals(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 100, 20)); err != nil {
		t.Fatal(err)
	}
	r.send(&protocol.SetConfig{Config: config(t, "linear-pca", func(c *ae.Config) { c.Hidden = []int{2} })})
	for _, m := range []protocol.Message{
		&protocol.DecodePoint{Z: []float64{1, 2, 3}},
		&protocol.DecodePoint{Z: []float64{1, math.NaN()}},
		&protocol.Interpolate{A: -1, B: 2, Steps: 4},
		&protocol.Interpolate{A: 0, B: 20, Steps: 4},
		&protocol.Interpolate{A: 0, B: 1, Steps: 1},
		&protocol.Interpolate{A: 0, B: 1, Steps: maxInterpSteps + 1},
	} {
		r.msgs = nil
		r.send(m)
		if e, ok := last[*protocol.Error](r), len(r.msgs) == 1; !ok || e == nil || !strings.Contains(e.Text, m.Kind().String()[:6]) {
			t.Errorf("%#v: replies %v, want one error", m, r.types())
		}
	}
}
