// Package lesson is the survey as a guided path: each Step is a value (its
// words, its formula, the panels that show its evidence, the model or the
// two models it trains, one thing to try, and a checkpoint), and the page,
// the scripting API and the lecture page all read the same table.
//
// A checkpoint is a pure function of what the running models have shown
// (Live): it says whether the step's claim holds and, in either case, the
// sentence that says so with the live figures. Every threshold is one a
// seeded run reaches on the page's own digits; TestStepsPass trains each
// step's models natively and requires its checkpoint to pass.
//
// The package is pure Go: no syscall/js, no go-app; it builds and is tested
// natively.
package lesson

import (
	"fmt"
	"math"
	"slices"

	"aeplayground/engine/compare"
	"aeplayground/wasm/state"
)

// A Step is one point of the lecture.
type Step struct {
	ID    string // in links: #lesson=pca
	Title string
	// Section is the survey's section the step belongs to: the lecture
	// page (lecture.html) heads each run of steps with it.
	Section string
	// Text is two to five sentences; Formula is MathML (a <math> element),
	// which the browser renders without fonts or scripts.
	Text    []string
	Formula string
	// Panels are the panels (state.Panels) that show the step's evidence.
	Panels []string
	// Models are the step's models as link fragments (parsed by
	// state.Parse, so a lesson accepts exactly what a link does): one, or
	// two trained side by side on the same batches. Labels name them on
	// the chart and in the evidence.
	Models []string
	Labels []string
	// Curve is the held-out figure the chart plots for two models.
	Curve Curve
	// Corrupt is the corruption the step shows, as the link's corrupt=
	// value ("" for none).
	Corrupt string
	// Try is the one thing to try: a button that applies Set (link keys,
	// to the first model).
	Try Try
	// Check is the checkpoint.
	Check func(Live) Result
}

// Curve is the held-out figure a step charts for its two models.
type Curve int

const (
	// CleanError is the squared error on the held-out digits: comparable
	// whatever loss each model trains with, and with PCA's on those digits.
	CleanError Curve = iota
	// CorruptedLoss is the loss on corrupted held-out digits against the
	// clean ones: a denoiser's test. Both models must train with one loss.
	CorruptedLoss
	// Jacobian is the mean ‖J_x(h)‖_F over held-out digits: how much the
	// code moves with its input (single-layer encoders).
	Jacobian
)

// Try is a "try this" action: its label, what it says will happen, and the
// settings it applies (key, value, …) to the first model. Shows checks what
// Expect says: given the step's models (was) and the same models with the
// change (now), measured after the same training, the epoch at which the
// step's checkpoint passed.
type Try struct {
	Label, Expect string
	Set           []string
	Shows         func(was, now Live) bool
}

// Live is what the page has measured of the step's running models, in the
// order of Step.Models: each model's last held-out evaluation (a figure not
// measured yet is NaN), and the time spent training since they were made.
type Live struct {
	Seconds float64
	Models  []compare.Report
	Running bool // the first model trains now
}

// Result is a checkpoint's verdict and the sentence that gives it.
type Result struct {
	Passed   bool
	Evidence string
}

// EmbedHeight is a step's frame height as an embed, 760 pixels wide: every
// step fits it without scrolling (TestBrowserLessonEmbeds).
const EmbedHeight = 600

// Steps returns the lecture's steps, in order.
func Steps() []Step { return slices.Clone(steps) }

// ByID returns the step with id, and its index.
func ByID(id string) (Step, int, bool) {
	for i, s := range steps {
		if s.ID == id {
			return s, i, true
		}
	}
	return Step{}, -1, false
}

// IDs lists the steps' ids, in order.
func IDs() []string {
	ids := make([]string, len(steps))
	for i, s := range steps {
		ids[i] = s.ID
	}
	return ids
}

// Config returns model i of the step as the link parser reads it.
func (s Step) Config(i int) (state.State, error) {
	st, errs := state.Parse(s.Models[i])
	if len(errs) > 0 {
		return st, fmt.Errorf("lesson %s, model %d: %v", s.ID, i, errs[0])
	}
	return st, nil
}

// ready reports whether every model has been evaluated after at least
// epochs of training.
func ready(l Live, n int, epochs float64) bool {
	if len(l.Models) < n {
		return false
	}
	for _, m := range l.Models[:n] {
		if !(m.Epoch >= epochs) || math.IsNaN(m.TestLoss) {
			return false
		}
	}
	return true
}

func pct(a, b float64) float64 { return 100 * (1 - a/b) }

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// waiting is a checkpoint's sentence before its models have trained enough:
// what it waits for, asking for Play only while nothing trains.
func waiting(l Live, what string) Result {
	if l.Running {
		return Result{Evidence: "Training: " + what}
	}
	return Result{Evidence: "Press Play: " + what}
}

// The digits the page evaluates on: the first EvalDigits held-out digits,
// the first DiagDigits of them for ρ̂ and the Jacobian. The worker and the
// tests use the same numbers, so a checkpoint sees the same figures.
const (
	EvalDigits = 500
	DiagDigits = 200
)
