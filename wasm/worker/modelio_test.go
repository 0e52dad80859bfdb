package main

import (
	"encoding/json"
	"strings"
	"testing"

	"aeplayground/engine/ae"
)

// trained starts a session on blob digits with a small linear model and
// trains it for a while.
func trained(t *testing.T) *recorder {
	t.Helper()
	r := newRecorder()
	if err := r.start(fakeBundle(t, 200, 50)); err != nil {
		t.Fatal(err)
	}
	r.deliver(message{"type": "config", "config": configJSON(t, "linear-pca", func(c *ae.Config) { c.Hidden = []int{4}; c.LR = 0.01 })})
	r.deliver(message{"type": "play"})
	for range 30 {
		r.tick()
	}
	r.deliver(message{"type": "pause"})
	return r
}

func TestSessionSaveAndLoadModel(t *testing.T) {
	r := trained(t)
	before := r.last("progress")
	r.deliver(message{"type": "save", "reason": "download"})
	m := r.last("model")
	if m == nil || m["reason"] != "download" {
		t.Fatalf("save got %v", r.types())
	}
	b := m["bytes"].([]byte)
	if _, err := ae.UnmarshalModel(b); err != nil {
		t.Fatalf("the saved bytes do not load: %v", err)
	}
	if m["epoch"] != before["epoch"] || m["samples"] != before["samples"] || m["loss"] != before["loss"] {
		t.Errorf("saved counters %v/%v/%v, progress had %v/%v/%v", m["epoch"], m["samples"], m["loss"],
			before["epoch"], before["samples"], before["loss"])
	}
	if !strings.HasPrefix(m["arch"].(string), "784-4-784") {
		t.Errorf("arch %q", m["arch"])
	}

	// A fresh session (a new worker after a crash, or a reload) with other
	// settings takes the model, its settings and its counters.
	r2 := newRecorder()
	if err := r2.start(fakeBundle(t, 200, 50)); err != nil {
		t.Fatal(err)
	}
	r2.deliver(message{"type": "config", "config": configJSON(t, "survey", nil)})
	r2.msgs = nil
	r2.deliver(message{"type": "load", "bytes": b, "restored": true, "epoch": m["epoch"], "samples": m["samples"],
		"batches": m["batches"], "loss": m["loss"]})
	types := strings.Join(r2.types(), " ")
	if !strings.HasPrefix(types, "loaded reset progress") {
		t.Fatalf("load replies %q, want loaded, reset, progress first", types)
	}
	l := r2.last("loaded")
	if l["restored"] != true || l["epoch"] != m["epoch"] {
		t.Errorf("loaded %v", l)
	}
	var cfg ae.Config
	if err := json.Unmarshal([]byte(l["config"].(string)), &cfg); err != nil || cfg.K() != 4 {
		t.Errorf("loaded config k=%d (%v), want the model's 4", cfg.K(), err)
	}
	p := r2.last("progress")
	if p["epoch"] != before["epoch"] || p["samples"] != before["samples"] || p["loss"] != before["loss"] {
		t.Errorf("restored progress %v/%v/%v, want %v/%v/%v", p["epoch"], p["samples"], p["loss"],
			before["epoch"], before["samples"], before["loss"])
	}
	if p["testLoss"] != before["testLoss"] {
		t.Errorf("restored held-out loss %v, want %v (the same parameters)", p["testLoss"], before["testLoss"])
	}
	// Training goes on from there.
	r2.deliver(message{"type": "step"})
	if got := r2.last("progress")["samples"].(float64); got <= before["samples"].(float64) {
		t.Errorf("samples after a step %v, want more than %v", got, before["samples"])
	}
	// A model saved again carries the summed counters.
	r2.deliver(message{"type": "save", "reason": "store"})
	if s := r2.last("model")["samples"].(float64); s <= before["samples"].(float64) {
		t.Errorf("saved samples %v after restoring %v and a step", s, before["samples"])
	}
	// A new config starts from zero again.
	r2.deliver(message{"type": "reset"})
	if s := r2.last("progress")["samples"]; s != 0.0 {
		t.Errorf("samples after reset %v", s)
	}
}

func TestSessionLoadBadModelChangesNothing(t *testing.T) {
	r := trained(t)
	r.deliver(message{"type": "save", "reason": "x"})
	good := r.last("model")["bytes"].([]byte)
	before := r.last("progress")
	cases := map[string][]byte{
		"empty":     {},
		"png":       []byte("\x89PNG\r\n\x1a\n...."),
		"truncated": good[:len(good)/2],
		"damaged":   append(append([]byte(nil), good[:len(good)-20]...), make([]byte, 20)...),
	}
	wants := map[string]string{"empty": "empty", "png": "not a model file", "truncated": "truncated", "damaged": "checksum"}
	for name, b := range cases {
		r.msgs = nil
		r.deliver(message{"type": "load", "bytes": b})
		if len(r.msgs) != 1 || r.msgs[0]["type"] != "load-error" {
			t.Errorf("%s: replies %v, want one load-error", name, r.types())
			continue
		}
		if text := r.msgs[0]["text"].(string); !strings.Contains(text, wants[name]) {
			t.Errorf("%s: %q does not say %q", name, text, wants[name])
		}
	}
	r.postProgress(true)
	if after := r.last("progress"); after["samples"] != before["samples"] || after["testLoss"] != before["testLoss"] || after["k"] != 4.0 {
		t.Errorf("a bad file changed the model: %v -> %v", before, after)
	}
}

func TestSessionPanicOnlyWithTestHooks(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 50, 10)); err != nil {
		t.Fatal(err)
	}
	r.msgs = nil
	r.deliver(message{"type": "panic"})
	if m := r.last("error"); m == nil || !strings.Contains(m["text"].(string), "unknown message type") {
		t.Fatalf("panic without test hooks: %v", r.types())
	}
	r.testHooks = true
	defer func() {
		if recover() == nil {
			t.Error("panic with test hooks did not panic")
		}
	}()
	r.deliver(message{"type": "panic"})
}

func TestSessionSaveBeforeReady(t *testing.T) {
	r := newRecorder()
	r.handle(message{"type": "save", "reason": "download"})
	r.handle(message{"type": "load", "bytes": []byte("AEMD")})
	if got := strings.Join(r.types(), " "); got != "model-error load-error" {
		t.Errorf("before the digits: %q", got)
	}
}
