package workerclient

import (
	"encoding/json"
	"fmt"

	"aeplayground/wasm/browser"
	"aeplayground/wasm/protocol"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Client is the page's end of the training worker: commands go out as
// protocol messages, and each message back becomes a page action (package
// bus; "worker:" + its kind) whose value is the decoded message
// (*protocol.Progress), so every panel handles only what it shows, with On
// or OnQuiet (actions.go), and re-renders only itself.
//
// Progress reports and reconstructions are decoded into the memory of the
// last of their kind (protocol.Decoder): their slices are valid until the
// next message of the kind. The handlers of a message all run before that
// (a message's actions are dispatched and handled on go-app's goroutine
// before Go hands control back to JavaScript, which delivers the next
// message), and a component that keeps the data copies it. So the page
// allocates next to nothing per report, and the collector, which runs on
// the main thread in one piece, seldom has to.
type Client struct {
	worker    app.Value
	port      workerPort
	onMessage app.Func
	w         *workerWatch // restarts a worker that dies (watch.go)
	// An embed's worker starts only when its frame is first shown or
	// played: until then the commands wait here, as frames, in order.
	started bool
	pending [][]byte
	// heardBy are told of each command before it goes (OnCommand).
	heardBy []func(protocol.Message)
}

// New starts the training worker now, or, if lazy, at the first command
// that needs it (Play, Step, or a request awaiting a reply) or at Start.
func New(ctx app.Context, lazy bool) *Client {
	c := &Client{}
	c.onMessage = app.FuncOf(func(_ app.Value, args []app.Value) any {
		data := args[0].Get("data")
		m, _, ok, err := c.port.receive(data)
		switch {
		case !ok: // worker.js's own report: the engine did not load
			m = &protocol.Error{Text: browser.Str(data, "text"), Fatal: true}
		case err != nil:
			m = &protocol.Error{Text: "a message from the training worker could not be read: " + err.Error()}
		}
		c.heard(m)
		if p, ok := m.(*protocol.Progress); ok && p.Model > 0 {
			CompareProgress.Post(ctx, p) // the compared model's: not for the panels of the first
			return nil
		}
		actionOfKind(m.Kind()).Post(ctx, m)
		return nil
	})
	c.watch(ctx)
	if !lazy {
		c.Start()
	}
	return c
}

// newWorker starts worker.js at url. A page with an opaque origin (framed
// with sandbox="allow-scripts" and no allow-same-origin) may not start a
// worker from the server's URL, only from a blob of its own: that blob sets
// worker.js's base (self.aeBase) and imports it from the server, which
// allows any origin (wasm/server's corsHeaders).
func newWorker(url string) app.Value {
	win := app.Window()
	if !browser.OpaqueOrigin() {
		return win.Get("Worker").New(url)
	}
	abs := win.Get("URL").New(url, win.Get("document").Get("baseURI")).Get("href").String()
	q, _ := json.Marshal(abs)
	src := fmt.Sprintf("self.aeBase = %s;\nimportScripts(self.aeBase);\n", q)
	blob := win.Get("Blob").New([]any{src}, map[string]any{"type": "text/javascript"})
	return win.Get("Worker").New(win.Get("URL").Call("createObjectURL", blob))
}

// Start makes the worker, if there is none, and hands it the commands
// that waited.
func (c *Client) Start() {
	if c == nil || c.started {
		return
	}
	c.started = true
	c.spawn()
	for _, f := range c.pending {
		c.port.postFrame(f)
	}
	c.pending = nil
}

// spawn makes a new worker and listens to it.
func (c *Client) spawn() {
	c.worker = newWorker(workerURL(c.w.ctx))
	c.port = newWorkerPort(c.worker)
	c.worker.Set("onmessage", c.onMessage)
	c.worker.Set("onerror", c.w.onError)
}

// Started reports whether the worker has been started.
func (c *Client) Started() bool { return c != nil && c.started }

// OnCommand has f told of each command before it goes to the worker.
func (c *Client) OnCommand(f func(protocol.Message)) { c.heardBy = append(c.heardBy, f) }

// Send posts a command. The latest of each kind a new worker needs is
// kept (watch.go).
func (c *Client) Send(m protocol.Message) { c.Request(0, m) }

// Request posts a command with request number req, which the worker's
// Done names once it has handled it.
func (c *Client) Request(req uint64, m protocol.Message) {
	if c == nil {
		return
	}
	for _, f := range c.heardBy {
		f(m)
	}
	c.remember(m)
	if !c.started {
		c.pending = append(c.pending, protocol.AppendRequest(nil, req, m))
		if k := m.Kind(); req != 0 || k == (&protocol.Play{}).Kind() || k == (&protocol.Step{}).Kind() {
			c.Start()
		}
		return
	}
	c.port.post(req, m)
}

// Close stops the worker and its watch.
func (c *Client) Close() {
	if c == nil {
		return
	}
	c.stopWatch()
	if c.started {
		c.worker.Call("terminate")
	}
	c.onMessage.Release()
}
