package main

import (
	"aeplayground/wasm/protocol"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// workerClient is the page's end of the training worker: commands go out
// as protocol messages, and each message back becomes a go-app action named
// "worker:" + its kind ("worker:progress") whose value is the decoded
// message (*protocol.Progress), so every panel handles only what it shows
// and re-renders only itself.
//
// Progress reports and reconstructions are decoded into the memory of the
// last of their kind (protocol.Decoder): their slices are valid until the
// next message of the kind. The handlers of a message all run before that
// (a message's actions are dispatched and handled on go-app's goroutine
// before Go hands control back to JavaScript, which delivers the next
// message), and a component that keeps the data copies it. So the page
// allocates next to nothing per report, and the collector, which runs on
// the main thread in one piece, seldom has to.
type workerClient struct {
	worker    app.Value
	port      workerPort
	onMessage app.Func
	w         *workerWatch // restarts a worker that dies (workerwatch.go)
	gate      *restoreGate // told of each command: a user's may cancel a restore
}

func newWorkerClient(ctx app.Context) *workerClient {
	w := app.Window().Get("Worker").New(workerURL(ctx))
	c := &workerClient{worker: w, port: newWorkerPort(w)}
	c.onMessage = app.FuncOf(func(_ app.Value, args []app.Value) any {
		data := args[0].Get("data")
		m, _, ok, err := c.port.receive(data)
		switch {
		case !ok: // worker.js's own report: the engine did not load
			m = &protocol.Error{Text: jsStr(data, "text"), Fatal: true}
		case err != nil:
			m = &protocol.Error{Text: "a message from the training worker could not be read: " + err.Error()}
		}
		c.heard(m)
		a := workerAction(m.Kind())
		if p, ok := m.(*protocol.Progress); ok && p.Model > 0 {
			a = compareProgress // the compared model's: not for the panels of the first
		}
		postAction(ctx, a, m)
		return nil
	})
	w.Set("onmessage", c.onMessage)
	c.watch(ctx)
	return c
}

// compareProgress is the action of a compared model's progress (a
// lesson's second model): the lesson and the loss chart take it.
const compareProgress = "worker:progress-compare"

// workerActions are the action names, made once: not a new string per
// message.
var workerActions = map[protocol.Kind]string{}

func workerAction(k protocol.Kind) string {
	a, ok := workerActions[k]
	if !ok {
		a = "worker:" + k.String()
		workerActions[k] = a
	}
	return a
}

// send posts a command. The latest of each kind a new worker needs is
// kept (workerwatch.go).
func (c *workerClient) send(m protocol.Message) { c.request(0, m) }

// request posts a command with request number req, which the worker's
// Done names once it has handled it (scripting.go).
func (c *workerClient) request(req uint64, m protocol.Message) {
	if c == nil {
		return
	}
	c.gate.command(m)
	c.remember(m)
	c.port.post(req, m)
}

func (c *workerClient) close() {
	if c == nil {
		return
	}
	c.stopWatch()
	c.worker.Call("terminate")
	c.onMessage.Release()
}
