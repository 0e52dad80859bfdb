package ui

import (
	"aeplayground/wasm/protocol"

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
