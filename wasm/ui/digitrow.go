package ui

import (
	"fmt"

	"aeplayground/wasm/page"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/ui/plot"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// digitRow shows the current digit four ways: clean, corrupted, the
// autoencoder's and PCA's reconstructions of the corrupted digit. It only
// draws: the digit and its corruption come from their owner (page.Digit) by
// the "digit:shown" action, the reconstructions from the worker.
//
// A stroke makes a digit a frame and the worker a reconstruction with each
// progress report: both come to quiet handlers (package bus) that draw straight
// into the four canvases; the row itself re-renders only when its text
// changes (where the digit came from, PCA's rank).
type digitRow struct {
	app.Compo

	// Corrupted: a corruption is shown (not "none"); without one the
	// corrupted tile would only repeat the clean digit, so it is hidden.
	Corrupted bool
	// K is the code size of the model shown, for PCA's rank beside it.
	K int

	label string
	pcaK  int
	// The row's own copies, reused: the owner and the worker's client reuse
	// the buffers they hand over.
	cleanB, noisyB, aeB, pcaB []byte
	cells                     [4]*plot.Images // clean, corrupted, autoencoder, PCA
}

func (d *digitRow) OnMount(ctx app.Context) {
	page.DigitShown.HandleQuiet(ctx, d.onShown)
	workerclient.OnQuiet(ctx, d.onRecon)
}

// OnDismount drops the canvases: a row mounted again makes new ones.
func (d *digitRow) OnDismount() { d.cells = [4]*plot.Images{} }

func (d *digitRow) onShown(ctx app.Context, v *page.Shown) {
	first := d.cleanB == nil
	d.cleanB = append(d.cleanB[:0], v.Clean...)
	d.noisyB = append(d.noisyB[:0], v.Noisy...)
	if first || v.Label != d.label {
		d.label = v.Label
		d.Update() // the hint names where the digit came from
	}
	d.cell(0).Show(ctx, d.cleanB, 1)
	d.cell(1).Show(ctx, d.noisyB, 1)
}

func (d *digitRow) onRecon(ctx app.Context, r *protocol.Recon) {
	d.aeB = append(d.aeB[:0], r.AE...)
	d.pcaB = append(d.pcaB[:0], r.PCA...)
	if r.PCAK != d.pcaK {
		d.pcaK = r.PCAK
		pca := d.cell(3)
		pca.Label = d.pcaLabel()
		pca.Update() // its accessible name
		d.Update()   // the caption
	}
	d.cell(2).Show(ctx, d.aeB, 1)
	d.cell(3).Show(ctx, d.pcaB, 1)
}

// pcaCaption is the PCA tile's caption: its rank, short enough for a tile
// of a phone's two columns. Why the rank is below k is said in pcaLabel
// (the tile's accessible name) and pcaCapNote.
func (d *digitRow) pcaCaption() string {
	if d.pcaK > 0 {
		return fmt.Sprintf("PCA rank %d", d.pcaK)
	}
	return "PCA"
}

// pcaLabel is the PCA tile's accessible name.
func (d *digitRow) pcaLabel() string {
	if d.pcaK > 0 {
		if d.K > d.pcaK {
			return fmt.Sprintf("PCA rank %d (capped; k = %d)", d.pcaK, d.K)
		}
		return fmt.Sprintf("PCA rank %d", d.pcaK)
	}
	return "PCA"
}

var digitCells = [4]struct{ class, title string }{{"clean", "28×28 input"}, {"noisy", "corrupted"}, {"ae", "autoencoder"}, {"pca", ""}}

// cell is the canvas of one of the four plot.Images, made once.
func (d *digitRow) cell(i int) *plot.Images {
	if d.cells[i] == nil {
		title := digitCells[i].title
		if i == 3 {
			title = d.pcaLabel()
		}
		d.cells[i] = &plot.Images{Count: 1, Cols: 1, Label: title, Class: "big " + digitCells[i].class}
	}
	return d.cells[i]
}

func (d *digitRow) Render() app.UI {
	figs := make([]app.UI, len(d.cells))
	for i := range figs {
		caption := digitCells[i].title
		if i == 3 {
			caption = d.pcaCaption()
		}
		figs[i] = app.Figure().Class("digit").Hidden(i == 1 && !d.Corrupted).Body(d.cell(i), app.FigCaption().Text(caption))
	}
	grid := "digits"
	if !d.Corrupted {
		grid += " uncorrupted"
	}
	return app.Section().Class("card digit-card").Body(
		app.H2().Text("Your digit"),
		&plot.PNGButton{Name: "your-digit", Title: "your digit and its reconstructions"},
		app.Div().Class(grid).ID("your-digit").Body(figs...),
		app.P().Class("hint").Text(d.hint()),
	)
}

func (d *digitRow) hint() string {
	if d.cleanB == nil {
		return "Draw on the pad or pick a held-out digit."
	}
	if !d.Corrupted {
		return "From " + d.label + ". Both models reconstruct it; choose a corruption to see them restore a damaged digit."
	}
	return "From " + d.label + ". Both models reconstruct the corrupted digit."
}

// OnUpdate renames the PCA tile when the model's k crosses PCA's rank.
func (d *digitRow) OnUpdate(ctx app.Context) {
	if c := d.cells[3]; c != nil && c.Label != d.pcaLabel() {
		c.Label = d.pcaLabel()
		c.Update()
	}
}

// pcaCapNote says why there is no comparison with PCA for a code size k
// above PCA's rank pcaK: the worker fits pcaK components once at start-up
// (wasm/worker/session.go's maxPCA). Empty when PCA has rank k.
func pcaCapNote(k, pcaK int) string {
	if pcaK <= 0 || k <= pcaK {
		return ""
	}
	return fmt.Sprintf("PCA is fitted to %d components, fewer than k = %d: no PCA of the same rank to compare with (PCA's tile shows rank %d).", pcaK, k, pcaK)
}
