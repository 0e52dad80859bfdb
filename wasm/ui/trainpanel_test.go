package ui

import (
	"math"
	"strings"
	"testing"

	"aeplayground/engine/ae"
)

// TestArchLine: the line under Train names the model the worker built
// from the settings last sent, and while the worker has not yet built
// those (it still reports an earlier model), it says a new model is being
// built rather than showing the earlier model's architecture.
func TestArchLine(t *testing.T) {
	cfg, err := ae.Preset("survey")
	if err != nil {
		t.Fatal(err)
	}
	wide := cfg
	wide.Hidden = []int{1024}
	m, err := ae.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Arch() != m.String() {
		t.Fatalf("the page's %q and the worker's %q name the same settings differently", cfg.Arch(), m.String())
	}
	for _, c := range []struct {
		want, built string
		refused     bool
		says        string
	}{
		{cfg.Arch(), m.String(), false, "784-32-784 "},
		{cfg.Arch(), wide.Arch(), false, "Building the new model…"}, // k set back to 32, the 1024 model still reported
		{cfg.Arch(), "", false, "Building the new model…"},
		{wide.Arch(), m.String(), true, "784-32-784 "}, // refused: the running model stays
	} {
		if got := archLine(c.want, c.built, m.NumParams(), c.refused); !strings.HasPrefix(got, c.says) {
			t.Errorf("asked %q, built %q, refused %v: %q, want it to start %q", c.want, c.built, c.refused, got, c.says)
		}
	}
}

// TestPCACapNote: above PCA's rank the page says there is no PCA of the
// same rank, with both numbers; at or below it, nothing.
func TestPCACapNote(t *testing.T) {
	if got := pcaCapNote(128, 64); !strings.Contains(got, "64 components") || !strings.Contains(got, "k = 128") {
		t.Errorf("k 128, PCA rank 64: %q", got)
	}
	for _, k := range []int{2, 64} {
		if got := pcaCapNote(k, 64); got != "" {
			t.Errorf("k %d, PCA rank 64: %q, want nothing", k, got)
		}
	}
	d := &digitRow{K: 128, pcaK: 64}
	if got := d.pcaLabel(); got != "PCA rank 64 (capped; k = 128)" {
		t.Errorf("the PCA tile's name at k 128: %q", got)
	}
	if got := d.pcaCaption(); got != "PCA rank 64" {
		t.Errorf("the PCA tile's caption at k 128: %q", got)
	}
}

// TestReadoutsNotMeasured: a figure the worker has not measured yet reads
// as a dash, never as NaN.
func TestReadoutsNotMeasured(t *testing.T) {
	for _, got := range []string{ratioText(math.NaN(), true), ratioText(math.NaN(), false), jacobianText(math.NaN())} {
		if strings.Contains(got, "NaN") || !strings.HasPrefix(got, "–") {
			t.Errorf("not measured: %q", got)
		}
	}
	if got := ratioText(math.NaN(), true); got != "–" {
		t.Errorf("the ratio of a squared-error model not measured yet: %q, want a dash alone", got)
	}
	if got := ratioText(math.NaN(), false); !strings.Contains(got, "squared error only") {
		t.Errorf("the ratio of a cross-entropy model: %q, want why there is none", got)
	}
	if got := ratioText(1.00049, true); got != "1.000" {
		t.Errorf("ratioText(1.00049) = %q", got)
	}
	if got := jacobianText(11.1969); got != "11.197" {
		t.Errorf("jacobianText(11.1969) = %q", got)
	}
}
