package plot

import (
	"aeplayground/wasm/pixels"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Images shows a list of 28x28 Images tiled in a grid on one canvas, drawn
// with a single ImageData (one copy into JavaScript per update): hundreds of
// elements per image would cost tens of milliseconds an update.
//
// A panel whose Images change often keeps one Images value and gives it the
// new pixels with show, which draws them at once: the panel is not
// re-rendered for them, and its Render returns the same value, which go-app
// then leaves alone.
type Images struct {
	app.Compo

	Data   []byte // Count Images of 784 pixels, 0..255
	Count  int
	Cols   int
	Signed bool   // 128 is zero: draw weights blue (negative) to red (positive)
	Label  string // accessible name of the canvas
	Class  string

	rgba []byte
	// The canvas's 2D context and an ImageData of the canvas's size, kept:
	// each lookup or new object would be a js.Value holding a reference in
	// JavaScript until a collection finalizes it.
	ctx2d, imageData, pixels app.Value
	canvas                   app.Value // the element they belong to
}

func (im *Images) Render() app.UI {
	cols, rows := im.grid()
	return app.Canvas().
		Class("Images "+im.Class).
		Width(cols*(pixels.Side+1)-1).
		Height(rows*(pixels.Side+1)-1).
		Aria("label", im.Label).
		Attr("role", "img")
}

func (im *Images) grid() (cols, rows int) {
	cols = max(1, min(im.Cols, im.Count))
	rows = max(1, (im.Count+cols-1)/cols)
	return cols, rows
}

func (im *Images) OnMount(ctx app.Context)  { im.draw() }
func (im *Images) OnUpdate(ctx app.Context) { ctx.Defer(func(app.Context) { im.draw() }) }
func (im *Images) OnDismount()              { im.ctx2d, im.imageData, im.pixels, im.canvas = nil, nil, nil, nil }

// show replaces the Images and draws them at once. The caller owns data and
// must call show again whenever it rewrites it. A new count changes the
// canvas's size: that re-renders the canvas first.
func (im *Images) Show(ctx app.Context, data []byte, count int) {
	im.Data = data
	if count != im.Count {
		im.Count = count
		if im.Mounted() {
			im.Update()
			ctx.Defer(func(app.Context) { im.draw() })
		}
		return
	}
	im.draw()
}

func (im *Images) draw() {
	if !im.Mounted() {
		return
	}
	cv := im.JSValue()
	if cv == nil || cv.Type() != app.TypeObject {
		return
	}
	cols, rows := im.grid()
	w, h := cols*(pixels.Side+1)-1, rows*(pixels.Side+1)-1
	if len(im.rgba) != 4*w*h || im.canvas == nil || !im.canvas.Equal(cv) {
		im.rgba = make([]byte, 4*w*h)
		im.canvas = cv
		im.ctx2d = cv.Call("getContext", "2d")
		im.imageData = im.ctx2d.Call("createImageData", w, h)
		im.pixels = im.imageData.Get("data")
	}
	px := im.rgba
	for i := range px { // the gaps between Images
		px[i] = 0xe4
	}
	for n := 0; n < im.Count && (n+1)*pixels.Len <= len(im.Data); n++ {
		ox, oy := (n%cols)*(pixels.Side+1), (n/cols)*(pixels.Side+1)
		img := im.Data[n*pixels.Len : (n+1)*pixels.Len]
		for y := range pixels.Side {
			for x := range pixels.Side {
				r, g, b := shade(img[y*pixels.Side+x], im.Signed)
				o := 4 * ((oy+y)*w + ox + x)
				px[o], px[o+1], px[o+2], px[o+3] = r, g, b, 255
			}
		}
	}
	app.CopyBytesToJS(im.pixels, px)
	im.ctx2d.Call("putImageData", im.imageData, 0, 0)
}

// shade maps a pixel to a colour: ink dark on white, as drawn on the pad;
// signed weights from blue through white to red.
func shade(v byte, signed bool) (r, g, b byte) {
	if !signed {
		return 255 - v, 255 - v, 255 - v
	}
	if v >= 128 {
		d := 2 * (v - 128)
		return 255, 255 - d, 255 - d
	}
	d := 2 * (127 - v)
	return 255 - d, 255 - d, 255
}
