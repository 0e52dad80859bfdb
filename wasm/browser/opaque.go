package browser

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// A page framed with sandbox="allow-scripts" (no allow-same-origin, as many
// lecture platforms frame what they embed) has an opaque origin: it has no
// storage and no service worker, and reading window.localStorage throws.
// The page trains there all the same: its files allow any origin
// (wasm/server's corsHeaders), its worker starts from a blob (newWorker), and
// it says once, quietly, that nothing is kept (the playground's #unsaved).

// OpaqueOrigin reports whether the page's origin is opaque.
func OpaqueOrigin() bool {
	if !app.IsClient {
		return false
	}
	o := app.Window().Get("origin")
	return o.Type() == app.TypeString && o.String() == "null"
}

// shimOpaqueStorage gives a page with an opaque origin a localStorage and a
// sessionStorage that keep nothing beyond the page, before go-app starts:
// go-app's start-up reads window.localStorage, and the throw would stop the
// page before it shows anything.
func ShimOpaqueStorage() {
	if !OpaqueOrigin() {
		return
	}
	win := app.Window()
	for _, name := range []string{"localStorage", "sessionStorage"} {
		items := map[string]string{}
		var keys []string
		store := win.Get("Object").New()
		method := func(name string, f func(args []app.Value) any) {
			win.Get("Object").Call("defineProperty", store, name, map[string]any{
				"value": app.FuncOf(func(_ app.Value, args []app.Value) any { return f(args) }),
			})
		}
		arg := func(args []app.Value, i int) string {
			if i < len(args) {
				return args[i].String()
			}
			return ""
		}
		method("getItem", func(args []app.Value) any {
			if v, ok := items[arg(args, 0)]; ok {
				return v
			}
			return nil
		})
		method("setItem", func(args []app.Value) any {
			k := arg(args, 0)
			if _, ok := items[k]; !ok {
				keys = append(keys, k)
			}
			items[k] = arg(args, 1)
			return nil
		})
		method("removeItem", func(args []app.Value) any {
			k := arg(args, 0)
			if _, ok := items[k]; ok {
				delete(items, k)
				for i, key := range keys {
					if key == k {
						keys = append(keys[:i], keys[i+1:]...)
						break
					}
				}
			}
			return nil
		})
		method("clear", func([]app.Value) any { clear(items); keys = nil; return nil })
		method("key", func(args []app.Value) any {
			if len(args) > 0 {
				if i := args[0].Int(); i >= 0 && i < len(keys) {
					return keys[i]
				}
			}
			return nil
		})
		win.Get("Object").Call("defineProperty", store, "length", map[string]any{
			"get": app.FuncOf(func(app.Value, []app.Value) any { return len(keys) }),
		})
		win.Get("Object").Call("defineProperty", win, name, map[string]any{"value": store, "configurable": true})
	}
}
