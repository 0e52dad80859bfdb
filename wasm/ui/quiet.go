package ui

import (
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Quiet handlers: go-app v9.8.0 re-renders a component after each action it
// handles even when the handler called ctx.PreventUpdate, because
// engine.handleDispatch marks the component for update after running the
// handler, undoing the handler's PreventUpdate. A handler on the playground
// re-rendered the whole page (every panel, every plot) on each drawing frame
// and each progress message: 30 to 120 ms of the main thread, measured with
// wasm/e2e_longtask_test.go. So the page's frequent actions ("digit" and the
// worker's messages) go only to quiet handlers, which run on go-app's
// goroutine like any other but re-render nothing unless they call their
// component's Update (a typed handler of workeractions.go that re-renders
// calls it after each message).

type quietHandler struct {
	src app.Composer
	h   app.ActionHandler
}

var quiet struct {
	mu       sync.Mutex
	handlers map[string][]quietHandler
}

// handleQuiet registers h for the action named name, as ctx.Handle does,
// without the re-render after it: h calls its component's Update when what it
// shows has changed. Only actions posted with postAction reach it, and
// postAction reaches only these: the actions it posts have no handler of
// ctx.Handle, so go-app's action manager is not asked.
func handleQuiet(ctx app.Context, name string, h app.ActionHandler) {
	c, ok := ctx.Src().(app.Composer)
	if !ok {
		return // a component's context has it as its source; no other handles actions
	}
	quiet.mu.Lock()
	defer quiet.mu.Unlock()
	if quiet.handlers == nil {
		quiet.handlers = map[string][]quietHandler{}
	}
	quiet.handlers[name] = append(quiet.handlers[name], quietHandler{c, h})
}

// postAction posts an action to its quiet handlers.
func postAction(ctx app.Context, name string, v any) {
	quiet.mu.Lock()
	hs := quiet.handlers[name]
	if len(hs) == 0 {
		quiet.mu.Unlock()
		return
	}
	live := hs[:0]
	for _, q := range hs {
		if q.src.Mounted() { // a dismounted component's handlers go
			live = append(live, q)
		}
	}
	clear(hs[len(live):])
	quiet.handlers[name] = live
	run := append([]quietHandler(nil), live...)
	quiet.mu.Unlock()
	a := app.Action{Name: name, Value: v}
	for _, q := range run {
		ctx.Dispatcher().Dispatch(app.Dispatch{Mode: app.Next, Source: q.src, Function: func(ctx app.Context) { q.h(quietContext{ctx}, a) }})
	}
}

// quietContext is a quiet handler's context. Its PreventUpdate does nothing:
// the handler's own run re-renders nothing already, and go-app's would also
// cancel an update another handler asked for in the same frame.
type quietContext struct{ app.Context }

func (quietContext) PreventUpdate() {}

// afterQuiet runs fn on go-app's goroutine after d, as ctx.After does, but
// without re-rendering the component.
func afterQuiet(ctx app.Context, d time.Duration, fn func(app.Context)) {
	src := ctx.Src()
	ctx.Async(func() {
		time.Sleep(d)
		ctx.Dispatcher().Dispatch(app.Dispatch{Mode: app.Next, Source: src, Function: func(ctx app.Context) { fn(quietContext{ctx}) }})
	})
}

// throttle re-renders a component at most once per interval from a quiet
// handler: the first change at once, the later ones of the interval in one
// re-render at its end, so the last state is always shown.
type throttle struct {
	last    time.Time
	pending bool
}

func (th *throttle) update(ctx app.Context, c interface{ Update() }, every time.Duration) {
	if th.pending {
		return
	}
	wait := every - time.Since(th.last)
	if wait <= 0 {
		th.last = time.Now()
		c.Update()
		return
	}
	th.pending = true
	afterQuiet(ctx, wait, func(app.Context) {
		th.pending, th.last = false, time.Now()
		c.Update()
	})
}

// now re-renders at once (a change that must not wait, such as play/pause).
func (th *throttle) now(c interface{ Update() }) {
	th.last = time.Now()
	c.Update()
}
