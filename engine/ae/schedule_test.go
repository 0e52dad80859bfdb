package ae

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestScheduleRate checks each formula at hand-computed points.
func TestScheduleRate(t *testing.T) {
	step := Schedule{Kind: StepDecay, Period: 3, Gamma: 0.5}
	cos := Schedule{Kind: Cosine, TMax: 4, Min: 0.01}
	cases := []struct {
		name string
		s    Schedule
		e    int
		want float64
	}{
		{"zero value", Schedule{}, 7, 0.1},
		{"constant", Schedule{Kind: Constant}, 100, 0.1},
		{"step, first epoch", step, 0, 0.1},
		{"step, last epoch of the first period", step, 2, 0.1},
		{"step, first decay", step, 3, 0.05},
		{"step, second decay", step, 6, 0.025},
		{"step, γ = 1 never decays", Schedule{Kind: StepDecay, Period: 1, Gamma: 1}, 50, 0.1},
		{"cosine, start", cos, 0, 0.1},
		{"cosine, quarter: min + (lr0−min)(1+1/√2)/2", cos, 1, 0.01 + 0.09*(1+math.Sqrt2/2)/2},
		{"cosine, half way: the mean of lr0 and min", cos, 2, 0.055},
		{"cosine, tmax", cos, 4, 0.01},
		{"cosine stays at min after tmax", cos, 5, 0.01},
		{"cosine stays at min long after", cos, 40, 0.01},
	}
	for _, tc := range cases {
		if got := tc.s.Rate(0.1, tc.e); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("%s: Rate(0.1, %d) = %.17g, want %.17g", tc.name, tc.e, got, tc.want)
		}
	}
}

// TestScheduleValidate: each wrong schedule parameter is refused as the
// schedule field.
func TestScheduleValidate(t *testing.T) {
	cases := []struct {
		name string
		s    Schedule
		ok   bool
	}{
		{"zero value", Schedule{}, true},
		{"constant", Schedule{Kind: Constant}, true},
		{"step", Schedule{Kind: StepDecay, Period: 1, Gamma: 0.1}, true},
		{"step γ = 1", Schedule{Kind: StepDecay, Period: 5, Gamma: 1}, true},
		{"step γ = 0", Schedule{Kind: StepDecay, Period: 5, Gamma: 0}, false},
		{"step γ > 1", Schedule{Kind: StepDecay, Period: 5, Gamma: 1.5}, false},
		{"step γ NaN", Schedule{Kind: StepDecay, Period: 5, Gamma: math.NaN()}, false},
		{"step period 0", Schedule{Kind: StepDecay, Period: 0, Gamma: 0.5}, false},
		{"step negative period", Schedule{Kind: StepDecay, Period: -2, Gamma: 0.5}, false},
		{"cosine", Schedule{Kind: Cosine, TMax: 10, Min: 0}, true},
		{"cosine min = lr", Schedule{Kind: Cosine, TMax: 10, Min: 0.005}, true},
		{"cosine tmax 0", Schedule{Kind: Cosine, TMax: 0}, false},
		{"cosine min > lr", Schedule{Kind: Cosine, TMax: 10, Min: 0.01}, false},
		{"cosine negative min", Schedule{Kind: Cosine, TMax: 10, Min: -1e-4}, false},
		{"unknown kind", Schedule{Kind: "plateau"}, false},
	}
	for _, tc := range cases {
		c, _ := Preset("survey") // lr 0.005
		c.Schedule = tc.s
		err := c.Validate()
		fes := FieldErrors(err)
		if tc.ok {
			if err != nil {
				t.Errorf("%s: refused: %v", tc.name, err)
			}
			continue
		}
		if len(fes) != 1 || fes[0].Field != FieldSchedule {
			t.Errorf("%s: errors %v, want one for the field %q", tc.name, err, FieldSchedule)
		}
	}
}

// TestTrainerFollowsSchedule: every batch of epoch e is taken at the
// schedule's rate for e, and LR says so beforehand.
func TestTrainerFollowsSchedule(t *testing.T) {
	data := bundleDigits(t, 100, 0) // 4 batches an epoch: 32, 32, 32, 4
	for _, s := range []Schedule{
		{Kind: StepDecay, Period: 2, Gamma: 0.3},
		{Kind: Cosine, TMax: 3, Min: 1e-4},
	} {
		cfg, _ := Preset("linear-pca")
		cfg.Schedule = s
		tr, err := NewTrainer(cfg, data, nil)
		if err != nil {
			t.Fatal(err)
		}
		for b := range 4 * 6 {
			next := tr.LR()
			p, err := tr.Step(1)
			if err != nil {
				t.Fatal(err)
			}
			if wantEpoch := b / 4; p.Epoch != wantEpoch {
				t.Fatalf("%s: batch %d in epoch %d, want %d", s.Kind, b, p.Epoch, wantEpoch)
			}
			want := s.Rate(cfg.LR, p.Epoch)
			if tr.opt.lr != want || next != want {
				t.Errorf("%s: batch %d (epoch %d) took lr %g (LR said %g), want %g", s.Kind, b, p.Epoch, tr.opt.lr, next, want)
			}
		}
	}
}

// TestScheduleFrom: a trainer told it starts at epoch 5 trains at the
// rates of epochs 5, 6, … while its own Progress counts from 0.
func TestScheduleFrom(t *testing.T) {
	data := bundleDigits(t, 64, 0) // 2 batches an epoch
	cfg, _ := Preset("linear-pca")
	tr, err := NewTrainer(cfg, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	tr.ScheduleFrom(5)
	for b := range 6 {
		want := cfg.Schedule.Rate(cfg.LR, 5+b/2)
		if lr := tr.LR(); lr != want {
			t.Errorf("batch %d: LR %g, want epoch %d's %g", b, lr, 5+b/2, want)
		}
		p, err := tr.Step(1)
		if err != nil {
			t.Fatal(err)
		}
		if p.Epoch != b/2 || tr.opt.lr != want {
			t.Errorf("batch %d: epoch %d at lr %g, want %d at %g", b, p.Epoch, tr.opt.lr, b/2, want)
		}
	}
}

// TestModelFileBeforeSchedules: a file written before schedules existed
// (the committed seed valid_contractive) still reads, as a constant rate,
// and re-marshals to the same bytes: the zero schedule writes nothing.
func TestModelFileBeforeSchedules(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzUnmarshalModel", "valid_contractive"))
	if err != nil {
		t.Fatal(err)
	}
	body := strings.TrimSuffix(strings.TrimPrefix(string(src), "go test fuzz v1\n[]byte("), ")\n")
	data, err := strconv.Unquote(body)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(data, "schedule") {
		t.Fatal("the seed already has a schedule: it no longer stands for an old file")
	}
	m, err := UnmarshalModel([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if s := m.Config().Schedule; s != (Schedule{}) {
		t.Errorf("schedule %+v, want the zero (constant) schedule", s)
	}
	if again := marshal(t, m); !bytes.Equal(again, []byte(data)) {
		t.Errorf("re-marshalled file differs from the old one")
	}
}
