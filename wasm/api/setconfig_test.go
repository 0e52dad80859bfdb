package api

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"

	"aeplayground/engine/ae"
	"aeplayground/engine/noise"
	"aeplayground/wasm/state"
)

// setConfig builds a setConfig command that sets every model setting to
// cfg's value, each as JSON a script would write (numbers as numbers).
func setConfig(t *testing.T, cfg ae.Config) Command {
	t.Helper()
	f := state.NewForm(cfg)
	args := map[string]any{}
	for _, k := range state.Keys() {
		if !k.Config {
			continue
		}
		v := f.Value(k.Name)
		if x, err := strconv.ParseFloat(v, 64); err == nil && k.Name != "seed" {
			args[k.Name] = x
		} else {
			args[k.Name] = v
		}
	}
	msg, err := json.Marshal(map[string]any{"type": Type, "id": 1, "cmd": "setConfig", "args": args})
	if err != nil {
		t.Fatal(err)
	}
	cmd, err := ParseCommand(msg)
	if err != nil {
		t.Fatalf("%s: %v", msg, err)
	}
	return cmd
}

// TestSetConfigEveryPreset: a script that sets every setting to a preset's
// value, starting from another preset, gets exactly the preset's config.
func TestSetConfigEveryPreset(t *testing.T) {
	presets := ae.Presets()
	for i, p := range presets {
		from := presets[(i+1)%len(presets)].Config
		got, err := setConfig(t, p.Config).Apply(from)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		if !reflect.DeepEqual(got, p.Config) {
			t.Errorf("%s: setConfig gives\n%+v\nwant\n%+v", p.Name, got, p.Config)
		}
	}
}

// TestSetConfigKeepsWhatIsSet: the two values the page once lost on the
// way (per-layer activations, a momentum below 0.9) arrive as given.
func TestSetConfigKeepsWhatIsSet(t *testing.T) {
	survey, _ := ae.Preset("survey")
	cases := []struct {
		args string
		want func(c *ae.Config)
	}{
		{`{"hidden":[100],"k":16,"f":"tanh,sigmoid"}`, func(c *ae.Config) {
			c.Hidden, c.Activation = []int{100, 16}, []ae.Activation{ae.Tanh, ae.Sigmoid}
		}},
		{`{"hidden":[100],"k":16,"f":["tanh","sigmoid"]}`, func(c *ae.Config) {
			c.Hidden, c.Activation = []int{100, 16}, []ae.Activation{ae.Tanh, ae.Sigmoid}
		}},
		{`{"opt":"momentum","mom":0.5}`, func(c *ae.Config) { c.Optimizer, c.Momentum = ae.Momentum, 0.5 }},
		{`{"opt":"momentum","mom":0}`, func(c *ae.Config) { c.Optimizer, c.Momentum = ae.Momentum, 0 }},
		{`{"noise":"gaussian","level":0.2}`, func(c *ae.Config) { c.Noise = noise.Spec{Kind: noise.Gaussian, Level: 0.2} }},
	}
	for _, tc := range cases {
		cmd, err := ParseCommand([]byte(`{"type":"aeplayground","id":1,"cmd":"setConfig","args":` + tc.args + `}`))
		if err != nil {
			t.Fatalf("%s: %v", tc.args, err)
		}
		got, err := cmd.Apply(survey)
		if err != nil {
			t.Fatalf("%s: %v", tc.args, err)
		}
		want := survey
		want.Hidden, want.Activation = append([]int(nil), survey.Hidden...), append([]ae.Activation(nil), survey.Activation...)
		tc.want(&want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got\n%+v\nwant\n%+v", tc.args, got, want)
		}
	}
}
