package ui

import (
	"fmt"
	"strings"

	"aeplayground/wasm/api"
	"aeplayground/wasm/lesson"
	"aeplayground/wasm/page"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/state"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Lessons: the page shows one step of package lesson at a time, with its
// models, its corruption and only the panels that show its evidence; the
// link carries the step (#lesson=pca), so a link or an embed opens it.

// lessonFromLink checks the link's lesson step, before the first render: an
// unknown one is named with the link's other errors and ignored.
func (p *playground) lessonFromLink() {
	id := p.link.Lesson
	if id == "" {
		return
	}
	step, i, ok := lesson.ByID(id)
	if !ok {
		p.linkErrs = append(p.linkErrs, &state.KeyError{Key: "lesson", Value: id,
			Err: fmt.Errorf("unknown lesson step (want %s)", strings.Join(lesson.IDs(), ", "))})
		p.link.Lesson = ""
		return
	}
	p.lessonRun = page.NewLessonRun(step, i)
	p.link.Panels = step.Panels
}

// enterLesson makes step id the page's: its models go to the worker (the
// second, if any, trained beside the first), its corruption is shown, and
// only its panels.
func (p *playground) enterLesson(ctx app.Context, id string) bool {
	step, i, ok := lesson.ByID(id)
	if !ok {
		return false
	}
	first, err := step.Config(0)
	if err != nil { // the lesson tests parse every step's models: a build error
		p.note = err.Error()
		return false
	}
	p.compare = p.compare[:0]
	for j := 1; j < len(step.Models); j++ {
		st, err := step.Config(j)
		if err != nil {
			p.note = err.Error()
			return false
		}
		p.compare = append(p.compare, st.Config)
	}
	corrupt, _ := state.Parse("corrupt=" + step.Corrupt)
	if p.lessonRun == nil || p.lessonRun.Step.ID != id {
		p.lessonRun = page.NewLessonRun(step, i)
	}
	p.link.Lesson, p.link.Panels, p.link.Corrupt = id, step.Panels, corrupt.Corrupt
	p.base, p.note = first.Preset, ""
	p.levelTxt, p.noiseErr = "", ""
	p.form = state.NewForm(first.Config)
	p.sendCorrupt(ctx)
	p.applyConfig()
	if p.digit.Current() == nil && p.link.Digit.Kind == "" {
		p.worker.Send(&protocol.SampleOfClass{Label: 3}) // a digit to see through the model from the start
	}
	return true
}

// leaveLesson goes back to the whole playground with the lesson's first
// model (a new model: the compared one is dropped).
func (p *playground) leaveLesson(ctx app.Context) {
	if p.lessonRun == nil {
		return
	}
	p.lessonRun, p.compare = nil, nil
	p.link.Lesson, p.link.Autoplay, p.link.Panels = "", false, p.ownPanels
	p.applyConfig()
}

// goLesson is Back / Next: the step at id, its models untrained.
func (p *playground) goLesson(ctx app.Context, id string) {
	if p.enterLesson(ctx, id) {
		app.Window().Get("document").Call("getElementById", "lesson-title").Call("focus")
	}
}

// tryLesson applies the step's "try this" to its first model.
func (p *playground) tryLesson(ctx app.Context) {
	if r := p.lessonRun; r != nil {
		p.onSet(ctx, r.Step.Try.Set...)
	}
}

// autoplay starts training if the link asks for it (autoplay=1); an embed
// does so when its frame is first shown (embedview.go).
func (p *playground) autoplay() {
	if p.link.Autoplay {
		p.worker.Send(&protocol.Play{})
	}
}

func (p *playground) lessonState() *api.Lesson {
	r := p.lessonRun
	if r == nil {
		return nil
	}
	return &api.Lesson{ID: r.Step.ID, Passed: r.Result.Passed, Evidence: r.Result.Evidence}
}

// lessonMenu is the header's list of steps.
func (p *playground) lessonMenu() app.UI {
	opts := []app.UI{app.Option().Value("").Text("Lessons…").Selected(p.lessonRun == nil)}
	for i, s := range lesson.Steps() {
		opts = append(opts, app.Option().Value(s.ID).Text(fmt.Sprintf("%d. %s", i+1, s.Title)).
			Selected(p.lessonRun != nil && p.lessonRun.Step.ID == s.ID))
	}
	return app.Select().ID("lesson-select").Aria("label", "Lesson step").Body(opts...).
		OnChange(func(ctx app.Context, e app.Event) {
			if id := ctx.JSSrc().Get("value").String(); id != "" {
				p.enterLesson(ctx, id)
			} else {
				p.leaveLesson(ctx)
			}
		})
}
