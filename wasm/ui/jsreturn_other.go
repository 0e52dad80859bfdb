//go:build !wasm

package ui

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// jsReturn is the browser's; natively nothing calls Go from JavaScript.
func jsReturn(v app.Value) any { return nil }
