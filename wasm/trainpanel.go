package main

import (
	"fmt"
	"math"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// trainPanel holds play, pause, step and reset, and the counters.
type trainPanel struct {
	app.Compo

	Worker *workerClient
	Ready  bool

	running  bool
	epoch    float64
	samples  float64
	rate     float64
	loss     float64
	test     float64
	arch     string
	params   int
	diverged string
	redraw   throttle
}

// statsEvery bounds how often the counters are re-rendered while training:
// progress comes ~10 times a second.
const statsEvery = 250 * time.Millisecond

func (t *trainPanel) OnMount(ctx app.Context) {
	t.loss, t.test = math.NaN(), math.NaN()
	handleQuiet(ctx, "worker:progress", t.onProgress) // quiet.go: re-rendered by onProgress
	// Quiet like progress, so the three run in the order the worker sent
	// them (quiet and normal handlers are dispatched separately).
	handleQuiet(ctx, "worker:reset", t.onReset)
	handleQuiet(ctx, "worker:diverged", t.onDiverged)
}

func (t *trainPanel) onProgress(ctx app.Context, a app.Action) {
	p, ok := a.Value.(progressMsg)
	if !ok {
		return
	}
	was := t.running
	t.running, t.epoch, t.samples, t.rate, t.loss = p.Running, p.Epoch, p.Samples, p.Rate, p.Loss
	if p.Full {
		t.test = p.TestLoss
	}
	if t.running != was {
		t.redraw.now(t) // the play/pause button
		return
	}
	t.redraw.update(ctx, t, statsEvery)
}

func (t *trainPanel) onReset(ctx app.Context, a app.Action) {
	if r, ok := a.Value.(resetMsg); ok {
		t.arch, t.params, t.diverged = r.Arch, r.Params, ""
		t.loss, t.test = math.NaN(), math.NaN()
	}
	t.redraw.now(t)
}

func (t *trainPanel) onDiverged(ctx app.Context, a app.Action) {
	if s, ok := a.Value.(statusMsg); ok {
		t.diverged, t.running = s.Text, false
	}
	t.redraw.now(t)
}

func (t *trainPanel) play(ctx app.Context, e app.Event) {
	t.diverged = ""
	t.running = true
	t.Worker.send("play", nil)
}

func (t *trainPanel) pause(ctx app.Context, e app.Event) {
	t.running = false
	t.Worker.send("pause", nil)
}

func (t *trainPanel) step(ctx app.Context, e app.Event) { t.Worker.send("step", nil) }

func (t *trainPanel) reset(ctx app.Context, e app.Event) { t.Worker.send("reset", nil) }

func (t *trainPanel) Render() app.UI {
	stat := func(id, label, value string) app.UI {
		return app.Div().Class("stat").Body(
			app.Span().Class("stat-label").Text(label),
			app.Span().ID(id).Class("stat-value").Text(value),
		)
	}
	return app.Section().Class("card train-card").Body(
		app.H2().Text("Train"),
		app.Div().Class("row buttons").Body(
			app.If(!t.running, app.Button().ID("play").Class("primary").Text("▶ Play").Disabled(!t.Ready).OnClick(t.play)).
				Else(app.Button().ID("pause").Class("primary").Text("Pause").OnClick(t.pause)),
			app.Button().ID("step").Text("Step (1 batch)").Disabled(!t.Ready).OnClick(t.step),
			app.Button().ID("reset").Text("Reset").Disabled(!t.Ready).OnClick(t.reset),
		),
		app.Div().Class("stats").Body(
			stat("epoch", "epoch", fmt.Sprintf("%.2f", t.epoch)),
			stat("samples", "samples seen", fmt.Sprintf("%.0f", t.samples)),
			stat("rate", "samples/s", fmt.Sprintf("%.0f", t.rate)),
			stat("train-loss", "train loss", lossText(t.loss)),
			stat("test-loss", "held-out loss", lossText(t.test)),
		),
		app.If(t.arch != "", app.P().Class("hint").Text(fmt.Sprintf("%s, %d parameters. Losses are per-pixel means.", t.arch, t.params))),
		app.If(t.diverged != "", app.P().ID("diverged").Class("error").Attr("role", "alert").Text(t.diverged)),
	)
}

func lossText(v float64) string {
	if !finite(v) {
		return "–"
	}
	return fmt.Sprintf("%.4f", v)
}
