package ui

import (
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// An embed is one of possibly many frames on a host page (the lecture
// page holds nine), so it costs little until it is looked at: its worker,
// with its digits, PCA and model, starts when the frame is first shown or
// played, and a frame that leaves the view pauses. An IntersectionObserver
// in the frame with no root sees the frame's part of the top page's
// viewport, whatever the host's origin.

// embedView is what an embed knows of its frame's visibility.
type embedView struct {
	onChange app.Func
	observer app.Value
	shown    bool // shown at least once
}

// watchView starts the embed's observer; the worker waits for it (or for
// Play) and the page can be played meanwhile.
func (p *playground) watchView(ctx app.Context) {
	p.ready, p.status = true, ""
	v := &embedView{}
	p.view = v
	v.onChange = app.FuncOf(func(_ app.Value, args []app.Value) any {
		entries := args[0]
		if n := entries.Length(); n > 0 {
			in := entries.Index(n - 1).Get("isIntersecting").Bool()
			ctx.Dispatch(func(ctx app.Context) { p.onView(in) })
		}
		return nil
	})
	v.observer = app.Window().Get("IntersectionObserver").New(v.onChange)
	v.observer.Call("observe", app.Window().Get("document").Get("body"))
}

// onView starts the worker when the frame is first shown (and plays, if
// the link says autoplay=1), and pauses it when the frame leaves the view.
func (p *playground) onView(in bool) {
	v := p.view
	switch {
	case in && !v.shown:
		v.shown = true
		p.worker.Start()
		p.demo.Autoplay()
	case !in && p.worker.Started():
		p.worker.Send(&protocol.Pause{})
	}
}

func (v *embedView) close() {
	if v == nil {
		return
	}
	v.observer.Call("disconnect")
	v.onChange.Release()
}

// embedPlay is the compact Play/Pause of an embed whose panels leave out
// the train panel: every embed can be trained on its own.
type embedPlay struct {
	app.Compo

	Worker  *workerclient.Client
	Ready   bool
	running bool
}

func (e *embedPlay) OnMount(ctx app.Context) {
	workerclient.OnQuiet(ctx, func(ctx app.Context, p *protocol.Progress) {
		if p.Model == 0 && p.Running != e.running {
			e.running = p.Running
			e.Update()
		}
	})
}

func (e *embedPlay) Render() app.UI {
	text, title := "▶ Play", "Train the model"
	if e.running {
		text, title = "❚❚ Pause", "Pause training"
	}
	return app.Button().ID("embed-play").Class("primary compact").Title(title).Disabled(!e.Ready).Text(text).
		OnClick(func(ctx app.Context, ev app.Event) {
			if e.running {
				e.Worker.Send(&protocol.Pause{})
				return
			}
			e.Worker.Send(&protocol.Play{})
		})
}

// lectureLink opens the lecture notes (lecture.html, beside the page, so
// under any path). The browser follows it: go-app's router, which takes
// every link's click on the window, knows no such page.
func lectureLink() app.UI {
	return app.A().ID("lecture-link").Href("lecture.html").Text("Lecture notes").
		Title("The survey's sections as notes, each with its lesson step live").
		OnClick(func(ctx app.Context, e app.Event) { e.Call("stopPropagation") })
}
