package page

import (
	"aeplayground/engine/compare"
	"aeplayground/wasm/lesson"
	"aeplayground/wasm/protocol"
	"slices"
	"time"
)

// LessonRun is the lesson step the page shows and what its checkpoint has
// seen of the step's models: each one's last evaluation, and the time
// spent training since they were made.
type LessonRun struct {
	Step  lesson.Step
	Index int // of the step in lesson.Steps
	live  lesson.Live

	Result lesson.Result
	Clock  TrainClock
	Tried  bool // the try action was pressed: its expectation is shown
}

// NewLessonRun starts step, the index-th of lesson.Steps, with new models.
func NewLessonRun(step lesson.Step, index int) *LessonRun {
	r := &LessonRun{Step: step, Index: index}
	r.Reset()
	return r
}

// Reset starts the checkpoint again: new models.
func (r *LessonRun) Reset() {
	r.live, r.Clock = lesson.Live{}, TrainClock{}
	r.Result = r.Step.Check(r.live)
}

// Observe takes a progress report of model p.Model and says whether the
// verdict or its sentence changed. A checkpoint that has passed keeps the
// sentence of the moment it passed, its one clock, while it holds: later
// evaluations change it only if they undo it.
func (r *LessonRun) Observe(p *protocol.Progress, now time.Time) bool {
	started := false
	if p.Model == 0 {
		r.Clock.Observe(p.Running, now)
		started = p.Running != r.live.Running
		r.live.Running = p.Running
	}
	full := p.Full && p.Model < len(r.Step.Models)
	if !full && !started {
		return false
	}
	if full {
		for len(r.live.Models) <= p.Model {
			r.live.Models = append(r.live.Models, compare.Report{})
		}
		r.live.Models[p.Model] = report(p)
		r.live.Seconds = r.Clock.Seconds(now)
	}
	res := r.Step.Check(r.live)
	if res.Passed && r.Result.Passed {
		return false
	}
	changed := res != r.Result
	r.Result = res
	return changed
}

// Neighbour is the id of the step by steps away (-1 back, +1 next), if
// there is one.
func (r *LessonRun) Neighbour(by int) (id string, ok bool) {
	ids := lesson.IDs()
	if i := r.Index + by; i >= 0 && i < len(ids) {
		return ids[i], true
	}
	return "", false
}

// PlayPause is the command Play / Pause sends: pause while the step's
// models train, play otherwise.
func (r *LessonRun) PlayPause() protocol.Message {
	if r.Clock.Running() {
		return &protocol.Pause{}
	}
	return &protocol.Play{}
}

// report is the evaluation a progress report carries, its slices copied
// (they are the decoder's, reused by the next report).
func report(p *protocol.Progress) compare.Report {
	return compare.Report{
		Epoch: p.Epoch, K: p.K, Parameters: p.Params,
		TestLoss: p.TestLoss, TestMSE: p.TestMSE, PCATest: p.PCATest, NoisyLoss: p.NoisyLoss,
		OutMin: p.OutMin, OutMax: p.OutMax, Angles: slices.Clone(p.Angles), RhoHat: slices.Clone(p.RhoHat),
		Rho: p.Rho, Jacobian: p.Jacobian, Orthonormal: p.Orthonormal,
	}
}
