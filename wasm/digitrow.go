package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	"aeplayground/engine/noise"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// digitRow shows the current digit four ways: clean, corrupted, the
// autoencoder's and PCA's reconstructions of the corrupted digit. The
// corruption is drawn here so the noisy digit appears in the same frame as
// the stroke; the worker answers with the reconstructions.
type digitRow struct {
	app.Compo

	Worker *workerClient
	Noise  noise.Spec

	label  string
	clean  []float64
	cleanB []byte
	noisyB []byte
	aeB    []byte
	pcaB   []byte
	pcaK   int
	rng    *rand.Rand
	buf    []float64
}

func (d *digitRow) OnMount(ctx app.Context) {
	d.rng = rand.New(rand.NewPCG(11, 13))
	ctx.Handle("digit", d.onDigit)
	ctx.Handle("worker:recon", d.onRecon)
}

// OnUpdate runs when the noise settings change: corrupt the digit anew.
func (d *digitRow) OnUpdate(ctx app.Context) { d.corrupt() }

func (d *digitRow) onDigit(ctx app.Context, a app.Action) {
	v, ok := a.Value.(digitValue)
	if !ok {
		return
	}
	d.clean, d.label = v.Pixels, v.Label
	d.corrupt()
}

func (d *digitRow) corrupt() {
	if d.clean == nil {
		return
	}
	if len(d.buf) != digitLen {
		d.buf = make([]float64, digitLen)
	}
	d.Noise.Apply(d.rng, d.clean, d.buf)
	d.cleanB = toBytes(d.clean)
	d.noisyB = toBytes(d.buf)
	d.Worker.send("digit", map[string]any{"pixels": d.noisyB})
}

func (d *digitRow) onRecon(ctx app.Context, a app.Action) {
	if r, ok := a.Value.(reconMsg); ok {
		d.aeB, d.pcaB, d.pcaK = r.AE, r.PCA, r.PCAK
	}
}

func toBytes(x []float64) []byte {
	b := make([]byte, len(x))
	for i, v := range x {
		b[i] = byte(math.Round(255 * min(1, max(0, v))))
	}
	return b
}

func (d *digitRow) Render() app.UI {
	pcaLabel := "PCA"
	if d.pcaK > 0 {
		pcaLabel = fmt.Sprintf("PCA rank %d", d.pcaK)
	}
	cell := func(id, title string, data []byte) app.UI {
		return app.Figure().Class("digit").Body(
			&images{Data: data, Count: 1, Cols: 1, Label: title, Class: "big " + id},
			app.FigCaption().Text(title),
		)
	}
	return app.Section().Class("card digit-card").Body(
		app.H2().Text("Your digit"),
		&pngButton{Name: "your-digit", Title: "your digit and its reconstructions"},
		app.Div().Class("digits").ID("your-digit").Body(
			cell("clean", "28×28 input", d.cleanB),
			cell("noisy", "corrupted", d.noisyB),
			cell("ae", "autoencoder", d.aeB),
			cell("pca", pcaLabel, d.pcaB),
		),
		app.P().Class("hint").Text(d.hint()),
	)
}

func (d *digitRow) hint() string {
	if d.clean == nil {
		return "Draw on the pad or pick a held-out digit."
	}
	return "From " + d.label + ". Both models reconstruct the corrupted digit."
}
