package ui

import (
	"fmt"

	"aeplayground/wasm/lesson"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Lessons on the screen: the header's menu of steps, and Back / Next,
// which move the focus to the step's title. A step's state is the demo's
// (page.Demo, page.LessonRun).

// goLesson is Back / Next: the step at id, its models untrained.
func (p *playground) goLesson(ctx app.Context, id string) {
	if p.demo.EnterLesson(ctx, id) {
		app.Window().Get("document").Call("getElementById", "lesson-title").Call("focus")
	}
}

// lessonMenu is the header's list of steps.
func (p *playground) lessonMenu() app.UI {
	run := p.demo.Lesson
	opts := []app.UI{app.Option().Value("").Text("Lessons…").Selected(run == nil)}
	for i, s := range lesson.Steps() {
		opts = append(opts, app.Option().Value(s.ID).Text(fmt.Sprintf("%d. %s", i+1, s.Title)).
			Selected(run != nil && run.Step.ID == s.ID))
	}
	return app.Select().ID("lesson-select").Aria("label", "Lesson step").Body(opts...).
		OnChange(func(ctx app.Context, e app.Event) {
			if id := ctx.JSSrc().Get("value").String(); id != "" {
				p.demo.EnterLesson(ctx, id)
			} else {
				p.demo.LeaveLesson()
			}
		})
}
