package ui

import "aeplayground/wasm/bus"

// The page's own actions (the worker's are package workerclient's), each a
// typed value named once.
var (
	// digitChanged carries the pad's new digit to its owner and to those
	// that keep it (the link, the saved settings).
	digitChanged = bus.New[digitValue]("digit")
	// digitShown carries the current digit and its corruption, as grey
	// levels, to the panels that draw them.
	digitShown = bus.New[*shownDigit]("digit:shown")
	// showOnPad puts a digit from elsewhere (a link, the last visit, a
	// script) on the pad.
	showOnPad = bus.New[digitValue]("pad:show")
	// pageNote and pageStatus set the page's note (role alert) and status
	// line.
	pageNote   = bus.New[string]("page:note")
	pageStatus = bus.New[string]("page:status")
)
