package browser

import (
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Download offers data (a Blob) as a file named name.
func Download(blob app.Value, name string) {
	url := app.Window().Get("URL").Call("createObjectURL", blob)
	doc := app.Window().Get("document")
	a := doc.Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	a.Set("rel", "noopener")
	a.Get("style").Set("display", "none")
	doc.Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	// The download has its own reference by now; the URL can go shortly.
	var revoke app.Func
	revoke = app.FuncOf(func(app.Value, []app.Value) any {
		app.Window().Get("URL").Call("revokeObjectURL", url)
		revoke.Release()
		return nil
	})
	app.Window().Call("setTimeout", revoke, 30000)
}

// BytesBlob makes a Blob of b with the given type.
func BytesBlob(b []byte, typ string) app.Value {
	arr := app.Window().Get("Uint8Array").New(len(b))
	app.CopyBytesToJS(arr, b)
	opts := app.Window().Get("Object").New()
	opts.Set("type", typ)
	return app.Window().Get("Blob").New(jsArray(arr), opts)
}

// jsArray makes a JavaScript array of one value (a Go []any of app.Values
// does not convert).
func jsArray(v any) app.Value {
	a := app.Window().Get("Array").New()
	a.Call("push", v)
	return a
}

// FileSafe turns an architecture such as "784-64-784 sigmoid/sigmoid" into
// a file-name part.
func FileSafe(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.'
		if ok {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}
