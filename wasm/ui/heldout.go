package ui

import (
	"aeplayground/wasm/pixels"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/ui/plot"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// heldOutGrid shows one held-out digit of each class in the same four rows
// as the drawn digit: clean, corrupted, autoencoder, PCA.
type heldOutGrid struct {
	app.Compo

	grid []byte // its own copy, reused
	k    int
	img  *plot.Images // drawn into directly, made once
}

func (h *heldOutGrid) OnMount(ctx app.Context) {
	// Quiet (package bus): most progress messages carry no grid, and a grid is
	// drawn into the canvas without re-rendering the panel.
	workerclient.OnQuiet(ctx, func(ctx app.Context, p *protocol.Progress) {
		if !p.Full {
			return
		}
		h.grid, h.k = append(h.grid[:0], p.Grid...), p.K
		h.images().Show(ctx, h.grid, len(h.grid)/pixels.Len)
	})
}

func (h *heldOutGrid) OnDismount() { h.img = nil }

func (h *heldOutGrid) images() *plot.Images {
	if h.img == nil {
		h.img = &plot.Images{Data: h.grid, Count: len(h.grid) / pixels.Len, Cols: 10, Label: "Held-out digits: clean, corrupted, autoencoder and PCA reconstructions", Class: "heldout"}
	}
	return h.img
}

func (h *heldOutGrid) Render() app.UI {
	return app.Section().Class("card grid-card").Body(
		app.H2().Text("Held-out digits"),
		&plot.PNGButton{Name: "heldout", Title: "the held-out digits"},
		app.Div().Class("grid-rows").Body(
			app.Ul().Class("row-labels").Body(
				app.Li().Text("clean"), app.Li().Text("corrupted"), app.Li().Text("autoencoder"), app.Li().Text("PCA"),
			),
			h.images(),
		),
		app.P().Class("hint").Text("Digits the model never trains on: a model that only memorised would fail here."),
	)
}
