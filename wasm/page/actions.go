package page

import (
	"aeplayground/wasm/bus"
	"aeplayground/wasm/protocol"
)

// The page's own actions (the worker's are package workerclient's), each a
// typed value named once.
var (
	// DigitShown carries the current digit and its corruption, as grey
	// levels, from its owner (Digit) to the panels that draw it and the
	// controllers that keep it (the link, the saved settings).
	DigitShown = bus.New[*Shown]("page:digit")
	// Note and Status set the page's note (an alert) and its status line.
	Note   = bus.New[string]("page:note")
	Status = bus.New[string]("page:status")
	// Saved says what the saving of the work kept, or why it could not
	// (Persistence); the export panel shows it.
	Saved = bus.New[SaveState]("page:saved")
	// Tried says a lesson's "try this" is about to replace the step's first
	// model: what it tried, in words. The charts keep the curves before it
	// beside the new model's.
	Tried = bus.New[string]("page:tried")
)

// Worker is what the page's controllers need of the training worker
// (workerclient.Client): commands, one way. Natively, a test records them.
type Worker interface {
	Send(m protocol.Message)
	Request(req uint64, m protocol.Message)
}
