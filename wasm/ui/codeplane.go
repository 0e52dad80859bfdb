package ui

import (
	"fmt"
	"math"
	"strconv"

	"aeplayground/wasm/protocol"
	"aeplayground/wasm/ui/plot"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// interpSteps is the number of plot.Images of an interpolation, ends included.
const interpSteps = 8

// codePlane is the decoder used as a generator. With a code of two numbers
// (k = 2) every point z of the plane is a code, and the decoder draws the
// digit x̂ = g(W* z + c) there, whether or not any digit was encoded to it:
// the held-out digits' codes are shown as dots, and a click, a drag or the
// arrow keys move the point. Below, two digits picked by class are joined
// by a line in the plane: its decoded points next to PCA's reconstructions
// along the line between the two digits' PCA coefficients (a cross-fade,
// since PCA's reconstruction is affine in its coefficients).
//
// Both are asked of the worker again with each progress report, so they
// change as the model trains. At most one request of each kind is on its
// way: a point moved meanwhile is asked for when the reply comes.
type codePlane struct {
	app.Compo

	Worker *workerclient.Client
	K      int                                 // the settings' code size
	OnSet  func(ctx app.Context, kv ...string) // the page's settings (k = 2)

	pts    []float64 // the held-out codes, 2 per digit (its own copies, reused)
	labels []byte
	k      int // the code size of the model the worker reports on
	dots   [10]string
	frame  plot.Frame

	z        [2]float64 // the point, in code units
	has      bool       // a point has been chosen
	dragging bool
	waiting  bool // a DecodePoint is on its way
	again    bool // the point moved while it was

	from, to             int          // the classes of the interpolation's ends
	ia, ib               int          // their held-out digits, -1 before the codes are known
	waitingI, againI     bool         // as waiting and again, for Interpolate
	digitB, aeB, pcaB    []byte       // the plot.Images shown: own copies, reused
	pcaK                 int          // PCA's rank in the interpolation
	digit, aeRow, pcaRow *plot.Images // their canvases, made once
}

func (c *codePlane) OnMount(ctx app.Context) {
	c.from, c.to, c.ia, c.ib = 3, 8, -1, -1
	c.frame = c.frameFor()
	workerclient.OnQuiet(ctx, c.onProgress)
	workerclient.OnQuiet(ctx, c.onDecoded)
	workerclient.OnQuiet(ctx, c.onInterpolated)
	// A new worker (one that died was replaced) has no request of ours.
	workerclient.OnQuiet(ctx, func(app.Context, *protocol.Ready) { c.waiting, c.waitingI = false, false })
}

func (c *codePlane) OnDismount() { c.digit, c.aeRow, c.pcaRow = nil, nil, nil }

func (c *codePlane) onProgress(ctx app.Context, p *protocol.Progress) {
	was := c.k
	c.k = p.K
	if p.K != 2 {
		if was == 2 { // the codes of another model: not of this plane
			c.pts, c.labels = c.pts[:0], c.labels[:0]
			c.Update()
		}
		return
	}
	if p.Full && len(p.Scatter) >= 2 {
		c.pts, c.labels = append(c.pts[:0], p.Scatter...), append(c.labels[:0], p.ScatterLabels...)
		c.frame = c.frameFor()
		c.drawDots()
		c.ia, c.ib = c.ends()
		c.Update()
	}
	if c.visible() { // the model changed: draw again what is shown
		c.ask()
		c.askInterp()
	}
}

// visible says whether the panel is on screen (not in a hidden slot).
func (c *codePlane) visible() bool {
	if !c.Mounted() {
		return false
	}
	v := c.JSValue()
	return v != nil && v.Truthy() && v.Get("offsetParent").Truthy()
}

// ready says whether the settings and the worker's model both have k = 2:
// a point of two numbers is then a code of the model the worker trains.
func (c *codePlane) ready() bool { return c.K == 2 && c.k == 2 }

// ask sends the point to the worker to decode, unless a request is on its
// way; then the reply asks again.
func (c *codePlane) ask() {
	if !c.has || !c.ready() {
		return
	}
	if c.waiting {
		c.again = true
		return
	}
	c.waiting, c.again = true, false
	c.Worker.Send(&protocol.DecodePoint{Z: []float64{c.z[0], c.z[1]}})
}

func (c *codePlane) onDecoded(ctx app.Context, d *protocol.Decoded) {
	c.waiting = false
	c.digitB = append(c.digitB[:0], d.AE...) // the client reuses its memory
	c.digitImage().Show(ctx, c.digitB, 1)
	if c.again {
		c.ask()
	}
}

// ends are the held-out digits the interpolation joins: the first of each
// chosen class among the plotted ones (the second, if both are the same).
func (c *codePlane) ends() (a, b int) {
	a, b = -1, -1
	for i, l := range c.labels {
		switch {
		case a < 0 && int(l) == c.from:
			a = i
		case b < 0 && int(l) == c.to && i != a:
			b = i
		}
	}
	return a, b
}

func (c *codePlane) askInterp() {
	if !c.ready() || c.ia < 0 || c.ib < 0 {
		return
	}
	if c.waitingI {
		c.againI = true
		return
	}
	c.waitingI, c.againI = true, false
	c.Worker.Send(&protocol.Interpolate{A: c.ia, B: c.ib, Steps: interpSteps})
}

func (c *codePlane) onInterpolated(ctx app.Context, m *protocol.Interpolated) {
	c.waitingI = false
	c.aeB, c.pcaB = append(c.aeB[:0], m.AE...), append(c.pcaB[:0], m.PCA...)
	c.rows()
	c.aeRow.Show(ctx, c.aeB, m.Steps)
	c.pcaRow.Show(ctx, c.pcaB, m.Steps)
	if m.PCAK != c.pcaK {
		c.pcaK = m.PCAK
		c.Update() // the row's label names PCA's rank
	}
	if c.againI {
		c.askInterp()
	}
}

// frameFor is the plane's geometry: the codes' range with a margin, so the
// point can also go a little beyond where any digit was encoded.
func (c *codePlane) frameFor() plot.Frame {
	x0, x1, y0, y1 := plot.PointsRange(c.pts, len(c.pts)/2)
	mx, my := 0.1*(x1-x0), 0.1*(y1-y0)
	return plot.Frame{W: 320, H: 300, Left: 52, Right: 8, Top: 8, Bottom: 40, X0: x0 - mx, X1: x1 + mx, Y0: y0 - my, Y1: y1 + my}
}

// drawDots makes one path per class, a zero-length segment per dot (as
// the code-space scatter does).
func (c *codePlane) drawDots() {
	f := c.frame
	var b []byte
	n := min(len(c.pts)/2, len(c.labels))
	for cl := range c.dots {
		b = b[:0]
		for i := range n {
			x, y := c.pts[2*i], c.pts[2*i+1]
			if int(c.labels[i]) == cl && plot.Finite(x) && plot.Finite(y) {
				b = append(b, 'M')
				b = strconv.AppendFloat(b, f.X(x), 'f', 1, 64)
				b = append(b, ' ')
				b = strconv.AppendFloat(b, f.Y(y), 'f', 1, 64)
				b = append(b, "h0"...)
			}
		}
		c.dots[cl] = string(b)
	}
}

// moveTo puts the point under the pointer, within the plot.
func (c *codePlane) moveTo(ctx app.Context, e app.Event) {
	r := ctx.JSSrc().Call("getBoundingClientRect")
	w, h := r.Get("width").Float(), r.Get("height").Float()
	if w <= 0 || h <= 0 {
		return
	}
	f := c.frame
	x := f.XAt((e.Get("clientX").Float() - r.Get("left").Float()) * f.W / w)
	y := f.YAt((e.Get("clientY").Float() - r.Get("top").Float()) * f.H / h)
	c.set(x, y)
}

// set moves the point, kept inside the plot, and asks for its digit.
func (c *codePlane) set(x, y float64) {
	f := c.frame
	c.z = [2]float64{min(max(x, f.X0), f.X1), min(max(y, f.Y0), f.Y1)}
	c.has = true
	c.ask()
}

func (c *codePlane) onDown(ctx app.Context, e app.Event) {
	e.PreventDefault() // no text selection, no scrolling under a finger
	ctx.JSSrc().Call("setPointerCapture", e.Get("pointerId"))
	ctx.JSSrc().Call("focus")
	c.dragging = true
	c.moveTo(ctx, e)
}

func (c *codePlane) onMove(ctx app.Context, e app.Event) {
	if !c.dragging {
		ctx.PreventUpdate()
		return
	}
	c.moveTo(ctx, e)
}

func (c *codePlane) onUp(ctx app.Context, e app.Event) { c.dragging = false }

// onKey moves the point with the arrow keys, a fortieth of the plot per
// press (a tenth with Shift); Home puts it in the middle.
func (c *codePlane) onKey(ctx app.Context, e app.Event) {
	f := c.frame
	if !c.has {
		c.z = [2]float64{(f.X0 + f.X1) / 2, (f.Y0 + f.Y1) / 2}
	}
	step := 1.0 / 40
	if e.Get("shiftKey").Bool() {
		step = 1.0 / 10
	}
	dx, dy := step*(f.X1-f.X0), step*(f.Y1-f.Y0)
	x, y := c.z[0], c.z[1]
	switch e.Get("key").String() {
	case "ArrowLeft":
		x -= dx
	case "ArrowRight":
		x += dx
	case "ArrowUp":
		y += dy
	case "ArrowDown":
		y -= dy
	case "Home":
		x, y = (f.X0+f.X1)/2, (f.Y0+f.Y1)/2
	default:
		return
	}
	e.PreventDefault() // the arrows would scroll the page
	c.set(x, y)
}

// onFocus shows a point at once, so that the keys have one to move.
func (c *codePlane) onFocus(ctx app.Context, e app.Event) {
	if !c.has {
		f := c.frame
		c.set((f.X0+f.X1)/2, (f.Y0+f.Y1)/2)
	}
}

func (c *codePlane) pick(which *int) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		v, err := strconv.Atoi(ctx.JSSrc().Get("value").String())
		if err != nil || v < 0 || v > 9 {
			return
		}
		*which = v
		c.ia, c.ib = c.ends()
		c.askInterp()
	}
}

func (c *codePlane) digitImage() *plot.Images {
	if c.digit == nil {
		c.digit = &plot.Images{Count: 1, Cols: 1, Label: "The decoder's digit at the point", Class: "big codeplane-digit"}
	}
	return c.digit
}

func (c *codePlane) rows() {
	if c.aeRow == nil {
		c.aeRow = &plot.Images{Count: interpSteps, Cols: interpSteps, Label: "The autoencoder's interpolation", Class: "interp"}
		c.pcaRow = &plot.Images{Count: interpSteps, Cols: interpSteps, Label: "PCA's interpolation", Class: "interp"}
	}
}

func (c *codePlane) Render() app.UI {
	if c.K != 2 {
		return app.Section().Class("card codeplane-card").Body(
			app.H2().Text("The decoder as a generator"),
			app.P().Text("With a code of two numbers every point of a plane is a code, and the decoder draws a digit for each: click anywhere in the plane to see it. That needs k = 2."),
			app.Button().ID("codeplane-k2").Text("Set k = 2").OnClick(func(ctx app.Context, e app.Event) {
				if c.OnSet != nil {
					c.OnSet(ctx, "k", "2")
				}
			}),
		)
	}
	f := c.frame
	body := make([]app.UI, 0, 16)
	for cl, d := range c.dots {
		body = append(body, plot.Shape("path", "dots").Attr("stroke", classColours[cl]).Attr("stroke-width", "3.5").Attr("d", d))
	}
	if c.ia >= 0 && c.ib >= 0 && 2*max(c.ia, c.ib)+1 < len(c.pts) {
		ax, ay, bx, by := f.X(c.pts[2*c.ia]), f.Y(c.pts[2*c.ia+1]), f.X(c.pts[2*c.ib]), f.Y(c.pts[2*c.ib+1])
		body = append(body,
			plot.Shape("path", "target").Attr("d", fmt.Sprintf("M%.1f %.1fL%.1f %.1f", ax, ay, bx, by)),
			ring(ax, ay, 5, "#1b1f24"), ring(bx, by, 5, "#1b1f24"))
	}
	readout := "Click or drag in the plane, or focus it and use the arrow keys, to choose a point."
	if c.has {
		px, py := f.X(c.z[0]), f.Y(c.z[1])
		body = append(body,
			plot.El("path").Attr("d", fmt.Sprintf("M%.1f %.1fh-14M%.1f %.1fh14M%.1f %.1fv-14M%.1f %.1fv14", px-4, py, px+4, py, px, py-4, px, py+4)).
				Attr("stroke", "#1b1f24").Attr("stroke-width", "2"),
			ring(px, py, 7, "#d9480f"))
		readout = fmt.Sprintf("Point (%s, %s): the decoder's digit there is at the right.",
			fixed(c.z[0], f.X1-f.X0), fixed(c.z[1], f.Y1-f.Y0))
	}
	if !c.ready() {
		readout = "Waiting for the model with k = 2…"
	}
	opts := func(sel int) []app.UI {
		o := make([]app.UI, 10)
		for d := range o {
			o[d] = app.Option().Value(strconv.Itoa(d)).Text(strconv.Itoa(d)).Selected(d == sel)
		}
		return o
	}
	c.rows()
	pcaLabel := "PCA"
	if c.pcaK > 0 {
		pcaLabel = fmt.Sprintf("PCA, rank %d", c.pcaK)
	}
	return app.Section().Class("card codeplane-card").Body(
		app.H2().Text("The decoder as a generator"),
		app.Div().Class("codeplane").Body(
			f.SVG("The code plane: held-out digits' codes, coloured by class, and the chosen point", "code unit 1", "code unit 2", body...).
				ID("codeplane").TabIndex(0).Aria("describedby", "codeplane-readout").Style("touch-action", "none").Style("cursor", "crosshair").
				On("pointerdown", c.onDown).On("pointermove", c.onMove).On("pointerup", c.onUp).On("pointercancel", c.onUp).
				OnKeyDown(c.onKey).OnFocus(c.onFocus),
			app.Figure().Class("digit").Body(c.digitImage(), app.FigCaption().Text("decoded")),
		),
		app.P().ID("codeplane-readout").Class("chart-readout").Aria("live", "polite").Text(readout),
		app.Div().Class("interp-pick").Body(
			app.Label().For("interp-from").Text("From a "),
			app.Select().ID("interp-from").Body(opts(c.from)...).OnChange(c.pick(&c.from)),
			app.Label().For("interp-to").Text(" to a "),
			app.Select().ID("interp-to").Body(opts(c.to)...).OnChange(c.pick(&c.to)),
		),
		app.Div().Class("interp-rows").Body(
			app.Span().Text("autoencoder"), c.aeRow,
			app.Span().Text(pcaLabel), c.pcaRow,
		),
		app.P().Class("hint").Text("Between two held-out digits: the decoder at points along the line between their codes, and PCA along the line between its coefficients, which only cross-fades the two."),
	)
}

// ring is an unfilled circle around a point of the plane.
func ring(x, y, r float64, colour string) app.UI {
	return plot.El("circle").Attr("cx", fmt.Sprintf("%.1f", x)).Attr("cy", fmt.Sprintf("%.1f", y)).Attr("r", fmt.Sprint(r)).
		Attr("fill", "none").Attr("stroke", colour).Attr("stroke-width", "2")
}

// fixed writes v with enough decimals to tell apart points a fortieth of
// span apart (an arrow key's step).
func fixed(v, span float64) string {
	d := 2
	if span > 0 && plot.Finite(span) {
		d = max(0, 3-int(math.Floor(math.Log10(span))))
	}
	return strconv.FormatFloat(v, 'f', d, 64)
}
