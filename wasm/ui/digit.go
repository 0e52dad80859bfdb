package ui

import (
	"math/rand/v2"

	"aeplayground/engine/noise"
	"aeplayground/wasm/pixels"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// currentDigit is the page's current digit and its one owner. It keeps the
// digit the pad makes (drawn, a held-out sample, a link's or a script's),
// corrupts it with the page's noise, sends the corrupted digit to the
// worker (which answers with the reconstructions), and tells the digit row,
// which only draws, with the "digit:shown" action. The corruption is drawn
// here, on the page, so that the noisy digit appears in the same frame as
// the stroke.
type currentDigit struct {
	worker *workerclient.Client
	noise  noise.Spec
	rng    *rand.Rand

	clean, noisy []float64 // in [0, 1]
	shown        shownDigit
	msg          protocol.SetDigit // reused: a stroke sends a digit a frame
}

// shownDigit is the "digit:shown" action's value: the digit and its
// corruption as grey levels. Its slices are the owner's, overwritten by the
// next digit: a handler that keeps them copies them.
type shownDigit struct {
	Clean, Noisy []byte
	Label        string // where the digit came from, e.g. "held-out 7"
}

func newCurrentDigit(w *workerclient.Client) *currentDigit {
	return &currentDigit{worker: w, rng: rand.New(rand.NewPCG(11, 13))}
}

// onDigit takes the pad's new digit (digitChanged).
func (d *currentDigit) onDigit(ctx app.Context, v digitValue) {
	d.clean = append(d.clean[:0], v.Pixels...)
	d.shown.Label = v.Label
	d.corrupt(ctx)
}

// setNoise sends the worker the page's corruption (for its held-out grid)
// and corrupts the digit anew with it.
func (d *currentDigit) setNoise(ctx app.Context, spec noise.Spec) {
	d.worker.Send(&protocol.SetNoise{Noise: spec})
	if spec == d.noise {
		return
	}
	d.noise = spec
	d.corrupt(ctx)
}

func (d *currentDigit) corrupt(ctx app.Context) {
	if d.clean == nil {
		return
	}
	if len(d.noisy) != len(d.clean) {
		d.noisy = make([]float64, len(d.clean))
	}
	d.noise.Apply(d.rng, d.clean, d.noisy)
	d.shown.Clean = pixels.FromUnit(d.shown.Clean, d.clean)
	d.shown.Noisy = pixels.FromUnit(d.shown.Noisy, d.noisy)
	d.msg.Pixels = d.shown.Noisy
	d.worker.Send(&d.msg)
	digitShown.Post(ctx, &d.shown)
}

// saved is the clean digit as grey levels and where it came from, for the
// settings kept across reloads (persistence.go); nil before the first.
func (d *currentDigit) saved() (px []byte, label string) {
	if d == nil || d.clean == nil {
		return nil, ""
	}
	return d.shown.Clean, d.shown.Label
}
