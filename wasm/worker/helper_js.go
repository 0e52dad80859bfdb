//go:build js && wasm

package main

import (
	"encoding/json"
	"syscall/js"

	"aeplayground/engine/ae"
	"aeplayground/engine/mnist"
)

// runHelper is the worker's life as a helper of data-parallel training
// (jsPool starts it): for each batch the coordinator sends θ and a share of
// the digits, and gets back the share's gradient, in the same buffer.
func runHelper(self js.Value) {
	var shard *ae.Shard
	var in []float64 // θ, input and target, copied out of the buffer
	fail := func(text string) { self.Call("postMessage", map[string]any{"type": "error", "text": text}) }
	handler := js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer reportPanic(self, nil)
		m := args[0]
		switch m.Get("type").String() {
		case "shard-config":
			var cfg ae.Config
			err := json.Unmarshal([]byte(m.Get("config").String()), &cfg)
			if err == nil {
				shard, err = ae.NewShard(cfg)
			}
			if err != nil {
				shard = nil
				fail("a helper could not take the model: " + err.Error())
			}
		case "shard":
			if shard == nil {
				fail("a helper was sent a batch before a model")
				return nil
			}
			np, rows, same := m.Get("params").Int(), m.Get("rows").Int(), m.Get("same").Bool()
			ln := rows * mnist.Pixels
			total := np + 2*ln
			if same {
				total = np + ln // the target is the input
			}
			buf := m.Get("buf")
			if 8*total > buf.Get("byteLength").Int() {
				fail("a helper was sent a batch larger than its buffer")
				return nil
			}
			if cap(in) < total {
				in = make([]float64, total)
			}
			in = in[:total]
			js.CopyBytesToGo(floatBytes(in), self.Get("Uint8Array").New(buf, 0, 8*total))
			input, target := in[np:np+ln], in[np+ln:]
			if same {
				target = input
			}
			grad, loss, data, err := shard.Gradient(in[:np], input, target, m.Get("batch").Int())
			if err != nil {
				fail("a helper could not compute its part: " + err.Error())
				return nil
			}
			js.CopyBytesToJS(self.Get("Uint8Array").New(buf, 0, 8*np), floatBytes(grad))
			reply := self.Get("Object").New()
			reply.Set("type", "part")
			reply.Set("gen", m.Get("gen"))
			reply.Set("params", np)
			reply.Set("loss", loss)
			reply.Set("data", data)
			reply.Set("buf", buf)
			self.Call("postMessage", reply, []any{buf})
		}
		return nil
	})
	self.Call("goWorkerReady", handler)
	select {} // the handler lives on
}
