//go:build js && wasm

package main

import (
	"encoding/json"
	"syscall/js"
	"unsafe"

	"aeplayground/engine/ae"
	"aeplayground/engine/mnist"
)

// jsPool runs parts of each batch's gradient in helper Web Workers: the
// same worker.js and worker.wasm, started with the name "helper"
// (helper_js.go). Each helper has one ArrayBuffer that carries θ and the
// helper's share of the batch to it, and the gradient back, transferred
// both ways: the browser never copies it, and no new buffer is made per
// batch.
type jsPool struct {
	self    js.Value
	s       *session
	helpers []*jsHelper
	config  string    // the models' config as JSON, for helpers started later
	grad    []float64 // a reply's gradient, read here and added to the trainer's
}

type jsHelper struct {
	worker             js.Value
	buf                js.Value // the helper's ArrayBuffer while it is here; undefined while it travels
	onMessage, onError js.Func
}

func newJSPool(self js.Value, s *session) *jsPool { return &jsPool{self: self, s: s} }

// resize starts or stops helpers until there are n.
func (p *jsPool) resize(n int) {
	for len(p.helpers) > n {
		h := p.helpers[len(p.helpers)-1]
		p.helpers = p.helpers[:len(p.helpers)-1]
		h.worker.Call("terminate")
		h.onMessage.Release()
		h.onError.Release()
	}
	for len(p.helpers) < n {
		p.helpers = append(p.helpers, p.start(len(p.helpers)))
	}
}

// start creates helper i. Messages posted before its Go code runs wait in
// worker.js, in order.
func (p *jsPool) start(i int) *jsHelper {
	opts := p.self.Get("Object").New()
	opts.Set("name", "helper")
	h := &jsHelper{worker: p.self.Get("Worker").New("worker.js", opts), buf: js.Undefined()}
	h.onMessage = js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer reportPanic(p.self, p.s)
		p.reply(i, h, args[0].Get("data"))
		return nil
	})
	h.onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer reportPanic(p.self, p.s)
		p.s.helperFailed("its script failed: " + args[0].Get("message").String())
		return nil
	})
	h.worker.Set("onmessage", h.onMessage)
	h.worker.Set("onerror", h.onError)
	if p.config != "" {
		p.post(h, map[string]any{"type": "shard-config", "config": p.config})
	}
	return h
}

func (p *jsPool) configure(cfg ae.Config) {
	b, err := json.Marshal(cfg)
	if err != nil {
		panic(err) // a Config always marshals
	}
	p.config = string(b)
	for _, h := range p.helpers {
		p.post(h, map[string]any{"type": "shard-config", "config": p.config})
	}
}

func (p *jsPool) post(h *jsHelper, fields map[string]any) {
	h.worker.Call("postMessage", js.ValueOf(fields))
}

// send packs θ, input and target (unless it is the input) into helper i's
// buffer and transfers it.
func (p *jsPool) send(i, gen int, theta, input, target []float64, batch int) {
	h := p.helpers[i]
	need := 8 * (len(theta) + len(input) + len(target))
	if h.buf.IsUndefined() || h.buf.Get("byteLength").Int() < need {
		// Sized for a full batch, so that it is made once per model.
		full := 8 * (len(theta) + 2*batch*mnist.Pixels)
		h.buf = p.self.Get("ArrayBuffer").New(max(need, full))
	}
	off := 0
	for _, f := range [][]float64{theta, input, target} {
		b := floatBytes(f)
		js.CopyBytesToJS(p.self.Get("Uint8Array").New(h.buf, off, len(b)), b)
		off += len(b)
	}
	msg := p.self.Get("Object").New()
	msg.Set("type", "shard")
	msg.Set("gen", gen)
	msg.Set("batch", batch)
	msg.Set("params", len(theta))
	msg.Set("rows", len(input)/mnist.Pixels)
	msg.Set("same", target == nil)
	msg.Set("buf", h.buf)
	h.worker.Call("postMessage", msg, []any{h.buf})
	h.buf = js.Undefined()
}

// reply handles a message from helper i.
func (p *jsPool) reply(i int, h *jsHelper, data js.Value) {
	switch data.Get("type").String() {
	case "part":
		h.buf = data.Get("buf")
		n := data.Get("params").Int()
		if cap(p.grad) < n {
			p.grad = make([]float64, n)
		}
		g := p.grad[:n]
		js.CopyBytesToGo(floatBytes(g), p.self.Get("Uint8Array").New(h.buf, 0, 8*n))
		p.s.partDone(i, data.Get("gen").Int(), g, data.Get("loss").Float(), data.Get("data").Float())
	case "error", "crashed":
		p.s.helperFailed(data.Get("text").String())
	}
}

// floatBytes is the memory of f as bytes, to copy to and from typed arrays
// in one call: wasm is little-endian, as typed arrays are on every browser.
func floatBytes(f []float64) []byte {
	if len(f) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&f[0])), 8*len(f))
}
