package ui

import (
	"aeplayground/engine/noise"
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// noiseControls choose the corruption shown beside the clean digit, and
// whether the autoencoder trains on it (a denoising autoencoder: the link
// keys noise and level, through the same form as every model setting).
type noiseControls struct {
	app.Compo

	Corrupt   noise.Spec // the corruption shown (the link's corrupt=)
	LevelText string     // the level as typed, while it is refused
	Err       string     // why the level (or the training noise) was refused
	Denoise   bool       // the model trains on Corrupt
	OnCorrupt func(ctx app.Context, kind, level string)
	OnDenoise func(ctx app.Context, on bool)
}

// level is the text of the level field.
func (n *noiseControls) level() string {
	if n.LevelText != "" {
		return n.LevelText
	}
	if !n.Corrupt.Active() {
		return "0.3" // the level a first choice of a kind starts with
	}
	return strconv.FormatFloat(n.Corrupt.Level, 'g', -1, 64)
}

func (n *noiseControls) kind() noise.Kind {
	if !n.Corrupt.Active() {
		return noise.None
	}
	return n.Corrupt.Kind
}

func (n *noiseControls) Render() app.UI {
	opts := make([]app.UI, len(noise.Kinds))
	for i, k := range noise.Kinds {
		opts[i] = app.Option().Value(string(k)).Text(string(k)).Selected(k == n.kind())
	}
	none := n.kind() == noise.None
	return app.Section().Class("card noise-card").Body(
		app.H2().Text("Corrupt"),
		app.Div().Class("row").Body(
			app.Label().For("in-noise-kind").Text("Noise"),
			app.Select().ID("in-noise-kind").OnChange(func(ctx app.Context, e app.Event) {
				n.OnCorrupt(ctx, ctx.JSSrc().Get("value").String(), n.level())
			}).Body(opts...),
			app.Label().For("in-noise-level").Text("Level"),
			app.Input().ID("in-noise-level").Type("text").Attr("inputmode", "decimal").Class("short").
				Value(n.level()).Disabled(none).
				OnChange(func(ctx app.Context, e app.Event) {
					n.OnCorrupt(ctx, string(n.kind()), ctx.JSSrc().Get("value").String())
				}),
		),
		app.If(n.Err != "", app.P().ID("err-noise").Class("error").Attr("role", "alert").Text(n.Err)),
		app.P().Class("note").Text("mask: each pixel set to 0 with probability q; gaussian: add N(0, σ²), clipped; saltpepper: pixels set to 0 or 1 with probability q."),
		app.Div().Class("row check-row").Body(
			app.Input().ID("in-denoise").Type("checkbox").Checked(n.Denoise).Disabled(none && !n.Denoise).
				OnChange(func(ctx app.Context, e app.Event) { n.OnDenoise(ctx, ctx.JSSrc().Get("checked").Bool()) }),
			app.Label().For("in-denoise").Text("Train as a denoising autoencoder with this noise"),
		),
		app.P().Class("note").Text("Trained on corrupted inputs to restore the clean digit, it learns stroke detectors and restores noisy digits far better than a plain one."),
	)
}
