package ui

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// presenterKeys are the keys of presenter mode, the ones a presenter's
// clicker sends: → and PageDown go to the next step, ← and PageUp back,
// Space plays and pauses, T runs the step's try, Escape leaves the mode.
// The page listens on the window; keys typed into a field are the field's.
type presenterKeys struct {
	onKey app.Func
}

func (p *playground) listenPresenterKeys(ctx app.Context) *presenterKeys {
	k := &presenterKeys{}
	k.onKey = app.FuncOf(func(_ app.Value, args []app.Value) any {
		if len(args) == 0 {
			return nil
		}
		e := args[0]
		if e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() || e.Get("altKey").Bool() {
			return nil
		}
		switch e.Get("target").Get("tagName").String() {
		case "INPUT", "SELECT", "TEXTAREA":
			return nil
		}
		key := e.Get("key").String()
		ctx.Dispatch(func(ctx app.Context) {
			if p.presentKey(ctx, key) {
				e.Call("preventDefault")
			}
		})
		return nil
	})
	app.Window().Call("addEventListener", "keydown", k.onKey)
	return k
}

// presentKey does what key does in presenter mode, and reports whether it
// did anything.
func (p *playground) presentKey(ctx app.Context, key string) bool {
	d := p.demo
	if !d.Presenting() {
		return false
	}
	run, by := d.Lesson, 0
	switch key {
	case "ArrowRight", "PageDown":
		by = +1
	case "ArrowLeft", "PageUp":
		by = -1
	case " ":
		if p.ready || run.Clock.Running() { // as the card's Play, disabled until the worker is ready
			p.worker.Send(run.PlayPause())
		}
	case "t", "T":
		d.TryLesson(ctx)
	case "Escape":
		d.SetPresent(false)
	default:
		return false
	}
	if id, ok := run.Neighbour(by); by != 0 && ok {
		p.goLesson(ctx, id)
	}
	return true
}

func (k *presenterKeys) close() {
	if k == nil {
		return
	}
	app.Window().Call("removeEventListener", "keydown", k.onKey)
	k.onKey.Release()
}
