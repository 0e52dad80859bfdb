package ui

import (
	"fmt"
	"math"
	"time"

	"aeplayground/engine/compare"
	"aeplayground/wasm/page"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/ui/plot"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// pcaPanel compares the autoencoder with PCA: the principal angles between
// their subspaces over training, the loss-to-floor ratio, PCA's scree plot,
// and PCA's eigen-digits beside the decoder's filters.
type pcaPanel struct {
	app.Compo

	scree    []float64
	eigen    []byte
	nEigen   int
	filters  []byte // its own copy, reused
	nFilters int
	k        int
	pcaK     int // the rank PCA was fitted to
	// The two canvases, made once: new filters are drawn into them
	// directly (plot.Images.show).
	eigenImg, filterImg *plot.Images
	linear, mse         bool // the model's, known once k is (k > 0)
	ratio               float64
	largest             plot.Series // largest principal angle, degrees, against epochs
	mean                plot.Series
	start               float64 // largest angle when training began
	clock               page.TrainClock
	proof               string // said once the angles and the loss have met PCA's
}

// OnInit: nothing is measured before the first render (on the server too).
func (p *pcaPanel) OnInit() { p.ratio, p.start = math.NaN(), math.NaN() }

func (p *pcaPanel) OnMount(ctx app.Context) {
	workerclient.On(ctx, func(ctx app.Context, r *protocol.Ready) {
		p.scree, p.eigen, p.nEigen, p.pcaK = r.Scree, r.Eigen, r.NEigen, r.PCAK
		p.eigenImages().Show(ctx, p.eigen, p.nEigen)
	})
	// Quiet like progress, so the two keep the worker's order.
	workerclient.OnQuiet(ctx, func(ctx app.Context, m *protocol.NewModel) {
		p.largest, p.mean, p.start, p.ratio = plot.Series{}, plot.Series{}, math.NaN(), math.NaN()
		p.clock, p.proof = page.TrainClock{}, ""
		for _, h := range m.History { // a loaded model's angles so far
			if plot.Finite(h.Largest) && !plot.Finite(p.start) {
				p.start = h.Largest
			}
			p.largest.Add(h.Epoch, h.Largest)
			p.mean.Add(h.Epoch, h.Mean)
		}
		p.Update()
	})
	workerclient.OnQuiet(ctx, p.onProgress) // package bus: re-rendered by onProgress
}

func (p *pcaPanel) onProgress(ctx app.Context, m *protocol.Progress) {
	p.clock.Observe(m.Running, time.Now())
	if !m.Full {
		return
	}
	defer p.Update()
	p.k, p.linear, p.mse, p.ratio = m.K, m.Linear, m.MSE, m.Ratio
	p.filters, p.nFilters = append(p.filters[:0], m.Filters...), m.NFilters
	p.filterImages().Show(ctx, p.filters, p.nFilters)
	if len(m.Angles) > 0 {
		big := m.Angles[len(m.Angles)-1]
		var sum float64
		for _, v := range m.Angles {
			sum += v
		}
		if !plot.Finite(p.start) {
			p.start = big
		}
		p.largest.Add(m.Epoch, big)
		p.mean.Add(m.Epoch, sum/float64(len(m.Angles)))
		if p.proof == "" && compare.ProofHolds(big, m.Ratio) {
			p.proof = fmt.Sprintf("All %d angles below 1° after %.1f s (epoch %.1f): the autoencoder has found PCA's subspace.",
				len(m.Angles), p.clock.Seconds(time.Now()), m.Epoch)
		}
	}
}

func (p *pcaPanel) OnDismount() { p.eigenImg, p.filterImg = nil, nil }

func (p *pcaPanel) eigenImages() *plot.Images {
	if p.eigenImg == nil {
		p.eigenImg = &plot.Images{Data: p.eigen, Count: p.nEigen, Cols: 4, Signed: true, Label: "PCA's first eigen-digits", Class: "filters-img"}
	}
	return p.eigenImg
}

func (p *pcaPanel) filterImages() *plot.Images {
	if p.filterImg == nil {
		p.filterImg = &plot.Images{Data: p.filters, Count: p.nFilters, Cols: 4, Signed: true, Label: "The decoder's filters", Class: "filters-img"}
	}
	return p.filterImg
}

func (p *pcaPanel) Render() app.UI {
	return app.Section().Class("card pca-card wide").Body(
		app.H2().Text("PCA versus the autoencoder"),
		&plot.PNGButton{Name: "pca-filters", Title: "the principal angles, the explained variance and the filters"},
		app.Div().Class("pca-grid").Body(
			app.Div().Body(
				app.H3().Text("Principal angles to PCA's subspace"),
				p.anglePlot(),
				app.P().Class("readout").Body(
					app.Text("held-out error / PCA's on the same digits: "),
					app.Span().ID("ratio").Text(ratioText(p.ratio, p.k == 0 || p.mse)),
					app.If(p.linear && len(p.largest.Y) > 0, app.Text(" · largest angle: "),
						app.Span().ID("largest-angle").Text(p.angleText()),
						app.Text(fmt.Sprintf(" (%.1f° at the start)", p.start))),
				),
				app.If(pcaCapNote(p.k, p.pcaK) != "", app.P().ID("pca-cap").Class("hint").Text(pcaCapNote(p.k, p.pcaK))),
				app.If(p.proof != "", app.P().ID("pca-proof").Class("proof").Text(p.proof)),
			),
			app.Div().Class("scree-fig").Body(
				app.H3().Text("Variance PCA explains with k components"),
				&screePlot{Scree: p.scree, K: p.k},
			),
			app.Div().Class("filters").Body(
				app.H3().Text("Eigen-digits and decoder filters"),
				app.Div().Class("pair").Body(
					app.Figure().Body(
						p.eigenImages(),
						app.FigCaption().Text("PCA components"),
					),
					app.Figure().Body(
						p.filterImages(),
						app.FigCaption().Text("decoder columns"),
					),
				),
				app.P().Class("hint").Text("Red positive, blue negative. A linear autoencoder spans the same space as PCA, in another basis."),
			),
		),
	)
}

// angleText is the latest largest principal angle: to a hundredth of a
// degree near the 1° the proof is checked against (0.96° is not "1.0°"
// beside a checkpoint that says every angle is below 1°).
func (p *pcaPanel) angleText() string {
	if len(p.largest.Y) == 0 {
		return ""
	}
	a := p.largest.Y[len(p.largest.Y)-1]
	if a < 10 {
		return fmt.Sprintf("%.2f°", a)
	}
	return fmt.Sprintf("%.1f°", a)
}

// ratioText is the held-out ratio as read out: a dash until it is
// measured, saying why it never will be when the loss is not squared error
// (PCA's error is one).
func ratioText(r float64, mse bool) string {
	switch {
	case plot.Finite(r):
		return fmt.Sprintf("%.3f", r)
	case mse:
		return "–"
	}
	return "– (squared error only)"
}

func (p *pcaPanel) anglePlot() app.UI {
	if p.k == 0 { // no model yet: whether it is linear is not known
		return app.P().Class("placeholder").Text("The angles appear once the model is ready.")
	}
	if !p.linear {
		return app.P().Class("placeholder").Text("Principal angles compare subspaces: they are defined for a linear autoencoder " +
			"(linear f and g). Try the preset “Linear autoencoder = PCA”: they fall to 0 as it converges.")
	}
	xmax := 1.0
	if n := len(p.largest.X); n > 0 {
		xmax = max(xmax, p.largest.X[n-1])
	}
	f := plot.Frame{W: 360, H: 200, Left: 60, Right: 8, Top: 8, Bottom: 42, X0: 0, X1: plot.NiceMax(xmax), Y0: 0, Y1: 90}
	return app.Div().Body(
		f.SVG("Largest and mean principal angle against epochs", "epoch", "angle (°)",
			plot.Shape("path", "line train").Attr("d", f.Path(p.largest.X, p.largest.Y)),
			plot.Shape("path", "line test").Attr("d", f.Path(p.mean.X, p.mean.Y)),
		),
		app.Div().Class("legend").Body(
			app.Span().Class("key train").Text("largest angle"),
			app.Span().Class("key test").Text("mean angle"),
		),
	)
}

// screePlot is PCA's explained variance against k, a component of its
// own: go-app re-renders it only when Scree or K changes, not with every
// held-out evaluation that re-renders the panel around it.
type screePlot struct {
	app.Compo

	Scree []float64
	K     int
}

func (p *screePlot) Render() app.UI {
	n := min(len(p.Scree), 100)
	xs, ys := make([]float64, n), make([]float64, n)
	for i := range n {
		xs[i], ys[i] = float64(i+1), 100*p.Scree[i]
	}
	f := plot.Frame{W: 360, H: 200, Left: 60, Right: 8, Top: 8, Bottom: 42, X0: 0, X1: math.Max(10, float64(n)), Y0: 0, Y1: 100}
	var mark app.UI
	if p.K >= 1 && p.K <= n {
		x, y := f.X(float64(p.K)), f.Y(ys[p.K-1])
		anchor, dx := "start", 6.0
		if x > f.W*0.6 { // keep the label inside the plot
			anchor, dx = "end", -6
		}
		mark = plot.El("g").Body(
			plot.Shape("circle", "mark").Attr("cx", x).Attr("cy", y).Attr("r", 4),
			plot.Shape("text", "tick").Attr("x", x+dx).Attr("y", y+16).Attr("text-anchor", anchor).
				Text(fmt.Sprintf("k = %d: %.0f%%", p.K, ys[p.K-1])),
		)
	}
	return f.SVG("Cumulative explained variance against the number of components", "components k", "explained variance (%)",
		plot.Shape("path", "line scree").Attr("d", f.Path(xs, ys)), mark)
}
