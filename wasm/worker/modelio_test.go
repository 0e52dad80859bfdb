package main

import (
	"reflect"
	"strings"
	"testing"

	"aeplayground/engine/ae"
	"aeplayground/wasm/protocol"
)

// trained starts a session on blob digits with a small linear model and
// trains it for a while.
func trained(t *testing.T) *recorder {
	t.Helper()
	r := newRecorder()
	if err := r.start(fakeBundle(t, 200, 50)); err != nil {
		t.Fatal(err)
	}
	r.send(&protocol.SetConfig{Config: config(t, "linear-pca", func(c *ae.Config) { c.Hidden = []int{4}; c.LR = 0.01 })})
	r.send(&protocol.Play{})
	for range 30 {
		r.tick()
	}
	r.send(&protocol.Pause{})
	return r
}

func TestSessionSaveAndLoadModel(t *testing.T) {
	r := trained(t)
	before := last[*protocol.Progress](r)
	r.send(&protocol.Save{Reason: protocol.ReasonDownload})
	m := last[*protocol.Model](r)
	if m == nil || m.Reason != protocol.ReasonDownload {
		t.Fatalf("save got %v", r.types())
	}
	b := m.Bytes
	file, hist, err := protocol.SplitHistory(b)
	if err != nil || hist == nil {
		t.Fatalf("the saved bytes carry no history: %v", err)
	}
	if _, err := ae.UnmarshalModel(file); err != nil {
		t.Fatalf("the saved bytes do not load: %v", err)
	}
	if len(hist.Points) < 2 || hist.Points[len(hist.Points)-1].Samples != float64(before.Samples) || hist.Samples != before.Samples {
		t.Fatalf("saved history: %d points, last %+v, %d samples; want the evaluations up to %d samples", len(hist.Points), hist.Points[len(hist.Points)-1], hist.Samples, before.Samples)
	}
	if m.Epoch != before.Epoch || m.Samples != before.Samples || m.Batches != before.Batches || m.Loss != before.Loss {
		t.Errorf("saved counters %v/%v/%v/%v, progress had %v/%v/%v/%v", m.Epoch, m.Samples, m.Batches, m.Loss,
			before.Epoch, before.Samples, before.Batches, before.Loss)
	}
	if !strings.HasPrefix(m.Arch, "784-4-784") || m.Config.K() != 4 {
		t.Errorf("arch %q, config k %d", m.Arch, m.Config.K())
	}

	// A fresh session (a new worker after a crash, or a reload) with other
	// settings takes the model, its settings and its counters.
	r2 := newRecorder()
	if err := r2.start(fakeBundle(t, 200, 50)); err != nil {
		t.Fatal(err)
	}
	r2.send(&protocol.SetConfig{Config: config(t, "survey", nil)})
	r2.msgs = nil
	r2.send(&protocol.Load{Bytes: b, Restored: true, Epoch: m.Epoch, Samples: m.Samples, Batches: m.Batches, Loss: m.Loss})
	types := strings.Join(r2.types(), " ")
	if !strings.HasPrefix(types, "loaded new-model progress") {
		t.Fatalf("load replies %q, want loaded, new-model, progress first", types)
	}
	if nm := last[*protocol.NewModel](r2); len(nm.History) != len(hist.Points) || nm.History[len(nm.History)-1].Samples != float64(before.Samples) {
		t.Errorf("the loaded model's curves: %d points, want the %d saved", len(nm.History), len(hist.Points))
	}
	l := last[*protocol.Loaded](r2)
	if !l.Restored || l.Epoch != m.Epoch || !reflect.DeepEqual(l.Config, m.Config) {
		t.Errorf("loaded %+v", l)
	}
	p := last[*protocol.Progress](r2)
	if p.Epoch != before.Epoch || p.Samples != before.Samples || p.Loss != before.Loss {
		t.Errorf("restored progress %v/%v/%v, want %v/%v/%v", p.Epoch, p.Samples, p.Loss,
			before.Epoch, before.Samples, before.Loss)
	}
	if p.TestLoss != before.TestLoss {
		t.Errorf("restored held-out loss %v, want %v (the same parameters)", p.TestLoss, before.TestLoss)
	}
	// Training goes on from there.
	r2.send(&protocol.Step{})
	if got := last[*protocol.Progress](r2).Samples; got <= before.Samples {
		t.Errorf("samples after a step %v, want more than %v", got, before.Samples)
	}
	// A model saved again carries the summed counters.
	r2.send(&protocol.Save{Reason: protocol.ReasonStore})
	if s := last[*protocol.Model](r2).Samples; s <= before.Samples {
		t.Errorf("saved samples %v after restoring %v and a step", s, before.Samples)
	}
	// A new model starts from zero again, with no curves.
	r2.send(&protocol.Reset{})
	if s := last[*protocol.Progress](r2).Samples; s != 0 {
		t.Errorf("samples after reset %v", s)
	}
	if h := last[*protocol.NewModel](r2).History; len(h) != 0 {
		t.Errorf("a new model came with %d points of history", len(h))
	}

	// A file the user chooses (not the page's saved copy, no counters
	// beside it) goes on from its own epoch and samples too.
	r2.send(&protocol.Load{Bytes: b})
	if p := last[*protocol.Progress](r2); p.Epoch != before.Epoch || p.Samples != before.Samples {
		t.Errorf("a loaded file: epoch %v, %v samples; want %v, %v", p.Epoch, p.Samples, before.Epoch, before.Samples)
	}
	// An older file, without a history, still loads: from zero.
	r2.send(&protocol.Load{Bytes: file})
	if p := last[*protocol.Progress](r2); p.Samples != 0 || p.TestLoss != before.TestLoss {
		t.Errorf("an old file: %v samples, held-out loss %v; want 0, %v", p.Samples, p.TestLoss, before.TestLoss)
	}
}

func TestSessionLoadBadModelChangesNothing(t *testing.T) {
	r := trained(t)
	r.send(&protocol.Save{Reason: "x"})
	saved := last[*protocol.Model](r).Bytes
	good, _, _ := protocol.SplitHistory(saved) // the model file, without its history
	before := last[*protocol.Progress](r)
	badHistory := append([]byte(nil), saved...)
	badHistory[len(good)+6] ^= 1
	cases := map[string][]byte{
		"empty":     {},
		"png":       []byte("\x89PNG\r\n\x1a\n...."),
		"truncated": good[:len(good)/2],
		"damaged":   append(append([]byte(nil), good[:len(good)-20]...), make([]byte, 20)...),
		"history":   badHistory,
	}
	wants := map[string]string{"empty": "empty", "png": "not a model file", "truncated": "truncated", "damaged": "checksum", "history": "history in this file is damaged"}
	for name, b := range cases {
		r.msgs = nil
		r.send(&protocol.Load{Bytes: b})
		e, ok := r.msgs[0].(*protocol.LoadError)
		if len(r.msgs) != 1 || !ok {
			t.Errorf("%s: replies %v, want one load-error", name, r.types())
			continue
		}
		if text := e.Text; !strings.Contains(text, wants[name]) {
			t.Errorf("%s: %q does not say %q", name, text, wants[name])
		}
	}
	r.postProgress(true)
	if after := last[*protocol.Progress](r); after.Samples != before.Samples || after.TestLoss != before.TestLoss || after.K != 4 {
		t.Errorf("a bad file changed the model: %v -> %v", before, after)
	}
}

func TestSessionPanicOnlyWithTestHooks(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 50, 10)); err != nil {
		t.Fatal(err)
	}
	r.msgs = nil
	r.send(&protocol.Panic{})
	if m := last[*protocol.Error](r); m == nil || !strings.Contains(m.Text, "not a command") {
		t.Fatalf("panic without test hooks: %v", r.types())
	}
	r.testHooks = true
	defer func() {
		if recover() == nil {
			t.Error("panic with test hooks did not panic")
		}
	}()
	r.send(&protocol.Panic{})
}

func TestSessionSaveBeforeReady(t *testing.T) {
	r := newRecorder()
	r.handle(command{msg: &protocol.Save{Reason: protocol.ReasonDownload}})
	r.handle(command{msg: &protocol.Load{Bytes: []byte("AEMD")}})
	if got := strings.Join(r.types(), " "); got != "model-error load-error" {
		t.Errorf("before the digits: %q", got)
	}
}
