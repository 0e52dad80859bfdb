package page

import (
	"math/rand/v2"
	"strconv"

	"aeplayground/engine/noise"
	"aeplayground/wasm/pixels"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/state"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Digit is the page's current digit and its one owner. Every source tells
// it (the pad's strokes, a held-out sample, the link, the last visit, a
// script); it corrupts the digit with the page's noise, sends the corrupted
// digit to the worker (which answers with the reconstructions), and posts
// DigitShown to those that draw or keep it. The corruption is drawn here, on
// the page, so that the noisy digit appears in the same frame as the stroke.
type Digit struct {
	worker Worker
	noise  noise.Spec
	rng    *rand.Rand

	clean, noisy []float64 // in [0, 1]
	shown        Shown
	msg          protocol.SetDigit // reused: a stroke sends a digit a frame
	// askedFirst: a digit to start with was asked for (AskFirst) and has
	// not come yet.
	askedFirst bool
}

// Source is where a digit came from.
type Source uint8

const (
	FromPad       Source = iota + 1 // drawn on the pad, or the pad cleared
	FromHeldOut                     // a held-out digit, picked or the lesson's
	FromLink                        // the link's digit
	FromLastVisit                   // the digit saved on the last visit
	FromScript                      // a script's setDigit
)

// Shown is DigitShown's value: the digit and its corruption as grey
// levels, where it came from and how a link carries it. Its slices are the
// owner's, overwritten by the next digit: a handler that keeps them copies
// them.
type Shown struct {
	Clean, Noisy []byte
	Label        string // where the digit came from, in words: "held-out 7"
	From         Source
	Link         state.Digit
}

// NewDigit is the owner of the page's digit, sending to w.
func NewDigit(w Worker) *Digit {
	return &Digit{worker: w, rng: rand.New(rand.NewPCG(11, 13))}
}

// Set makes px (28x28 in [0, 1], copied) the current digit. A drawing is
// carried by a link as its quantised pixels (no digit for an empty pad).
func (d *Digit) Set(ctx app.Context, px []float64, from Source, label string, link state.Digit) {
	if len(px) != pixels.Len {
		return
	}
	if from == FromPad || from == FromScript {
		link = drawnDigit(px)
	}
	d.clean = append(d.clean[:0], px...)
	d.shown.Label, d.shown.From, d.shown.Link = label, from, link
	d.corrupt(ctx)
}

// AskFirst asks the worker for a held-out digit of the class to start
// with, so that there is a digit to see through the model (a lesson's). The
// worker answers once its digits are loaded: a drawing made meanwhile is
// kept, not replaced by it.
func (d *Digit) AskFirst(class int) {
	d.askedFirst = true
	d.worker.Send(&protocol.SampleOfClass{Label: class})
}

// OnSampled takes a held-out digit the worker sent (picked on the pad, a
// link's, a lesson's): an MNIST digit already, it needs no preprocessing.
// The worker answers in order, so the first answer after AskFirst is its.
func (d *Digit) OnSampled(ctx app.Context, s *protocol.Sampled) {
	if len(s.Pixels) != pixels.Len {
		return
	}
	if d.askedFirst {
		d.askedFirst = false
		if d.shown.From == FromPad && d.shown.Link.Kind == state.DigitDrawn {
			return // drawn while the digits loaded: the drawing stays
		}
	}
	d.Set(ctx, pixels.ToUnit(nil, s.Pixels), FromHeldOut, "held-out "+strconv.Itoa(s.Label),
		state.Digit{Kind: state.DigitTest, Index: s.Index})
}

// SetNoise sends the worker the page's corruption (for its held-out grid)
// and corrupts the digit anew with it.
func (d *Digit) SetNoise(ctx app.Context, spec noise.Spec) {
	d.worker.Send(&protocol.SetNoise{Noise: spec})
	if spec == d.noise {
		return
	}
	d.noise = spec
	d.corrupt(ctx)
}

func (d *Digit) corrupt(ctx app.Context) {
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
	DigitShown.Post(ctx, &d.shown)
}

// Current is the digit shown, or nil before the first: for a panel that
// mounts after it was set.
func (d *Digit) Current() *Shown {
	if d == nil || d.clean == nil {
		return nil
	}
	return &d.shown
}

// drawnDigit is how a link carries a drawn digit: quantised, or no digit
// for an empty pad.
func drawnDigit(px []float64) state.Digit {
	q := state.Quantize(px)
	for _, v := range q {
		if v > 0 {
			return state.Digit{Kind: state.DigitDrawn, Pixels: q}
		}
	}
	return state.Digit{}
}
