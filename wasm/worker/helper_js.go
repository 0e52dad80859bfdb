//go:build js && wasm

package main

import (
	"syscall/js"

	"aeplayground/engine/ae"
	"aeplayground/wasm/protocol"
)

// runHelper is the worker's life as a helper of data-parallel training
// (jsPool starts it): for each batch the coordinator sends a Shard (θ and
// a share of the digits) and gets back its gradient as a Part, in the same
// buffer (protocol.Port).
func runHelper(self js.Value) {
	port := protocol.NewPort(self)
	var shard *ae.Shard
	var part protocol.Part
	fail := func(text string) { port.Post(&protocol.Error{Text: text}) }
	handler := js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer reportPanic(self, nil)
		m, _, ok, err := port.Receive(args[0])
		if !ok || err != nil {
			fail("a helper could not read a message from the coordinator")
			return nil
		}
		switch m := m.(type) {
		case *protocol.ShardConfig:
			if shard, err = ae.NewShard(m.Config); err != nil {
				shard = nil
				fail("a helper could not take the model: " + err.Error())
			}
		case *protocol.Shard:
			if shard == nil {
				fail("a helper was sent a batch before a model")
				return nil
			}
			target := m.Target
			if len(target) == 0 { // the target is the input
				target = m.Input
			}
			grad, loss, data, err := shard.Gradient(m.Theta, m.Input, target, m.Batch)
			if err != nil {
				fail("a helper could not compute its part: " + err.Error())
				return nil
			}
			part = protocol.Part{Gen: m.Gen, Grad: grad, Loss: loss, Data: data}
			port.Post(&part)
		}
		return nil
	})
	self.Call("goWorkerReady", handler)
	select {} // the handler lives on
}
