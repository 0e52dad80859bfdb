package browser

import (
	"math"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Reading the fields of JavaScript objects the page did not make itself
// (IndexedDB records, errors, worker.js's own report).

// Num is a number field; NaN when absent.
func Num(v app.Value, k string) float64 {
	if f := v.Get(k); f.Type() == app.TypeNumber {
		return f.Float()
	}
	return math.NaN()
}

// Str is a string field; "" when absent.
func Str(v app.Value, k string) string {
	if f := v.Get(k); f.Type() == app.TypeString {
		return f.String()
	}
	return ""
}

// Bytes copies a Uint8Array field; nil when absent.
func Bytes(v app.Value, k string) []byte {
	f := v.Get(k)
	if f.Type() != app.TypeObject {
		return nil
	}
	b := make([]byte, f.Get("length").Int())
	app.CopyBytesToGo(b, f)
	return b
}
