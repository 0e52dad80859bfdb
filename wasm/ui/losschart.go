package ui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"aeplayground/wasm/bus"
	"aeplayground/wasm/lesson"
	"aeplayground/wasm/page"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/ui/plot"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// lossChart plots the training and held-out loss against epochs, with
// PCA's error for the same k on the same held-out digits (for squared error,
// where it applies). Hovering or
// focusing the plot reads out the values at an epoch.
type lossChart struct {
	app.Compo

	// Labels, when set, name two models trained side by side (a lesson's
	// comparison): the chart then plots each one's held-out squared error,
	// comparable whatever their losses, against PCA's floor.
	Labels []string
	// Curve is the held-out figure plotted for the two.
	Curve lesson.Curve

	train, test plot.Series
	cmp         plot.Series // the compared model's held-out squared error
	// ghost is the held-out curve before a lesson's try, kept beside the
	// new model's: what the try is to be compared with. ghostNext: a try
	// was announced, so the next new model keeps the curve.
	ghost      plot.Series
	ghostLabel string
	ghostNext  bool
	floor      float64
	mse        bool
	measured   bool // a progress report has said whether the loss is MSE
	redraw     bus.Throttle
	at         float64   // the epoch read out, NaN when none
	sorted     []float64 // plot.RobustTop's memory
}

// chartEvery bounds how often the curves are redrawn while training (a
// redraw builds paths of up to maxPoints points).
const chartEvery = 500 * time.Millisecond

func (l *lossChart) OnMount(ctx app.Context) {
	l.floor, l.at = math.NaN(), math.NaN()
	workerclient.OnQuiet(ctx, l.onProgress) // package bus: re-rendered by onProgress
	// Quiet like progress, so a reset runs in the worker's order with the
	// new model's progress (quiet and normal handlers are dispatched apart).
	workerclient.CompareProgress.HandleQuiet(ctx, l.onCompare)
	page.Tried.HandleQuiet(ctx, func(ctx app.Context, what string) {
		l.ghostNext, l.ghostLabel = true, "before “"+what+"”"
	})
	workerclient.OnQuiet(ctx, func(ctx app.Context, m *protocol.NewModel) {
		l.ghost = plot.Series{}
		if l.ghostNext && len(l.test.X) > 0 {
			l.ghost = l.test // the new model's curve is a new series: this one is kept as it is
		}
		l.ghostNext = false
		l.train, l.test, l.cmp, l.at, l.floor = plot.Series{}, plot.Series{}, plot.Series{}, math.NaN(), math.NaN()
		for _, h := range m.History { // a loaded model's curves so far
			l.train.Add(h.Epoch, h.Train)
			l.test.Add(h.Epoch, h.Test)
			if plot.Finite(h.PCATest) {
				l.floor = h.PCATest
			}
		}
		l.Update()
	})
}

// comparing reports whether the chart shows two models.
func (l *lossChart) comparing() bool { return len(l.Labels) == 2 }

func (l *lossChart) onCompare(ctx app.Context, p *protocol.Progress) {
	if p.Full && l.comparing() {
		l.cmp.Add(p.Epoch, l.compared(p))
		l.redraw.Update(ctx, l, chartEvery)
	}
}

// compared is the figure plotted for each of two models.
func (l *lossChart) compared(p *protocol.Progress) float64 {
	switch l.Curve {
	case lesson.CorruptedLoss:
		return p.NoisyLoss
	case lesson.Jacobian:
		return p.Jacobian
	}
	return p.TestMSE
}

func (l *lossChart) onProgress(ctx app.Context, p *protocol.Progress) {
	l.train.Add(p.Epoch, p.Loss)
	switch {
	case p.Full && l.comparing():
		l.test.Add(p.Epoch, l.compared(p))
	case p.Full:
		l.test.Add(p.Epoch, p.TestLoss)
	}
	// The line the held-out curve is compared with: PCA's error on the same
	// held-out digits (like for like), once an evaluation has measured it.
	l.mse, l.measured = p.MSE, true
	if p.Full && plot.Finite(p.PCATest) {
		l.floor = p.PCATest
	}
	l.redraw.Update(ctx, l, chartEvery)
}

// pcaKey names the dashed line: PCA of the model's rank, on the digits
// the held-out curve is measured on.
const pcaKey = "PCA, same k, same held-out digits"

// showFloor: PCA's error is a squared error on the clean held-out digits,
// so it is drawn beside a curve of the same.
func (l *lossChart) showFloor() bool {
	if l.comparing() {
		return l.Curve == lesson.CleanError && plot.Finite(l.floor)
	}
	return l.mse && plot.Finite(l.floor)
}

// frame is the plot's geometry for the current curves: the loss axis ends
// at the largest value that is not a spike (plot.RobustTop), or at the floor.
func (l *lossChart) frame() plot.Frame {
	xmax := 1.0
	if n := len(l.train.X); n > 0 {
		xmax = max(xmax, l.train.X[n-1])
	}
	if n := len(l.test.X); n > 0 {
		xmax = max(xmax, l.test.X[n-1])
	}
	if n := len(l.ghost.X); n > 0 {
		xmax = max(xmax, l.ghost.X[n-1])
	}
	curves := [3][]float64{l.train.Y, l.test.Y, l.ghost.Y}
	if l.comparing() {
		curves = [3][]float64{l.test.Y, l.cmp.Y, l.ghost.Y}
	}
	var ymax float64
	ymax, l.sorted = plot.RobustTop(l.sorted, curves[:]...)
	if l.showFloor() {
		ymax = max(ymax, l.floor)
	}
	return plot.Frame{W: 460, H: 240, Left: 60, Right: 14, Top: 14, Bottom: 42, X0: 0, X1: plot.NiceMax(xmax), Y0: 0, Y1: plot.NiceMax(ymax)}
}

// onPointer reads out the epoch under the pointer (a mouse hovering, a
// finger or pen touching).
func (l *lossChart) onPointer(ctx app.Context, e app.Event) {
	r := ctx.JSSrc().Call("getBoundingClientRect")
	w := r.Get("width").Float()
	if w <= 0 || len(l.train.X) == 0 {
		return
	}
	f := l.frame()
	x := f.XAt((e.Get("clientX").Float() - r.Get("left").Float()) * f.W / w)
	l.at = l.train.X[l.train.Nearest(min(max(x, f.X0), f.X1))]
}

// onKey steps the read-out epoch through the training points with the
// arrow keys (Home and End: the first and the last); focusing the plot
// starts at the last.
func (l *lossChart) onKey(ctx app.Context, e app.Event) {
	n := len(l.train.X)
	if n == 0 {
		return
	}
	i := l.train.Nearest(l.at)
	switch e.Get("key").String() {
	case "ArrowLeft", "ArrowDown":
		i = max(i-1, 0)
	case "ArrowRight", "ArrowUp":
		i = min(i+1, n-1)
	case "Home":
		i = 0
	case "End":
		i = n - 1
	case "Escape":
		l.at = math.NaN()
		return
	default:
		return
	}
	e.PreventDefault() // the arrows would scroll the page
	l.at = l.train.X[i]
}

func (l *lossChart) onFocus(ctx app.Context, e app.Event) {
	if n := len(l.train.X); n > 0 && math.IsNaN(l.at) {
		l.at = l.train.X[n-1]
	}
}

func (l *lossChart) onLeave(ctx app.Context, e app.Event) { l.at = math.NaN() }

func (l *lossChart) Render() app.UI {
	f := l.frame()
	showFloor := l.showFloor()
	var floorLine app.UI
	if showFloor {
		floorLine = plot.Shape("path", "floor").Attr("d", f.Path([]float64{f.X0, f.X1}, []float64{l.floor, l.floor}))
	}
	offScale, offText := l.offScale(f)
	cursor, readout := l.readout(f)
	return app.Section().Class("card loss-card").Body(
		app.H2().Text(l.heading()),
		&plot.PNGButton{Name: "loss-curve", Title: "the loss curve"},
		f.SVG(l.describe(), "epoch", l.yLabel(),
			floorLine,
			app.If(len(l.ghost.X) > 0, plot.Shape("path", "line ghost").Attr("d", f.Path(l.ghost.X, l.ghost.Y))),
			app.If(!l.comparing(), plot.Shape("path", "line train").Attr("d", f.Path(l.train.X, l.train.Y))),
			plot.Shape("path", "line test").Attr("d", f.Path(l.test.X, l.test.Y)),
			app.If(l.comparing(), plot.Shape("path", "line cmp").Attr("d", f.Path(l.cmp.X, l.cmp.Y))),
			offScale,
			cursor,
		).TabIndex(0).Aria("describedby", "loss-readout").
			On("pointermove", l.onPointer).On("pointerdown", l.onPointer).On("pointerleave", l.onLeave).
			OnFocus(l.onFocus).OnBlur(l.onLeave).OnKeyDown(l.onKey),
		// Always there, so that the card keeps its height as the pointer
		// comes and goes.
		app.P().ID("loss-readout").Class("chart-readout").Aria("live", "polite").Text(readout),
		app.If(l.comparing(), app.Div().Class("legend").Body(
			app.Span().Class("key test").Text(l.label(0)),
			app.Span().Class("key cmp").Text(l.label(1)),
			app.If(len(l.ghost.X) > 0, app.Span().ID("loss-ghost").Class("key ghost").Text(l.label(0)+", "+l.ghostLabel)),
			app.If(showFloor, app.Span().Class("key floor").Text(pcaKey)),
		)).Else(app.Div().Class("legend").Body(
			app.Span().Class("key train").Text("training"),
			app.Span().Class("key test").Text("held-out"),
			app.If(len(l.ghost.X) > 0, app.Span().ID("loss-ghost").Class("key ghost").Text("held-out, "+l.ghostLabel)),
			app.If(showFloor, app.Span().Class("key floor").Text(pcaKey)),
			app.If(offText != "", app.Span().Class("off-scale").Text(offText)),
			app.If(l.measured && !l.mse, app.Span().Class("hint").Text("PCA's floor is a squared error: choose MSE loss to compare.")),
		)),
	)
}

// label names compared model i (app.If builds both branches: it must not
// fail outside a comparison).
func (l *lossChart) label(i int) string {
	if !l.comparing() {
		return ""
	}
	switch l.Curve {
	case lesson.CorruptedLoss:
		return l.Labels[i] + ", on corrupted held-out digits"
	case lesson.Jacobian:
		return l.Labels[i] + ", mean ‖J‖ over held-out digits"
	}
	return l.Labels[i] + ", held-out squared error"
}

// The chart's heading, its description and the y axis: a loss, unless two
// models' Jacobian norms are compared.
func (l *lossChart) heading() string {
	if l.comparing() && l.Curve == lesson.Jacobian {
		return "Jacobian norm"
	}
	return "Loss"
}

func (l *lossChart) describe() string {
	if l.comparing() && l.Curve == lesson.Jacobian {
		return "Each model's Jacobian norm against epochs"
	}
	return "Training and held-out loss against epochs"
}

func (l *lossChart) yLabel() string {
	switch {
	case !l.comparing():
		return "loss per pixel"
	case l.Curve == lesson.Jacobian:
		return "‖∂h/∂x‖ (Frobenius)"
	case l.Curve == lesson.CleanError:
		return "squared error per pixel"
	}
	return "loss per pixel"
}

// offScale marks each loss above the axis with a triangle at the top edge
// (its line is drawn to the edge, path clamps it), and says in the legend
// what the largest was.
func (l *lossChart) offScale(f plot.Frame) (app.UI, string) {
	var marks []app.UI
	worst, at := math.Inf(-1), 0.0
	curves := []*plot.Series{&l.train, &l.test}
	if l.comparing() {
		curves = []*plot.Series{&l.test, &l.cmp}
	}
	for _, s := range curves {
		for i, v := range s.Y {
			if v <= f.Y1 {
				continue
			}
			x, y := f.X(s.X[i]), f.Y(f.Y1)
			marks = append(marks, plot.Shape("path", "mark").Attr("d", fmt.Sprintf("M%.1f %.1fl-5 8h10z", x, y-1)))
			if v > worst {
				worst, at = v, s.X[i]
			}
		}
	}
	if len(marks) == 0 {
		return nil, ""
	}
	return plot.El("g").Body(marks...), fmt.Sprintf("▲ off the scale: %.4g at epoch %.2f", worst, at)
}

// readout is the cursor at the read-out epoch (a vertical line, a dot on
// each curve) and the values there in words.
func (l *lossChart) readout(f plot.Frame) (app.UI, string) {
	i := l.train.Nearest(l.at)
	if i < 0 {
		return nil, "Point at the plot (or focus it: arrow keys) for the values at an epoch."
	}
	x := l.train.X[i]
	cursor := []app.UI{
		plot.Shape("line", "cursor").Attr("x1", f.X(x)).Attr("x2", f.X(x)).Attr("y1", f.Top).Attr("y2", f.H-f.Bottom),
	}
	if l.comparing() {
		// The two models' held-out curves, each at its nearest evaluation.
		text := fmt.Sprintf("epoch %.2f:", x)
		for k, s := range []*plot.Series{&l.test, &l.cmp} {
			if j := s.Nearest(x); j >= 0 {
				cursor = append(cursor, dot(f, s.X[j], s.Y[j], "dot "+[]string{"test", "cmp"}[k]))
				text += fmt.Sprintf(" %s %.4g (at %.2f) ·", l.Labels[k], s.Y[j], s.X[j])
			}
		}
		if l.showFloor() {
			text += fmt.Sprintf(" PCA %.4g", l.floor)
		}
		return plot.El("g").Body(cursor...), strings.TrimSuffix(text, " ·")
	}
	cursor = append(cursor, dot(f, x, l.train.Y[i], "dot train"))
	text := fmt.Sprintf("epoch %.2f: training %.4g", x, l.train.Y[i])
	if j := l.test.Nearest(x); j >= 0 {
		cursor = append(cursor, dot(f, l.test.X[j], l.test.Y[j], "dot test"))
		// The held-out loss is measured less often: at its own epoch.
		text += fmt.Sprintf(" · held-out %.4g", l.test.Y[j])
		if math.Abs(l.test.X[j]-x) >= 0.005 {
			text += fmt.Sprintf(" (at %.2f)", l.test.X[j])
		}
	}
	if l.showFloor() {
		text += fmt.Sprintf(" · PCA %.4g", l.floor)
	}
	return plot.El("g").Body(cursor...), text
}

// dot marks a curve's point (x, y), at the top edge if y is off the scale.
func dot(f plot.Frame, x, y float64, role string) app.UI {
	return plot.Shape("circle", role).Attr("cx", f.X(x)).Attr("cy", f.Y(min(y, f.Y1))).Attr("r", 4)
}
