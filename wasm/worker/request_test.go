package main

import (
	"strings"
	"testing"

	"aeplayground/engine/ae"
	"aeplayground/wasm/protocol"
)

// A command sent with a request number is answered by Done after it has
// been handled: a step of n batches has run n batches and reported them
// first; a refused config and an unknown index carry their error.
func TestRequestDone(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 200, 40)); err != nil {
		t.Fatal(err)
	}
	r.msgs = nil
	r.request(1, &protocol.Step{N: 7})
	d := last[*protocol.Done](r)
	if d == nil || d.Req != 1 || d.Error != "" {
		t.Fatalf("step: done %+v, messages %v", d, r.types())
	}
	if ts := r.types(); ts[len(ts)-1] != "done" {
		t.Errorf("done is not the last message: %v", ts)
	}
	if got := last[*protocol.Progress](r).Batches; got != 7 {
		t.Errorf("batches after step n=7: %v", got)
	}

	r.msgs = nil
	r.request(2, &protocol.SetConfig{Config: config(t, "survey", func(c *ae.Config) { c.LR = 0 })})
	if d := last[*protocol.Done](r); d == nil || d.Req != 2 || !strings.Contains(d.Error, "learning rate") {
		t.Errorf("bad config: done %+v", d)
	}

	r.msgs = nil
	r.send(&protocol.SampleAt{Index: 39})
	if s := last[*protocol.Sampled](r); s == nil || s.Index != 39 || s.Label != 9 {
		t.Errorf("sample index 39: %+v", s)
	}
	r.request(3, &protocol.SampleAt{Index: 40})
	if d := last[*protocol.Done](r); !strings.Contains(d.Error, "40 held-out digits") {
		t.Errorf("sample index 40 of 40: done %+v", d)
	}
	// Without a request number nothing extra is posted.
	r.msgs = nil
	r.send(&protocol.Ping{})
	if ts := r.types(); len(ts) != 1 || ts[0] != "pong" {
		t.Errorf("ping: %v", ts)
	}
}

func TestStepCount(t *testing.T) {
	for n, want := range map[int]int{-5: 1, 0: 1, 1: 1, 7: 7, maxStep: maxStep, maxStep + 1: maxStep} {
		if got := stepCount(n); got != want {
			t.Errorf("stepCount(%d) = %d, want %d", n, got, want)
		}
	}
}
