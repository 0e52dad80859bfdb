package ui

import (
	"strconv"

	"aeplayground/wasm/page"
	"aeplayground/wasm/pixels"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/state"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// padSide is the pad's drawing resolution; CSS scales it to the layout.
const padSide = 280

// pad is the drawing pad: it draws strokes and tells the digit's owner
// what they make, and shows a digit that came from elsewhere (a held-out
// one, a link's, a script's). Pointer events are native listeners added in
// OnMount, not go-app handlers: those would re-render the component on every
// pointermove. The stroke is drawn on the canvas at once and the digit is
// recomputed once per animation frame.
type pad struct {
	app.Compo

	Worker *workerclient.Client
	Digit  *page.Digit

	class   string // "-1" for any class, or "0".."9"
	strokes [][][2]float64
	shown   bool // a held-out digit is on the pad; the next stroke clears it
	// shownFrom names where a shown digit that is not a held-out one came
	// from ("the link", "a script"); empty for a held-out digit.
	shownFrom string
	empty     bool

	canvas    app.Value
	ctx2d     app.Value
	listeners map[string]app.Func
	frame     app.Func
	framePend bool
	drawing   bool
	pointerID int
	ink       []float64
	rgba      []byte
	digit     []float64
	// dirty is the part of the canvas drawn on since the last emit, x0, y0,
	// x1, y1 (empty when x1 <= x0); all of it is read again when full is set.
	dirty [4]float64
	full  bool
}

func (p *pad) Render() app.UI {
	classes := []app.UI{app.Option().Value("-1").Text("any class")}
	for d := range 10 {
		classes = append(classes, app.Option().Value(strconv.Itoa(d)).Text(strconv.Itoa(d)))
	}
	hint := "Draw a digit with mouse, finger or pen."
	if p.shown {
		hint = "A held-out digit; drawing replaces it."
		if p.shownFrom != "" {
			hint = "The digit from " + p.shownFrom + "; drawing replaces it."
		}
	}
	return app.Section().Class("card pad-card").Body(
		app.H2().Text("Draw"),
		app.Canvas().ID("pad").Class("pad").Width(padSide).Height(padSide).
			Aria("label", "Drawing pad: draw a digit").Attr("role", "img"),
		app.P().Class("hint").Text(hint),
		app.Div().Class("row").Body(
			app.Button().Text("Clear").OnClick(p.onClear),
			app.Button().Text("Undo stroke").Disabled(len(p.strokes) == 0).OnClick(p.onUndo),
		),
		app.Div().Class("row").Body(
			app.Label().For("sample-class").Text("Held-out digit of"),
			app.Select().ID("sample-class").OnChange(p.onClass).Body(classes...),
			app.Button().ID("sample").Text("Pick").OnClick(p.onSample),
		),
	)
}

func (p *pad) OnMount(ctx app.Context) {
	p.class = "-1"
	p.canvas = app.Window().GetElementByID("pad")
	opts := app.Window().Get("Object").New()
	opts.Set("willReadFrequently", true)
	p.ctx2d = p.canvas.Call("getContext", "2d", opts)
	p.clearCanvas()
	p.listeners = map[string]app.Func{
		"pointerdown":   app.FuncOf(func(_ app.Value, a []app.Value) any { p.down(ctx, a[0]); return nil }),
		"pointermove":   app.FuncOf(func(_ app.Value, a []app.Value) any { p.move(ctx, a[0]); return nil }),
		"pointerup":     app.FuncOf(func(_ app.Value, a []app.Value) any { p.up(ctx, a[0]); return nil }),
		"pointercancel": app.FuncOf(func(_ app.Value, a []app.Value) any { p.up(ctx, a[0]); return nil }),
	}
	for name, fn := range p.listeners {
		p.canvas.Call("addEventListener", name, fn)
	}
	p.frame = app.FuncOf(func(app.Value, []app.Value) any {
		p.framePend = false
		p.emit(ctx, "your drawing")
		return nil
	})
	page.DigitShown.HandleQuiet(ctx, p.onShown)
	if v := p.Digit.Current(); v != nil {
		p.onShown(ctx, v) // set before the pad was mounted
	}
}

func (p *pad) OnDismount() {
	if p.frame == nil { // prerendered on the server: never mounted in a browser
		return
	}
	for name, fn := range p.listeners {
		p.canvas.Call("removeEventListener", name, fn)
		fn.Release()
	}
	p.frame.Release()
}

func (p *pad) pos(e app.Value) [2]float64 {
	r := p.canvas.Call("getBoundingClientRect")
	return [2]float64{
		(e.Get("clientX").Float() - r.Get("left").Float()) * padSide / r.Get("width").Float(),
		(e.Get("clientY").Float() - r.Get("top").Float()) * padSide / r.Get("height").Float(),
	}
}

func (p *pad) down(ctx app.Context, e app.Value) {
	e.Call("preventDefault")
	if p.shown {
		p.shown = false
		p.strokes = nil
		p.clearCanvas()
		p.Update()
	}
	p.drawing = true
	p.pointerID = e.Get("pointerId").Int()
	p.canvas.Call("setPointerCapture", p.pointerID)
	pt := p.pos(e)
	p.strokes = append(p.strokes, [][2]float64{pt})
	p.dot(pt)
	p.request()
}

func (p *pad) move(ctx app.Context, e app.Value) {
	if !p.drawing || e.Get("pointerId").Int() != p.pointerID {
		return
	}
	pt := p.pos(e)
	s := &p.strokes[len(p.strokes)-1]
	p.segment((*s)[len(*s)-1], pt)
	*s = append(*s, pt)
	p.request()
}

func (p *pad) up(ctx app.Context, e app.Value) {
	if !p.drawing {
		return
	}
	p.drawing = false
	if p.canvas.Call("hasPointerCapture", p.pointerID).Bool() {
		p.canvas.Call("releasePointerCapture", p.pointerID)
	}
	p.Update() // enables "Undo stroke"
}

// request asks for the digit to be recomputed at the next frame.
func (p *pad) request() {
	if !p.framePend {
		p.framePend = true
		app.Window().Call("requestAnimationFrame", p.frame)
	}
}

const penWidth = 22 // MNIST strokes are about 2-3 px of 28 once scaled

func (p *pad) clearCanvas() {
	p.full = true
	p.ctx2d.Set("fillStyle", "#fff")
	p.ctx2d.Call("fillRect", 0, 0, padSide, padSide)
	p.ctx2d.Set("strokeStyle", "#000")
	p.ctx2d.Set("fillStyle", "#000")
	p.ctx2d.Set("lineWidth", penWidth)
	p.ctx2d.Set("lineCap", "round")
	p.ctx2d.Set("lineJoin", "round")
}

// touched marks the box around a and b, and the pen's width, as drawn on.
func (p *pad) touched(a, b [2]float64) {
	const m = penWidth/2 + 2 // and the anti-aliased edge
	box := [4]float64{min(a[0], b[0]) - m, min(a[1], b[1]) - m, max(a[0], b[0]) + m, max(a[1], b[1]) + m}
	if p.dirty[2] <= p.dirty[0] {
		p.dirty = box
		return
	}
	p.dirty = [4]float64{min(p.dirty[0], box[0]), min(p.dirty[1], box[1]), max(p.dirty[2], box[2]), max(p.dirty[3], box[3])}
}

func (p *pad) dot(pt [2]float64) {
	p.touched(pt, pt)
	p.ctx2d.Call("beginPath")
	p.ctx2d.Call("arc", pt[0], pt[1], penWidth/2, 0, 6.2832)
	p.ctx2d.Call("fill")
}

func (p *pad) segment(a, b [2]float64) {
	p.touched(a, b)
	p.ctx2d.Call("beginPath")
	p.ctx2d.Call("moveTo", a[0], a[1])
	p.ctx2d.Call("lineTo", b[0], b[1])
	p.ctx2d.Call("stroke")
}

func (p *pad) redraw() {
	p.clearCanvas()
	for _, s := range p.strokes {
		p.dot(s[0])
		for i := 1; i < len(s); i++ {
			p.segment(s[i-1], s[i])
		}
	}
}

// emit reads the pad, preprocesses the drawing into a 28x28 digit and
// tells the digit's owner.
func (p *pad) emit(ctx app.Context, label string) {
	// Only the part drawn on since the last frame is read, into buffers
	// the pad keeps: a frame's garbage, here and in JavaScript (a whole
	// pad's ImageData is 313 kB), brings the next collection nearer, and
	// Go's runs on the main thread in one piece.
	if len(p.ink) != padSide*padSide {
		p.ink = make([]float64, padSide*padSide)
		p.full = true
	}
	x0, y0, x1, y1 := 0, 0, padSide, padSide
	if !p.full {
		x0, y0 = max(0, int(p.dirty[0])), max(0, int(p.dirty[1]))
		x1, y1 = min(padSide, int(p.dirty[2])+1), min(padSide, int(p.dirty[3])+1)
	}
	p.full, p.dirty = false, [4]float64{}
	if x1 > x0 && y1 > y0 {
		w, h := x1-x0, y1-y0
		data := p.ctx2d.Call("getImageData", x0, y0, w, h).Get("data")
		if len(p.rgba) < 4*w*h {
			p.rgba = make([]byte, 4*padSide*padSide)
		}
		rgba := p.rgba[:4*w*h]
		app.CopyBytesToGo(rgba, data)
		for y := range h {
			row := p.ink[(y0+y)*padSide+x0 : (y0+y)*padSide+x1]
			for x := range row {
				row[x] = 1 - float64(rgba[4*(y*w+x)])/255 // black ink on white
			}
		}
	}
	// The digit's buffer is reused too: the owner copies it.
	if len(p.digit) != pixels.Len {
		p.digit = make([]float64, pixels.Len)
	}
	pixels.Preprocess(p.ink, padSide, padSide, p.digit)
	p.Digit.Set(ctx, p.digit, page.FromPad, label, state.Digit{})
}

// The buttons' handlers re-render the pad alone (the Undo button, the
// hint): go-app would otherwise re-render the pad and every component
// above it, the whole page, after each click (tens of ms and a MB of
// garbage). PreventUpdate stops that; Update asks for the pad's own.

func (p *pad) onClear(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	p.strokes, p.shown = nil, false
	p.clearCanvas()
	p.emit(ctx, "an empty pad")
	p.Update()
}

func (p *pad) onUndo(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	if len(p.strokes) > 0 {
		p.strokes = p.strokes[:len(p.strokes)-1]
	}
	p.redraw()
	p.emit(ctx, "your drawing")
	p.Update()
}

func (p *pad) onClass(ctx app.Context, e app.Event) {
	p.class = ctx.JSSrc().Get("value").String()
	p.onSample(ctx, e)
}

func (p *pad) onSample(ctx app.Context, e app.Event) {
	ctx.PreventUpdate() // nothing shown changes until the worker answers
	label, _ := strconv.Atoi(p.class)
	p.Worker.Send(&protocol.SampleOfClass{Label: label})
}

// onShown shows a digit that came from elsewhere on the pad, enlarged; the
// pad's own drawing is on it already.
func (p *pad) onShown(ctx app.Context, v *page.Shown) {
	if v.From == page.FromPad || p.ctx2d == nil {
		return
	}
	p.strokes, p.shown, p.shownFrom = nil, true, ""
	if v.From != page.FromHeldOut {
		p.shownFrom = v.Label
	}
	p.clearCanvas()
	const cell = padSide / pixels.Side
	for i, b := range v.Clean {
		if b == 0 {
			continue
		}
		g := strconv.Itoa(255 - int(b))
		p.ctx2d.Set("fillStyle", "rgb("+g+","+g+","+g+")")
		p.ctx2d.Call("fillRect", (i%pixels.Side)*cell, (i/pixels.Side)*cell, cell, cell)
	}
	p.ctx2d.Set("fillStyle", "#000")
	p.Update() // the hint names where the digit came from
}
