package state

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"aeplayground/engine/ae"
)

// TestFormMatchesLink: a control set to a value gives exactly the config a
// link with that key=value gives: the page and its links share one path.
func TestFormMatchesLink(t *testing.T) {
	cases := []struct{ preset, key, value string }{
		{"survey", "k", "16"},
		{"survey", "hidden", "100"},
		{"deep", "f", "tanh,sigmoid,relu"},
		{"survey", "g", "sigmoid"},
		{"linear-pca", "loss", "mse"},
		{"survey", "init", "glorot"},
		{"survey", "opt", "sgd"},
		{"survey", "lr", "0.01"},
		{"survey", "batch", "64"},
		{"survey", "seed", "18446744073709551615"},
		{"survey", "tied", "1"},
		{"survey", "l2", "0.001"},
		{"sparse", "rho", "0.1"},
		{"sparse", "beta", "2"},
		{"contractive", "cae", "0.5"},
		{"survey", "noise", "gaussian"},
		{"denoising", "level", "0.25"},
		{"survey", "sched", "step:3:0.5"},
		{"linear-pca", "sched", "constant"},
		{"survey", "sched", "cosine:10:0.0001"},
	}
	for _, tc := range cases {
		want, errs := Parse("preset=" + tc.preset + "&" + tc.key + "=" + tc.value)
		if len(errs) > 0 {
			t.Fatalf("%s=%s: link errors %v", tc.key, tc.value, errs)
		}
		f := NewForm(preset(t, tc.preset))
		if !f.Set(tc.key, tc.value) {
			t.Fatalf("%s=%s refused: %v", tc.key, tc.value, f.Errors())
		}
		if !reflect.DeepEqual(f.Config, want.Config) {
			t.Errorf("%s=%s: form %+v, link %+v", tc.key, tc.value, f.Config, want.Config)
		}
		if got := f.Value(tc.key); got != tc.value {
			t.Errorf("%s shows %q after %q", tc.key, got, tc.value)
		}
	}
}

// TestFormPerLayerActivations: the bug where the page kept only the first
// activation (f=tanh,sigmoid trained [tanh, tanh]).
func TestFormPerLayerActivations(t *testing.T) {
	f := NewForm(preset(t, "survey"))
	if !f.Set("hidden", "100", "k", "16", "f", "tanh,sigmoid") {
		t.Fatal(f.Errors())
	}
	if want := []ae.Activation{ae.Tanh, ae.Sigmoid}; !reflect.DeepEqual(f.Config.Activation, want) {
		t.Errorf("activations %v, want %v", f.Config.Activation, want)
	}
	if got := f.Value("f"); got != "tanh,sigmoid" {
		t.Errorf("f shows %q", got)
	}
	// Changing k keeps both layers' activations.
	if !f.Set("k", "8") || !reflect.DeepEqual(f.Config.Activation, []ae.Activation{ae.Tanh, ae.Sigmoid}) {
		t.Errorf("after k=8: %v %v", f.Config.Activation, f.Errors())
	}
}

// TestFormEveryMomentum: the bug where any μ below 0.9 was raised to 0.9.
func TestFormEveryMomentum(t *testing.T) {
	for _, mu := range []float64{0, 0.1, 0.5, 0.89, 0.9, 0.95, 0.999} {
		v := strconv.FormatFloat(mu, 'g', -1, 64)
		f := NewForm(preset(t, "survey"))
		if !f.Set("opt", "momentum", "mom", v) {
			t.Fatalf("mom=%s: %v", v, f.Errors())
		}
		if f.Config.Momentum != mu || f.Value("mom") != v {
			t.Errorf("mom=%s: config %v, shows %q", v, f.Config.Momentum, f.Value("mom"))
		}
		link, _ := Parse(Encode(State{Preset: "survey", Config: f.Config}))
		if link.Config.Momentum != mu {
			t.Errorf("mom=%s: the link carries %v", v, link.Config.Momentum)
		}
	}
	f := NewForm(preset(t, "survey"))
	if f.Set("opt", "momentum", "mom", "1") || f.Error("mom") == "" {
		t.Errorf("μ = 1 accepted: %v", f.Errors())
	}
}

// TestFormErrorsByField: every refused control gets its own message at
// once, the config in force is kept, the typed text stays, and a later
// fix applies what was pending.
func TestFormErrorsByField(t *testing.T) {
	base := preset(t, "survey")
	f := NewForm(base)
	if f.Set("lr", "abc") {
		t.Fatal("lr=abc accepted")
	}
	if f.Set("batch", "0") {
		t.Fatal("batch=0 accepted")
	}
	if f.Error("lr") == "" || f.Error("batch") == "" || len(f.Errors()) != 2 {
		t.Errorf("errors %v, want lr and batch", f.Errors())
	}
	if f.Value("lr") != "abc" || !f.Pending() || !reflect.DeepEqual(f.Config, base) {
		t.Errorf("lr shows %q, pending %v, config changed %v", f.Value("lr"), f.Pending(), !reflect.DeepEqual(f.Config, base))
	}
	f.Set("lr", "0.01")
	if f.Error("lr") != "" || f.Error("batch") == "" {
		t.Errorf("after fixing lr: %v", f.Errors())
	}
	if !f.Set("batch", "64") || f.Config.LR != 0.01 || f.Config.BatchSize != 64 || f.Pending() {
		t.Errorf("after fixing both: %+v %v", f.Config, f.Errors())
	}

	cases := []struct {
		kv   []string
		want []string // keys with an error
	}{
		{[]string{"hidden", "-5"}, []string{"hidden"}},
		{[]string{"k", "0"}, []string{"k"}},
		{[]string{"seed", "18446744073709551616"}, []string{"seed"}},
		{[]string{"rho", "1"}, []string{"rho"}},
		{[]string{"rho", "-1"}, []string{"rho"}},
		{[]string{"g", "linear"}, []string{"loss"}},                    // BCE needs a sigmoid output
		{[]string{"beta", "1"}, []string{"rho", "beta"}},               // no ρ, and a leaky ReLU code layer
		{[]string{"cae", "0.1"}, []string{"cae"}},                      // leaky ReLU code layer
		{[]string{"hidden", "10,10", "f", "relu,tanh"}, []string{"f"}}, // two activations for three layers
		{[]string{"lr", "0", "batch", "5000", "l2", "-1"}, []string{"lr", "batch", "l2"}},
		{[]string{"sched", "step:0:0.5"}, []string{"sched"}},
		{[]string{"sched", "cosine:10:0.5"}, []string{"sched"}}, // min above lr
		{[]string{"sched", "step:3:1.5"}, []string{"sched"}},
		{[]string{"sched", "linear"}, []string{"sched"}},
	}
	for _, tc := range cases {
		f := NewForm(base)
		if f.Set(tc.kv...) {
			t.Errorf("%v accepted", tc.kv)
			continue
		}
		for _, k := range tc.want {
			if f.Error(k) == "" {
				t.Errorf("%v: no error at %s (errors %v)", tc.kv, k, f.Errors())
			}
		}
		if len(f.Errors()) != len(tc.want) {
			t.Errorf("%v: errors %v, want at %v", tc.kv, f.Errors(), tc.want)
		}
		for k, msg := range f.Errors() {
			if strings.Contains(msg, "invalid setting") || strings.Contains(msg, k+"=") {
				t.Errorf("%v: message at %s repeats its prefix: %q", tc.kv, k, msg)
			}
		}
	}
}

// TestFormTidy: spaces a person types around values and commas are
// trimmed; the seed range is named.
func TestFormTidy(t *testing.T) {
	f := NewForm(preset(t, "survey"))
	if !f.Set("hidden", " 128, 64 ", "lr", " 0.01") {
		t.Fatal(f.Errors())
	}
	if !reflect.DeepEqual(f.Config.Hidden, []int{128, 64, 32}) || f.Value("hidden") != "128,64" {
		t.Errorf("hidden %v shows %q", f.Config.Hidden, f.Value("hidden"))
	}
	f.Set("seed", "99999999999999999999")
	if msg := f.Error("seed"); !strings.Contains(msg, "2⁶⁴") {
		t.Errorf("seed error %q does not name the range", msg)
	}
}
