package main

import (
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Watching over the worker: a worker that dies (a Go panic it reports as
// "crashed", an uncaught error, or silence past the heartbeat's timeout,
// after which the page terminates it) is replaced by a new one. The new one
// gets the last settings, corruption and digit the page sent, in order, and
// the "worker:restarted" action tells the page, which restores the last
// saved model into it and says so.

const (
	heartbeatEvery   = 2 * time.Second
	heartbeatTimeout = 12 * time.Second // training slices are ~10 ms: only a hung worker is this quiet
	maxRestarts      = 3                // within restartWindow, then the page gives up and says so
	restartWindow    = time.Minute
)

// replayed are the commands whose latest copy a new worker needs, in the
// order it needs them.
var replayed = []string{"config", "noise", "digit", "workers"}

// restartedMsg is the "worker:restarted" action's value.
type restartedMsg struct {
	Reason string // why the old one was replaced, in words
	GaveUp bool   // restarted too often: no new worker was started
}

type workerWatch struct {
	ctx      app.Context
	onError  app.Func
	interval app.Value
	tick     app.Func
	ready    bool      // the current worker has said "ready": the heartbeat applies
	pingAt   time.Time // an unanswered heartbeat ping, zero when none
	restarts []time.Time
	last     map[string]map[string]any
	dead     bool
}

// workerURL is the worker script's URL; with ?aetest=1 on the page it
// carries ?test=1, the only way the worker accepts the test-only "panic".
func workerURL(ctx app.Context) string {
	u := ctx.ResolveStaticResource("/web/worker.js")
	if testMode() {
		u += "?test=1"
	}
	return u
}

func testMode() bool {
	for _, kv := range strings.Split(app.Window().URL().RawQuery, "&") {
		if kv == "aetest=1" {
			return true
		}
	}
	return false
}

// watch starts the heartbeat and listens for the worker's errors.
func (c *workerClient) watch(ctx app.Context) {
	w := &workerWatch{ctx: ctx, last: map[string]map[string]any{}}
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
	c.worker.Set("onerror", w.onError)
	w.tick = app.FuncOf(func(app.Value, []app.Value) any {
		c.beat()
		return nil
	})
	w.interval = app.Window().Call("setInterval", w.tick, heartbeatEvery.Milliseconds())
}

// heard is told of every message from the worker. It returns false for a
// message from a worker already replaced.
func (c *workerClient) heard(typ string, data app.Value) {
	w := c.w
	if w == nil {
		return
	}
	switch typ {
	case "ready":
		w.ready = true
	case "pong":
		w.pingAt = time.Time{}
	case "crashed":
		c.restart("it hit an internal error: " + jsStr(data, "text"))
	}
}

// beat sends a heartbeat ping, or restarts a worker that left the last one
// unanswered too long. A hidden tab's timers are slowed down, and so are
// these pings: only the wait for an answer counts, never the gap between
// pings.
func (c *workerClient) beat() {
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
	c.post("ping", nil)
}

// remember keeps the latest copy of a command a new worker needs.
func (c *workerClient) remember(typ string, fields map[string]any) {
	if c.w == nil {
		return
	}
	for _, r := range replayed {
		if r == typ {
			keep := make(map[string]any, len(fields))
			for k, v := range fields {
				if k != "req" { // a request id belongs to the old worker
					keep[k] = v
				}
			}
			c.w.last[typ] = keep
		}
	}
}

// restart terminates the worker and starts a new one, unless it has had to
// too often lately.
func (c *workerClient) restart(reason string) {
	w := c.w
	if w == nil || w.dead {
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
		w.ctx.NewActionWithValue("worker:restarted", restartedMsg{Reason: reason, GaveUp: true})
		return
	}
	app.Logf("worker: %s; starting a new one", reason)
	c.worker = app.Window().Get("Worker").New(workerURL(w.ctx))
	c.worker.Set("onmessage", c.onMessage)
	c.worker.Set("onerror", w.onError)
	for _, typ := range replayed {
		if f, ok := w.last[typ]; ok {
			c.post(typ, f)
		}
	}
	w.ctx.NewActionWithValue("worker:restarted", restartedMsg{Reason: reason})
}

func (c *workerClient) stopWatch() {
	if c.w == nil || c.w.tick == nil {
		return
	}
	app.Window().Call("clearInterval", c.w.interval)
	c.w.tick.Release()
	c.w.onError.Release()
}
