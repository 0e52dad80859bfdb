package main

import (
	"math"

	"aeplayground/engine/ae"
	"aeplayground/engine/mnist"
	"aeplayground/wasm/protocol"
)

// Data-parallel training: the worker the page talks to (the coordinator)
// draws each minibatch, sends a share of its digits and the parameters θ
// to each helper (another Web Worker), computes the first share itself,
// adds the helpers' gradients as they come back, and takes the one
// optimizer step. A batch's gradient is the sum of its parts' gradients
// (ae.Trainer.BeginBatch), so the result equals training on one worker up
// to rounding. Sparse models train on one worker: their penalty couples
// the batch (ae.ErrCoupled).

// maxWorkers bounds the workers a page may ask for.
const maxWorkers = 16

// A pool runs parts of a batch's gradient elsewhere: helper Web Workers in
// the browser (pool_js.go), shards in the tests. Each send is answered,
// later and from the event loop, by a call to session.partDone or
// session.helperFailed.
type pool interface {
	resize(n int)                                               // keep n helpers
	configure(cfg ae.Config)                                    // prepare every helper for models of cfg
	send(i, gen int, theta, input, target []float64, batch int) // target nil: the input is the target
}

// part is a share of the batch in flight: its rows, and whether a helper
// still owes its gradient.
type part struct {
	lo, hi int
	owed   bool
}

// parallel is the coordinator's state for one batch in flight.
type parallel struct {
	helpers  int    // helpers in use (workers − 1)
	gen      int    // batch number: replies to an abandoned batch are ignored
	inFlight bool   // between BeginBatch and FinishBatch
	parts    []part // per helper
	waiting  int
	input    []float64 // the batch in flight, for a part a failed helper owed
	target   []float64
	rows     int
	local    *ae.Shard  // computes such a part here, made when first needed
	deferred []command  // commands that arrived while a batch was in flight
	slice    sliceClock // when the slice began, batches in it
	balance  balance    // how the rows are shared
	began    int64      // UnixNano when the batch in flight was drawn
}

// balance shares a batch's rows between this worker and the helpers. A
// helper's part costs more than its rows: θ and its digits sent, the helper
// woken, the gradient copied back and added here (for W2, 0.8 MB each way
// per batch of 32, as long as a few digits take to compute). Those costs
// cannot be timed one by one from here (a reply waits while this worker
// computes), but their sum shows in what is timed: how long whole batches
// take. So balance climbs that: it times batches at this worker's share
// and at a share a few rows away, moves to the faster, and halves the step
// once neither direction helps. Settled, it still tries ±1 row now and
// then, as the costs change.
type balance struct {
	share   float64 // this worker's fraction of the rows; 0 until first used
	step    float64 // the next trial's change of share (signed)
	trying  bool    // batches run at share+step, to compare with share
	turned  bool    // the step's direction was reversed since the last move
	base    float64 // seconds per row at share, timed
	sum     float64 // seconds per row of the batches timed in this phase
	batches int
	n       int // rows per batch, for the step's size
	rest    int // phases to wait before the next trial, once settled
	pause   int // the last rest's length: it doubles while nothing moves
}

// balancePhase is the number of batches timed for each share compared.
const balancePhase = 8

// rows is this worker's part of a batch of n rows shared with helpers.
func (b *balance) rows(n, helpers int) int {
	if b.share == 0 {
		// Start from equal parts and try more rows here first: a
		// helper's part pays for its transfers.
		b.share, b.n = 1/float64(helpers+1), n
		b.step = max(1, float64(n)/16) / float64(n)
	}
	s := b.share
	if b.trying {
		s += b.step
	}
	return min(n, max(0, int(s*float64(n)+0.5)))
}

// timed records that a batch of n rows took d seconds from drawing it to
// its optimizer step.
func (b *balance) timed(n int, d float64) {
	if n == 0 || b.share == 0 {
		return
	}
	b.sum += d / float64(n)
	b.batches++
	if b.batches < balancePhase {
		return
	}
	mean := b.sum / float64(b.batches)
	b.sum, b.batches = 0, 0
	if !b.trying {
		b.base = mean
		if b.rest > 0 {
			b.rest--
			return
		}
		b.trying = fits(b.share + b.step)
		if !b.trying {
			b.reverse()
		}
		return
	}
	b.trying = false
	if mean < b.base {
		b.share += b.step // keep going: the next phase tries a step further
		b.base, b.turned, b.pause = mean, false, 0
		b.trying = fits(b.share + b.step)
		return
	}
	b.reverse()
}

// fits says whether a share is one (up to rounding: shares are whole rows).
func fits(share float64) bool { return share > -1e-9 && share < 1+1e-9 }

// reverse tries the other direction; once both failed, by half the step,
// or, if the step is one row, after a rest that doubles each time (a trial
// at a worse share costs a phase of slower batches).
func (b *balance) reverse() {
	b.step = -b.step
	if !b.turned {
		b.turned = true
		return
	}
	b.turned = false
	if row := 1 / float64(max(1, b.n)); math.Abs(b.step) > 1.5*row {
		b.step = math.Copysign(max(row, math.Abs(b.step)/2), b.step)
	} else {
		b.pause = min(2*b.pause+1, 63)
		b.rest = b.pause
	}
}

type sliceClock struct {
	from    int64 // UnixNano
	batches int
}

// workers is how many workers train the current model.
func (s *session) workers() int {
	if s.pool == nil || s.par.helpers == 0 || !s.cfg.Separable() || s.cmp != nil {
		return 1
	}
	return s.par.helpers + 1
}

// setWorkers trains on n workers from the next batch on.
func (s *session) setWorkers(n int) {
	if n < 1 || n > maxWorkers {
		s.refuse("workers must be a whole number from 1 to %d, not %d", maxWorkers, n)
		return
	}
	if s.pool == nil {
		return
	}
	s.par.helpers = n - 1
	s.par.parts = make([]part, s.par.helpers)
	s.par.balance = balance{}
	s.pool.resize(s.par.helpers)
	if s.tr != nil {
		s.pool.configure(s.cfg)
	}
	s.postProgress(false)
}

// deferWhileInFlight keeps a command that would change the trainer, or
// the counters it reports, until the batch in flight is finished; the
// slice then ends and the commands run in order. Which commands wait is
// the protocol's table (protocol.Rules.Waits): the others (a digit, the
// noise, a sample, a ping) are answered at once.
func (s *session) deferWhileInFlight(c command) bool {
	if !s.par.inFlight || !protocol.RulesOf(c.msg).Waits {
		return false
	}
	s.par.deferred = append(s.par.deferred, c)
	return true
}

// tickParallel starts a slice of batches shared with the helpers.
func (s *session) tickParallel() {
	s.tr.Checkpoint()
	s.par.slice = sliceClock{from: s.now().UnixNano()}
	s.startBatch()
}

// startBatch draws the next batch, sends the helpers their shares, and
// computes the first share (as large as balance finds fastest) while they
// work.
func (s *session) startBatch() {
	p := &s.par
	p.gen++
	p.began = s.now().UnixNano()
	p.input, p.target = s.tr.BeginBatch()
	n := mnist.Pixels
	p.rows = len(p.input) / n
	first := p.balance.rows(p.rows, p.helpers)
	p.inFlight, p.waiting = true, 0
	theta := s.tr.Model().Params()
	// Without noise the target is the input: send it once.
	sameTarget := !s.cfg.Noise.Active()
	lo := first
	for i := range p.helpers {
		hi := lo + (p.rows-lo)/(p.helpers-i)
		p.parts[i] = part{lo: lo, hi: hi, owed: hi > lo}
		if hi > lo {
			p.waiting++
			var target []float64
			if !sameTarget {
				target = p.target[lo*n : hi*n]
			}
			s.pool.send(i, p.gen, theta, p.input[lo*n:hi*n], target, p.rows)
		}
		lo = hi
	}
	if err := s.tr.AccumulateFirst(first); err != nil {
		s.abandon("training on several workers failed: " + err.Error())
		return
	}
	if p.waiting == 0 {
		s.finishBatch()
	}
}

// partDone takes helper i's gradient for batch gen.
func (s *session) partDone(i, gen int, grad []float64, loss, data float64) {
	p := &s.par
	if gen != p.gen || !p.inFlight || i >= len(p.parts) || !p.parts[i].owed {
		return // a batch abandoned, or a helper since removed
	}
	if err := s.tr.AddGradient(grad, loss, data); err != nil {
		s.abandon("a helper's gradient did not fit the model: " + err.Error())
		return
	}
	p.parts[i].owed = false
	p.waiting--
	if p.waiting == 0 {
		s.finishBatch()
	}
}

// helperFailed handles a helper that stopped (its script failed, or Go
// panicked in it): the remaining training runs on this worker, and a part
// the helper owed is computed here so the batch in flight is not lost.
func (s *session) helperFailed(text string) {
	p := &s.par
	s.refuse("A helper worker stopped (%s); training goes on in one worker.", text)
	if s.pool != nil {
		s.pool.resize(0)
	}
	owed := p.parts
	p.helpers, p.parts = 0, nil
	if !p.inFlight {
		return
	}
	n := mnist.Pixels
	for _, pt := range owed {
		if !pt.owed {
			continue
		}
		if p.local == nil {
			var err error
			if p.local, err = ae.NewShard(s.cfg); err != nil {
				s.abandon("training on several workers failed: " + err.Error())
				return
			}
		}
		g, loss, data, err := p.local.Gradient(s.tr.Model().Params(), p.input[pt.lo*n:pt.hi*n], p.target[pt.lo*n:pt.hi*n], p.rows)
		if err == nil {
			err = s.tr.AddGradient(g, loss, data)
		}
		if err != nil {
			s.abandon("training on several workers failed: " + err.Error())
			return
		}
	}
	s.finishBatch()
}

// finishBatch takes the optimizer step for the batch in flight, then the
// next batch while the slice lasts, else yields to the event loop.
func (s *session) finishBatch() {
	p := &s.par
	p.inFlight = false
	if _, err := s.tr.FinishBatch(); err != nil {
		s.stop(err)
		s.runDeferred()
		return
	}
	now := s.now().UnixNano()
	if p.helpers > 0 {
		p.balance.timed(p.rows, float64(now-p.began)/1e9)
	}
	p.slice.batches++
	if s.running && len(p.deferred) == 0 && now-p.slice.from < int64(sliceBudget) {
		s.startBatch()
		return
	}
	s.endSlice()
	s.runDeferred()
	if s.running && !p.inFlight {
		s.schedule()
	}
}

// abandon drops the batch in flight after an error that is not the
// model's: the trainer has taken no step, and training stops.
func (s *session) abandon(text string) {
	s.par.inFlight = false
	s.par.gen++
	s.running = false
	s.refuse("%s", text)
	s.postProgress(true)
	s.runDeferred()
}

// runDeferred handles, in order, the commands that waited for the batch in
// flight.
func (s *session) runDeferred() {
	for len(s.par.deferred) > 0 && !s.par.inFlight {
		c := s.par.deferred[0]
		s.par.deferred = s.par.deferred[1:]
		s.handle(c)
	}
}
