package ui

import (
	"fmt"
	"time"

	"aeplayground/wasm/bus"
	"aeplayground/wasm/lesson"
	"aeplayground/wasm/page"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// lessonCard shows a lesson step: its words and formula, Play, the one
// thing to try, the live checkpoint, and Back / Next.
type lessonCard struct {
	app.Compo

	Run    *page.LessonRun
	Worker *workerclient.Client
	Ready  bool
	OnGo   func(ctx app.Context, id string) // to another step
	OnTry  func(ctx app.Context)
	// Present is presenter mode; OnPresent turns it on or off (the full
	// lessons have the button, an embed does not).
	Embed     bool
	Present   bool
	OnPresent func(on bool)
	OnExit    func(ctx app.Context)

	redraw bus.Throttle
}

func (c *lessonCard) OnMount(ctx app.Context) {
	workerclient.OnQuiet(ctx, c.onProgress)
	workerclient.CompareProgress.HandleQuiet(ctx, c.onProgress)
	workerclient.OnQuiet(ctx, func(ctx app.Context, _ *protocol.NewModel) {
		if c.Run != nil {
			c.Run.Reset()
			c.Update()
		}
	})
}

// lessonEvery bounds how often the checkpoint's sentence is redrawn.
const lessonEvery = 400 * time.Millisecond

func (c *lessonCard) onProgress(ctx app.Context, p *protocol.Progress) {
	if c.Run == nil {
		return
	}
	was := c.Run.Clock.Running()
	changed := c.Run.Observe(p, time.Now())
	switch {
	case c.Run.Clock.Running() != was:
		c.Update() // Play becomes Pause
	case changed:
		c.redraw.Update(ctx, c, lessonEvery)
	}
}

func (c *lessonCard) onPlay(ctx app.Context, e app.Event) { c.Worker.Send(c.Run.PlayPause()) }

// onBack and onNext read the step at the click: go-app may keep a handler
// from an earlier render, so none captures the render's values.
func (c *lessonCard) onBack(ctx app.Context, e app.Event) { c.step(ctx, -1) }
func (c *lessonCard) onNext(ctx app.Context, e app.Event) { c.step(ctx, +1) }

func (c *lessonCard) step(ctx app.Context, by int) {
	if id, ok := c.Run.Neighbour(by); ok {
		c.OnGo(ctx, id)
	}
}

func (c *lessonCard) onTry(ctx app.Context, e app.Event) {
	c.OnTry(ctx)
}

func (c *lessonCard) Render() app.UI {
	r := c.Run
	if r == nil {
		return app.Section().Class("card lesson-card").Hidden(true)
	}
	s := r.Step
	ids := lesson.IDs()
	text := make([]app.UI, len(s.Text))
	for i, t := range s.Text {
		text[i] = app.P().Text(t)
	}
	play, playLabel := "Play", "Train this step's model"
	if len(s.Models) == 2 {
		playLabel = "Train both models side by side"
	}
	if r.Clock.Running() {
		play, playLabel = "Pause", "Pause training"
	}
	mark, state := "○", "pending"
	if r.Result.Passed {
		mark, state = "✓", "passed"
	}
	return app.Section().Class("card lesson-card").Aria("labelledby", "lesson-title").Body(
		app.P().Class("lesson-count").Text(fmt.Sprintf("Lesson step %d of %d", r.Index+1, len(ids))),
		app.H2().ID("lesson-title").Text(s.Title),
		app.Div().Class("lesson-text").Body(text...),
		app.Div().Class("formula").Body(app.Raw(s.Formula)),
		app.Div().Class("lesson-actions").Body(
			app.Button().ID("lesson-play").Class("primary").Title(playLabel).Disabled(!c.Ready).Text(play).OnClick(c.onPlay),
			app.Button().ID("lesson-try").Title("Try this: "+s.Try.Label).Text("Try: "+s.Try.Label).OnClick(c.onTry),
		),
		app.If(r.Tried, app.P().Class("hint lesson-expect").Text(s.Try.Expect)),
		app.P().ID("checkpoint").Class("checkpoint "+state).Attr("role", "status").Body(
			app.Span().Class("mark").Aria("hidden", "true").Text(mark),
			app.Span().Class("visually-hidden").Text("Checkpoint "+state+": "),
			app.Text(r.Result.Evidence),
		),
		app.Nav().Class("lesson-nav").Aria("label", "Lesson steps").Body(
			app.Button().ID("lesson-back").Text("← Back").Disabled(r.Index == 0).OnClick(c.onBack),
			app.Button().ID("lesson-next").Text("Next →").Disabled(r.Index == len(ids)-1).OnClick(c.onNext),
			app.If(!c.Embed, app.Button().ID("lesson-present").Class("link").Text(presentText(c.Present)).
				Title("Presenter mode: the step fills the screen for a projector; → ← or a clicker move between steps, Space plays, T tries, Escape leaves").
				OnClick(func(ctx app.Context, e app.Event) { c.OnPresent(!c.Present) })),
			app.Button().ID("lesson-exit").Class("link").Text("All panels").Title("Leave the lesson: the whole playground with this model").OnClick(func(ctx app.Context, e app.Event) {
				c.OnExit(ctx)
			}),
		),
	)
}

// presentText is the presenter mode button's text.
func presentText(on bool) string {
	if on {
		return "Leave presenter mode"
	}
	return "Present"
}
