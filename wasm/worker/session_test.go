package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"aeplayground/engine/ae"
	"aeplayground/engine/mnist"
	"aeplayground/wasm/protocol"
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
// Every message crosses the protocol's encoding both ways, as in the
// browser.
type recorder struct {
	*session
	msgs      []protocol.Message
	scheduled int
}

func newRecorder() *recorder {
	r := &recorder{}
	r.session = newSession(func(m protocol.Message) { r.msgs = append(r.msgs, wire(m, 0)) }, func() { r.scheduled++ }, time.Now)
	return r
}

// wire is m as the other end reads it, sent with request number req.
func wire(m protocol.Message, req uint64) protocol.Message {
	got, gotReq, err := protocol.Decode(protocol.AppendRequest(nil, req, m))
	if err != nil || gotReq != req {
		panic(fmt.Sprintf("%s does not cross the protocol: %v", m.Kind(), err))
	}
	return got
}

// send delivers a command as the page sends it.
func (r *recorder) send(m protocol.Message) { r.deliver(wire(m, 0), 0) }

// request delivers a command sent with request number req.
func (r *recorder) request(req uint64, m protocol.Message) { r.deliver(wire(m, req), req) }

func (r *recorder) types() []string {
	var ts []string
	for _, m := range r.msgs {
		ts = append(ts, m.Kind().String())
	}
	return ts
}

// last is the last message of type T posted, or nil.
func last[T protocol.Message](r *recorder) T {
	for i := len(r.msgs) - 1; i >= 0; i-- {
		if m, ok := r.msgs[i].(T); ok {
			return m
		}
	}
	var none T
	return none
}

func config(t *testing.T, preset string, edit func(*ae.Config)) ae.Config {
	t.Helper()
	cfg, err := ae.Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&cfg)
	}
	return cfg
}

func TestMessagesBeforeStartAreKept(t *testing.T) {
	r := newRecorder()
	r.send(&protocol.Ping{})
	r.send(&protocol.SetConfig{Config: config(t, "linear-pca", func(c *ae.Config) { c.Hidden = []int{2} })})
	r.send(&protocol.SetDigit{Pixels: make([]byte, mnist.Pixels)})
	r.send(&protocol.Pong{}) // not a command
	if len(r.msgs) != 0 {
		t.Fatalf("replies before start: %v", r.types())
	}
	if err := r.start(fakeBundle(t, 200, 50)); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(r.types(), " ")
	// Each waiting message is answered, in the order sent, after ready.
	for _, want := range []string{"ready", "pong", "new-model", "recon", "error"} {
		i := strings.Index(got, want)
		if i < 0 {
			t.Fatalf("no %q among replies %q", want, got)
		}
		got = got[i+len(want):]
	}
	if k := last[*protocol.Progress](r).K; k != 2 {
		t.Errorf("progress k = %v, want 2 from the config sent before start", k)
	}
}

// Each command that the protocol's table says is answered is answered by
// that reply.
func TestCommandsGetTheirReply(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 100, 20)); err != nil {
		t.Fatal(err)
	}
	for _, m := range []protocol.Message{
		&protocol.Ping{}, &protocol.SetConfig{Config: config(t, "linear-pca", nil)}, &protocol.SetNoise{},
		&protocol.SetDigit{Pixels: make([]byte, mnist.Pixels)}, &protocol.SetWorkers{N: 1}, &protocol.Play{}, &protocol.Pause{},
		&protocol.Step{N: 2}, &protocol.Reset{}, &protocol.SampleOfClass{Label: 3}, &protocol.SampleAt{Index: 5},
		&protocol.Save{Reason: protocol.ReasonStore}, &protocol.Panic{},
		&protocol.DecodePoint{Z: make([]float64, 16)}, &protocol.Interpolate{A: 0, B: 1, Steps: 3}, // linear-pca: k = 16
	} {
		reply := protocol.RulesOf(m).Reply
		r.msgs = nil
		r.send(m)
		if reply == 0 {
			continue
		}
		if !slices.Contains(r.types(), reply.String()) {
			t.Errorf("%s: replies %v, want a %s", m.Kind(), r.types(), reply)
		}
	}
}

func TestNotACommandGetsError(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 100, 20)); err != nil {
		t.Fatal(err)
	}
	r.msgs = nil
	r.send(&protocol.Progress{})
	r.send(&protocol.Part{})
	if len(r.msgs) != 2 {
		t.Fatalf("got %v, want two error replies", r.types())
	}
	for i, m := range r.msgs {
		if e, ok := m.(*protocol.Error); !ok || !strings.Contains(e.Text, "not a command") || !strings.Contains(e.Text, []string{"progress", "part"}[i]) {
			t.Errorf("reply %#v, want an error naming the message", m)
		}
	}
}

func TestTrainPauseStep(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 300, 60)); err != nil {
		t.Fatal(err)
	}
	r.send(&protocol.SetConfig{Config: config(t, "linear-pca", func(c *ae.Config) { c.Hidden = []int{4}; c.LR = 0.01 })})
	first := last[*protocol.Progress](r)
	angles0 := first.Angles
	r.send(&protocol.Play{})
	if r.scheduled != 1 {
		t.Fatalf("play scheduled %d ticks, want 1", r.scheduled)
	}
	for range 40 {
		r.tick()
	}
	r.postProgress(true)
	p := last[*protocol.Progress](r)
	if p.Samples <= 0 || p.Epoch <= 0 {
		t.Fatalf("no training after 40 ticks: %+v", p)
	}
	if p.TestLoss >= first.TestLoss {
		t.Errorf("held-out loss %v did not fall from %v", p.TestLoss, first.TestLoss)
	}
	if len(p.Angles) != 4 || p.Angles[3] >= angles0[3] {
		t.Errorf("largest principal angle %v did not fall from %v", p.Angles, angles0)
	}
	for name, n := range map[string]int{"filters": len(p.Filters), "scatter": len(p.Scatter), "scatter labels": len(p.ScatterLabels), "rhoHat": len(p.RhoHat)} {
		if n == 0 {
			t.Errorf("full progress has no %s", name)
		}
	}
	if len(p.Grid) != 4*gridCols*mnist.Pixels {
		t.Errorf("grid of %d bytes", len(p.Grid))
	}

	r.send(&protocol.Pause{})
	seen := last[*protocol.Progress](r).Samples
	n := r.scheduled
	r.tick()
	if r.scheduled != n || last[*protocol.Progress](r).Samples != seen {
		t.Error("a paused session went on training")
	}
	r.send(&protocol.Step{})
	if got := last[*protocol.Progress](r).Samples; got <= seen {
		t.Errorf("step: samples %v, want more than %v", got, seen)
	}
}

func TestInvalidConfigAndDivergence(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 100, 20)); err != nil {
		t.Fatal(err)
	}
	r.send(&protocol.SetConfig{Config: config(t, "survey", func(c *ae.Config) { c.Hidden = []int{5000}; c.LR = -1 })})
	m := last[*protocol.ConfigError](r)
	if m == nil || !strings.Contains(m.Text, "1024") {
		t.Fatalf("an impossible layer got %v, want a config-error naming the limit", m)
	}
	// Every refused field, by name.
	var fields []ae.Field
	for _, f := range m.Fields {
		fields = append(fields, f.Field)
	}
	if !slices.Contains(fields, ae.FieldLR) || len(fields) < 2 {
		t.Errorf("refused fields %v, want lr and the layer's", fields)
	}
	r.send(&protocol.SetConfig{Config: config(t, "linear-pca", func(c *ae.Config) {
		c.Optimizer, c.LR = ae.SGD, 90
	})})
	r.send(&protocol.Play{})
	for range 50 {
		r.tick()
		if !r.running {
			break
		}
	}
	d := last[*protocol.Diverged](r)
	if d == nil || strings.Count(d.Text, "learning rate") != 1 {
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
	r.send(&protocol.SampleOfClass{Label: 7})
	m := last[*protocol.Sampled](r)
	if m == nil || m.Label != 7 || len(m.Pixels) != mnist.Pixels || r.data.testLabels[m.Index] != 7 {
		t.Fatalf("sample of class 7: %+v", m)
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

// TestCompareTrainsBothOnTheSameBatches: a second model of the same
// settings, trained beside the first, reports exactly the same losses
// (same seed, same batches); one of other settings differs; both come
// with like-for-like figures, and the worker trains on one worker.
func TestCompareTrainsBothOnTheSameBatches(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 300, 60)); err != nil {
		t.Fatal(err)
	}
	cfg, _ := ae.Preset("linear-pca")
	other := cfg
	other.LR = 0.01
	for _, tc := range []struct {
		second ae.Config
		same   bool
	}{{cfg, true}, {other, false}} {
		r.send(&protocol.SetConfig{Config: cfg, Compare: []ae.Config{tc.second}})
		r.msgs = nil
		r.send(&protocol.Step{N: 7})
		var reports []*protocol.Progress
		for _, m := range r.msgs {
			if p, ok := m.(*protocol.Progress); ok && p.Full {
				reports = append(reports, p)
			}
		}
		if len(reports) != 2 || reports[0].Model != 0 || reports[1].Model != 1 {
			t.Fatalf("reports after a step: %d", len(reports))
		}
		a, b := reports[0], reports[1]
		if a.Batches != 7 || b.Batches != 7 || a.Workers != 1 {
			t.Errorf("batches %d and %d, workers %d", a.Batches, b.Batches, a.Workers)
		}
		if same := a.Loss == b.Loss && a.TestLoss == b.TestLoss; same != tc.same {
			t.Errorf("second lr %v: losses %v/%v and %v/%v, same = %v", tc.second.LR, a.Loss, b.Loss, a.TestLoss, b.TestLoss, same)
		}
		for _, p := range reports {
			if p.Ratio != p.TestMSE/p.PCATest || len(p.Angles) != 16 || p.LR == 0 || !(p.TrainRatio > 0) {
				t.Errorf("model %d: ratio %v (mse %v, pca %v), %d angles, lr %v, train ratio %v",
					p.Model, p.Ratio, p.TestMSE, p.PCATest, len(p.Angles), p.LR, p.TrainRatio)
			}
		}
		if len(b.Grid) != 0 || len(a.Grid) == 0 {
			t.Error("the pictures come with the first model's report only")
		}
	}
	// A plain config ends the comparison.
	r.send(&protocol.SetConfig{Config: cfg})
	r.msgs = nil
	r.send(&protocol.Step{N: 1})
	for _, m := range r.msgs {
		if p, ok := m.(*protocol.Progress); ok && p.Model != 0 {
			t.Error("a report of a compared model after a plain config")
		}
	}
}

// TestPCACappedAboveItsRank: for a code size above the rank PCA is fitted
// to, the reconstruction's PCA is of that rank and no ratio to PCA is
// reported (the page says so: wasm/digitrow.go's pcaCapNote).
func TestPCACappedAboveItsRank(t *testing.T) {
	r := newRecorder()
	if err := r.start(fakeBundle(t, 300, 60)); err != nil {
		t.Fatal(err)
	}
	ready := last[*protocol.Ready](r)
	if ready == nil || ready.PCAK != maxPCA {
		t.Fatalf("ready %+v: want PCA of rank %d", ready, maxPCA)
	}
	r.send(&protocol.SetDigit{Pixels: make([]byte, mnist.Pixels)})
	for _, k := range []int{maxPCA / 2, 2 * maxPCA} {
		r.send(&protocol.SetConfig{Config: config(t, "linear-pca", func(c *ae.Config) { c.Hidden = []int{k} })})
		rec, p := last[*protocol.Recon](r), last[*protocol.Progress](r)
		if want := min(k, maxPCA); rec == nil || rec.PCAK != want {
			t.Errorf("k = %d: PCA reconstruction of rank %+v, want %d", k, rec, want)
		}
		if capped := k > maxPCA; p == nil || !p.Full || finite(p.Ratio) == capped {
			t.Errorf("k = %d: ratio to PCA %v (capped %v)", k, p, capped)
		}
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
