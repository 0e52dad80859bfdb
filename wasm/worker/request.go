package main

import (
	"aeplayground/wasm/protocol"
	"fmt"
)

// maxStep bounds the batches one Step trains (the scripting API's step
// command allows as many).
const maxStep = 10000

// done is how a command sent with a request number is answered once it
// has been handled, for the page's scripting API: it returns a function,
// run after the handling, that posts Done. Its Error is the text of the
// first Error, ConfigError or Diverged the handling posted, so a script
// learns that its step diverged or its settings were refused. Commands are
// handled in order, so Done for a step comes after its batches ran and
// after the progress they produced.
func (s *session) done(req uint64) func() {
	post := s.post
	var failed string
	s.post = func(m protocol.Message) {
		if failed == "" {
			switch m := m.(type) {
			case *protocol.Error:
				failed = m.Text
			case *protocol.ConfigError:
				failed = m.Text
			case *protocol.Diverged:
				failed = m.Text
			}
		}
		post(m)
	}
	return func() {
		s.post = post
		post(&protocol.Done{Req: req, Error: failed})
	}
}

// sampleAt sends the page the held-out digit at index i (a link's
// digit=test:i), or names an index the bundle does not have.
func (s *session) sampleAt(i int) {
	n := len(s.data.testLabels)
	if i < 0 || i >= n {
		s.post(&protocol.Error{Refused: (*protocol.SampleAt)(nil).Kind(),
			Text: fmt.Sprintf("Ignored in the link: digit=test:%d: there are %d held-out digits, numbered 0 to %d", i, n, n-1)})
		return
	}
	s.postSample(i)
}

// stepCount is a Step's batches: its n in [1, maxStep], else 1.
func stepCount(n int) int {
	if n < 1 {
		return 1
	}
	return min(n, maxStep)
}
