package main

import (
	"math"
	"time"

	"aeplayground/wasm/protocol"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// maxPoints bounds a curve: older points are thinned out to keep each
// re-render cheap however long the run.
const maxPoints = 300

// series is a curve that thins itself to at most maxPoints points.
type series struct{ X, Y []float64 }

func (s *series) add(x, y float64) {
	if !finite(y) {
		return
	}
	s.X, s.Y = append(s.X, x), append(s.Y, y)
	if len(s.X) > maxPoints {
		n := 0
		for i := 0; i < len(s.X); i += 2 {
			s.X[n], s.Y[n] = s.X[i], s.Y[i]
			n++
		}
		s.X, s.Y = s.X[:n], s.Y[:n]
	}
}

func (s *series) max() float64 {
	m := 0.0
	for _, v := range s.Y {
		m = max(m, v)
	}
	return m
}

// lossChart plots the training and held-out loss against epochs, with PCA's
// floor for the same k (for squared error, where it applies).
type lossChart struct {
	app.Compo

	train, test series
	floor       float64
	mse         bool
	redraw      throttle
}

// chartEvery bounds how often the curves are redrawn while training (a
// redraw builds paths of up to maxPoints points).
const chartEvery = 500 * time.Millisecond

func (l *lossChart) OnMount(ctx app.Context) {
	l.floor = math.NaN()
	handleQuiet(ctx, "worker:progress", l.onProgress) // quiet.go: re-rendered by onProgress
	// Quiet like progress, so a reset runs in the worker's order with the
	// new model's progress (quiet and normal handlers are dispatched apart).
	handleQuiet(ctx, "worker:new-model", func(ctx app.Context, a app.Action) { l.train, l.test = series{}, series{}; l.Update() })
}

func (l *lossChart) onProgress(ctx app.Context, a app.Action) {
	p, ok := a.Value.(*protocol.Progress)
	if !ok {
		return
	}
	l.train.add(p.Epoch, p.Loss)
	if p.Full {
		l.test.add(p.Epoch, p.TestLoss)
	}
	l.floor, l.mse = p.Floor, p.MSE
	l.redraw.update(ctx, l, chartEvery)
}

func (l *lossChart) Render() app.UI {
	xmax := 1.0
	if n := len(l.train.X); n > 0 {
		xmax = max(xmax, l.train.X[n-1])
	}
	if n := len(l.test.X); n > 0 {
		xmax = max(xmax, l.test.X[n-1])
	}
	ymax := max(l.train.max(), l.test.max())
	showFloor := l.mse && finite(l.floor)
	if showFloor {
		ymax = max(ymax, l.floor)
	}
	f := plotFrame{W: 460, H: 240, Left: 60, Right: 10, Top: 10, Bottom: 42, X0: 0, X1: niceMax(xmax), Y0: 0, Y1: niceMax(ymax)}
	var floorLine app.UI
	if showFloor {
		floorLine = svgShape("path", "floor").Attr("d", f.path([]float64{f.X0, f.X1}, []float64{l.floor, l.floor}))
	}
	return app.Section().Class("card loss-card").Body(
		app.H2().Text("Loss"),
		&pngButton{Name: "loss-curve", Title: "the loss curve"},
		f.svgPlot("Training and held-out loss against epochs", "epoch", "loss per pixel",
			floorLine,
			svgShape("path", "line train").Attr("d", f.path(l.train.X, l.train.Y)),
			svgShape("path", "line test").Attr("d", f.path(l.test.X, l.test.Y)),
		),
		app.Div().Class("legend").Body(
			app.Span().Class("key train").Text("training"),
			app.Span().Class("key test").Text("held-out"),
			app.If(showFloor, app.Span().Class("key floor").Text("PCA floor for this k")),
			app.If(!showFloor, app.Span().Class("hint").Text("PCA's floor is a squared error: choose MSE loss to compare.")),
		),
	)
}
