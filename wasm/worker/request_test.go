package main

import (
	"strings"
	"testing"
)

// A message with a req is answered by "done" after it has been handled: a
// step of n batches has run n batches and reported them first; a refused
// config and an unknown index carry their error.
func TestRequestDone(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 200, 40)); err != nil {
		t.Fatal(err)
	}
	r.msgs = nil
	r.deliver(message{"type": "step", "n": 7.0, "req": 1.0})
	d := r.last("done")
	if d == nil || d["req"] != 1.0 || d["error"] != nil {
		t.Fatalf("step: done %v, messages %v", d, r.types())
	}
	if ts := r.types(); ts[len(ts)-1] != "done" {
		t.Errorf("done is not the last message: %v", ts)
	}
	if got := r.last("progress")["batches"]; got != 7.0 {
		t.Errorf("batches after step n=7: %v", got)
	}

	r.msgs = nil
	r.deliver(message{"type": "config", "config": "{", "req": 2.0})
	if d := r.last("done"); d == nil || d["req"] != 2.0 || !strings.Contains(str(d, "error"), "could not be read") {
		t.Errorf("bad config: done %v", d)
	}

	r.msgs = nil
	r.deliver(message{"type": "sample", "index": 39.0})
	if s := r.last("sample"); s == nil || s["index"] != 39.0 || s["label"] != 9.0 {
		t.Errorf("sample index 39: %v", s)
	}
	r.deliver(message{"type": "sample", "index": 40.0, "req": 3.0})
	if d := r.last("done"); !strings.Contains(str(d, "error"), "40 held-out digits") {
		t.Errorf("sample index 40 of 40: done %v", d)
	}
	// Without a req nothing extra is posted.
	r.msgs = nil
	r.deliver(message{"type": "ping"})
	if ts := r.types(); len(ts) != 1 || ts[0] != "pong" {
		t.Errorf("ping: %v", ts)
	}
}
