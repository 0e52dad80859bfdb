package ui

import (
	"aeplayground/wasm/browser"
	"aeplayground/wasm/page"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// unsavedNote says it in an opaque origin, with a link to the full
// playground; elsewhere it is there, hidden (the tree keeps its shape).
func unsavedNote() app.UI {
	opaque, href := browser.OpaqueOrigin(), ""
	if opaque {
		href = fullURL()
	}
	return app.P().ID("unsaved").Class("unsaved").Hidden(!opaque).Body(app.Text(page.UnsavedText+" "),
		app.A().Href(href).Target("_blank").Rel("noopener").Text("Open the playground in a new tab ↗"))
}
