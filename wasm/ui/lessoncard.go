package ui

import (
	"fmt"
	"slices"
	"time"

	"aeplayground/engine/compare"
	"aeplayground/wasm/bus"
	"aeplayground/wasm/lesson"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// lessonRun is the lesson step the page shows and what its checkpoint has
// seen of the step's models: each one's last evaluation, and the time
// spent training since they were made.
type lessonRun struct {
	step  lesson.Step
	index int
	live  lesson.Live

	result lesson.Result
	clock  trainClock
	tried  bool // the try action was pressed: its expectation is shown
}

func newLessonRun(step lesson.Step, index int) *lessonRun {
	r := &lessonRun{step: step, index: index}
	r.reset()
	return r
}

// reset starts the checkpoint again: new models.
func (r *lessonRun) reset() {
	r.live, r.clock = lesson.Live{}, trainClock{}
	r.result = r.step.Check(r.live)
}

// observe takes a progress report of model p.Model and says whether the
// verdict or its sentence changed.
func (r *lessonRun) observe(p *protocol.Progress, now time.Time) bool {
	if p.Model == 0 {
		r.clock.observe(p.Running, now)
	}
	if !p.Full || p.Model >= len(r.step.Models) {
		return false
	}
	for len(r.live.Models) <= p.Model {
		r.live.Models = append(r.live.Models, compare.Report{})
	}
	r.live.Models[p.Model] = report(p)
	r.live.Seconds = r.clock.seconds(now)
	res := r.step.Check(r.live)
	changed := res != r.result
	r.result = res
	return changed
}

// report is the evaluation a progress report carries, its slices copied
// (they are the decoder's, reused by the next report).
func report(p *protocol.Progress) compare.Report {
	return compare.Report{
		Epoch: p.Epoch, K: p.K, Parameters: p.Params,
		TestLoss: p.TestLoss, TestMSE: p.TestMSE, PCATest: p.PCATest, NoisyLoss: p.NoisyLoss,
		OutMin: p.OutMin, OutMax: p.OutMax, Angles: slices.Clone(p.Angles), RhoHat: slices.Clone(p.RhoHat),
		Rho: p.Rho, Jacobian: p.Jacobian, Orthonormal: p.Orthonormal,
	}
}

// lessonCard shows a lesson step: its words and formula, Play, the one
// thing to try, the live checkpoint, and Back / Next.
type lessonCard struct {
	app.Compo

	Run    *lessonRun
	Worker *workerclient.Client
	Ready  bool
	OnGo   func(ctx app.Context, id string) // to another step
	OnTry  func(ctx app.Context)
	OnExit func(ctx app.Context)

	redraw bus.Throttle
}

func (c *lessonCard) OnMount(ctx app.Context) {
	workerclient.OnQuiet(ctx, c.onProgress)
	workerclient.CompareProgress.HandleQuiet(ctx, c.onProgress)
	workerclient.OnQuiet(ctx, func(ctx app.Context, _ *protocol.NewModel) {
		if c.Run != nil {
			c.Run.reset()
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
	was := c.Run.clock.running
	changed := c.Run.observe(p, time.Now())
	switch {
	case c.Run.clock.running != was:
		c.Update() // Play becomes Pause
	case changed:
		c.redraw.Update(ctx, c, lessonEvery)
	}
}

func (c *lessonCard) onPlay(ctx app.Context, e app.Event) {
	if c.Run.clock.running {
		c.Worker.Send(&protocol.Pause{})
		return
	}
	c.Worker.Send(&protocol.Play{})
}

// onBack and onNext read the step at the click: go-app may keep a handler
// from an earlier render, so none captures the render's values.
func (c *lessonCard) onBack(ctx app.Context, e app.Event) { c.step(ctx, -1) }
func (c *lessonCard) onNext(ctx app.Context, e app.Event) { c.step(ctx, +1) }

func (c *lessonCard) step(ctx app.Context, by int) {
	ids := lesson.IDs()
	if i := c.Run.index + by; i >= 0 && i < len(ids) {
		c.OnGo(ctx, ids[i])
	}
}

func (c *lessonCard) onTry(ctx app.Context, e app.Event) {
	c.Run.tried = true
	c.OnTry(ctx)
}

func (c *lessonCard) Render() app.UI {
	r := c.Run
	if r == nil {
		return app.Section().Class("card lesson-card").Hidden(true)
	}
	s := r.step
	ids := lesson.IDs()
	text := make([]app.UI, len(s.Text))
	for i, t := range s.Text {
		text[i] = app.P().Text(t)
	}
	play, playLabel := "Play", "Train this step's model"
	if len(s.Models) == 2 {
		playLabel = "Train both models side by side"
	}
	if r.clock.running {
		play, playLabel = "Pause", "Pause training"
	}
	mark, state := "○", "pending"
	if r.result.Passed {
		mark, state = "✓", "passed"
	}
	return app.Section().Class("card lesson-card").Aria("labelledby", "lesson-title").Body(
		app.P().Class("lesson-count").Text(fmt.Sprintf("Lesson step %d of %d", r.index+1, len(ids))),
		app.H2().ID("lesson-title").Text(s.Title),
		app.Div().Class("lesson-text").Body(text...),
		app.Div().Class("formula").Body(app.Raw(s.Formula)),
		app.Div().Class("lesson-actions").Body(
			app.Button().ID("lesson-play").Class("primary").Title(playLabel).Disabled(!c.Ready).Text(play).OnClick(c.onPlay),
			app.Button().ID("lesson-try").Title("Try this: "+s.Try.Label).Text("Try: "+s.Try.Label).OnClick(c.onTry),
		),
		app.If(r.tried, app.P().Class("hint lesson-expect").Text(s.Try.Expect)),
		app.P().ID("checkpoint").Class("checkpoint "+state).Attr("role", "status").Body(
			app.Span().Class("mark").Aria("hidden", "true").Text(mark),
			app.Span().Class("visually-hidden").Text("Checkpoint "+state+": "),
			app.Text(r.result.Evidence),
		),
		app.Nav().Class("lesson-nav").Aria("label", "Lesson steps").Body(
			app.Button().ID("lesson-back").Text("← Back").Disabled(r.index == 0).OnClick(c.onBack),
			app.Button().ID("lesson-next").Text("Next →").Disabled(r.index == len(ids)-1).OnClick(c.onNext),
			app.Button().ID("lesson-exit").Class("link").Text("All panels").Title("Leave the lesson: the whole playground with this model").OnClick(func(ctx app.Context, e app.Event) {
				c.OnExit(ctx)
			}),
		),
	)
}
