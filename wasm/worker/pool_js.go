//go:build js && wasm

package main

import (
	"syscall/js"

	"aeplayground/engine/ae"
	"aeplayground/wasm/protocol"
)

// jsPool runs parts of each batch's gradient in helper Web Workers: the
// same worker.js and worker.wasm, started with the name "helper"
// (helper_js.go). Each helper's Port passes one buffer to and fro: the
// Shard goes out in it and the Part comes back in it, transferred both
// ways, so the browser never copies it and a new one is made only when a
// Shard outgrows it.
type jsPool struct {
	self    js.Value
	s       *session
	helpers []*jsHelper
	config  *protocol.ShardConfig // the models' settings, for helpers started later; nil before the first
	shard   protocol.Shard        // the batch's part being sent
}

type jsHelper struct {
	worker             js.Value
	port               *protocol.Port
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
	w := p.self.Get("Worker").New("worker.js", opts)
	h := &jsHelper{worker: w, port: protocol.NewPort(w)}
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
	w.Set("onmessage", h.onMessage)
	w.Set("onerror", h.onError)
	if p.config != nil {
		h.port.Post(p.config)
	}
	return h
}

func (p *jsPool) configure(cfg ae.Config) {
	p.config = &protocol.ShardConfig{Config: cfg}
	for _, h := range p.helpers {
		h.port.Post(p.config)
	}
}

// send sends helper i its part of batch gen: θ, its rows of input and,
// unless it is the input, of target.
func (p *jsPool) send(i, gen int, theta, input, target []float64, batch int) {
	p.shard = protocol.Shard{Gen: gen, Batch: batch, Theta: theta, Input: input, Target: target}
	p.helpers[i].port.Post(&p.shard)
	p.shard = protocol.Shard{} // the trainer's slices are not ours to keep
}

// reply handles a message from helper i.
func (p *jsPool) reply(i int, h *jsHelper, data js.Value) {
	m, _, ok, err := h.port.Receive(data)
	switch {
	case !ok: // worker.js's own report: the engine did not load
		p.s.helperFailed(data.Get("text").String())
		return
	case err != nil:
		p.s.helperFailed("its reply could not be read: " + err.Error())
		return
	}
	switch m := m.(type) {
	case *protocol.Part:
		p.s.partDone(i, m.Gen, m.Grad, m.Loss, m.Data)
	case *protocol.Error:
		p.s.helperFailed(m.Text)
	case *protocol.Crashed:
		p.s.helperFailed(m.Text)
	}
}
