package workerclient

import (
	"aeplayground/wasm/bus"
	"aeplayground/wasm/protocol"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The worker's messages as page actions: a component names the message it
// handles by its type and gets it as that type, and the action's name comes
// from the type's kind, the same definition the Client posts under, so no
// name is spelled on two sides.

// actions are the worker's actions by kind, made once: not a new name per
// message.
var actions = map[protocol.Kind]bus.Action[protocol.Message]{}

// actionOfKind is the action the Client posts a message of kind k under:
// "worker:" + its name.
func actionOfKind(k protocol.Kind) bus.Action[protocol.Message] {
	a, ok := actions[k]
	if !ok {
		a = bus.New[protocol.Message]("worker:" + k.String())
		actions[k] = a
	}
	return a
}

// ActionOf is the action of the worker's messages of type M. A message's
// Kind does not read its receiver, so a nil M has it.
func ActionOf[M protocol.Message]() bus.Action[M] {
	var m M
	return bus.New[M](actionOfKind(m.Kind()).Name())
}

// On registers h for the worker's messages of type M; the component
// re-renders after it.
func On[M protocol.Message](ctx app.Context, h func(app.Context, M)) {
	ActionOf[M]().Handle(ctx, h)
}

// OnQuiet registers h for the worker's messages of type M without the
// re-render after it (package bus).
func OnQuiet[M protocol.Message](ctx app.Context, h func(app.Context, M)) {
	ActionOf[M]().HandleQuiet(ctx, h)
}

// CompareProgress is the action of a compared model's progress (a lesson's
// second model): the lesson and the loss chart take it, the panels of the
// first model do not.
var CompareProgress = bus.New[*protocol.Progress]("worker:progress-compare")

// Restarted tells the page its worker was replaced, or given up on
// (watch.go).
var Restarted = bus.New[Restart]("worker:restarted")

// Restart is the Restarted action's value.
type Restart struct {
	Reason string // why the old one was replaced, in words
	GaveUp bool   // restarted too often: no new worker was started
}
