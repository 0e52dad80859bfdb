package ui

import (
	"fmt"
	"math"

	"aeplayground/wasm/protocol"
	"aeplayground/wasm/ui/plot"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

const rhoBins = 20

// sparsityPanel shows what the sparse and contractive penalties act on: the
// mean activation rho_hat of each code unit against the target rho, and the
// Frobenius norm of the encoder's Jacobian over training.
type sparsityPanel struct {
	app.Compo

	rhoHat  []float64
	rho     float64
	act     string
	jac     plot.Series
	jacNow  float64
	visible bool
}

func (s *sparsityPanel) OnMount(ctx app.Context) {
	s.jacNow = math.NaN()
	// Quiet like progress, so the two keep the worker's order.
	workerclient.OnQuiet(ctx, func(ctx app.Context, m *protocol.NewModel) {
		s.jac, s.jacNow = plot.Series{}, math.NaN()
		for _, h := range m.History { // a loaded model's curve so far
			s.jac.Add(h.Epoch, h.Jacobian)
		}
		s.Update()
	})
	// Quiet (package bus): re-rendered only by a held-out evaluation.
	workerclient.OnQuiet(ctx, func(ctx app.Context, p *protocol.Progress) {
		if !p.Full {
			return
		}
		defer s.Update()
		s.visible = len(p.RhoHat) > 0
		// rhoHat is the decoder's buffer (package workerclient): keep a copy.
		s.rhoHat = append(s.rhoHat[:0], p.RhoHat...)
		s.rho, s.act, s.jacNow = p.Rho, p.CodeAct, p.Jacobian
		s.jac.Add(p.Epoch, p.Jacobian)
	})
}

func (s *sparsityPanel) Render() app.UI {
	body := []app.UI{app.H2().Text("Sparsity and contraction")}
	if !s.visible {
		body = append(body, app.P().Class("placeholder").Text("Shown for a single-layer encoder (or a sparse one): try the presets “Sparse” and “Contractive”."))
		return app.Section().Class("card sparsity-card").Body(body...)
	}
	counts := make([]float64, rhoBins)
	for _, v := range s.rhoHat {
		counts[min(rhoBins-1, max(0, int(v*rhoBins)))]++
	}
	top := 1.0
	for _, c := range counts {
		top = max(top, c)
	}
	f := plot.Frame{W: 360, H: 200, Left: 60, Right: 8, Top: 8, Bottom: 42, X0: 0, X1: 1, Y0: 0, Y1: plot.NiceMax(top)}
	bars := make([]app.UI, 0, rhoBins+1)
	for i, c := range counts {
		x0, x1 := f.X(float64(i)/rhoBins), f.X(float64(i+1)/rhoBins)
		bars = append(bars, plot.Shape("rect", "bar").Attr("x", x0+0.5).Attr("width", x1-x0-1).
			Attr("y", f.Y(c)).Attr("height", f.Y(0)-f.Y(c)))
	}
	if s.rho > 0 {
		x := f.X(s.rho)
		bars = append(bars, plot.Shape("line", "target").Attr("x1", x).Attr("x2", x).Attr("y1", f.Top).Attr("y2", f.Y(0)))
	}
	body = append(body,
		app.H3().Text("Mean activation ρ̂ of each code unit"),
		f.SVG("Histogram of the code units' mean activations", "ρ̂ (mean activation over held-out digits)", "units", bars...),
		app.P().Class("hint").Text(s.rhoHint()),
		app.H3().Text("Jacobian norm ‖∂h/∂x‖"),
		s.jacPlot(),
		app.P().Class("readout").Body(app.Text("now: "), app.Span().ID("jacobian").Text(jacobianText(s.jacNow))),
	)
	return app.Section().Class("card sparsity-card").Body(body...)
}

func (s *sparsityPanel) rhoHint() string {
	if s.rho > 0 {
		return fmt.Sprintf("The line is the target ρ = %g: the KL penalty pulls every unit's ρ̂ to it.", s.rho)
	}
	return fmt.Sprintf("No sparsity penalty (code activation %s): units may be on for most digits.", s.act)
}

func (s *sparsityPanel) jacPlot() app.UI {
	xmax := 1.0
	if n := len(s.jac.X); n > 0 {
		xmax = max(xmax, s.jac.X[n-1])
	}
	f := plot.Frame{W: 360, H: 160, Left: 60, Right: 8, Top: 8, Bottom: 42, X0: 0, X1: plot.NiceMax(xmax), Y0: 0, Y1: plot.NiceMax(s.jac.Max())}
	return f.SVG("Jacobian norm against epochs", "epoch", "‖J‖F",
		plot.Shape("path", "line train").Attr("d", f.Path(s.jac.X, s.jac.Y)))
}

// jacobianText is the read-out of ‖J‖F: a dash until the worker has
// measured it (an embed's worker starts when it comes into view).
func jacobianText(j float64) string {
	if !plot.Finite(j) {
		return "–"
	}
	return fmt.Sprintf("%.3f", j)
}
