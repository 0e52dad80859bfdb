package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// SVG helpers shared by the plots. go-app creates SVG elements only with
// their namespace set on each one, and it sets a class through className,
// which SVG elements ignore: so the plots are styled with presentation
// attributes, by role, here.

const svgNS = "http://www.w3.org/2000/svg"

func svgEl(tag string) app.HTMLElem { return app.Elem(tag).XMLNS(svgNS) }

// svgRoles are the presentation attributes of each role an SVG element plays.
var svgRoles = map[string][][2]string{
	"plot-bg":    {{"fill", "#fbfcfd"}},
	"grid":       {{"stroke", "#e6e9ed"}},
	"axis":       {{"stroke", "#8c959f"}},
	"tick":       {{"fill", "#57606a"}},
	"axis-label": {{"fill", "#1b1f24"}},
	"line train": {{"fill", "none"}, {"stroke", "#1f4e8c"}, {"stroke-width", "2"}, {"stroke-linejoin", "round"}},
	"line test":  {{"fill", "none"}, {"stroke", "#d9480f"}, {"stroke-width", "2"}, {"stroke-linejoin", "round"}},
	"line cmp":   {{"fill", "none"}, {"stroke", "#6f42c1"}, {"stroke-width", "2"}, {"stroke-linejoin", "round"}},
	"line scree": {{"fill", "none"}, {"stroke", "#1f4e8c"}, {"stroke-width", "2"}},
	"floor":      {{"fill", "none"}, {"stroke", "#2b8a3e"}, {"stroke-width", "2"}, {"stroke-dasharray", "6 4"}},
	"mark":       {{"fill", "#d9480f"}},
	"bar":        {{"fill", "#1f4e8c"}},
	"target":     {{"stroke", "#d9480f"}, {"stroke-width", "2"}, {"stroke-dasharray", "4 3"}},
	"dots":       {{"fill", "none"}, {"stroke-width", "4.5"}, {"stroke-linecap", "round"}},
	"cursor":     {{"stroke", "#8c959f"}},
	"dot train":  {{"fill", "#1f4e8c"}, {"stroke", "#fff"}, {"stroke-width", "1.5"}},
	"dot test":   {{"fill", "#d9480f"}, {"stroke", "#fff"}, {"stroke-width", "1.5"}},
	"dot cmp":    {{"fill", "#6f42c1"}, {"stroke", "#fff"}, {"stroke-width", "1.5"}},
}

// svgShape is an SVG element styled for its role.
func svgShape(tag, role string) app.HTMLElem {
	e := svgEl(tag)
	for _, a := range svgRoles[role] {
		e = e.Attr(a[0], a[1])
	}
	return e
}

// plotFrame is a plot's geometry: the SVG's size and the inner area the
// data is drawn in, with room for the axes' labels.
type plotFrame struct {
	W, H                     float64
	Left, Right, Top, Bottom float64
	X0, X1, Y0, Y1           float64 // data ranges
}

func (f plotFrame) x(v float64) float64 {
	return f.Left + (v-f.X0)/(f.X1-f.X0)*(f.W-f.Left-f.Right)
}

// xAt is the data value at horizontal position px, the inverse of x.
func (f plotFrame) xAt(px float64) float64 {
	return f.X0 + (px-f.Left)/(f.W-f.Left-f.Right)*(f.X1-f.X0)
}

func (f plotFrame) y(v float64) float64 {
	return f.H - f.Bottom - (v-f.Y0)/(f.Y1-f.Y0)*(f.H-f.Top-f.Bottom)
}

// path draws a polyline through the points, skipping non-finite ones. A
// value beyond the vertical range is drawn at its edge (the loss chart marks
// such points).
func (f plotFrame) path(xs, ys []float64) string {
	var b strings.Builder
	pen := false
	for i := range xs {
		if !finite(xs[i]) || !finite(ys[i]) {
			pen = false
			continue
		}
		if pen {
			b.WriteString("L")
		} else {
			b.WriteString("M")
		}
		fmt.Fprintf(&b, "%.1f %.1f", f.x(xs[i]), f.y(min(max(ys[i], f.Y0), f.Y1)))
		pen = true
	}
	return b.String()
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// svgPlot is the SVG element with axes, ticks and labels around the given
// data elements (an element, so that a plot may take event handlers).
func (f plotFrame) svgPlot(label, xLabel, yLabel string, data ...app.UI) app.HTMLElem {
	body := make([]app.UI, 0, 2+len(data))
	body = append(body, svgEl("title").Text(label), &plotAxes{F: f, XLabel: xLabel, YLabel: yLabel})
	body = append(body, data...)
	return svgEl("svg").Style("width", "100%").Style("height", "auto").Style("display", "block").
		Style("font-size", "0.95em").Attr("viewBox", fmt.Sprintf("0 0 %g %g", f.W, f.H)).
		Attr("role", "img").Aria("label", label).Body(body...)
}

// plotAxes is a plot's background, grid, ticks and axis labels: a
// component of its own, so that go-app re-renders it only when the frame or
// the labels change, not with each new point of the data drawn over it (a
// plot re-rendered twice a second while training built some forty elements
// each time only to find them unchanged).
type plotAxes struct {
	app.Compo

	F              plotFrame
	XLabel, YLabel string
}

func (a *plotAxes) Render() app.UI {
	f := a.F
	body := []app.UI{
		svgShape("rect", "plot-bg").Attr("x", f.Left).Attr("y", f.Top).
			Attr("width", f.W-f.Left-f.Right).Attr("height", f.H-f.Top-f.Bottom),
	}
	for _, t := range ticks(f.X0, f.X1, 5) {
		x := f.x(t)
		// The label at the right edge ends there: centred, it would run
		// past the plot's margin and be cut off.
		anchor := "middle"
		if x > f.W-f.Right-1 {
			anchor = "end"
		}
		body = append(body,
			svgShape("line", "grid").Attr("x1", x).Attr("x2", x).Attr("y1", f.Top).Attr("y2", f.H-f.Bottom),
			svgShape("text", "tick").Attr("x", x).Attr("y", f.H-f.Bottom+16).Attr("text-anchor", anchor).Text(tickText(t)),
		)
	}
	for _, t := range ticks(f.Y0, f.Y1, 4) {
		y := f.y(t)
		body = append(body,
			svgShape("line", "grid").Attr("x1", f.Left).Attr("x2", f.W-f.Right).Attr("y1", y).Attr("y2", y),
			svgShape("text", "tick").Attr("x", f.Left-4).Attr("y", y+4).Attr("text-anchor", "end").Text(tickText(t)),
		)
	}
	body = append(body,
		svgShape("line", "axis").Attr("x1", f.Left).Attr("x2", f.W-f.Right).Attr("y1", f.H-f.Bottom).Attr("y2", f.H-f.Bottom),
		svgShape("line", "axis").Attr("x1", f.Left).Attr("x2", f.Left).Attr("y1", f.Top).Attr("y2", f.H-f.Bottom),
		svgShape("text", "axis-label").Attr("x", (f.Left+f.W-f.Right)/2).Attr("y", f.H-4).Attr("text-anchor", "middle").Text(a.XLabel),
		svgShape("text", "axis-label").Attr("transform", fmt.Sprintf("translate(14 %.1f) rotate(-90)", (f.Top+f.H-f.Bottom)/2)).
			Attr("text-anchor", "middle").Text(a.YLabel),
	)
	return svgEl("g").Body(body...)
}

// ticks returns about n round values covering [lo, hi].
func ticks(lo, hi float64, n int) []float64 {
	if !(hi > lo) || !finite(lo) || !finite(hi) {
		return nil
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	// Each tick a whole multiple of step, not a running sum: a sum drifts,
	// and its 0 could read -1.39e-18.
	for i := math.Ceil(lo / step); i*step <= hi+step*1e-9; i++ {
		out = append(out, i*step)
	}
	return out
}

func tickText(v float64) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// niceMax is a round upper bound for a plot's axis.
func niceMax(v float64) float64 {
	if !(v > 0) || !finite(v) {
		return 1
	}
	t := ticks(0, v, 4)
	step := t[1] - t[0]
	return math.Ceil(v/step) * step
}

// pointsRange is the range of the first n points of pts (x, y, x, y, …),
// skipping non-finite ones; an empty or flat axis spans [-1, 1].
func pointsRange(pts []float64, n int) (x0, x1, y0, y1 float64) {
	x0, x1, y0, y1 = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range min(n, len(pts)/2) {
		x, y := pts[2*i], pts[2*i+1]
		if finite(x) && finite(y) {
			x0, x1, y0, y1 = math.Min(x0, x), math.Max(x1, x), math.Min(y0, y), math.Max(y1, y)
		}
	}
	if !(x1 > x0) {
		x0, x1 = -1, 1
	}
	if !(y1 > y0) {
		y0, y1 = -1, 1
	}
	return x0, x1, y0, y1
}
