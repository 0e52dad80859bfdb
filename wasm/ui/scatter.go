package ui

import (
	"fmt"
	"strconv"

	"aeplayground/wasm/protocol"
	"aeplayground/wasm/ui/plot"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// classColours are ten colours told apart also with common colour-vision
// deficiencies (Tableau 10).
var classColours = [10]string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"}

// scatterPlot places held-out digits in the code space, coloured by class:
// the code itself when k = 2, otherwise its first two principal components.
type scatterPlot struct {
	app.Compo

	pts    []float64 // its own copies, reused
	labels []byte
	k      int
	path   []byte // scratch for the dots' paths
}

func (s *scatterPlot) OnMount(ctx app.Context) {
	// Quiet (package bus): only a held-out evaluation carries codes.
	workerclient.OnQuiet(ctx, func(ctx app.Context, p *protocol.Progress) {
		if !p.Full {
			return
		}
		s.pts, s.labels, s.k = append(s.pts[:0], p.Scatter...), append(s.labels[:0], p.ScatterLabels...), p.K
		s.Update()
	})
}

func (s *scatterPlot) Render() app.UI {
	n := min(len(s.pts)/2, len(s.labels))
	x0, x1, y0, y1 := plot.PointsRange(s.pts, n)
	padX, padY := 0.05*(x1-x0), 0.05*(y1-y0)
	f := plot.Frame{W: 400, H: 300, Left: 60, Right: 8, Top: 8, Bottom: 42, X0: x0 - padX, X1: x1 + padX, Y0: y0 - padY, Y1: y1 + padY}
	// One path per class, a zero-length segment per dot, written into one
	// reused buffer: only the ten strings are new.
	dots := make([]app.UI, 10)
	legend := make([]app.UI, 10)
	for c := range 10 {
		b := s.path[:0]
		for i := range n {
			x, y := s.pts[2*i], s.pts[2*i+1]
			if s.labels[i] == byte(c) && plot.Finite(x) && plot.Finite(y) {
				b = append(b, 'M')
				b = strconv.AppendFloat(b, f.X(x), 'f', 1, 64)
				b = append(b, ' ')
				b = strconv.AppendFloat(b, f.Y(y), 'f', 1, 64)
				b = append(b, "h0"...)
			}
		}
		s.path = b
		dots[c] = plot.Shape("path", "dots").Attr("stroke", classColours[c]).Attr("d", string(b))
		legend[c] = app.Span().Class("swatch").Style("--c", classColours[c]).Text(strconv.Itoa(c))
	}
	xl, yl := "PC 1 of the codes", "PC 2 of the codes"
	if s.k == 2 {
		xl, yl = "code unit 1", "code unit 2"
	} else if s.k == 1 {
		xl, yl = "code unit 1", ""
	}
	return app.Section().Class("card scatter-card").Body(
		app.H2().Text("Code space"),
		&plot.PNGButton{Name: "code-space", Title: "the code space"},
		f.SVG(fmt.Sprintf("Codes of %d held-out digits, coloured by class", n), xl, yl, dots...),
		app.Div().Class("legend classes").Body(legend...),
		app.P().Class("hint").Text("Set k = 2 to see the code itself. Classes that form separate clusters were learnt without labels."),
	)
}
