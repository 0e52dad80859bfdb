package ui

import (
	"aeplayground/wasm/protocol"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The worker's actions, typed: a component names the message it handles by
// its type and gets it as that type, and the action's name comes from the
// type's kind, the same definition workerClient posts under, so no name is
// spelled on two sides.

// action is a named action whose value is a V.
type action[V any] string

// post posts v to the action's handlers.
func (a action[V]) post(ctx app.Context, v V) { postAction(ctx, string(a), v) }

// handle registers h for the action; its component re-renders after it, as
// after a handler of ctx.Handle. It is a quiet handler that asks for the
// re-render itself: go-app keys a component's handlers of an action by the
// handler's code, the same for every handler typed makes, so through
// ctx.Handle a component's second handler of an action would replace its
// first (the export panel and its persistence controller both take the
// model messages).
func (a action[V]) handle(ctx app.Context, h func(app.Context, V)) {
	c, ok := ctx.Src().(app.Composer)
	if !ok {
		return // as handleQuiet: only a component handles actions
	}
	a.handleQuiet(ctx, func(ctx app.Context, v V) {
		h(ctx, v)
		c.Update()
	})
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
