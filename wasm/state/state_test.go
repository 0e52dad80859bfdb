package state

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"aeplayground/engine/ae"
	"aeplayground/engine/noise"
)

func preset(t testing.TB, name string) ae.Config {
	t.Helper()
	c, err := ae.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func errStrings(errs []error) []string {
	var s []string
	for _, e := range errs {
		s = append(s, e.Error())
	}
	return s
}

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		fragment string
		want     func(s *State) // edits the preset's state into the expected one
		preset   string
		errs     []string // the errors, exactly
	}{
		{name: "empty", fragment: "", preset: "survey"},
		{name: "hash only", fragment: "#", preset: "survey"},
		{name: "preset", fragment: "#preset=linear-pca", preset: "linear-pca"},
		{name: "preset last", fragment: "lr=0.5&preset=deep", preset: "deep",
			want: func(s *State) { s.Config.LR = 0.5 }},
		{
			name:     "every key",
			fragment: "preset=linear-pca&k=16&hidden=128,64&f=relu&g=sigmoid&loss=bce&init=glorot&opt=momentum&lr=0.002&mom=0.9&batch=32&seed=1&tied=1&l2=0.0001&rho=0.05&beta=0&cae=0&noise=mask&level=0.5&digit=test:123&embed=1&panels=pad,recon&origins=https://example.org&large=1",
			preset:   "linear-pca",
			want: func(s *State) {
				c := &s.Config
				c.Hidden, c.Activation = []int{128, 64, 16}, []ae.Activation{ae.ReLU, ae.ReLU, ae.ReLU}
				c.Output, c.Loss, c.Optimizer, c.Momentum = ae.Sigmoid, ae.BCE, ae.Momentum, 0.9
				c.Tied, c.L2, c.SparseRho = true, 0.0001, 0.05
				c.Noise = noise.Spec{Kind: noise.Mask, Level: 0.5}
				s.Digit = Digit{Kind: DigitTest, Index: 123}
				s.Embed, s.LargeType = true, true
				s.Panels, s.Origins = []string{"pad", "recon"}, []string{"https://example.org"}
			},
		},
		{name: "per-layer activations", fragment: "hidden=100&f=tanh,sigmoid", preset: "survey",
			want: func(s *State) {
				s.Config.Hidden, s.Config.Activation = []int{100, 32}, []ae.Activation{ae.Tanh, ae.Sigmoid}
			}},
		{name: "depth change keeps f", fragment: "preset=deep&hidden=", preset: "deep",
			want: func(s *State) { s.Config.Hidden, s.Config.Activation = []int{32}, []ae.Activation{ae.ReLU} }},
		{name: "none is the empty kind", fragment: "preset=denoising&noise=none", preset: "denoising",
			want: func(s *State) { s.Config.Noise.Kind = "" }},
		{name: "order does not matter 1", fragment: "g=linear&loss=mse", preset: "survey",
			want: func(s *State) { s.Config.Output, s.Config.Loss = ae.Linear, ae.MSE }},
		{name: "order does not matter 2", fragment: "preset=linear-pca&loss=bce&g=sigmoid", preset: "linear-pca",
			want: func(s *State) { s.Config.Output, s.Config.Loss = ae.Sigmoid, ae.BCE }},
		{name: "escapes", fragment: "l%72=0.25&origins=http://%5B::1%5D:8080", preset: "survey",
			want: func(s *State) { s.Config.LR, s.Origins = 0.25, []string{"http://[::1]:8080"} }},
		{name: "origin normalised", fragment: "origins=HTTPS://Example.ORG:443,http://a.b:80,http://a.b:8000", preset: "survey",
			want: func(s *State) { s.Origins = []string{"https://example.org", "http://a.b", "http://a.b:8000"} }},
		{name: "minus zero", fragment: "l2=-0", preset: "survey"},
		{name: "exponent", fragment: "lr=1e-3&seed=18446744073709551615", preset: "survey",
			want: func(s *State) { s.Config.LR, s.Config.Seed = 0.001, math.MaxUint64 }},
		{name: "empty pieces", fragment: "&&embed=1&", preset: "survey", want: func(s *State) { s.Embed = true }},

		// Errors: each names the key and the value, and the key is ignored.
		{name: "not a number", fragment: "lr=abc&k=20", preset: "survey",
			want: func(s *State) { s.Config.Hidden = []int{20} },
			errs: []string{"lr=abc: not a number"}},
		{name: "code size", fragment: "k=5000", preset: "survey", errs: []string{"k=5000: code size must be between 1 and 1024"}},
		{name: "huge int", fragment: "batch=99999999999999999999999", preset: "survey",
			errs: []string{"batch=99999999999999999999999: batch size must be between 1 and 1024"}},
		{name: "not whole", fragment: "batch=3.5", preset: "survey", errs: []string{"batch=3.5: not a whole number"}},
		{name: "NaN", fragment: "lr=NaN&l2=Inf", preset: "survey",
			errs: []string{"lr=NaN: not a finite number", "l2=Inf: not a finite number"}},
		{name: "lr zero", fragment: "lr=0", preset: "survey", errs: []string{"lr=0: learning rate must be > 0 and at most 100"}},
		{name: "lr huge", fragment: "lr=1e400", preset: "survey", errs: []string{"lr=1e400: not a finite number"}},
		{name: "unknown activation", fragment: "f=swish", preset: "survey",
			errs: []string{`f=swish: unknown activation "swish" (want linear, sigmoid, tanh, relu or leakyrelu)`}},
		{name: "unknown output", fragment: "g=relu", preset: "survey",
			errs: []string{`g=relu: unknown output activation "relu" (want sigmoid or linear)`}},
		{name: "unknown key", fragment: "foo=1&embed=1", preset: "survey",
			want: func(s *State) { s.Embed = true }, errs: []string{"foo=1: unknown key"}},
		{name: "unknown preset", fragment: "preset=nope&lr=0.5", preset: "survey",
			want: func(s *State) { s.Config.LR = 0.5 },
			errs: []string{"preset=nope: unknown preset (want survey, linear-pca, linear-tied, denoising, sparse, contractive, deep)"}},
		{name: "repeated", fragment: "lr=0.5&lr=0.25", preset: "survey", want: func(s *State) { s.Config.LR = 0.5 },
			errs: []string{"lr=0.25: given more than once: the first is used"}},
		{name: "too deep", fragment: "hidden=1,2,3,4,5,6", preset: "survey",
			errs: []string{"hidden=1,2,3,4,5,6: 6 layers before the code: at most 5"}},
		{name: "bad width", fragment: "hidden=128,x", preset: "survey", errs: []string{"hidden=128,x: not a whole number"}},
		{name: "activation count", fragment: "f=relu,sigmoid", preset: "survey",
			errs: []string{"f=relu,sigmoid: invalid setting: 2 activations for 1 encoder layers: give one for all, or one per layer"}},
		{name: "validate", fragment: "beta=0.5&lr=0.5", preset: "survey", want: func(s *State) { s.Config.LR = 0.5 },
			errs: []string{"beta=0.5: invalid setting: sparsity target ρ 0 must be in (0, 1); the sparsity penalty needs a sigmoid code layer (ρ̂ must lie in (0,1)); the code layer is leakyrelu"}},
		{name: "validate bce", fragment: "g=linear", preset: "survey",
			errs: []string{"g=linear: invalid setting: binary cross-entropy needs a sigmoid output (x̂ must lie in (0,1))"}},
		{name: "validate noise", fragment: "noise=mask&level=1.5", preset: "survey",
			want: func(s *State) { s.Config.Noise.Kind = noise.Mask },
			errs: []string{"level=1.5: invalid setting: noise: mask probability 1.5 is outside [0, 1]"}},
		{name: "too many parameters", fragment: "hidden=1024,1024,1024,1024,1024&k=1024", preset: "survey",
			want: func(s *State) { s.Config.Hidden = []int{1024} },
			errs: []string{"hidden=1024,1024,1024,1024,1024: invalid setting: 12103440 parameters exceed the limit of 4194304: use fewer or narrower layers"}},
		{name: "bool", fragment: "embed=yes&tied=2", preset: "survey", errs: []string{"embed=yes: want 1 or 0", "tied=2: want 1 or 0"}},
		{name: "digit index", fragment: "digit=test:10000", preset: "survey",
			errs: []string{"digit=test:10000: the test digit's index must be between 0 and 9999"}},
		{name: "digit kind", fragment: "digit=abc", preset: "survey", errs: []string{"digit=abc: want test:<index> or drawn:<pixels>"}},
		{name: "drawn short", fragment: "digit=drawn:AAAA", preset: "survey",
			errs: []string{"digit=drawn:AAAA: a drawn digit is 523 characters of base64url, not 4"}},
		{name: "panel", fragment: "panels=pad,<b>", preset: "survey",
			errs: []string{`panels=pad,<b>: unknown panel "<b>" (want settings, train, loss, pad, recon, heldout, filters, code, pca)`}},
		{name: "panel twice", fragment: "panels=pad,pad", preset: "survey", errs: []string{`panels=pad,pad: panel "pad" listed twice`}},
		{name: "origin", fragment: "origins=javascript:alert(1)", preset: "survey",
			errs: []string{`origins=javascript:alert(1): "javascript:alert(1)" is not an origin like https://example.org or http://localhost:8080`}},
		{name: "origin path", fragment: "origins=https://a.org/x", preset: "survey",
			errs: []string{`origins=https://a.org/x: "https://a.org/x" is not an origin like https://example.org or http://localhost:8080`}},
		{name: "bad escape", fragment: "lr=%zz", preset: "survey", errs: []string{"lr=%zz: malformed %-escape"}},
		{name: "control characters clipped", fragment: "k=%01" + strings.Repeat("9", 50), preset: "survey",
			errs: []string{"k=\uFFFD" + strings.Repeat("9", 39) + "…: not a whole number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := State{Preset: tt.preset, Config: preset(t, tt.preset)}
			if tt.want != nil {
				tt.want(&want)
			}
			got, errs := Parse(tt.fragment)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Parse(%q) =\n%+v\nwant\n%+v", tt.fragment, got, want)
			}
			if g := errStrings(errs); !reflect.DeepEqual(g, tt.errs) {
				t.Errorf("Parse(%q) errors:\n%q\nwant\n%q", tt.fragment, g, tt.errs)
			}
			for _, err := range errs {
				var ke *KeyError
				if !errors.As(err, &ke) {
					t.Errorf("error %v is not a *KeyError", err)
				}
			}
			if err := got.Config.Validate(); err != nil {
				t.Errorf("Parse(%q) returned an invalid config: %v", tt.fragment, err)
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	long := "lr=0.5&" + strings.Repeat("x", MaxFragment)
	s, errs := Parse(long)
	if !reflect.DeepEqual(s, Default()) || len(errs) != 1 || !strings.Contains(errs[0].Error(), "limit of 8192") {
		t.Errorf("a fragment over the limit: %+v, %v", s, errs)
	}
	many := strings.Repeat("embed=1&", MaxKeys) + "lr=0.5"
	s, errs = Parse(many)
	if s.Config.LR != Default().Config.LR || !s.Embed {
		t.Errorf("keys beyond MaxKeys were applied: %+v", s)
	}
	if first := errs[0].Error(); first != "more than 64 settings in the link: the rest are ignored" {
		t.Errorf("first error %q", first)
	}
}

// states are valid states, one or more per preset, for round trips.
func states(t testing.TB) []State {
	drawn := make([]float64, 784)
	for i := range drawn {
		drawn[i] = float64(i%31) / 30
	}
	var out []State
	for _, p := range ae.Presets() {
		out = append(out, State{Preset: p.Name, Config: p.Config})
		c := p.Config
		c.LR, c.Seed, c.BatchSize = 0.0123, 987654321, 7
		out = append(out, State{Preset: p.Name, Config: c, Digit: Digit{Kind: DigitTest, Index: 9999}, Embed: true,
			Panels: []string{"recon", "pad"}})
	}
	deep := preset(t, "deep")
	deep.Hidden, deep.Activation = []int{300, 20, 2}, []ae.Activation{ae.Tanh, ae.LeakyReLU, ae.Linear}
	deep.Output, deep.Loss, deep.Init, deep.Optimizer, deep.Momentum = ae.Linear, ae.MSE, ae.InitNormal, ae.Momentum, 0.95
	deep.Tied, deep.L2, deep.Noise = true, 1e-5, noise.Spec{Kind: noise.Gaussian, Level: 1.75}
	deep.Schedule = ae.Schedule{Kind: ae.StepDecay, Period: 5, Gamma: 0.5}
	out = append(out, State{Preset: "survey", Config: deep, Digit: Digit{Kind: DigitDrawn, Pixels: Quantize(drawn)},
		Origins: []string{"https://example.org", "http://localhost:8080", "http://[::1]:9"}, LargeType: true, Present: true,
		Corrupt: noise.Spec{Kind: noise.SaltPepper, Level: 0.125}, Lesson: "pca", Autoplay: true})
	sparse := preset(t, "linear-pca")
	sparse.Activation, sparse.Output, sparse.Loss = []ae.Activation{ae.Sigmoid}, ae.Sigmoid, ae.BCE
	sparse.SparseRho, sparse.SparseBeta, sparse.Contractive = 0.1, 3, 0.01
	out = append(out, State{Preset: "linear-pca", Config: sparse})
	for _, s := range out {
		if err := s.Config.Validate(); err != nil {
			t.Fatalf("test state %+v: %v", s, err)
		}
	}
	return out
}

// encodeFull writes every key, whether or not it differs from the preset.
func encodeFull(s State) string {
	parts := []string{"preset=" + s.Preset}
	d := newDraft(s.Config)
	for _, k := range configKeys {
		parts = append(parts, k.name+"="+escape(k.show(&d)))
	}
	short := Encode(s)
	for p := range strings.SplitSeq(short, "&") {
		if k, _, _ := strings.Cut(p, "="); configKey(k) == nil && k != "preset" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "&")
}

func TestRoundTrip(t *testing.T) {
	for i, s := range states(t) {
		t.Run(fmt.Sprint(i, s.Preset), func(t *testing.T) {
			for _, frag := range []string{Encode(s), encodeFull(s)} {
				got, errs := Parse(frag)
				if len(errs) > 0 {
					t.Errorf("Parse(%q): %v", frag, errs)
				}
				if !reflect.DeepEqual(got, s) {
					t.Errorf("Parse(%q) =\n%+v\nwant\n%+v", frag, got, s)
				}
			}
		})
	}
}

func TestEncode(t *testing.T) {
	c := preset(t, "linear-pca")
	c.LR = 0.01
	c.Hidden = []int{128, 32}
	c.Activation = []ae.Activation{ae.Linear, ae.Linear}
	s := State{Preset: "linear-pca", Config: c, Digit: Digit{Kind: DigitTest, Index: 123}, Embed: true, Panels: []string{"pad", "recon"}}
	want := "preset=linear-pca&k=32&hidden=128&lr=0.01&digit=test:123&embed=1&panels=pad,recon"
	if got := Encode(s); got != want {
		t.Errorf("Encode = %q, want %q", got, want)
	}
	if got := Encode(State{Config: preset(t, "survey")}); got != "preset=survey" {
		t.Errorf("Encode of the zero state = %q", got)
	}
}

func TestDrawnDigit(t *testing.T) {
	px := make([]float64, 784)
	for i := range px {
		px[i] = math.Sin(float64(i))*0.6 + 0.5 // some outside [0, 1]
	}
	px[3] = math.NaN()
	q := Quantize(px)
	enc := Encode(State{Preset: "survey", Config: preset(t, "survey"), Digit: Digit{Kind: DigitDrawn, Pixels: px}})
	_, arg, _ := strings.Cut(enc, "digit=drawn:")
	if len(arg) != 523 {
		t.Errorf("drawn digit is %d characters, want 523", len(arg))
	}
	s, errs := Parse(enc)
	if len(errs) > 0 || !reflect.DeepEqual(s.Digit.Pixels, q) {
		t.Fatalf("drawn digit did not come back quantised: %v", errs)
	}
	for i, v := range q {
		want := math.Round(math.Min(math.Max(px[i], 0), 1)*15) / 15
		if math.IsNaN(px[i]) {
			want = 0
		}
		if v != want || math.Abs(v-math.Max(0, math.Min(1, px[i]))) > 1.0/30+1e-12 && !math.IsNaN(px[i]) {
			t.Fatalf("pixel %d: %v quantised to %v, want %v", i, px[i], v, want)
		}
	}
	if !reflect.DeepEqual(Quantize(q), q) {
		t.Error("Quantize is not idempotent")
	}
	// A non-canonical encoding (trailing bits set) is refused.
	bad := strings.TrimSuffix(arg, arg[len(arg)-1:]) + "B"
	if _, errs := Parse("digit=drawn:" + bad); len(errs) != 1 {
		t.Errorf("non-canonical base64: %v", errs)
	}
}

func TestKeys(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Keys() {
		if seen[k.Name] || k.Values == "" || k.Field == "" {
			t.Errorf("key %+v repeated or undocumented", k)
		}
		seen[k.Name] = true
	}
	for _, s := range states(t) {
		for p := range strings.SplitSeq(encodeFull(s), "&") {
			if k, _, _ := strings.Cut(p, "="); !seen[k] {
				t.Errorf("Encode writes %q, which Keys does not list", k)
			}
		}
	}
}

func TestApply(t *testing.T) {
	c := preset(t, "survey")
	var chs []Change
	for _, kv := range [][2]string{{"f", "sigmoid"}, {"beta", "0.5"}, {"rho", "0.1"}} {
		ch, err := ParseSetting(kv[0], kv[1])
		if err != nil {
			t.Fatal(err)
		}
		chs = append(chs, ch)
	}
	// One at a time, β first fails; all at once it applies.
	if _, err := Apply(c, chs[1]); !errors.Is(err, ae.ErrConfig) {
		t.Errorf("Apply(beta) alone: %v, want an ErrConfig", err)
	}
	got, err := Apply(c, chs...)
	if err != nil || got.SparseBeta != 0.5 || got.SparseRho != 0.1 || got.Activation[0] != ae.Sigmoid {
		t.Errorf("Apply = %+v, %v", got, err)
	}
	if c.Activation[0] != ae.LeakyReLU {
		t.Error("Apply modified its argument")
	}
	if _, err := ParseSetting("embed", "1"); err == nil || err.Error() != "embed=1: unknown setting" {
		t.Errorf("ParseSetting(embed) = %v", err)
	}
}
