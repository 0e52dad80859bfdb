package page

import (
	"strings"
	"testing"
	"time"

	"aeplayground/wasm/lesson"
	"aeplayground/wasm/protocol"
)

// TestCheckpointSaysTrainingAndKeepsItsMoment: the pending sentence stops
// asking for Play once training runs; a passed checkpoint keeps the time it
// passed at, while later evaluations still hold it.
func TestCheckpointSaysTrainingAndKeepsItsMoment(t *testing.T) {
	step, i, ok := lesson.ByID("pca")
	if !ok {
		t.Fatal("no pca step")
	}
	r := NewLessonRun(step, i)
	t0 := time.Unix(1000, 0)
	if !strings.HasPrefix(r.Result.Evidence, "Press Play") {
		t.Fatalf("before Play: %q", r.Result.Evidence)
	}
	if !r.Observe(&protocol.Progress{Running: true}, t0) || !strings.HasPrefix(r.Result.Evidence, "Training") {
		t.Errorf("once training: %q", r.Result.Evidence)
	}
	small := make([]float64, 16)
	for j := range small {
		small[j] = 0.5
	}
	at := func(s float64, epoch float64) *protocol.Progress {
		return &protocol.Progress{Running: true, Full: true, Epoch: epoch, K: 16, TestLoss: 0.02701, TestMSE: 0.02701, PCATest: 0.0270, Angles: small}
	}
	r.Observe(at(8, 14.9), t0.Add(8*time.Second))
	if !r.Result.Passed {
		t.Fatalf("all angles at 0.5°: %q", r.Result.Evidence)
	}
	passed := r.Result.Evidence
	r.Observe(at(15, 28.8), t0.Add(15*time.Second))
	if r.Result.Evidence != passed {
		t.Errorf("the passed sentence moved on: %q, then %q", passed, r.Result.Evidence)
	}
}
