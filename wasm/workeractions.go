package main

import (
	"reflect"
	"sync"

	"aeplayground/wasm/protocol"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The worker's actions, typed: a component names the message it handles by
// its type and gets it as that type, and the action's name comes from the
// type's kind, the same definition workerClient posts under, so no name is
// spelled on two sides.

// action is a named action whose value is a V.
type action[V any] string

// post posts v to the action's handlers, quiet ones included.
func (a action[V]) post(ctx app.Context, v V) { postAction(ctx, string(a), v) }

// handle registers h as ctx.Handle does: the component re-renders after it.
func (a action[V]) handle(ctx app.Context, h func(app.Context, V)) {
	handleLoud(ctx, string(a), reflect.ValueOf(h).Pointer(), typed(h))
}

// handleQuiet registers h without the re-render after it (quiet.go).
func (a action[V]) handleQuiet(ctx app.Context, h func(app.Context, V)) {
	handleQuiet(ctx, string(a), typed(h))
}

// typed passes an action's value to h as a V; a value of another type is
// ignored: it cannot be h's.
func typed[V any](h func(app.Context, V)) app.ActionHandler {
	return func(ctx app.Context, a app.Action) {
		if v, ok := a.Value.(V); ok {
			h(ctx, v)
		}
	}
}

// Loud handlers, a component's that re-render it: go-app keys a component's
// handlers of an action by the handler's code (action.go's actionManager),
// the same for every handler typed makes, so a second one would replace the
// first. So go-app gets one handler per component and action, which runs
// that component's, kept here under their own code as go-app would.
type loudKey struct {
	src  app.UI
	name string
}

var loud struct {
	mu       sync.Mutex
	handlers map[loudKey]map[uintptr]app.ActionHandler
}

func handleLoud(ctx app.Context, name string, code uintptr, h app.ActionHandler) {
	k := loudKey{ctx.Src(), name}
	loud.mu.Lock()
	if loud.handlers == nil {
		loud.handlers = map[loudKey]map[uintptr]app.ActionHandler{}
	}
	for old := range loud.handlers {
		if old.src != k.src && !old.src.Mounted() { // go-app drops their handler too
			delete(loud.handlers, old)
		}
	}
	if loud.handlers[k] == nil {
		loud.handlers[k] = map[uintptr]app.ActionHandler{}
	}
	loud.handlers[k][code] = h
	loud.mu.Unlock()
	ctx.Handle(name, func(ctx app.Context, a app.Action) {
		loud.mu.Lock()
		var run []app.ActionHandler
		for _, h := range loud.handlers[k] {
			run = append(run, h)
		}
		loud.mu.Unlock()
		for _, h := range run {
			h(ctx, a)
		}
	})
}

// workerActions are the action names, made once: not a new string per
// message.
var workerActions = map[protocol.Kind]string{}

// workerAction is the action of the worker's messages of kind k: "worker:"
// + its name.
func workerAction(k protocol.Kind) string {
	a, ok := workerActions[k]
	if !ok {
		a = "worker:" + k.String()
		workerActions[k] = a
	}
	return a
}

// actionOf is the action of the worker's messages of type M. A message's
// Kind does not read its receiver, so a nil M has it.
func actionOf[M protocol.Message]() action[M] {
	var m M
	return action[M](workerAction(m.Kind()))
}

// onWorker registers h for the worker's messages of type M; the component
// re-renders after it.
func onWorker[M protocol.Message](ctx app.Context, h func(app.Context, M)) {
	actionOf[M]().handle(ctx, h)
}

// onWorkerQuiet registers h for the worker's messages of type M without the
// re-render after it (quiet.go).
func onWorkerQuiet[M protocol.Message](ctx app.Context, h func(app.Context, M)) {
	actionOf[M]().handleQuiet(ctx, h)
}

// compareProgress is the action of a compared model's progress (a
// lesson's second model): the lesson and the loss chart take it.
const compareProgress action[*protocol.Progress] = "worker:progress-compare"

// workerRestarted tells the page its worker was replaced, or given up on
// (workerwatch.go).
const workerRestarted action[restartedMsg] = "worker:restarted"
