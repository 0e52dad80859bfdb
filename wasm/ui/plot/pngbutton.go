package plot

import (
	"aeplayground/wasm/browser"
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// PNGButton is the small "PNG" button in a panel's corner: it downloads
// the panel's figure (the nearest element matching Scope, the panel itself
// by default) as aeplayground-Name.png, browser.SlideWidth pixels wide.
type PNGButton struct {
	app.Compo

	Name  string // file-name part and id: png-Name
	Scope string // CSS selector of the figure's element, searched upwards
	Title string

	busy bool
	err  string
}

func (b *PNGButton) Render() app.UI {
	title := "Download " + b.Title + " as a PNG image, " + strconv.Itoa(browser.SlideWidth) + " pixels wide"
	if b.err != "" {
		title = "PNG failed: " + b.err
	}
	return app.Button().ID("png-"+b.Name).Class("png-button").Title(title).Aria("label", title).
		Disabled(b.busy).Text("PNG").OnClick(b.onClick)
}

func (b *PNGButton) onClick(ctx app.Context, e app.Event) {
	scope := b.Scope
	if scope == "" {
		scope = "section"
	}
	el := ctx.JSSrc().Call("closest", scope)
	if el.Type() != app.TypeObject {
		return
	}
	b.busy, b.err = true, ""
	browser.FigurePNG(el, func(blob app.Value, err error) {
		ctx.Dispatch(func(ctx app.Context) {
			b.busy = false
			if err != nil {
				b.err = err.Error()
				return
			}
			browser.Download(blob, "aeplayground-"+b.Name+".png")
		})
	})
}
