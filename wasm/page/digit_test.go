package page

import (
	"testing"

	"aeplayground/engine/noise"
	"aeplayground/wasm/pixels"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/state"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// digitProbe is a component that watches the digit's owner, as the pad,
// the digit row, the link and the saved settings do.
type digitProbe struct {
	app.Compo
	ctx   app.Context
	shown []Shown
}

func (p *digitProbe) OnMount(ctx app.Context) {
	p.ctx = ctx
	DigitShown.HandleQuiet(ctx, func(_ app.Context, v *Shown) {
		c := *v
		c.Clean, c.Noisy = append([]byte(nil), v.Clean...), append([]byte(nil), v.Noisy...)
		p.shown = append(p.shown, c)
	})
}

func (p *digitProbe) Render() app.UI { return app.Div() }

// TestEverySourceReachesTheWorkerOnce: a digit from each source is sent to
// the worker once, as it is shown, and those watching hear where it came
// from and how a link carries it.
func TestEverySourceReachesTheWorkerOnce(t *testing.T) {
	stroke := make([]float64, pixels.Len)
	for r := 5; r <= 22; r++ {
		stroke[r*pixels.Side+14] = 1
	}
	drawn := state.Digit{Kind: state.DigitDrawn, Pixels: state.Quantize(stroke)}
	heldOut := &protocol.Sampled{Label: 7, Index: 42, Pixels: pixels.FromUnit(nil, stroke)}
	cases := []struct {
		name  string
		set   func(app.Context, *Digit)
		from  Source
		label string
		link  state.Digit
	}{
		{"the pad", func(ctx app.Context, d *Digit) { d.Set(ctx, stroke, FromPad, "your drawing", state.Digit{}) }, FromPad, "your drawing", drawn},
		{"an empty pad", func(ctx app.Context, d *Digit) {
			d.Set(ctx, make([]float64, pixels.Len), FromPad, "an empty pad", state.Digit{})
		}, FromPad, "an empty pad", state.Digit{}},
		{"a held-out digit", func(ctx app.Context, d *Digit) { d.OnSampled(ctx, heldOut) }, FromHeldOut, "held-out 7", state.Digit{Kind: state.DigitTest, Index: 42}},
		{"the link", func(ctx app.Context, d *Digit) { d.Set(ctx, stroke, FromLink, "the link", drawn) }, FromLink, "the link", drawn},
		{"the last visit", func(ctx app.Context, d *Digit) { d.Set(ctx, stroke, FromLastVisit, "your last visit", state.Digit{}) }, FromLastVisit, "your last visit", state.Digit{}},
		{"a script", func(ctx app.Context, d *Digit) { d.Set(ctx, stroke, FromScript, "a script", state.Digit{}) }, FromScript, "a script", drawn},
	}
	for _, c := range cases {
		w := &sent{}
		d := NewDigit(w)
		p := &digitProbe{}
		disp := app.NewClientTester(p)
		c.set(p.ctx, d)
		disp.Consume()
		if got := len(w.of(&protocol.SetDigit{})); got != 1 || len(w.msgs) != 1 {
			t.Errorf("%s: %d digits and %d commands sent, want one digit", c.name, got, len(w.msgs))
		}
		if len(p.shown) != 1 {
			t.Errorf("%s: shown %d times, want once", c.name, len(p.shown))
			disp.Close()
			continue
		}
		v := p.shown[0]
		if v.From != c.from || v.Label != c.label || v.Link.Kind != c.link.Kind || v.Link.Index != c.link.Index || len(v.Link.Pixels) != len(c.link.Pixels) {
			t.Errorf("%s: shown from %d %q with link %+v, want from %d %q with %+v", c.name, v.From, v.Label, v.Link, c.from, c.label, c.link)
		}
		if sd := w.msgs[0].(*protocol.SetDigit); string(sd.Pixels) != string(v.Noisy) {
			t.Errorf("%s: the worker got another digit than the one shown", c.name)
		}
		disp.Close()
	}
}

// TestNoiseCorruptsTheShownDigit: a new corruption goes to the worker and
// corrupts the digit shown anew; the same corruption again sends it only.
func TestNoiseCorruptsTheShownDigit(t *testing.T) {
	w := &sent{}
	d := NewDigit(w)
	p := &digitProbe{}
	disp := app.NewClientTester(p)
	defer disp.Close()
	ones := make([]float64, pixels.Len)
	for i := range ones {
		ones[i] = 1
	}
	d.Set(p.ctx, ones, FromPad, "your drawing", state.Digit{})
	mask := noise.Spec{Kind: noise.Mask, Level: 0.5}
	d.SetNoise(p.ctx, mask)
	d.SetNoise(p.ctx, mask)
	disp.Consume()
	if n := len(w.of(&protocol.SetNoise{})); n != 2 {
		t.Errorf("%d corruptions sent, want 2 (the worker's held-out grid follows each)", n)
	}
	if n := len(w.of(&protocol.SetDigit{})); n != 2 {
		t.Errorf("%d digits sent, want 2: the digit, then it corrupted", n)
	}
	if len(p.shown) != 2 {
		t.Fatalf("shown %d times, want 2", len(p.shown))
	}
	zeros := 0
	for _, b := range p.shown[1].Noisy {
		if b == 0 {
			zeros++
		}
	}
	if zeros < pixels.Len/4 || zeros > 3*pixels.Len/4 {
		t.Errorf("half-masked digit has %d of %d pixels off", zeros, pixels.Len)
	}
	if string(p.shown[1].Clean) != string(p.shown[0].Clean) {
		t.Error("the clean digit changed with the corruption")
	}
}

// TestDrawingWhileLoadingIsKept: a digit drawn before the worker's first
// held-out digit comes (it answers once its digits are loaded) stays, and
// is the one the worker reconstructs; without a drawing the first digit
// shows; a digit picked later replaces a drawing, as a pick should.
func TestDrawingWhileLoadingIsKept(t *testing.T) {
	stroke := make([]float64, pixels.Len)
	for r := 5; r <= 22; r++ {
		stroke[r*pixels.Side+14] = 1
	}
	first := &protocol.Sampled{Label: 3, Index: 18, Pixels: make([]byte, pixels.Len)}
	first.Pixels[400] = 255
	for _, drew := range []bool{true, false} {
		w := &sent{}
		d := NewDigit(w)
		p := &digitProbe{}
		disp := app.NewClientTester(p)
		d.AskFirst(3)
		if drew {
			d.Set(p.ctx, stroke, FromPad, "your drawing", state.Digit{})
		}
		d.OnSampled(p.ctx, first)
		disp.Consume()
		cur := d.Current()
		switch {
		case drew && (cur == nil || cur.From != FromPad):
			t.Errorf("the drawing made while loading was replaced by %+v", cur)
		case !drew && (cur == nil || cur.From != FromHeldOut || cur.Link.Index != 18):
			t.Errorf("with no drawing, the first digit did not show: %+v", cur)
		}
		if drew {
			sd := w.of(&protocol.SetDigit{})
			if last := sd[len(sd)-1].(*protocol.SetDigit); string(last.Pixels) != string(cur.Noisy) {
				t.Error("the worker was left with another digit than the drawing")
			}
			d.OnSampled(p.ctx, first) // a pick
			if cur := d.Current(); cur.From != FromHeldOut {
				t.Errorf("a held-out digit picked after the drawing did not replace it: %+v", cur)
			}
		}
		disp.Close()
	}
}
