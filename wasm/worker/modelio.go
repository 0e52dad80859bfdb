package main

import (
	"fmt"
	"math"

	"aeplayground/engine/ae"
	"aeplayground/engine/mnist"
	"aeplayground/wasm/protocol"
)

// The model as a file, both ways: Save is answered by Model (or
// ModelError), Load by Loaded and a NewModel (or LoadError: nothing
// changed). A model file holds the Config and the parameters
// (engine/ae/modelfile.go) and, after them, its history
// (protocol.History): where training stood, so a loaded model goes on
// from the epoch it had reached, and its curves, which the NewModel
// brings back to the page. A file without one (an older file) starts from
// zero, or, for a saved copy of the page, from the counters the page kept
// beside it and hands back with Load.

// saveModel posts the current model as a model file. reason comes back
// unchanged, so the page knows whether to download or store it.
func (s *session) saveModel(reason string) {
	if s.tr == nil {
		s.post(&protocol.ModelError{Reason: reason, Text: "there is no model yet: the digits are still loading"})
		return
	}
	model := s.tr.Model()
	b, err := model.MarshalBinary()
	if err != nil {
		s.post(&protocol.ModelError{Reason: reason, Text: "the model could not be saved: " + err.Error()})
		return
	}
	p := s.progress()
	h := &protocol.History{Epoch: p.EpochFrac, Samples: p.SamplesSeen, Batches: p.Batches, Loss: math.NaN(), Points: s.hist.Points}
	if p.Batches > 0 {
		h.Loss = p.DataLoss
	}
	s.post(&protocol.Model{
		Reason: reason, Bytes: protocol.AppendHistory(b, h), Arch: model.String(), Config: model.Config(),
		Epoch: h.Epoch, Samples: h.Samples, Batches: h.Batches, Loss: h.Loss,
	})
}

// loadModel decodes a model file and, if it is good, goes on training it
// with its own settings. A bad file changes nothing: the page gets the
// decoder's error in words.
func (s *session) loadModel(m *protocol.Load) {
	fail := func(text string) {
		s.post(&protocol.LoadError{Text: text, Restored: m.Restored})
	}
	if s.data == nil {
		fail("the digits are still loading; try again in a moment")
		return
	}
	if len(m.Bytes) == 0 {
		fail("The file is empty: it is not a model file.")
		return
	}
	file, hist, err := protocol.SplitHistory(m.Bytes)
	if err != nil {
		fail("This file cannot be loaded: " + err.Error() + ".")
		return
	}
	model, err := ae.UnmarshalModel(file)
	if err != nil {
		fail("This file cannot be loaded: " + err.Error() + ".")
		return
	}
	if cfg := model.Config(); cfg.Inputs != mnist.Pixels {
		fail(fmt.Sprintf("This model reads %d pixels, the digits here have %d.", cfg.Inputs, mnist.Pixels))
		return
	}
	d := s.data
	tr, err := ae.NewTrainerFor(model, d.train, d.test[:d.nEval*mnist.Pixels])
	if err != nil {
		fail("This model cannot be trained here: " + err.Error() + ".")
		return
	}
	// Counters out of range (a damaged saved copy) start from zero.
	base := ae.Progress{DataLoss: math.NaN()}
	var points []protocol.HistoryPoint
	if hist != nil { // checked by SplitHistory
		base.EpochFrac, base.Epoch, base.SamplesSeen, base.Batches = hist.Epoch, int(hist.Epoch), hist.Samples, hist.Batches
		if !math.IsNaN(hist.Loss) {
			base.DataLoss = hist.Loss
		}
		points = hist.Points
	} else if m.Restored {
		if v := m.Epoch; v >= 0 && v < 1e9 {
			base.EpochFrac, base.Epoch = v, int(v)
		}
		if v := m.Samples; v >= 0 && v < 1e15 {
			base.SamplesSeen = v
		}
		if v := m.Batches; v >= 0 && v < 1e15 {
			base.Batches = v
		}
		if v := m.Loss; v >= 0 && !math.IsInf(v, 0) {
			base.DataLoss = v
		}
	}
	if base.Epoch > 0 {
		tr.ScheduleFrom(base.Epoch) // the learning rate goes on from where the schedule had got to
	}
	s.running = false
	s.cfg, s.cmpCfg, s.cmp = model.Config(), nil, nil
	// Loaded first, so the page takes the model's settings before the
	// NewModel and progress that follow.
	s.post(&protocol.Loaded{Config: s.cfg, Arch: model.String(), Params: model.NumParams(),
		Epoch: base.EpochFrac, Restored: m.Restored})
	s.useTrainer(tr, base, points)
}

// progress is the trainer's progress counted from where a loaded model had
// reached.
func (s *session) progress() ae.Progress {
	p := s.tr.Progress()
	b := s.base
	if b == (ae.Progress{}) {
		return p
	}
	if p.Batches == 0 {
		p.DataLoss, p.Loss = b.DataLoss, b.DataLoss
	}
	p.EpochFrac += b.EpochFrac
	p.Epoch = int(p.EpochFrac)
	p.SamplesSeen += b.SamplesSeen
	p.Batches += b.Batches
	return p
}

// crash is the test-only command: a Go panic inside the worker, to prove
// that the page notices a dead worker and recovers. It is refused unless
// the worker was started with ?test=1 (the page does that only when its own
// URL has ?aetest=1).
func (s *session) crash() {
	if !s.testHooks {
		s.refuse("%s is not a command the worker takes", (&protocol.Panic{}).Kind())
		return
	}
	var m map[string]int
	m["forced"]++ // a real runtime panic: assignment to entry in nil map
}

// historyPoint is what the file's history keeps of a progress report (the
// page's curves take a point of each).
func historyPoint(m *protocol.Progress) protocol.HistoryPoint {
	p := protocol.HistoryPoint{Epoch: m.Epoch, Samples: float64(m.Samples), Train: m.Loss, Test: m.TestLoss,
		PCATest: m.PCATest, Floor: m.Floor, Largest: math.NaN(), Mean: math.NaN(), Jacobian: m.Jacobian}
	if n := len(m.Angles); n > 0 { // as the page draws them (pcapanel.go)
		var sum float64
		for _, a := range m.Angles {
			sum += a
		}
		p.Largest, p.Mean = m.Angles[n-1], sum/float64(n)
	}
	return p
}
