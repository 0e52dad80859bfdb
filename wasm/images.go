package main

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// images shows a list of 28x28 images tiled in a grid on one canvas, drawn
// with a single ImageData (one copy into JavaScript per update): hundreds of
// elements per image would cost tens of milliseconds an update.
type images struct {
	app.Compo

	Data   []byte // Count images of 784 pixels, 0..255
	Count  int
	Cols   int
	Signed bool   // 128 is zero: draw weights blue (negative) to red (positive)
	Label  string // accessible name of the canvas
	Class  string

	canvas app.Value
	rgba   []byte
}

func (im *images) Render() app.UI {
	cols, rows := im.grid()
	return app.Canvas().
		Class("images "+im.Class).
		Width(cols*(digitSide+1)-1).
		Height(rows*(digitSide+1)-1).
		Aria("label", im.Label).
		Attr("role", "img")
}

func (im *images) grid() (cols, rows int) {
	cols = max(1, min(im.Cols, im.Count))
	rows = max(1, (im.Count+cols-1)/cols)
	return cols, rows
}

func (im *images) OnMount(ctx app.Context)  { im.draw() }
func (im *images) OnUpdate(ctx app.Context) { ctx.Defer(func(app.Context) { im.draw() }) }

func (im *images) draw() {
	cv := im.JSValue()
	if cv == nil || cv.Type() != app.TypeObject {
		return
	}
	cols, rows := im.grid()
	w, h := cols*(digitSide+1)-1, rows*(digitSide+1)-1
	if len(im.rgba) != 4*w*h {
		im.rgba = make([]byte, 4*w*h)
	}
	px := im.rgba
	for i := range px { // the gaps between images
		px[i] = 0xe4
	}
	for n := 0; n < im.Count && (n+1)*digitLen <= len(im.Data); n++ {
		ox, oy := (n%cols)*(digitSide+1), (n/cols)*(digitSide+1)
		img := im.Data[n*digitLen : (n+1)*digitLen]
		for y := range digitSide {
			for x := range digitSide {
				r, g, b := shade(img[y*digitSide+x], im.Signed)
				o := 4 * ((oy+y)*w + ox + x)
				px[o], px[o+1], px[o+2], px[o+3] = r, g, b, 255
			}
		}
	}
	data := app.Window().Get("Uint8ClampedArray").New(len(px))
	app.CopyBytesToJS(data, px)
	imageData := app.Window().Get("ImageData").New(data, w, h)
	cv.Call("getContext", "2d").Call("putImageData", imageData, 0, 0)
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
