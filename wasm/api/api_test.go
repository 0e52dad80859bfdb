package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"aeplayground/engine/ae"
)

func pixels(v string) string {
	return "[" + strings.TrimSuffix(strings.Repeat(v+",", 784), ",") + "]"
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		msg  string
		want Command // Settings are checked in TestSetConfig
		err  string
	}{
		{msg: `{"type":"aeplayground","id":1,"cmd":"train"}`, want: Command{ID: json.RawMessage(`1`), Cmd: Train}},
		{msg: `{"type":"aeplayground","id":"a","cmd":"pause","args":null}`, want: Command{ID: json.RawMessage(`"a"`), Cmd: Pause}},
		{msg: `{"type":"aeplayground","id":-2.5e3,"cmd":"reset","args":{}}`, want: Command{ID: json.RawMessage(`-2.5e3`), Cmd: Reset}},
		{msg: `{"type":"aeplayground","id":1,"cmd":"getState"}`, want: Command{ID: json.RawMessage(`1`), Cmd: GetState}},
		{msg: `{"type":"aeplayground","id":1,"cmd":"step"}`, want: Command{ID: json.RawMessage(`1`), Cmd: Step, N: 1}},
		{msg: `{"type":"aeplayground","id":1,"cmd":"step","args":{"n":10000}}`, want: Command{ID: json.RawMessage(`1`), Cmd: Step, N: 10000}},
		{msg: `{"type":"aeplayground","id":1,"cmd":"loadPreset","args":{"name":"deep"}}`, want: Command{ID: json.RawMessage(`1`), Cmd: LoadPreset, Preset: "deep"}},
		{msg: `{"type":"aeplayground","id":1,"cmd":"setDigit","args":{"pixels":` + pixels("0.5") + `}}`,
			want: Command{ID: json.RawMessage(`1`), Cmd: SetDigit, Pixels: slicesOf(784, 0.5)}},

		// Not for us.
		{msg: `"hello"`, err: "not an aeplayground message: not a JSON object"},
		{msg: `null`, err: "not an aeplayground message: not a JSON object"},
		{msg: `{"type":"other","id":1,"cmd":"train"}`, err: `not an aeplayground message: its type is not "aeplayground"`},
		{msg: `{"id":1,"cmd":"train"}`, err: `not an aeplayground message: its type is not "aeplayground"`},
		{msg: `{"type":"aeplayground"} trailing`, err: "not an aeplayground message: not a JSON object"},

		// Ours, but malformed.
		{msg: `{"type":"aeplayground","id":1,"cmd":"train","extra":1}`, err: `unknown field "extra" (want type, id, cmd and args)`},
		{msg: `{"type":"aeplayground","cmd":"train"}`, err: "id: missing or not a string or a number"},
		{msg: `{"type":"aeplayground","id":{},"cmd":"train"}`, err: "id: missing or not a string or a number"},
		{msg: `{"type":"aeplayground","id":null,"cmd":"train"}`, err: "id: missing or not a string or a number"},
		{msg: `{"type":"aeplayground","id":"` + strings.Repeat("x", 257) + `","cmd":"train"}`, err: "id: a string id may be at most 256 bytes"},
		{msg: `{"type":"aeplayground","id":1}`, err: "cmd: missing or not a string (want one of setConfig, loadPreset, loadLesson, train, pause, step, reset, setDigit, getState)"},
		{msg: `{"type":"aeplayground","id":1,"cmd":"fly"}`, err: `unknown cmd "fly" (want one of setConfig, loadPreset, loadLesson, train, pause, step, reset, setDigit, getState)`},
		{msg: `{"type":"aeplayground","id":1,"cmd":"train","args":{"fast":true}}`, err: `train: takes no args, got "fast"`},
		{msg: `{"type":"aeplayground","id":1,"cmd":"train","args":[1]}`, err: "train: args must be an object"},
		{msg: `{"type":"aeplayground","id":1,"cmd":"step","args":{"n":0}}`, err: "step: n=0: must be a whole number between 1 and 10000"},
		{msg: `{"type":"aeplayground","id":1,"cmd":"step","args":{"n":2.5}}`, err: "step: n=2.5: must be a whole number between 1 and 10000"},
		{msg: `{"type":"aeplayground","id":1,"cmd":"step","args":{"n":"3"}}`, err: "step: n must be a whole number between 1 and 10000"},
		{msg: `{"type":"aeplayground","id":1,"cmd":"step","args":{"m":3}}`, err: `step: unknown arg "m" (want n)`},
		{msg: `{"type":"aeplayground","id":1,"cmd":"loadPreset","args":{"name":"x"}}`,
			err: `loadPreset: unknown preset "x" (want one of survey, linear-pca, linear-tied, denoising, sparse, contractive, deep)`},
		{msg: `{"type":"aeplayground","id":1,"cmd":"loadPreset"}`, err: `loadPreset: args must be {"name": "<preset>"}`},
		{msg: `{"type":"aeplayground","id":1,"cmd":"loadLesson","args":{"id":"pca"}}`, want: Command{ID: json.RawMessage(`1`), Cmd: LoadLesson, Lesson: "pca"}},
		{msg: `{"type":"aeplayground","id":1,"cmd":"loadLesson","args":{"id":"x"}}`,
			err: `loadLesson: unknown lesson step "x" (want one of intro, fg, loss, pca, nonlinear, l2tied, sparse, contractive, denoising)`},
		{msg: `{"type":"aeplayground","id":1,"cmd":"loadLesson"}`, err: `loadLesson: args must be {"id": "<lesson step>"}`},
		{msg: `{"type":"aeplayground","id":1,"cmd":"setDigit","args":{"pixels":[0.5]}}`, err: `setDigit: args must be {"pixels": [784 numbers in [0, 1]]}`},
		{msg: `{"type":"aeplayground","id":1,"cmd":"setDigit","args":{"pixels":` + strings.Replace(pixels("0"), "0", "1.5", 1) + `}}`,
			err: "setDigit: pixel 0 is 1.5: must be in [0, 1]"},
		{msg: `{"type":"aeplayground","id":1,"cmd":"setConfig"}`, err: `setConfig: args must be an object of settings, for example {"lr": 0.01, "k": 32}`},
		{msg: `{"type":"aeplayground","id":1,"cmd":"setConfig","args":{"lr":"abc","k":5000,"embed":1}}`,
			err: "setConfig: embed=1: unknown setting; k=5000: code size must be between 1 and 1024; lr=abc: not a number"},
		{msg: `{"type":"aeplayground","id":1,"cmd":"setConfig","args":{"lr":null,"hidden":[[1]]}}`,
			err: "setConfig: hidden: want a number, a string, true, false or a list of numbers or strings; lr: want a number, a string, true, false or a list of numbers or strings"},
		{msg: `{"type":"aeplayground","id":1,"cmd":"setConfig","args":{"f":["relu,relu"]}}`,
			err: "setConfig: f: want a number, a string, true, false or a list of numbers or strings"},
		{msg: strings.Repeat(" ", MaxMessage+1), err: "the message is 65537 bytes, more than the limit of 65536"},
	}
	for _, tt := range tests {
		name := tt.msg
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			got, err := ParseCommand([]byte(tt.msg))
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				if foreign := strings.HasPrefix(tt.err, "not an aeplayground"); errors.Is(err, ErrForeign) != foreign {
					t.Errorf("errors.Is(err, ErrForeign) = %v", !foreign)
				}
				if !reflect.DeepEqual(got, Command{}) {
					t.Errorf("a refused message returned %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func slicesOf(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func TestSetConfig(t *testing.T) {
	base, _ := ae.Preset("survey")
	cmd, err := ParseCommand([]byte(`{"type":"aeplayground","id":7,"cmd":"setConfig","args":` +
		`{"lr":0.01,"k":16,"hidden":[128,64],"f":"sigmoid","tied":true,"opt":"momentum","mom":0.9,"seed":"42","noise":"mask","level":0.25,"beta":1,"rho":0.1}}`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := cmd.Apply(base)
	if err != nil {
		t.Fatal(err)
	}
	want := base
	want.LR, want.Hidden, want.Tied, want.Optimizer, want.Momentum, want.Seed = 0.01, []int{128, 64, 16}, true, ae.Momentum, 0.9, 42
	want.Activation = []ae.Activation{ae.Sigmoid, ae.Sigmoid, ae.Sigmoid}
	want.Noise.Kind, want.Noise.Level, want.SparseBeta, want.SparseRho = "mask", 0.25, 1, 0.1
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Apply =\n%+v\nwant\n%+v", got, want)
	}

	// Valid one by one, invalid together: refused, nothing changes.
	cmd, err = ParseCommand([]byte(`{"type":"aeplayground","id":8,"cmd":"setConfig","args":{"beta":0.5,"rho":0.1}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.Apply(base); err == nil || !errors.Is(err, ae.ErrConfig) ||
		err.Error() != "setConfig: invalid setting: the sparsity penalty needs a sigmoid code layer (ρ̂ must lie in (0,1)); the code layer is leakyrelu" {
		t.Errorf("Apply: %v", err)
	}
}

func TestReply(t *testing.T) {
	cmd, err := ParseCommand([]byte(`{"type":"aeplayground","id":12345678901234567890,"cmd":"getState"}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		result any
		err    error
		want   string
	}{
		{map[string]any{"epoch": 2}, nil, `{"type":"aeplayground","id":12345678901234567890,"ok":true,"result":{"epoch":2}}`},
		{nil, nil, `{"type":"aeplayground","id":12345678901234567890,"ok":true}`},
		{nil, errors.New("worker gone"), `{"type":"aeplayground","id":12345678901234567890,"ok":false,"error":"worker gone"}`},
		{math.NaN(), nil, `{"type":"aeplayground","id":12345678901234567890,"ok":false,"error":"getState: the result could not be written as JSON: json: unsupported value: NaN"}`},
	}
	for _, tt := range tests {
		if got := string(ReplyTo(cmd, tt.result, tt.err)); got != tt.want {
			t.Errorf("ReplyTo(%v, %v) =\n%s\nwant\n%s", tt.result, tt.err, got, tt.want)
		}
	}
}

func TestErrorReply(t *testing.T) {
	tests := []struct{ msg, want string }{
		{`{"type":"aeplayground","id":"x1","cmd":"fly"}`, `{"type":"aeplayground","id":"x1","ok":false,"error":"unknown cmd \"fly\" (want one of setConfig, loadPreset, loadLesson, train, pause, step, reset, setDigit, getState)"}`},
		{`{"type":"aeplayground","id":[1],"cmd":"train"}`, `{"type":"aeplayground","id":null,"ok":false,"error":"id: missing or not a string or a number"}`},
		{`{"type":"aeplayground","id":3,"cmd":"train","args":{"<b>":1}}`, `{"type":"aeplayground","id":3,"ok":false,"error":"train: takes no args, got \"\u003cb\u003e\""}`},
		{`not json`, `{"type":"aeplayground","id":null,"ok":false,"error":"not an aeplayground message: not a JSON object"}`},
	}
	for _, tt := range tests {
		_, err := ParseCommand([]byte(tt.msg))
		if err == nil {
			t.Fatalf("%s: no error", tt.msg)
		}
		if got := string(ErrorReply([]byte(tt.msg), err)); got != tt.want {
			t.Errorf("ErrorReply(%s) =\n%s\nwant\n%s", tt.msg, got, tt.want)
		}
		var r Reply
		if err := json.Unmarshal(ErrorReply([]byte(tt.msg), err), &r); err != nil || r.OK || r.Type != Type {
			t.Errorf("reply does not decode: %+v %v", r, err)
		}
	}
}

func ExampleParseCommand() {
	msg := []byte(`{"type":"aeplayground","id":1,"cmd":"step","args":{"n":50}}`)
	cmd, err := ParseCommand(msg)
	if err != nil {
		fmt.Printf("%s\n", ErrorReply(msg, err))
		return
	}
	fmt.Println(cmd.Cmd, cmd.N)
	fmt.Printf("%s\n", ReplyTo(cmd, map[string]int{"samplesSeen": 1600}, nil))
	// Output:
	// step 50
	// {"type":"aeplayground","id":1,"ok":true,"result":{"samplesSeen":1600}}
}
