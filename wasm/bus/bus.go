package bus

import (
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Action is a page action whose value is a V. Its name is made once, by
// New, in a package-level variable: posters and handlers share the value,
// never a spelling.
type Action[V any] struct{ name string }

// New makes the action of that name. Two actions of one name are one
// action: a handler gets the values of the V it asks for and ignores others.
func New[V any](name string) Action[V] { return Action[V]{name} }

// Name is the action's name, for logs and tests.
func (a Action[V]) Name() string { return a.name }

// Post runs v's handlers, each on go-app's goroutine in its component's
// context, after the current dispatch.
func (a Action[V]) Post(ctx app.Context, v V) { post(ctx, a.name, v) }

// Handle registers h for the action; its component re-renders after it.
func (a Action[V]) Handle(ctx app.Context, h func(app.Context, V)) {
	c, ok := ctx.Src().(app.Composer)
	if !ok {
		return // a component's context has it as its source; no other handles actions
	}
	a.HandleQuiet(ctx, func(ctx app.Context, v V) {
		h(ctx, v)
		c.Update()
	})
}

// HandleQuiet registers h for the action without the re-render after it: h
// calls its component's Update when what it shows has changed.
func (a Action[V]) HandleQuiet(ctx app.Context, h func(app.Context, V)) {
	register(ctx, a.name, func(ctx app.Context, v any) {
		if v, ok := v.(V); ok {
			h(ctx, v)
		}
	})
}

type handler struct {
	src app.Composer
	h   func(app.Context, any)
}

var registry struct {
	mu       sync.Mutex
	handlers map[string][]handler
}

func register(ctx app.Context, name string, h func(app.Context, any)) {
	c, ok := ctx.Src().(app.Composer)
	if !ok {
		return
	}
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if registry.handlers == nil {
		registry.handlers = map[string][]handler{}
	}
	registry.handlers[name] = append(registry.handlers[name], handler{c, h})
}

func post(ctx app.Context, name string, v any) {
	registry.mu.Lock()
	hs := registry.handlers[name]
	if len(hs) == 0 {
		registry.mu.Unlock()
		return
	}
	live := hs[:0]
	for _, q := range hs {
		if q.src.Mounted() { // a dismounted component's handlers go
			live = append(live, q)
		}
	}
	clear(hs[len(live):])
	registry.handlers[name] = live
	run := append([]handler(nil), live...)
	registry.mu.Unlock()
	for _, q := range run {
		ctx.Dispatcher().Dispatch(app.Dispatch{Mode: app.Next, Source: q.src, Function: func(ctx app.Context) { q.h(quiet{ctx}, v) }})
	}
}

// quiet is a bus handler's context. Its PreventUpdate does nothing: the
// handler's own run re-renders nothing already, and go-app's would also
// cancel an update another handler asked for in the same frame.
type quiet struct{ app.Context }

func (quiet) PreventUpdate() {}

// Run runs fn on go-app's goroutine, as ctx.Dispatch does, but without
// re-rendering the component: for a callback from JavaScript (a promise, a
// timer) into a quiet handler's work.
func Run(ctx app.Context, fn func(app.Context)) {
	ctx.Dispatcher().Dispatch(app.Dispatch{Mode: app.Next, Source: ctx.Src(), Function: func(ctx app.Context) { fn(quiet{ctx}) }})
}

// After runs fn on go-app's goroutine after d, as ctx.After does, but
// without re-rendering the component.
func After(ctx app.Context, d time.Duration, fn func(app.Context)) {
	ctx.Async(func() {
		time.Sleep(d)
		Run(ctx, fn)
	})
}

// Throttle re-renders a component at most once per interval from a quiet
// handler: the first change at once, the later ones of the interval in one
// re-render at its end, so the last state is always shown. The zero value
// is ready.
type Throttle struct {
	last    time.Time
	pending bool
}

// Update re-renders c now, or at the end of the interval.
func (th *Throttle) Update(ctx app.Context, c interface{ Update() }, every time.Duration) {
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
	After(ctx, wait, func(app.Context) {
		th.pending, th.last = false, time.Now()
		c.Update()
	})
}

// Now re-renders at once (a change that must not wait, such as play/pause).
func (th *Throttle) Now(c interface{ Update() }) {
	th.last = time.Now()
	c.Update()
}
