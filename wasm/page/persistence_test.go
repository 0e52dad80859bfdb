package page

import (
	"testing"
	"time"

	"aeplayground/engine/ae"
	"aeplayground/wasm/protocol"
)

// The saver sends one request at a time, remembers one asked for
// meanwhile, and while training asks at most every saveEvery.
func TestSaverCoalesces(t *testing.T) {
	t0 := time.Unix(1000, 0)
	var s saver
	steps := []struct {
		name string
		do   func() bool
		want bool
	}{
		{"first, training", func() bool { return s.ask(t0, true) }, true},
		{"while one is on its way", func() bool { return s.ask(t0.Add(5*time.Second), true) }, false},
		{"stored: one was asked for meanwhile", func() bool { return s.stored() }, true},
		{"training, too soon after the last", func() bool { return s.ask(t0.Add(time.Second), true) }, false},
		{"resting: at once", func() bool { return s.ask(t0.Add(time.Second), false) }, true},
		{"hidden, while one is on its way", func() bool { return s.force(t0.Add(time.Second)) }, false},
		{"stored: nothing asked meanwhile", func() bool { return s.stored() }, false},
		{"hidden", func() bool { return s.force(t0.Add(2 * time.Second)) }, true},
		{"stored", func() bool { return s.stored() }, false},
		{"training, saveEvery after the last", func() bool { return s.ask(t0.Add(2*time.Second+saveEvery), true) }, true},
	}
	for _, st := range steps {
		if got := st.do(); got != st.want {
			t.Errorf("%s: %v, want %v", st.name, got, st.want)
		}
	}
}

// A model is worth saving at each whole epoch while training, and when
// training rests at a count not asked for yet; never while restoring. An
// epoch the saver held back (too soon after the last save) is saved when
// training rests, even at the count of that epoch's report: the pause of
// the last CI failure came with no batch after an epoch's end.
func TestNewWork(t *testing.T) {
	t0 := time.Unix(1000, 0)
	k := &Persistence{}
	steps := []struct {
		at      time.Duration
		running bool
		epoch   float64
		samples int64
		want    bool // a save is asked for
	}{
		{0, false, 0, 0, false},                     // a new model: nothing trained
		{time.Second, true, 0.5, 5000, false},       // within the first epoch
		{2 * time.Second, true, 1.01, 10100, true},  // a whole epoch
		{3 * time.Second, true, 1.9, 19000, false},  // within it
		{4 * time.Second, true, 2.0, 20000, false},  // a whole epoch, too soon after the last save
		{4 * time.Second, false, 2.0, 20000, true},  // paused right there: saved now
		{4 * time.Second, false, 2.0, 20000, false}, // the same rest reported again
		{5 * time.Second, false, 2.01, 20100, true}, // a step
		{20 * time.Second, true, 3.0, 30000, true},
	}
	for i, s := range steps {
		k.running, k.epoch, k.samples = s.running, s.epoch, s.samples
		got := k.newWork() && k.ask(t0.Add(s.at))
		if got {
			k.saver.stored() // the model came back and was stored
		}
		if got != s.want {
			t.Errorf("step %d (%+v): %v, want %v", i, s, got, s.want)
		}
	}
	k.restoring = true
	k.running, k.epoch, k.samples = false, 5, 50000
	if k.newWork() {
		t.Error("a save was asked for while the saved model is being restored")
	}
}

// A saved model is restored only into a page opened with its settings.
func TestSavedFitsLink(t *testing.T) {
	cfg, err := ae.Preset("linear-pca")
	if err != nil {
		t.Fatal(err)
	}
	m, err := ae.NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		fragment string
		want     bool
	}{
		{"preset=linear-pca", true},
		{"preset=linear-pca&k=3", false},
		{"preset=survey", false},
	} {
		if got := savedFitsLink(b, c.fragment); got != c.want {
			t.Errorf("%q: fits %v, want %v", c.fragment, got, c.want)
		}
		// A copy with its history (as the worker saves it) reads the same.
		withHistory := protocol.AppendHistory(b, &protocol.History{Epoch: 2, Samples: 20000, Batches: 625, Loss: 0.03})
		if got := savedFitsLink(withHistory, c.fragment); got != c.want {
			t.Errorf("%q, with a history: fits %v, want %v", c.fragment, got, c.want)
		}
	}
	if !savedFitsLink([]byte("not a model"), "preset=survey") {
		t.Error("a file that does not read is not let through to the worker, which names what is wrong")
	}
}
