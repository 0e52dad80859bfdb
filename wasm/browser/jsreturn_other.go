//go:build !wasm

package browser

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Return is the browser's; natively nothing calls Go from JavaScript.
func Return(v app.Value) any { return nil }
