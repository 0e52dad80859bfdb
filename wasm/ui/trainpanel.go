package ui

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"aeplayground/wasm/bus"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/ui/plot"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// trainPanel holds play, pause, step and reset, and the counters.
type trainPanel struct {
	app.Compo

	Worker *workerclient.Client
	Ready  bool
	// Want is the architecture of the settings last sent to the worker
	// (ae.Config.Arch); Refused says the worker refused them.
	Want    string
	Refused bool

	running  bool
	epoch    float64
	samples  int64
	rate     float64
	loss     float64
	test     float64
	arch     string
	params   int
	diverged string
	redraw   bus.Throttle
	stats    *trainStats // re-rendered on its own while training
}

// statsEvery bounds how often the counters are re-rendered while training:
// progress comes ~10 times a second.
const statsEvery = 250 * time.Millisecond

func (t *trainPanel) OnMount(ctx app.Context) {
	t.loss, t.test = math.NaN(), math.NaN()
	workerclient.OnQuiet(ctx, t.onProgress) // package bus: re-rendered by onProgress
	// Quiet like progress, so the three run in the order the worker sent
	// them (quiet and normal handlers are dispatched separately).
	workerclient.OnQuiet(ctx, t.onReset)
	workerclient.OnQuiet(ctx, t.onDiverged)
}

func (t *trainPanel) onProgress(ctx app.Context, p *protocol.Progress) {
	was := t.running
	t.running, t.epoch, t.samples, t.rate, t.loss = p.Running, p.Epoch, p.Samples, p.Rate, p.Loss
	if p.Full {
		t.test = p.TestLoss
	}
	if t.running != was {
		t.Update()                              // the play/pause button
		t.redraw.Now(statsWriter{t.counters()}) // and the counters with it
		return
	}
	t.redraw.Update(ctx, statsWriter{t.counters()}, statsEvery)
}

func (t *trainPanel) onReset(ctx app.Context, r *protocol.NewModel) {
	t.arch, t.params, t.diverged = r.Arch, r.Params, ""
	t.loss, t.test = math.NaN(), math.NaN()
	t.Update()
	t.redraw.Now(statsWriter{t.counters()})
}

func (t *trainPanel) onDiverged(ctx app.Context, s *protocol.Diverged) {
	t.diverged, t.running = s.Text, false
	t.Update()
	t.redraw.Now(statsWriter{t.counters()})
}

func (t *trainPanel) OnDismount() { t.stats = nil }

// counters is the panel's counters, made once.
func (t *trainPanel) counters() *trainStats {
	if t.stats == nil {
		t.stats = &trainStats{panel: t}
	}
	return t.stats
}

// trainStats shows the panel's counters. It is rendered once: while
// training the values are written into the text of the mounted value spans
// (write), a few times a second, which rebuilds no elements and makes no
// garbage but the changed values' strings (a re-render of the five made
// about 10 KB each time; wasm/e2e/longtask_test.go counts the page's
// allocations).
type trainStats struct {
	app.Compo

	panel *trainPanel
	spans [len(statNames)]app.HTMLSpan // the first rendering's, the mounted ones
	shown [len(statNames)]string       // what they show
}

// statNames are the counters' element IDs and labels, in order.
var statNames = [...]struct{ id, label string }{
	{"epoch", "epoch"}, {"samples", "samples seen"}, {"rate", "samples/s"},
	{"train-loss", "train loss"}, {"test-loss", "held-out loss"},
}

func (s *trainStats) Render() app.UI {
	stats := make([]app.UI, len(statNames))
	for i, st := range statNames {
		span := app.Span().ID(st.id).Class("stat-value")
		if s.spans[i] == nil {
			s.spans[i] = span
		}
		stats[i] = app.Div().Class("stat").Body(app.Span().Class("stat-label").Text(st.label), span)
	}
	return app.Div().Class("stats").Body(stats...)
}

func (s *trainStats) OnMount(ctx app.Context) {
	s.shown = [len(statNames)]string{}
	s.write()
}

// write shows the panel's current values in the spans that changed.
func (s *trainStats) write() {
	if !s.Mounted() {
		return
	}
	t := s.panel
	values := [len(statNames)]string{fmt.Sprintf("%.2f", t.epoch), strconv.FormatInt(t.samples, 10), fmt.Sprintf("%.0f", t.rate), lossText(t.loss), lossText(t.test)}
	for i, v := range values {
		if v != s.shown[i] {
			s.spans[i].JSValue().Set("textContent", v)
			s.shown[i] = v
		}
	}
}

// statsWriter is what the panel's throttle updates: the counters' write,
// not a re-render.
type statsWriter struct{ s *trainStats }

func (w statsWriter) Update() { w.s.write() }

// The buttons re-render only this panel: after an event handler go-app
// re-renders its component and every one above it, the whole page, unless
// the handler calls PreventUpdate (as the pad's buttons do, pad.go).

func (t *trainPanel) play(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	t.diverged = ""
	t.running = true
	t.Worker.Send(&protocol.Play{})
	t.Update()
}

func (t *trainPanel) pause(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	t.running = false
	t.Worker.Send(&protocol.Pause{})
	t.Update()
}

func (t *trainPanel) step(ctx app.Context, e app.Event) {
	ctx.PreventUpdate() // the worker's progress shows the step
	t.Worker.Send(&protocol.Step{N: 1})
}

func (t *trainPanel) reset(ctx app.Context, e app.Event) {
	ctx.PreventUpdate() // the worker's reset message clears the panels
	t.Worker.Send(&protocol.Reset{})
}

func (t *trainPanel) Render() app.UI {
	return app.Section().Class("card train-card").Body(
		app.H2().Text("Train"),
		app.Div().Class("row buttons").Body(
			app.If(!t.running, app.Button().ID("play").Class("primary").Text("▶ Play").Disabled(!t.Ready).OnClick(t.play)).
				Else(app.Button().ID("pause").Class("primary").Text("Pause").OnClick(t.pause)),
			app.Button().ID("step").Text("Step (1 batch)").Disabled(!t.Ready).OnClick(t.step),
			app.Button().ID("reset").Text("Reset").Disabled(!t.Ready).OnClick(t.reset),
		),
		t.counters(),
		app.If(t.Ready && (t.arch != "" || t.Want != ""), app.P().ID("arch").Class("hint").Text(archLine(t.Want, t.arch, t.params, t.Refused))),
		app.If(t.diverged != "", app.P().ID("diverged").Class("error").Attr("role", "alert").Text(t.diverged)),
	)
}

// archLine is the line under the counters: the architecture of the model
// the worker last built (built, from its NewModel), or, while that is not
// yet the one the page asked for (want), that a new model is being built.
func archLine(want, built string, params int, refused bool) string {
	if built == "" || (want != "" && want != built && !refused) {
		return "Building the new model…"
	}
	return fmt.Sprintf("%s, %d parameters. Losses are per-pixel means.", built, params)
}

func lossText(v float64) string {
	if !plot.Finite(v) {
		return "–"
	}
	return fmt.Sprintf("%.4f", v)
}
