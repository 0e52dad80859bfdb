package api

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"aeplayground/engine/ae"
)

// message writes cmd back as a message ParseCommand accepts.
func message(t *testing.T, cmd Command) []byte {
	args := map[string]any{}
	switch cmd.Cmd {
	case SetConfig:
		for _, s := range cmd.Settings {
			args[s.Key] = s.Value
		}
	case LoadPreset:
		args["name"] = cmd.Preset
	case Step:
		args["n"] = cmd.N
	case SetDigit:
		args["pixels"] = cmd.Pixels
	}
	b, err := json.Marshal(map[string]any{"type": Type, "id": cmd.ID, "cmd": cmd.Cmd, "args": args})
	if err != nil {
		t.Fatalf("cannot write %+v back: %v", cmd, err)
	}
	return b
}

// FuzzParseCommand checks that ParseCommand never panics, that what it
// accepts is in range and, written back, parses to the same command, and
// that every reply is valid JSON carrying the id.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{
		`{"type":"aeplayground","id":1,"cmd":"train"}`,
		`{"type":"aeplayground","id":"a","cmd":"pause","args":null}`,
		`{"type":"aeplayground","id":-2.5e3,"cmd":"reset","args":{}}`,
		`{"type":"aeplayground","id":1,"cmd":"getState"}`,
		`{"type":"aeplayground","id":1,"cmd":"step","args":{"n":100}}`,
		`{"type":"aeplayground","id":1,"cmd":"loadPreset","args":{"name":"linear-pca"}}`,
		`{"type":"aeplayground","id":1,"cmd":"setDigit","args":{"pixels":` + pixels("0.25") + `}}`,
		`{"type":"aeplayground","id":2,"cmd":"setConfig","args":{"lr":0.01,"k":32,"hidden":[128,64],"f":["relu","relu","relu"],"tied":true,"seed":"7"}}`,
		`{"type":"aeplayground","id":3,"cmd":"setConfig","args":{"lr":"abc","k":5000,"noise":"mask","level":2}}`,
		`{"type":"other"}`, `[1,2]`, `"x"`, `{"type":"aeplayground","id":{},"cmd":"train"}`,
	} {
		f.Add([]byte(s))
	}
	base, _ := ae.Preset("survey")
	f.Fuzz(func(t *testing.T, data []byte) {
		cmd, err := ParseCommand(data)
		if err != nil {
			var r Reply
			if e := json.Unmarshal(ErrorReply(data, err), &r); e != nil || r.OK || r.Error == "" || r.Type != Type {
				t.Fatalf("ErrorReply: %+v, %v", r, e)
			}
			return
		}
		if !slices.Contains(Commands, cmd.Cmd) || !json.Valid(cmd.ID) {
			t.Fatalf("accepted %+v", cmd)
		}
		switch cmd.Cmd {
		case Step:
			if cmd.N < 1 || cmd.N > MaxSteps {
				t.Fatalf("step n=%d", cmd.N)
			}
		case SetDigit:
			if len(cmd.Pixels) != 784 || slices.ContainsFunc(cmd.Pixels, func(p float64) bool { return !(p >= 0 && p <= 1) }) {
				t.Fatalf("setDigit pixels %v", cmd.Pixels)
			}
		case SetConfig:
			if c, err := cmd.Apply(base); err == nil {
				if err := c.Validate(); err != nil {
					t.Fatalf("Apply returned an invalid config: %v", err)
				}
			}
		}
		again, err := ParseCommand(message(t, cmd))
		if err != nil {
			t.Fatalf("%+v written back: %v", cmd, err)
		}
		kv := func(c Command) []string {
			var s []string
			for _, x := range c.Settings {
				s = append(s, x.Key+"="+x.Value)
			}
			slices.Sort(s)
			return s
		}
		if !reflect.DeepEqual(kv(again), kv(cmd)) {
			t.Fatalf("settings %v came back as %v", kv(cmd), kv(again))
		}
		again.Settings, cmd.Settings = nil, nil
		if !reflect.DeepEqual(again, cmd) {
			t.Fatalf("%+v came back as %+v", cmd, again)
		}
		var r struct {
			ID json.RawMessage
			OK bool
		}
		if err := json.Unmarshal(ReplyTo(cmd, map[string]string{"a": "<b>"}, nil), &r); err != nil || !r.OK ||
			strings.TrimSpace(string(r.ID)) != string(cmd.ID) {
			t.Fatalf("ReplyTo: %+v, %v", r, err)
		}
	})
}
