//go:build wasm

package browser

import (
	"reflect"
	"syscall/js"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Return makes a go-app value something a Go function called from
// JavaScript may return: syscall/js converts only its own js.Value (an
// app.Value returned as is makes the call panic). go-app's value embeds the
// js.Value.
func Return(v app.Value) any {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		rv = rv.Elem()
	}
	if rv.Kind() == reflect.Struct {
		if f := rv.FieldByName("Value"); f.IsValid() && f.CanInterface() {
			if j, ok := f.Interface().(js.Value); ok {
				return j
			}
		}
	}
	return nil
}
