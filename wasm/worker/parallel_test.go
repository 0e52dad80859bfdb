package main

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"aeplayground/engine/ae"
	"aeplayground/wasm/protocol"
)

// shardPool is a pool whose helpers are ae.Shards in this process. Every
// message crosses the protocol's encoding, as between Web Workers. Sends
// queue up; the test delivers the replies, in any order it likes, as the
// worker's event loop would.
type shardPool struct {
	s       *session
	shards  []*ae.Shard
	cfg     ae.Config
	queue   []func()
	resized []int
}

func (p *shardPool) resize(n int) {
	p.resized = append(p.resized, n)
	p.shards = make([]*ae.Shard, n)
	p.configure(p.cfg)
}

func (p *shardPool) configure(cfg ae.Config) {
	p.cfg = cfg
	got := wire(&protocol.ShardConfig{Config: cfg}, 0).(*protocol.ShardConfig)
	for i := range p.shards {
		p.shards[i], _ = ae.NewShard(got.Config) // nil for a sparse model, which is never sent
	}
}

func (p *shardPool) send(i, gen int, theta, input, target []float64, batch int) {
	m := wire(&protocol.Shard{Gen: gen, Batch: batch, Theta: theta, Input: input, Target: target}, 0).(*protocol.Shard)
	p.queue = append(p.queue, func() {
		target := m.Target
		if len(target) == 0 { // the input is the target
			target = m.Input
		}
		g, loss, data, err := p.shards[i].Gradient(m.Theta, m.Input, target, m.Batch)
		if err != nil {
			p.s.helperFailed(err.Error())
			return
		}
		r := wire(&protocol.Part{Gen: m.Gen, Grad: g, Loss: loss, Data: data}, 0).(*protocol.Part)
		p.s.partDone(i, r.Gen, r.Grad, r.Loss, r.Data)
	})
}

// deliverLast runs the queued replies newest first (helpers finish in any
// order).
func (p *shardPool) deliverLast() bool {
	if len(p.queue) == 0 {
		return false
	}
	f := p.queue[len(p.queue)-1]
	p.queue = p.queue[:len(p.queue)-1]
	f()
	return true
}

func parallelRecorder(t *testing.T) (*recorder, *shardPool) {
	r := newRecorder()
	p := &shardPool{s: r.session}
	r.pool = p
	if err := r.start(fakeBundle(t, 300, 60)); err != nil {
		t.Fatal(err)
	}
	return r, p
}

// TestParallelEqualsOneWorker: played on three workers, the session's model
// after B batches is the one a single worker's step of B batches gives, up
// to rounding; commands that arrive with a batch in flight wait for it.
func TestParallelEqualsOneWorker(t *testing.T) {
	cfg := config(t, "survey", func(c *ae.Config) { c.BatchSize = 64 })

	r, p := parallelRecorder(t)
	r.send(&protocol.SetConfig{Config: cfg})
	r.send(&protocol.SetWorkers{N: 3})
	if got := last[*protocol.Progress](r).Workers; got != 3 {
		t.Fatalf("progress reports %v workers, want 3", got)
	}
	r.send(&protocol.Play{})
	r.tick()
	if !r.par.inFlight || len(p.queue) != 2 {
		t.Fatalf("after a tick: in flight %v, %d parts sent, want 2", r.par.inFlight, len(p.queue))
	}
	paused := false
	for p.deliverLast() {
		if r.tr.Progress().Batches >= 10 && r.par.inFlight && !paused {
			paused = true
			r.send(&protocol.Pause{}) // waits for the batch in flight
			if !r.running {
				t.Fatal("pause did not wait for the batch in flight")
			}
		}
		if !r.par.inFlight && r.running {
			r.tick()
		}
	}
	if r.running || r.par.inFlight {
		t.Fatalf("still running after pause: running %v, in flight %v", r.running, r.par.inFlight)
	}
	batches := r.tr.Progress().Batches
	if got := last[*protocol.Progress](r).Batches; batches < 11 || got != batches {
		t.Fatalf("%d batches, last reported %v: want at least 11 and pause to report them all", batches, got)
	}

	one := newRecorder()
	if err := one.start(fakeBundle(t, 300, 60)); err != nil {
		t.Fatal(err)
	}
	one.send(&protocol.SetConfig{Config: cfg})
	one.send(&protocol.Step{N: int(batches)})
	want, got := one.tr.Model().Params(), r.tr.Model().Params()
	var worst float64
	for i := range want {
		worst = max(worst, math.Abs(got[i]-want[i]))
	}
	if worst > 1e-12 {
		t.Errorf("parameters after %d batches differ by %.3g from one worker's", batches, worst)
	}
	if g, w := last[*protocol.Progress](r).TestLoss, last[*protocol.Progress](one).TestLoss; math.Abs(g-w) > 1e-12*w {
		t.Errorf("held-out loss %v on three workers, %v on one", g, w)
	}
}

// TestParallelSparseAndFailure: a sparse model trains on one worker; a
// helper that fails mid-batch has its part computed here, and training
// goes on alone.
func TestParallelSparseAndFailure(t *testing.T) {
	r, p := parallelRecorder(t)
	r.send(&protocol.SetWorkers{N: 2})
	r.send(&protocol.SetConfig{Config: config(t, "sparse", nil)})
	if got := last[*protocol.Progress](r).Workers; got != 1 {
		t.Errorf("a sparse model trains on %v workers, want 1", got)
	}
	r.send(&protocol.Play{})
	r.tick()
	if len(p.queue) != 0 || r.tr.Progress().Batches == 0 {
		t.Fatalf("sparse: %d parts sent, %d batches", len(p.queue), r.tr.Progress().Batches)
	}
	r.send(&protocol.Pause{})

	r.send(&protocol.SetConfig{Config: config(t, "survey", nil)})
	r.send(&protocol.Play{})
	r.tick()
	if len(p.queue) != 1 {
		t.Fatalf("%d parts sent, want 1", len(p.queue))
	}
	p.queue = nil // the helper dies with its part
	r.helperFailed("worker script error")
	if m := last[*protocol.Error](r); m == nil || !strings.Contains(m.Text, "one worker") {
		t.Errorf("a failed helper is not reported: %v", r.types())
	}
	if r.par.inFlight || r.tr.Progress().Batches != 1 || r.workers() != 1 {
		t.Fatalf("after the failure: in flight %v, batches %d, workers %d", r.par.inFlight, r.tr.Progress().Batches, r.workers())
	}
	r.tick()
	if r.tr.Progress().Batches <= 1 {
		t.Error("training did not go on in one worker")
	}

	r.send(&protocol.SetWorkers{N: maxWorkers + 1})
	r.send(&protocol.SetWorkers{N: 0})
	if m := last[*protocol.Error](r); m == nil || !strings.Contains(m.Text, "whole number") {
		t.Errorf("a bad worker count is not named: %v", m)
	}
}

// TestBalanceFindsTheSplit: a simulated batch — this worker's rows, a
// helper's rows plus a fixed cost per batch (its transfers), each reply's
// handling here however early it came, 5% noise on the times — and the
// share balance settles on is within 8% of the best one's batch time.
func TestBalanceFindsTheSplit(t *testing.T) {
	const perRow = 0.2e-3 // seconds
	for _, c := range []struct {
		n, helpers int
		overhead   float64 // seconds a helper's part costs besides its rows
		handling   float64 // seconds per reply here, however early it came
	}{{32, 1, 0, 0}, {32, 1, 1e-3, 0.3e-3}, {32, 1, 3e-3, 0.3e-3}, {32, 3, 3e-3, 0.3e-3}, {256, 1, 0.5e-3, 0.2e-3}, {32, 1, 20e-3, 0}} {
		batch := func(own int) float64 {
			helperRows := float64(c.n-own) / float64(c.helpers)
			end := float64(own) * perRow
			if own < c.n {
				end = math.Max(end, c.overhead+math.Ceil(helperRows)*perRow)
			}
			return end + float64(c.helpers)*c.handling
		}
		best := math.Inf(1)
		for own := 0; own <= c.n; own++ {
			best = math.Min(best, batch(own))
		}
		rng := rand.New(rand.NewPCG(1, 2))
		var b balance
		var late float64
		const batches, tail = 3000, 500
		for i := range batches {
			d := batch(b.rows(c.n, c.helpers))
			if i >= batches-tail {
				late += d / tail
			}
			b.timed(c.n, d*(1+0.05*rng.NormFloat64()))
		}
		if late > best*1.08 {
			t.Errorf("n %d, %d helpers, overhead %v s, handling %v s: batches take %.3f ms once settled, the best split %.3f ms",
				c.n, c.helpers, c.overhead, c.handling, late*1e3, best*1e3)
		}
	}
}
