package main

import (
	"math"
	"unsafe"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// workerClient is the page's end of the training worker: commands go out by
// postMessage, and each reply becomes a go-app action named "worker:TYPE"
// carrying a decoded Go value, so every panel handles only what it shows and
// re-renders only itself.
type workerClient struct {
	worker    app.Value
	onMessage app.Func
	w         *workerWatch // restarts a worker that dies (workerwatch.go)
	dec       decoder
}

func newWorkerClient(ctx app.Context) *workerClient {
	w := app.Window().Get("Worker").New(workerURL(ctx))
	c := &workerClient{worker: w}
	c.onMessage = app.FuncOf(func(_ app.Value, args []app.Value) any {
		data := args[0].Get("data")
		typ := data.Get("type")
		if typ.Type() != app.TypeString {
			return nil
		}
		name := typ.String()
		c.heard(name, data)
		postAction(ctx, "worker:"+name, c.dec.decode(name, data))
		return nil
	})
	w.Set("onmessage", c.onMessage)
	c.watch(ctx)
	return c
}

// send posts a command. Pixel buffers ([]byte) travel as Uint8Arrays.
func (c *workerClient) send(typ string, fields map[string]any) {
	if c == nil {
		return
	}
	c.remember(typ, fields)
	c.post(typ, fields)
}

// post sends a command to the current worker without keeping it for a new
// one.
func (c *workerClient) post(typ string, fields map[string]any) {
	obj := app.Window().Get("Object").New()
	obj.Set("type", typ)
	for k, v := range fields {
		if b, ok := v.([]byte); ok {
			arr := app.Window().Get("Uint8Array").New(len(b))
			app.CopyBytesToJS(arr, b)
			obj.Set(k, arr)
			continue
		}
		obj.Set(k, v)
	}
	c.worker.Call("postMessage", obj)
}

func (c *workerClient) close() {
	if c == nil {
		return
	}
	c.stopWatch()
	c.worker.Call("terminate")
	c.onMessage.Release()
}

// Messages from the worker, decoded.

type statusMsg struct {
	Text  string
	Fatal bool
}

type readyMsg struct {
	Train, Test, PCAK int
	FitMs             float64
	Scree             []float64 // cumulative explained variance for k = 1, 2, …
	Eigen             []byte    // eigen-digits, signed images
	NEigen            int
	Floors            []float64 // PCA's floor for k = 0, 1, …
}

type resetMsg struct {
	Arch   string
	Params int
}

// progressMsg is a progress report. Grid, Filters, Scatter, ScatterLabels
// and RhoHat, like reconMsg's images, are the client's buffers, overwritten
// by the next message of the kind (see decoder): a handler that keeps one
// copies it.
type progressMsg struct {
	Running                      bool
	Epoch, Samples, Rate         float64
	Loss, Floor, TestLoss, Ratio float64 // NaN when not measured
	K                            int
	Workers                      int // Web Workers sharing each batch
	MSE, Linear                  bool
	Full                         bool      // held-out evaluation included
	Angles                       []float64 // degrees, ascending; linear models only; a new slice each time (kept by the export and the API)
	Grid                         []byte
	Filters                      []byte
	NFilters                     int
	Scatter                      []float64
	ScatterLabels                []byte
	RhoHat                       []float64
	Rho, Jacobian                float64
	CodeAct                      string
}

type reconMsg struct {
	AE, PCA []byte // the client's buffers, as progressMsg's
	PCAK    int
}

type sampleMsg struct {
	Pixels []byte
	Label  int
	Index  int // in the held-out set; -1 if not sent
}

// doneMsg says a message sent with a req number has been handled (see
// apiBridge.request); Error is the first error its handling reported.
type doneMsg struct {
	Req   float64
	Error string
}

// decoder turns the worker's messages into Go values. The images and
// arrays that come several times a second (progress and reconstructions)
// are copied into buffers the decoder keeps rather than new ones: a few
// hundred KB a second of garbage would bring the next collection, which
// runs on the main thread in one piece, nearer. A buffer is valid until the
// next message of its kind is decoded; the handlers of a message all run
// before that (a message's actions are dispatched and handled on go-app's
// goroutine before Go hands control back to JavaScript, which delivers the
// next message), and a component that keeps the data copies it.
type decoder struct {
	grid, filters, scatterLabels, ae, pca []byte
	scatter, rhoHat                       []float64
}

func (d *decoder) decode(typ string, v app.Value) any {
	if m, ok := decodeModelMessage(typ, v); ok { // exportpanel.go
		return m
	}
	switch typ {
	case "ready":
		return readyMsg{
			Train: jsInt(v, "train"), Test: jsInt(v, "test"), PCAK: jsInt(v, "pcaK"),
			FitMs: jsNum(v, "fitMs"), Scree: jsFloats(v, "scree"), Eigen: jsBytes(v, "eigen"),
			NEigen: jsInt(v, "nEigen"), Floors: jsFloats(v, "floorAll"),
		}
	case "reset":
		return resetMsg{Arch: jsStr(v, "arch"), Params: jsInt(v, "params")}
	case "progress":
		m := progressMsg{
			Running: jsBool(v, "running"), Epoch: jsNum(v, "epoch"), Samples: jsNum(v, "samples"),
			Rate: jsNum(v, "rate"), Loss: jsNum(v, "loss"), Floor: jsNum(v, "floor"),
			TestLoss: jsNum(v, "testLoss"), Ratio: jsNum(v, "ratio"), K: jsInt(v, "k"),
			MSE: jsBool(v, "mse"), Linear: jsBool(v, "linear"), Full: v.Get("testLoss").Type() == app.TypeNumber,
			Workers: jsInt(v, "workers"), Angles: jsFloats(v, "angles"),
			NFilters: jsInt(v, "nFilters"), Rho: jsNum(v, "rho"), Jacobian: jsNum(v, "jacobian"), CodeAct: jsStr(v, "codeAct"),
		}
		m.Grid, m.Filters = jsBytesInto(&d.grid, v, "grid"), jsBytesInto(&d.filters, v, "filters")
		m.Scatter, m.ScatterLabels = jsFloatsInto(&d.scatter, v, "scatter"), jsBytesInto(&d.scatterLabels, v, "scatterLabels")
		m.RhoHat = jsFloatsInto(&d.rhoHat, v, "rhoHat")
		return m
	case "recon":
		return reconMsg{AE: jsBytesInto(&d.ae, v, "ae"), PCA: jsBytesInto(&d.pca, v, "pca"), PCAK: jsInt(v, "pcaK")}
	case "sample":
		index := -1
		if v.Get("index").Type() == app.TypeNumber {
			index = jsInt(v, "index")
		}
		return sampleMsg{Pixels: jsBytes(v, "pixels"), Label: jsInt(v, "label"), Index: index}
	case "done":
		return doneMsg{Req: jsNum(v, "req"), Error: jsStr(v, "error")}
	default: // status, error, config-error, diverged, pong
		return statusMsg{Text: jsStr(v, "text"), Fatal: jsBool(v, "fatal")}
	}
}

func jsNum(v app.Value, k string) float64 {
	if f := v.Get(k); f.Type() == app.TypeNumber {
		return f.Float()
	}
	return math.NaN()
}

func jsInt(v app.Value, k string) int {
	f := jsNum(v, k)
	if math.IsNaN(f) {
		return 0
	}
	return int(f)
}

func jsStr(v app.Value, k string) string {
	if f := v.Get(k); f.Type() == app.TypeString {
		return f.String()
	}
	return ""
}

func jsBool(v app.Value, k string) bool {
	f := v.Get(k)
	return f.Type() == app.TypeBoolean && f.Bool()
}

// jsBytes copies a Uint8Array field; nil when absent.
func jsBytes(v app.Value, k string) []byte {
	var b []byte
	return jsBytesInto(&b, v, k)
}

// jsBytesInto copies a Uint8Array field into *buf, grown when too small,
// and returns the copy; nil when absent.
func jsBytesInto(buf *[]byte, v app.Value, k string) []byte {
	f := v.Get(k)
	if f.Type() != app.TypeObject {
		return nil
	}
	n := f.Get("length").Int()
	if cap(*buf) < n || *buf == nil {
		*buf = make([]byte, n)
	}
	b := (*buf)[:n]
	app.CopyBytesToGo(b, f)
	return b
}

// jsFloats copies a Float64Array field; nil when absent.
func jsFloats(v app.Value, k string) []float64 {
	var out []float64
	return jsFloatsInto(&out, v, k)
}

// jsFloatsInto copies a Float64Array field into *buf, grown when too small,
// with one copy of its bytes, and returns the copy; nil when absent.
func jsFloatsInto(buf *[]float64, v app.Value, k string) []float64 {
	f := v.Get(k)
	if f.Type() != app.TypeObject {
		return nil
	}
	n := f.Get("length").Int()
	if cap(*buf) < n || *buf == nil {
		*buf = make([]float64, n)
	}
	out := (*buf)[:n]
	if n == 0 {
		return out
	}
	// Straight into out's memory (wasm is little-endian, as the array is):
	// no second buffer per message. The Uint8Array over the array's bytes is
	// made in JavaScript; only its handle passes through Go.
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), 8*n)
	app.CopyBytesToGo(raw, uint8Array.New(f.Get("buffer"), f.Get("byteOffset"), 8*n))
	return out
}

// uint8Array is JavaScript's Uint8Array constructor, looked up once: each
// lookup would be a new js.Value, which holds a reference in JavaScript
// until a collection finalizes it.
var uint8Array = jsGlobal("Uint8Array")

func jsGlobal(name string) app.Value {
	if !app.IsClient {
		return nil
	}
	return app.Window().Get(name)
}
