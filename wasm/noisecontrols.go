package main

import (
	"aeplayground/engine/noise"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// noiseControls choose the corruption shown beside the clean digit, and
// whether the autoencoder trains on it (a denoising autoencoder).
type noiseControls struct {
	app.Compo

	Settings settings
	Errors   map[string]string
	OnChange func(ctx app.Context, s settings)
}

func (n *noiseControls) Render() app.UI {
	s := n.Settings
	opts := make([]app.UI, len(noise.Kinds))
	for i, k := range noise.Kinds {
		opts[i] = app.Option().Value(string(k)).Text(string(k)).Selected(k == s.NoiseKind)
	}
	change := func(set func(*settings, app.Value)) app.EventHandler {
		return func(ctx app.Context, e app.Event) {
			s := n.Settings
			set(&s, ctx.JSSrc())
			n.OnChange(ctx, s)
		}
	}
	err, bad := n.Errors[fieldNoise]
	return app.Section().Class("card noise-card").Body(
		app.H2().Text("Corrupt"),
		app.Div().Class("row").Body(
			app.Label().For("in-noise-kind").Text("Noise"),
			app.Select().ID("in-noise-kind").OnChange(change(func(s *settings, v app.Value) { s.NoiseKind = noise.Kind(v.Get("value").String()) })).Body(opts...),
			app.Label().For("in-noise-level").Text("Level"),
			app.Input().ID("in-noise-level").Type("text").Attr("inputmode", "decimal").Class("short").Value(s.NoiseLevel).
				OnChange(change(func(s *settings, v app.Value) { s.NoiseLevel = v.Get("value").String() })),
		),
		app.If(bad, app.P().ID("err-noise").Class("error").Attr("role", "alert").Text(err)),
		app.P().Class("note").Text("mask: each pixel set to 0 with probability q; gaussian: add N(0, σ²), clipped; saltpepper: pixels set to 0 or 1 with probability q."),
		app.Div().Class("row").Body(
			app.Input().ID("in-denoise").Type("checkbox").Checked(s.Denoise).
				OnChange(change(func(s *settings, v app.Value) { s.Denoise = v.Get("checked").Bool() })),
			app.Label().For("in-denoise").Text("Train as a denoising autoencoder with this noise"),
		),
		app.P().Class("note").Text("Trained on corrupted inputs to restore the clean digit, it learns stroke detectors and restores noisy digits far better than a plain one."),
	)
}
