package main

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"aeplayground/engine/ae"
	"aeplayground/engine/mnist"
)

// fakeBundle makes a small bundle of blob digits: class c is a bright square
// at a position that depends on c, so a model has something to learn.
func fakeBundle(t *testing.T, nTrain, nTest int) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	set := func(n int) mnist.Set {
		s := mnist.Set{Images: make([]uint8, n*mnist.Pixels), Labels: make([]uint8, n)}
		for i := range n {
			c := i % 10
			s.Labels[i] = uint8(c)
			x0, y0 := 4+2*(c%5), 4+4*(c/5)
			img := s.Images[i*mnist.Pixels:]
			for y := y0; y < y0+12; y++ {
				for x := x0; x < x0+8; x++ {
					img[y*mnist.Cols+x] = uint8(155 + rng.IntN(100))
				}
			}
		}
		return s
	}
	b, err := mnist.Encode(&mnist.Bundle{Train: set(nTrain), Test: set(nTest)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// recorder is a session whose posts are kept and whose ticks are counted.
type recorder struct {
	*session
	msgs      []message
	scheduled int
}

func newRecorder() *recorder {
	r := &recorder{}
	r.session = newSession(func(m message) { r.msgs = append(r.msgs, m) }, func() { r.scheduled++ }, time.Now)
	return r
}

func (r *recorder) types() []string {
	var ts []string
	for _, m := range r.msgs {
		ts = append(ts, m["type"].(string))
	}
	return ts
}

func (r *recorder) last(typ string) message {
	for i := len(r.msgs) - 1; i >= 0; i-- {
		if r.msgs[i]["type"] == typ {
			return r.msgs[i]
		}
	}
	return nil
}

func configJSON(t *testing.T, preset string, edit func(*ae.Config)) string {
	t.Helper()
	cfg, err := ae.Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&cfg)
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMessagesBeforeStartAreKept(t *testing.T) {
	r := newRecorder()
	r.deliver(message{"type": "ping"})
	r.deliver(message{"type": "config", "config": configJSON(t, "linear-pca", func(c *ae.Config) { c.Hidden = []int{2} })})
	r.deliver(message{"type": "digit", "pixels": make([]byte, mnist.Pixels)})
	r.deliver(message{"type": "bogus"})
	if len(r.msgs) != 0 {
		t.Fatalf("replies before start: %v", r.types())
	}
	if err := r.start(fakeBundle(t, 200, 50)); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(r.types(), " ")
	// Each waiting message is answered, in the order sent, after ready.
	for _, want := range []string{"ready", "pong", "reset", "recon", "error"} {
		i := strings.Index(got, want)
		if i < 0 {
			t.Fatalf("no %q among replies %q", want, got)
		}
		got = got[i+len(want):]
	}
	if k := r.last("progress")["k"]; k != 2.0 {
		t.Errorf("progress k = %v, want 2 from the config sent before start", k)
	}
}

func TestUnknownMessageGetsError(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 100, 20)); err != nil {
		t.Fatal(err)
	}
	r.msgs = nil
	r.deliver(message{"type": "launch-rocket"})
	r.deliver(message{"no": "type"})
	if len(r.msgs) != 2 {
		t.Fatalf("got %v, want two error replies", r.types())
	}
	for _, m := range r.msgs {
		if m["type"] != "error" || !strings.Contains(m["text"].(string), "unknown message type") {
			t.Errorf("reply %v, want an unknown-message error", m)
		}
	}
	if r.msgs[0]["request"] != "launch-rocket" {
		t.Errorf("error names request %v", r.msgs[0]["request"])
	}
}

func TestTrainPauseStep(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 300, 60)); err != nil {
		t.Fatal(err)
	}
	r.deliver(message{"type": "config", "config": configJSON(t, "linear-pca", func(c *ae.Config) { c.Hidden = []int{4}; c.LR = 0.01 })})
	first := r.last("progress")
	angles0 := first["angles"].([]float64)
	r.deliver(message{"type": "play"})
	if r.scheduled != 1 {
		t.Fatalf("play scheduled %d ticks, want 1", r.scheduled)
	}
	for range 40 {
		r.tick()
	}
	r.postProgress(true)
	p := r.last("progress")
	if p["samples"].(float64) <= 0 || p["epoch"].(float64) <= 0 {
		t.Fatalf("no training after 40 ticks: %v", p)
	}
	if p["testLoss"].(float64) >= first["testLoss"].(float64) {
		t.Errorf("held-out loss %v did not fall from %v", p["testLoss"], first["testLoss"])
	}
	angles := p["angles"].([]float64)
	if angles[len(angles)-1] >= angles0[len(angles0)-1] {
		t.Errorf("largest principal angle %v did not fall from %v", angles[len(angles)-1], angles0[len(angles0)-1])
	}
	for _, key := range []string{"grid", "filters", "scatter", "scatterLabels", "rhoHat"} {
		if p[key] == nil {
			t.Errorf("full progress has no %s", key)
		}
	}
	if g := p["grid"].([]byte); len(g) != 4*gridCols*mnist.Pixels {
		t.Errorf("grid of %d bytes", len(g))
	}

	r.deliver(message{"type": "pause"})
	seen := r.last("progress")["samples"]
	n := r.scheduled
	r.tick()
	if r.scheduled != n || r.last("progress")["samples"] != seen {
		t.Error("a paused session went on training")
	}
	r.deliver(message{"type": "step"})
	if got := r.last("progress")["samples"].(float64); got <= seen.(float64) {
		t.Errorf("step: samples %v, want more than %v", got, seen)
	}
}

func TestInvalidConfigAndDivergence(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 100, 20)); err != nil {
		t.Fatal(err)
	}
	r.deliver(message{"type": "config", "config": configJSON(t, "survey", func(c *ae.Config) { c.Hidden = []int{5000} })})
	if m := r.last("config-error"); m == nil || !strings.Contains(m["text"].(string), "1024") {
		t.Errorf("an impossible layer got %v, want a config-error naming the limit", m)
	}
	r.deliver(message{"type": "config", "config": `{"lr": "fast"}`})
	if m := r.last("config-error"); m == nil || !strings.Contains(m["text"].(string), "could not be read") {
		t.Errorf("unreadable settings got %v", m)
	}
	r.deliver(message{"type": "config", "config": configJSON(t, "linear-pca", func(c *ae.Config) {
		c.Optimizer, c.LR = ae.SGD, 90
	})})
	r.deliver(message{"type": "play"})
	for range 50 {
		r.tick()
		if !r.running {
			break
		}
	}
	m := r.last("diverged")
	if m == nil || !strings.Contains(m["text"].(string), "smaller learning rate") {
		t.Fatalf("learning rate 90 did not report divergence: %v", r.types())
	}
	if r.running {
		t.Error("a diverged run is still running")
	}
}

func TestCorruptBundle(t *testing.T) {
	r := newRecorder()
	b := fakeBundle(t, 50, 10)
	b[100] ^= 0xff
	err := r.start(b)
	if err == nil || !strings.Contains(err.Error(), "could not be read") {
		t.Fatalf("corrupt bundle: %v", err)
	}
}

func TestSampleOfClass(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 50, 30)); err != nil {
		t.Fatal(err)
	}
	r.deliver(message{"type": "sample", "label": 7.0})
	m := r.last("sample")
	if m == nil || m["label"] != 7.0 || len(m["pixels"].([]byte)) != mnist.Pixels {
		t.Fatalf("sample of class 7: %v", m)
	}
}

// The evaluation comes every evalEvery while it is cheap, and evalSpacing
// times its cost apart when it is not (W2 with k = 1,024: seconds), so it
// never takes more than a tenth of the worker's time.
func TestEvaluationSpacedByItsCost(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 50, 30)); err != nil {
		t.Fatal(err)
	}
	r.postProgress(true)
	if r.evalCost <= 0 {
		t.Fatalf("an evaluation was not timed: cost %v", r.evalCost)
	}
	t0 := r.lastEval
	for _, c := range []struct {
		cost, since time.Duration
		due         bool
	}{
		{time.Millisecond, 400 * time.Millisecond, false},
		{time.Millisecond, evalEvery, true},
		{2 * time.Second, evalEvery, false},
		{2 * time.Second, 19 * time.Second, false},
		{2 * time.Second, 20 * time.Second, true},
	} {
		r.evalCost = c.cost
		if got := r.evalDue(t0.Add(c.since)); got != c.due {
			t.Errorf("evaluation costing %v, %v after the last: due %v, want %v", c.cost, c.since, got, c.due)
		}
	}
}
