package browser

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Export: figures as PNG at slide resolution, the curves as CSV, and
// downloads through a blob: URL and <a download>.

// SlideWidth is the width of an exported figure in pixels.
const SlideWidth = 1920

// FigurePNG draws the figure in el at SlideWidth pixels wide, as laid out
// on the page: its pixel images scaled with nearest neighbour (no blur),
// its SVG plots rasterised at the new size through an Image of their
// serialised markup, and its headings, captions and legends as text. It
// calls done with a PNG Blob, or an error.
func FigurePNG(el app.Value, done func(app.Value, error)) {
	win := app.Window()
	doc := win.Get("document")
	box := el.Call("getBoundingClientRect")
	bw, bh := box.Get("width").Float(), box.Get("height").Float()
	if bw <= 0 || bh <= 0 {
		done(nil, fmt.Errorf("the figure is not on screen"))
		return
	}
	scale := SlideWidth / bw
	cv := doc.Call("createElement", "canvas")
	cv.Set("width", SlideWidth)
	cv.Set("height", int(math.Ceil(bh*scale)))
	g := cv.Call("getContext", "2d")
	g.Set("fillStyle", "#fff")
	g.Call("fillRect", 0, 0, SlideWidth, cv.Get("height"))

	type item struct {
		el         app.Value
		x, y, w, h float64
		img        app.Value // a loaded Image for an SVG
		url        app.Value
	}
	var items []*item
	nodes := el.Call("querySelectorAll", "canvas, svg, h2, h3, figcaption, .row-labels li, .legend span, .readout")
	for i := range nodes.Length() {
		n := nodes.Index(i)
		if n.Call("closest", "button, .png-button").Type() == app.TypeObject {
			continue
		}
		if n.Get("tagName").String() != "svg" && n.Get("parentElement").Call("closest", "svg").Type() == app.TypeObject {
			continue
		}
		r := n.Call("getBoundingClientRect")
		it := &item{el: n,
			x: (r.Get("left").Float() - box.Get("left").Float()) * scale, y: (r.Get("top").Float() - box.Get("top").Float()) * scale,
			w: r.Get("width").Float() * scale, h: r.Get("height").Float() * scale}
		if it.w <= 0 || it.h <= 0 {
			continue
		}
		items = append(items, it)
	}

	pending := 0
	var funcs []app.Func
	finish := func() {
		for _, it := range items {
			drawItem(g, it.el, it.img, it.x, it.y, it.w, it.h, scale)
			if it.url != nil {
				win.Get("URL").Call("revokeObjectURL", it.url)
			}
		}
		var cb app.Func
		cb = app.FuncOf(func(_ app.Value, args []app.Value) any {
			cb.Release()
			for _, f := range funcs {
				f.Release()
			}
			if len(args) == 0 || args[0].Type() != app.TypeObject {
				done(nil, fmt.Errorf("the browser could not encode the PNG"))
				return nil
			}
			done(args[0], nil)
			return nil
		})
		cv.Call("toBlob", cb, "image/png")
	}
	for _, it := range items {
		if it.el.Get("tagName").String() != "svg" {
			continue
		}
		pending++
		it := it
		src := svgMarkup(it.el, it.w, it.h)
		opts := win.Get("Object").New()
		opts.Set("type", "image/svg+xml")
		it.url = win.Get("URL").Call("createObjectURL", win.Get("Blob").New(jsArray(src), opts))
		img := win.Get("Image").New()
		settle := app.FuncOf(func(_ app.Value, args []app.Value) any {
			if len(args) > 0 && args[0].Get("type").String() == "load" {
				it.img = img
			}
			pending--
			if pending == 0 {
				finish()
			}
			return nil
		})
		funcs = append(funcs, settle)
		img.Set("onload", settle)
		img.Set("onerror", settle)
		img.Set("src", it.url)
	}
	if pending == 0 {
		finish()
	}
}

// svgMarkup serialises an SVG at the given size, with the page's font, so
// that it stands alone as an image (its styling is presentation attributes,
// which travel with it).
func svgMarkup(svg app.Value, w, h float64) string {
	c := svg.Call("cloneNode", true)
	style := app.Window().Call("getComputedStyle", svg)
	c.Call("setAttribute", "xmlns", "http://www.w3.org/2000/svg")
	c.Call("setAttribute", "width", strconv.FormatFloat(w, 'f', 0, 64))
	c.Call("setAttribute", "height", strconv.FormatFloat(h, 'f', 0, 64))
	c.Call("setAttribute", "font-family", style.Get("fontFamily").String())
	// The font size the page gives the SVG, which its text reads in viewBox
	// units: the same text in the same place relative to the plot as on the
	// page, where the labels were laid out to fit. (Converted to screen
	// pixels instead, it grew by the plot's scale and ran off its edges.)
	c.Get("style").Set("fontSize", style.Get("fontSize").String())
	c.Get("style").Set("width", "")
	c.Get("style").Set("height", "")
	return app.Window().Get("XMLSerializer").New().Call("serializeToString", c).String()
}

// drawItem draws one element of a figure onto the slide.
func drawItem(g, el, img app.Value, x, y, w, h, scale float64) {
	switch el.Get("tagName").String() {
	case "CANVAS":
		g.Set("imageSmoothingEnabled", false)
		g.Call("drawImage", el, x, y, w, h)
	case "svg":
		if img != nil {
			g.Call("drawImage", img, x, y, w, h)
		}
	default:
		style := app.Window().Call("getComputedStyle", el)
		px := cssPx(style.Get("fontSize").String())
		if px <= 0 {
			px = 14
		}
		tx := x + drawKey(g, el, x, y+h/2, scale)
		g.Set("fillStyle", style.Get("color"))
		g.Set("font", style.Get("fontWeight").String()+" "+strconv.FormatFloat(px*scale, 'f', 1, 64)+"px "+style.Get("fontFamily").String())
		g.Set("textBaseline", "middle")
		// Broken into the lines the page shows (a heading narrower than its
		// text wraps), each placed and aligned as there.
		// One page pixel of slack for the canvas's rounding.
		lines := wrapText(el.Get("textContent").String(), x+w-tx+scale, func(s string) float64 {
			return g.Call("measureText", s).Get("width").Float()
		})
		align := style.Get("textAlign").String()
		switch align {
		case "center":
			tx = (tx + x + w) / 2
		case "right", "end":
			tx = x + w
		default:
			align = "left"
		}
		g.Set("textAlign", align)
		for i, line := range lines {
			g.Call("fillText", line, tx, y+h*(float64(i)+0.5)/float64(len(lines)))
		}
		g.Set("textAlign", "left")
	}
}

// drawKey draws a legend key's mark, which is CSS (its ::before), centred
// on height cy at x, and returns the width it takes. A key names its colour
// in --key and, when dashed, its dash and gap in --dash and --gap (app.css),
// which the canvas draws as a dashed line; a round swatch is drawn round.
func drawKey(g, el app.Value, x, cy, scale float64) float64 {
	before := app.Window().Call("getComputedStyle", el, "::before")
	if c := before.Get("content").String(); c == "none" || c == "" || c == "normal" {
		return 0
	}
	bw, bh := cssPx(before.Get("width").String()), cssPx(before.Get("height").String())
	if bw <= 0 || bh <= 0 {
		return 0
	}
	style := app.Window().Call("getComputedStyle", el)
	col := strings.TrimSpace(style.Call("getPropertyValue", "--key").String())
	if col == "" {
		col = before.Get("backgroundColor").String()
	}
	w, h := bw*scale, bh*scale
	switch dash, gap := cssPx(style.Call("getPropertyValue", "--dash").String()), cssPx(style.Call("getPropertyValue", "--gap").String()); {
	case dash > 0:
		g.Set("strokeStyle", col)
		g.Set("lineWidth", h)
		g.Call("setLineDash", app.ValueOf([]any{dash * scale, gap * scale}))
		g.Call("beginPath")
		g.Call("moveTo", x, cy)
		g.Call("lineTo", x+w, cy)
		g.Call("stroke")
		g.Call("setLineDash", app.ValueOf([]any{}))
	case before.Get("borderTopLeftRadius").String() == "50%":
		g.Set("fillStyle", col)
		g.Call("beginPath")
		g.Call("arc", x+w/2, cy, w/2, 0, 2*math.Pi)
		g.Call("fill")
	default:
		g.Set("fillStyle", col)
		g.Call("fillRect", x, cy-h/2, w, h)
	}
	return w + cssPx(before.Get("marginRight").String())*scale
}

// cssPx reads a computed length such as "18px" (0 for anything else).
func cssPx(s string) float64 {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "px"), 64)
	if err != nil || !strings.HasSuffix(strings.TrimSpace(s), "px") {
		return 0
	}
	return v
}

// wrapText breaks text into lines no wider than width as measure measures
// them, at spaces, greedily as a browser does; a word wider than width has a
// line of its own.
func wrapText(text string, width float64, measure func(string) float64) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case measure(line+" "+w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}
