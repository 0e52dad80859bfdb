package ui

import (
	"aeplayground/wasm/browser"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// unsavedText is what the page says of its storage in an opaque origin.
const unsavedText = "This frame keeps nothing (it has no storage), does not work offline, and may not be allowed to download files."

// unsavedNote says it in an opaque origin, with a link to the full
// playground; elsewhere it is there, hidden (the tree keeps its shape).
func unsavedNote() app.UI {
	opaque, href := browser.OpaqueOrigin(), ""
	if opaque {
		href = fullURL()
	}
	return app.P().ID("unsaved").Class("unsaved").Hidden(!opaque).Body(app.Text(unsavedText+" "),
		app.A().Href(href).Target("_blank").Rel("noopener").Text("Open the playground in a new tab ↗"))
}
