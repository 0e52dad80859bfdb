package plot

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

const ns = "http://www.w3.org/2000/svg"

// El is an SVG element, in its namespace.
func El(tag string) app.HTMLElem { return app.Elem(tag).XMLNS(ns) }

// roles are the presentation attributes of each role an SVG element plays.
var roles = map[string][][2]string{
	"plot-bg":    {{"fill", "#fbfcfd"}},
	"grid":       {{"stroke", "#e6e9ed"}},
	"axis":       {{"stroke", "#8c959f"}},
	"tick":       {{"fill", "#57606a"}},
	"axis-label": {{"fill", "#1b1f24"}},
	"line train": {{"fill", "none"}, {"stroke", "#1f4e8c"}, {"stroke-width", "2"}, {"stroke-linejoin", "round"}},
	"line test":  {{"fill", "none"}, {"stroke", "#d9480f"}, {"stroke-width", "2"}, {"stroke-linejoin", "round"}},
	"line cmp":   {{"fill", "none"}, {"stroke", "#6f42c1"}, {"stroke-width", "2"}, {"stroke-linejoin", "round"}},
	"line scree": {{"fill", "none"}, {"stroke", "#1f4e8c"}, {"stroke-width", "2"}},
	"line ghost": {{"fill", "none"}, {"stroke", "#d9480f"}, {"stroke-width", "2"}, {"stroke-opacity", "0.35"}, {"stroke-dasharray", "3 3"}},
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

// Shape is an SVG element styled for its role.
func Shape(tag, role string) app.HTMLElem {
	e := El(tag)
	for _, a := range roles[role] {
		e = e.Attr(a[0], a[1])
	}
	return e
}

// Frame is a plot's geometry: the SVG's size and the inner area the
// data is drawn in, with room for the axes' labels.
type Frame struct {
	W, H                     float64
	Left, Right, Top, Bottom float64
	X0, X1, Y0, Y1           float64 // data ranges
}

// X is the horizontal position of the data value v.
func (f Frame) X(v float64) float64 {
	return f.Left + (v-f.X0)/(f.X1-f.X0)*(f.W-f.Left-f.Right)
}

// xAt is the data value at horizontal position px, the inverse of x.
func (f Frame) XAt(px float64) float64 {
	return f.X0 + (px-f.Left)/(f.W-f.Left-f.Right)*(f.X1-f.X0)
}

// YAt is the data value at vertical position py, the inverse of Y.
func (f Frame) YAt(py float64) float64 {
	return f.Y0 + (f.H-f.Bottom-py)/(f.H-f.Top-f.Bottom)*(f.Y1-f.Y0)
}

// Y is the vertical position of the data value v.
func (f Frame) Y(v float64) float64 {
	return f.H - f.Bottom - (v-f.Y0)/(f.Y1-f.Y0)*(f.H-f.Top-f.Bottom)
}

// path draws a polyline through the points, skipping non-Finite ones. A
// value beyond the vertical range is drawn at its edge (the loss chart marks
// such points).
func (f Frame) Path(xs, ys []float64) string {
	var b strings.Builder
	pen := false
	for i := range xs {
		if !Finite(xs[i]) || !Finite(ys[i]) {
			pen = false
			continue
		}
		if pen {
			b.WriteString("L")
		} else {
			b.WriteString("M")
		}
		fmt.Fprintf(&b, "%.1f %.1f", f.X(xs[i]), f.Y(min(max(ys[i], f.Y0), f.Y1)))
		pen = true
	}
	return b.String()
}

// Finite reports whether v is neither NaN nor infinite: what a plot can draw.
func Finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// svgPlot is the SVG element with axes, Ticks and labels around the given
// data elements (an element, so that a plot may take event handlers).
func (f Frame) SVG(label, xLabel, yLabel string, data ...app.UI) app.HTMLElem {
	body := make([]app.UI, 0, 2+len(data))
	body = append(body, El("title").Text(label), &Axes{F: f, XLabel: xLabel, YLabel: yLabel})
	body = append(body, data...)
	return El("svg").Style("width", "100%").Style("height", "auto").Style("display", "block").
		Style("font-size", "0.95em").Attr("viewBox", fmt.Sprintf("0 0 %g %g", f.W, f.H)).
		Attr("role", "img").Aria("label", label).Body(body...)
}

// Axes is a plot's background, grid, Ticks and axis labels: a
// component of its own, so that go-app re-renders it only when the frame or
// the labels change, not with each new point of the data drawn over it (a
// plot re-rendered twice a second while training built some forty elements
// each time only to find them unchanged).
type Axes struct {
	app.Compo

	F              Frame
	XLabel, YLabel string
}

func (a *Axes) Render() app.UI {
	f := a.F
	body := []app.UI{
		Shape("rect", "plot-bg").Attr("x", f.Left).Attr("y", f.Top).
			Attr("width", f.W-f.Left-f.Right).Attr("height", f.H-f.Top-f.Bottom),
	}
	for _, t := range Ticks(f.X0, f.X1, 5) {
		x := f.X(t)
		// The label at the right edge ends there: centred, it would run
		// past the plot's margin and be cut off.
		anchor := "middle"
		if x > f.W-f.Right-1 {
			anchor = "end"
		}
		body = append(body,
			Shape("line", "grid").Attr("x1", x).Attr("x2", x).Attr("y1", f.Top).Attr("y2", f.H-f.Bottom),
			Shape("text", "tick").Attr("x", x).Attr("y", f.H-f.Bottom+16).Attr("text-anchor", anchor).Text(TickText(t)),
		)
	}
	for _, t := range Ticks(f.Y0, f.Y1, 4) {
		y := f.Y(t)
		body = append(body,
			Shape("line", "grid").Attr("x1", f.Left).Attr("x2", f.W-f.Right).Attr("y1", y).Attr("y2", y),
			Shape("text", "tick").Attr("x", f.Left-4).Attr("y", y+4).Attr("text-anchor", "end").Text(TickText(t)),
		)
	}
	body = append(body,
		Shape("line", "axis").Attr("x1", f.Left).Attr("x2", f.W-f.Right).Attr("y1", f.H-f.Bottom).Attr("y2", f.H-f.Bottom),
		Shape("line", "axis").Attr("x1", f.Left).Attr("x2", f.Left).Attr("y1", f.Top).Attr("y2", f.H-f.Bottom),
		Shape("text", "axis-label").Attr("x", (f.Left+f.W-f.Right)/2).Attr("y", f.H-4).Attr("text-anchor", "middle").Text(a.XLabel),
		Shape("text", "axis-label").Attr("transform", fmt.Sprintf("translate(14 %.1f) rotate(-90)", (f.Top+f.H-f.Bottom)/2)).
			Attr("text-anchor", "middle").Text(a.YLabel),
	)
	return El("g").Body(body...)
}

// Ticks returns about n round values covering [lo, hi].
func Ticks(lo, hi float64, n int) []float64 {
	if !(hi > lo) || !Finite(lo) || !Finite(hi) {
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

// TickText is a tick's label.
func TickText(v float64) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// NiceMax is a round upper bound for a plot's axis.
func NiceMax(v float64) float64 {
	if !(v > 0) || !Finite(v) {
		return 1
	}
	t := Ticks(0, v, 4)
	step := t[1] - t[0]
	return math.Ceil(v/step) * step
}

// PointsRange is the range of the first n points of pts (x, y, x, y, …),
// skipping non-Finite ones; an empty or flat axis spans [-1, 1].
func PointsRange(pts []float64, n int) (x0, x1, y0, y1 float64) {
	x0, x1, y0, y1 = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range min(n, len(pts)/2) {
		x, y := pts[2*i], pts[2*i+1]
		if Finite(x) && Finite(y) {
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
