package main

import (
	"fmt"
	"math"

	"aeplayground/engine/mnist"
)

// maxStep bounds the batches one "step" message trains (the scripting API's
// step command allows as many).
const maxStep = 10000

// done is how a message that carries a "req" number is answered once it has
// been handled, for the page's scripting API: it returns a function, run
// after the handling, that posts {type: "done", req, error?}. The error is
// the text of the first error, config-error or diverged message the handling
// posted, so a script learns that its step diverged or its settings were
// refused. Messages are handled in order, so "done" for a step comes after
// its batches ran and after the progress they produced.
func (s *session) done(req float64) func() {
	post := s.post
	var failed string
	s.post = func(m message) {
		switch str(m, "type") {
		case "error", "config-error", "diverged":
			if failed == "" {
				failed = str(m, "text")
			}
		}
		post(m)
	}
	return func() {
		s.post = post
		d := message{"type": "done", "req": req}
		if failed != "" {
			d["error"] = failed
		}
		post(d)
	}
}

// sampleAt sends the page the held-out digit at index i (a link's
// digit=test:i), or names an index the bundle does not have.
func (s *session) sampleAt(i float64) {
	d := s.data
	n := len(d.testLabels)
	if i != math.Trunc(i) || i < 0 || i >= float64(n) {
		s.post(message{"type": "error", "text": fmt.Sprintf("Ignored in the link: digit=test:%v: there are %d held-out digits, numbered 0 to %d", i, n, n-1)})
		return
	}
	k := int(i)
	px := make([]byte, mnist.Pixels)
	unitToBytes(d.test[k*mnist.Pixels:(k+1)*mnist.Pixels], px)
	s.post(message{"type": "sample", "pixels": px, "label": float64(d.testLabels[k]), "index": i})
}

// stepCount is a step message's batches: its n in [1, maxStep], else 1.
func stepCount(m message) int {
	n := num(m, "n")
	if !(n >= 1) {
		return 1
	}
	return int(min(n, maxStep))
}
