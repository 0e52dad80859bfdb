package main

import (
	"encoding/json"
	"fmt"
	"math"

	"aeplayground/engine/ae"
	"aeplayground/engine/mnist"
)

// The model as a file, both ways, and the test-only crash.
//
//	page -> {type: "save", reason}            worker -> {type: "model", reason, bytes, arch, config,
//	                                                     epoch, samples, batches, loss, testLoss}
//	page -> {type: "load", bytes, restored,    worker -> {type: "reset"}, {type: "loaded", config, arch,
//	         epoch, samples, batches, loss}              epoch, restored} and progress, or
//	                                                     {type: "load-error", text, restored}: nothing changed
//	page -> {type: "panic"}                    the worker panics, if it was started with ?test=1
//
// A model file holds the Config and the parameters (engine/ae/modelfile.go),
// not where training stood: the page keeps the counters beside the bytes in
// its saved copy and hands them back with "load", so a restored model goes
// on from the epoch it had reached.

// saveModel posts the current model as a model file. reason comes back
// unchanged, so the page knows whether to download or store it.
func (s *session) saveModel(m message) {
	reason := str(m, "reason")
	if s.tr == nil {
		s.post(message{"type": "model-error", "reason": reason, "text": "there is no model yet: the digits are still loading"})
		return
	}
	model := s.tr.Model()
	b, err := model.MarshalBinary()
	if err != nil {
		s.post(message{"type": "model-error", "reason": reason, "text": "the model could not be saved: " + err.Error()})
		return
	}
	cfg, _ := json.Marshal(model.Config())
	p := s.progress()
	out := message{
		"type": "model", "reason": reason, "bytes": b, "arch": model.String(), "config": string(cfg),
		"epoch": p.EpochFrac, "samples": float64(p.SamplesSeen), "batches": float64(p.Batches),
	}
	if p.Batches > 0 {
		out["loss"] = p.DataLoss
	}
	s.post(out)
}

// loadModel decodes a model file and, if it is good, goes on training it
// with its own settings. A bad file changes nothing: the page gets the
// decoder's error in words.
func (s *session) loadModel(m message) {
	restored, _ := m["restored"].(bool)
	fail := func(text string) {
		s.post(message{"type": "load-error", "text": text, "restored": restored})
	}
	if s.data == nil {
		fail("the digits are still loading; try again in a moment")
		return
	}
	b, _ := m["bytes"].([]byte)
	if len(b) == 0 {
		fail("The file is empty: it is not a model file.")
		return
	}
	model, err := ae.UnmarshalModel(b)
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
	base := ae.Progress{DataLoss: math.NaN()}
	if v := num(m, "epoch"); v >= 0 && v < 1e9 {
		base.EpochFrac, base.Epoch = v, int(v)
	}
	if v := num(m, "samples"); v >= 0 && v < 1e15 {
		base.SamplesSeen = int64(v)
	}
	if v := num(m, "batches"); v >= 0 && v < 1e15 {
		base.Batches = int64(v)
	}
	if v := num(m, "loss"); v >= 0 && !math.IsInf(v, 0) {
		base.DataLoss = v
	}
	s.running = false
	s.cfg = model.Config()
	cfg, _ := json.Marshal(s.cfg)
	// "loaded" first, so the page takes the model's settings before the
	// reset and progress that follow.
	s.post(message{"type": "loaded", "config": string(cfg), "arch": model.String(), "params": float64(model.NumParams()),
		"epoch": base.EpochFrac, "restored": restored})
	s.useTrainer(tr, base)
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
		s.post(message{"type": "error", "text": `unknown message type "panic"`, "request": "panic"})
		return
	}
	var m map[string]int
	m["forced"]++ // a real runtime panic: assignment to entry in nil map
}
