package lesson

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"aeplayground/engine/ae"
	"aeplayground/engine/compare"
	"aeplayground/engine/mnist"
	"aeplayground/engine/pca"
	"aeplayground/wasm/state"
)

// TestStepsWellFormed: every step's models, corruption and try action are
// settings a link accepts; its panels exist; its text and formula are there.
func TestStepsWellFormed(t *testing.T) {
	want := []string{"intro", "fg", "loss", "pca", "nonlinear", "l2tied", "sparse", "contractive", "denoising"}
	if !slices.Equal(IDs(), want) {
		t.Errorf("ids %v, want %v", IDs(), want)
	}
	for _, s := range Steps() {
		if n := len(s.Text); n < 2 || n > 5 {
			t.Errorf("%s: %d sentences' paragraphs", s.ID, n)
		}
		if !strings.HasPrefix(s.Formula, "<math") || !strings.HasSuffix(s.Formula, "</math>") {
			t.Errorf("%s: the formula is not a MathML element", s.ID)
		}
		if len(s.Models) < 1 || len(s.Models) > 2 || (len(s.Models) == 2) != (len(s.Labels) == 2) {
			t.Errorf("%s: %d models, %d labels", s.ID, len(s.Models), len(s.Labels))
		}
		for i := range s.Models {
			if _, err := s.Config(i); err != nil {
				t.Error(err)
			}
		}
		if s.Curve == CorruptedLoss {
			// One loss for both, and a corruption to score them on.
			a, _ := s.Config(0)
			b, _ := s.Config(1)
			if len(s.Models) != 2 || a.Config.Loss != b.Config.Loss || s.Corrupt == "" {
				t.Errorf("%s: charts the loss on corrupted digits of %d models (losses %s, %s) with corruption %q",
					s.ID, len(s.Models), a.Config.Loss, b.Config.Loss, s.Corrupt)
			}
		}
		if s.Curve != CleanError && len(s.Models) != 2 {
			t.Errorf("%s: a curve for two models, with %d", s.ID, len(s.Models))
		}
		if s.Corrupt != "" {
			if _, errs := state.Parse("corrupt=" + s.Corrupt); len(errs) > 0 {
				t.Errorf("%s: corrupt=%s: %v", s.ID, s.Corrupt, errs)
			}
		}
		for _, p := range s.Panels {
			if !slices.Contains(state.Panels, p) {
				t.Errorf("%s: unknown panel %q", s.ID, p)
			}
		}
		st, _ := s.Config(0)
		f := state.NewForm(st.Config)
		if s.Try.Label == "" || s.Try.Expect == "" || s.Try.Shows == nil || !f.Set(s.Try.Set...) {
			t.Errorf("%s: try %+v: %v", s.ID, s.Try, f.Errors())
		}
		if r := s.Check(Live{}); r.Passed || r.Evidence == "" {
			t.Errorf("%s: with nothing measured the checkpoint says %+v", s.ID, r)
		}
		if _, i, ok := ByID(s.ID); !ok || IDs()[i] != s.ID {
			t.Errorf("ByID(%s)", s.ID)
		}
	}
}

// budget is the training each step's checkpoint must pass within, in
// epochs of its models on the page's digits, natively (the browser suite
// checks the page's own run and its time).
var budget = map[string]float64{
	"intro": 2, "fg": 2, "loss": 2, "pca": 16, "nonlinear": 6,
	"l2tied": 20, "sparse": 2, "contractive": 2, "denoising": 2,
}

// TestStepsPass trains each step's models on the page's 10,000 digits,
// seeded as the page seeds them, side by side on the same batches, and
// requires its checkpoint to pass within its budget. The evidence and the
// epochs it took are logged: they are the figures the lesson states.
//
// Beside them it trains the same models with the step's "try this" applied
// to the first, step for step, and requires what the try says to show at
// the epoch the checkpoint passed.
func TestStepsPass(t *testing.T) {
	raw, err := os.ReadFile("../../web/mnist.bundle")
	if err != nil {
		t.Fatalf("the MNIST bundle is missing (%v): run `make data` first", err)
	}
	b, err := mnist.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	n := mnist.Pixels
	train := make([]float64, b.Train.Len()*n)
	b.Train.Float64(train)
	held := make([]float64, b.Test.Len()*n)
	b.Test.Float64(held)
	held = held[:EvalDigits*n]
	p, err := pca.Fit(train, b.Train.Len(), n, 64)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Steps() {
		t.Run(s.ID, func(t *testing.T) {
			t.Parallel()
			trainer := func(c ae.Config) *ae.Trainer {
				tr, err := ae.NewTrainer(c, train, held)
				if err != nil {
					t.Fatal(err)
				}
				return tr
			}
			var trs, tried []*ae.Trainer // the step's models, and with the try applied
			for i := range s.Models {
				st, _ := s.Config(i)
				try := st.Config
				if i == 0 {
					f := state.NewForm(try)
					f.Set(s.Try.Set...)
					try = f.Config
				}
				trs, tried = append(trs, trainer(st.Config)), append(tried, trainer(try))
			}
			corrupt, _ := state.Parse("corrupt=" + s.Corrupt)
			measure := func(trs []*ae.Trainer, seconds float64) Live {
				live := Live{Seconds: seconds}
				for _, tr := range trs {
					live.Models = append(live.Models, compare.Measure(tr, p, held, DiagDigits, corrupt.Corrupt))
				}
				return live
			}
			start := time.Now()
			var last Result
			for {
				live := measure(trs, time.Since(start).Seconds())
				last = s.Check(live)
				if last.Passed {
					t.Logf("passed at epoch %.1f: %s", live.Models[0].Epoch, last.Evidence)
					now := measure(tried, live.Seconds)
					was, got := live.Models[0], now.Models[0]
					figures := fmt.Sprintf("held-out loss %.4f -> %.4f, squared error %.4f -> %.4f (PCA %.4f), output [%.2f, %.2f] -> [%.2f, %.2f], largest angle %.2f° -> %.2f°, |DᵀD − I| %.4f -> %.4f, ρ̂ %.3f -> %.3f, ‖J‖ %.3f -> %.3f",
						was.TestLoss, got.TestLoss, was.TestMSE, got.TestMSE, got.PCATest, was.OutMin, was.OutMax, got.OutMin, got.OutMax,
						maxOf(was.Angles), maxOf(got.Angles), was.Orthonormal, got.Orthonormal, mean(was.RhoHat), mean(got.RhoHat), was.Jacobian, got.Jacobian)
					if len(now.Models) > 1 {
						figures += fmt.Sprintf("; second model's squared error %.4f", now.Models[1].TestMSE)
					}
					if !s.Try.Shows(live, now) {
						t.Errorf("try %q does not show %q: %s", s.Try.Label, s.Try.Expect, figures)
					} else {
						t.Logf("try %q: %s", s.Try.Label, figures)
					}
					return
				}
				if e := live.Models[0].Epoch; e >= budget[s.ID] || math.IsNaN(e) {
					t.Fatalf("not passed after %.1f epochs: %s", e, last.Evidence)
				}
				for _, tr := range append(trs, tried...) {
					half := max(1, b.Train.Len()/tr.Model().Config().BatchSize/4)
					if _, err := tr.Step(half); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}

// TestWaitingAsksForPlayOnlyWhenIdle: a checkpoint that waits asks for Play
// while nothing trains, and says it is training once Play was pressed; a
// checkpoint that has its figures says them.
func TestWaitingAsksForPlayOnlyWhenIdle(t *testing.T) {
	for _, s := range Steps() {
		idle, busy := s.Check(Live{}), s.Check(Live{Running: true})
		if !strings.HasPrefix(idle.Evidence, "Press Play: ") || !strings.HasPrefix(busy.Evidence, "Training: ") {
			t.Errorf("%s: idle %q, training %q", s.ID, idle.Evidence, busy.Evidence)
		}
		if strings.TrimPrefix(idle.Evidence, "Press Play: ") != strings.TrimPrefix(busy.Evidence, "Training: ") {
			t.Errorf("%s: the two say different things: %q, %q", s.ID, idle.Evidence, busy.Evidence)
		}
	}
}
