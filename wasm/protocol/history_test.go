package protocol

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"testing"
)

// A model file with its history splits back into the same model bytes and
// the same history; NaNs (numbers not measured) survive.
func TestHistoryRoundTrip(t *testing.T) {
	model := []byte("AEMD\x01\x00 any model file bytes, here opaque")
	h := &History{Epoch: 20.6, Samples: 206000, Batches: 6438, Loss: 0.0279}
	nan := math.NaN()
	for i := range 900 { // past MaxHistory: thinned, every tenth report an evaluation
		e := float64(i) / 40
		p := HistoryPoint{Epoch: e, Samples: e * 10000, Train: 0.1 / (1 + e), Test: nan, PCATest: nan, Floor: 0.026, Largest: nan, Mean: nan, Jacobian: nan}
		if i%10 == 9 {
			p.Test, p.PCATest, p.Largest, p.Mean = 0.11/(1+e), 0.027, 80/(1+e), 40/(1+e)
		}
		h.Add(p)
	}
	evals := 0
	for _, p := range h.Points {
		if !math.IsNaN(p.Test) {
			evals++
		}
	}
	if len(h.Points) > MaxHistory || h.Points[0].Epoch != 0 || h.Points[len(h.Points)-1].Epoch < 20 || evals != 90 {
		t.Fatalf("thinned to %d points (%d evaluations, want all 90) from epoch %v to %v", len(h.Points), evals, h.Points[0].Epoch, h.Points[len(h.Points)-1].Epoch)
	}
	file := AppendHistory(model, h)
	gotModel, got, err := SplitHistory(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotModel, model) {
		t.Errorf("model bytes %q, want %q", gotModel, model)
	}
	if got.Epoch != h.Epoch || got.Samples != h.Samples || got.Batches != h.Batches || got.Loss != h.Loss || len(got.Points) != len(h.Points) {
		t.Fatalf("history %+v (%d points), want %+v (%d points)", *got, len(got.Points), *h, len(h.Points))
	}
	for i, p := range got.Points {
		// Bit for bit, NaNs (numbers not measured) included.
		if a, b := fmt.Sprintf("%#v", p), fmt.Sprintf("%#v", h.Points[i]); a != b {
			t.Fatalf("point %d: %s, want %s", i, a, b)
		}
	}
	// No points, no loss yet: a model saved before its first batch.
	empty := &History{Loss: math.NaN()}
	if _, got, err := SplitHistory(AppendHistory(model, empty)); err != nil || got.Points != nil || !math.IsNaN(got.Loss) {
		t.Errorf("an empty history came back as %+v, %v", got, err)
	}
}

// A file without a history (written before histories were kept) is the
// model file as it is; one whose history is damaged is refused in words.
func TestHistoryOldAndDamaged(t *testing.T) {
	model := []byte("AEMD\x01\x00 an older file ending in anything")
	m, h, err := SplitHistory(model)
	if err != nil || h != nil || !bytes.Equal(m, model) {
		t.Errorf("an old file: %q, %v, %v; want it whole, no history", m, h, err)
	}
	file := AppendHistory(model, &History{Epoch: 1, Samples: 10000, Batches: 313, Loss: 0.03,
		Points: []HistoryPoint{{Epoch: 1, Samples: 10000, Train: 0.03, Test: 0.031, PCATest: 0.027}}})
	for i := len(model); i < len(file); i++ {
		bad := bytes.Clone(file)
		bad[i] ^= 0x40
		m, h, err := SplitHistory(bad)
		switch {
		case err == nil && h == nil && bytes.Equal(m, bad):
			// the end mark itself hit: no history, so an old file (the engine then refuses its trailing bytes)
		case !errors.Is(err, ErrHistory):
			t.Errorf("byte %d flipped: %v, %v; want ErrHistory", i, h, err)
		}
	}
	if _, _, err := SplitHistory(file[len(file)-historyTail:]); !errors.Is(err, ErrHistory) {
		t.Errorf("a bare tail: %v, want ErrHistory", err)
	}
}

// FuzzSplitHistory: no file panics, and what splits writes back to a file
// that splits to the same model bytes and history.
func FuzzSplitHistory(f *testing.F) {
	model := []byte("AEMD\x01\x00model")
	f.Add(model)
	f.Add(AppendHistory(model, &History{Epoch: 20.6, Samples: 206000, Batches: 6438, Loss: 0.0279,
		Points: []HistoryPoint{{Epoch: 1, Samples: 10000, Train: 0.03, Test: 0.031, PCATest: 0.027, Floor: 0.026, Largest: 12, Mean: 4, Jacobian: math.NaN()}}}))
	f.Add(AppendHistory(nil, &History{Loss: math.NaN()}))
	f.Add([]byte(historyStart + historyEnd))
	f.Fuzz(func(t *testing.T, file []byte) {
		m, h, err := SplitHistory(file)
		if err != nil || h == nil {
			return
		}
		m2, h2, err := SplitHistory(AppendHistory(m, h))
		if err != nil || !bytes.Equal(m2, m) || fmt.Sprintf("%#v", *h2) != fmt.Sprintf("%#v", *h) {
			t.Fatalf("split %q, %#v; again %q, %#v, %v", m, *h, m2, h2, err)
		}
	})
}
