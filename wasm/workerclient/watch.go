package workerclient

import (
	"time"

	"aeplayground/wasm/browser"
	"aeplayground/wasm/protocol"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Watching over the worker: a worker that dies (a Go panic it reports as
// protocol.Crashed, an uncaught error, or silence past the heartbeat's
// timeout, after which the page terminates it) is replaced by a new one.
// The new one gets the latest command of each kind the protocol's table
// marks Replayed (the settings, corruption, digit and workers), in order,
// and the Restarted action tells the page, which restores the
// last saved model into it and says so.

const (
	heartbeatEvery   = 2 * time.Second
	heartbeatTimeout = 12 * time.Second // training slices are ~10 ms: only a hung worker is this quiet
	maxRestarts      = 3                // within restartWindow, then the page gives up and says so
	restartWindow    = time.Minute
)

type workerWatch struct {
	ctx      app.Context
	onError  app.Func
	interval app.Value
	tick     app.Func
	ready    bool      // the current worker has said "ready": the heartbeat applies
	pingAt   time.Time // an unanswered heartbeat ping, zero when none
	restarts []time.Time
	last     map[protocol.Kind][]byte // the latest frame of each replayed kind, without a request number
	dead     bool
}

// workerURL is the worker script's URL; with ?aetest=1 on the page it
// carries ?test=1, the only way the worker accepts the test-only "panic".
func workerURL(ctx app.Context) string {
	u := ctx.ResolveStaticResource("/web/worker.js")
	if browser.TestMode() {
		u += "?test=1"
	}
	return u
}

// watch starts the heartbeat and listens for the worker's errors.
func (c *Client) watch(ctx app.Context) {
	w := &workerWatch{ctx: ctx, last: map[protocol.Kind][]byte{}}
	c.w = w
	w.onError = app.FuncOf(func(_ app.Value, args []app.Value) any {
		text := "an error"
		if len(args) > 0 {
			if m := args[0].Get("message"); m.Type() == app.TypeString && m.String() != "" {
				text = m.String()
			}
			args[0].Call("preventDefault")
		}
		c.restart("it failed: " + text)
		return nil
	})
	w.tick = app.FuncOf(func(app.Value, []app.Value) any {
		c.beat()
		return nil
	})
	w.interval = app.Window().Call("setInterval", w.tick, heartbeatEvery.Milliseconds())
}

// heard is told of every message from the worker.
func (c *Client) heard(m protocol.Message) {
	w := c.w
	if w == nil {
		return
	}
	switch m := m.(type) {
	case *protocol.Ready:
		w.ready = true
	case *protocol.Pong:
		w.pingAt = time.Time{}
	case *protocol.Crashed:
		c.restart("it hit an internal error: " + m.Text)
	}
}

// beat sends a heartbeat ping, or restarts a worker that left the last one
// unanswered too long. A hidden tab's timers are slowed down, and so are
// these pings: only the wait for an answer counts, never the gap between
// pings.
func (c *Client) beat() {
	w := c.w
	if w == nil || !w.ready || w.dead {
		return
	}
	if !w.pingAt.IsZero() {
		if time.Since(w.pingAt) > heartbeatTimeout {
			c.restart("it stopped answering for " + heartbeatTimeout.String())
		}
		return
	}
	w.pingAt = time.Now()
	c.port.post(0, &protocol.Ping{}) // not kept: a new worker is pinged anew
}

// remember keeps the latest copy of a command a new worker needs, as a
// frame: the sender may reuse the message's memory. A request number
// belongs to the old worker and is not kept.
func (c *Client) remember(m protocol.Message) {
	if c.w == nil || !protocol.RulesOf(m).Replayed {
		return
	}
	c.w.last[m.Kind()] = protocol.Append(c.w.last[m.Kind()][:0], m)
}

// restart terminates the worker and starts a new one, unless it has had to
// too often lately.
func (c *Client) restart(reason string) {
	w := c.w
	if w == nil || w.dead || !c.started {
		return
	}
	c.worker.Set("onmessage", nil)
	c.worker.Set("onerror", nil)
	c.worker.Call("terminate")
	now := time.Now()
	recent := w.restarts[:0]
	for _, t := range w.restarts {
		if now.Sub(t) < restartWindow {
			recent = append(recent, t)
		}
	}
	w.restarts = append(recent, now)
	w.ready, w.pingAt = false, time.Time{}
	if len(w.restarts) > maxRestarts {
		w.dead = true
		Restarted.Post(w.ctx, Restart{Reason: reason, GaveUp: true})
		return
	}
	app.Logf("worker: %s; starting a new one", reason)
	c.spawn()
	for _, k := range protocol.Replayed() {
		if f, ok := w.last[k]; ok {
			c.port.postFrame(f)
		}
	}
	Restarted.Post(w.ctx, Restart{Reason: reason})
}

func (c *Client) stopWatch() {
	if c.w == nil || c.w.tick == nil {
		return
	}
	app.Window().Call("clearInterval", c.w.interval)
	c.w.tick.Release()
	c.w.onError.Release()
}
