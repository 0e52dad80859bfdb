package state

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"aeplayground/engine/ae"
	"aeplayground/engine/noise"
)

// MaxPenalty bounds the regularizer weights l2, beta and cae, as
// ae.Config.Validate does.
const MaxPenalty = 1e6

// maxValueLen bounds the text of one config value: no number, name or list
// of them is longer.
const maxValueLen = 256

// KeyError reports a value that was refused. Key and Value are as they came
// in (Value clipped for the message); Err says what is wrong.
type KeyError struct {
	Key   string
	Value string
	Err   error
}

// Error returns "key=value: reason", for example "lr=abc: not a number".
func (e *KeyError) Error() string {
	msg := e.Err.Error()
	if fes := ae.FieldErrors(e.Err); len(fes) > 0 {
		msg = ae.ErrConfig.Error() + ": " + reason(e.Err) // one line for several fields
	}
	return clip(e.Key) + "=" + clip(e.Value) + ": " + msg
}

func (e *KeyError) Unwrap() error { return e.Err }

// clip shortens s for a message and replaces what is not printable, so that
// an error never carries a whole fragment or control characters.
func clip(s string) string {
	const max = 40
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == max {
			b.WriteString("…")
			break
		}
		if r == utf8.RuneError || !strconv.IsPrint(r) {
			r = '\uFFFD'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// KeyInfo describes one key of the fragment, for documentation.
type KeyInfo struct {
	Name   string // as in the fragment: "lr"
	Field  string // what it sets: "Config.LR"
	Values string // what it accepts: "a number in (0, 100]"
	Config bool   // a model setting, also accepted by the API's setConfig
}

// Keys lists every key in the order Encode writes them.
func Keys() []KeyInfo {
	out := []KeyInfo{{Name: "preset", Field: "Preset", Values: "a preset's name: " + presetNames()}}
	for _, k := range configKeys {
		out = append(out, KeyInfo{Name: k.name, Field: k.field, Values: k.values, Config: true})
	}
	return append(out, pageKeys...)
}

// A Change is one parsed, in-range model setting, ready to be applied to a
// config with Apply. The zero Change changes nothing.
type Change struct {
	Key   string // the key, "lr"
	Value string // the value as given, "0.01"
	set   func(*draft)
}

// ParseSetting parses one model setting (a key of Keys with Config set) and
// checks its range. It does not check it against the other settings: Apply
// does. The error is a *KeyError naming the key and the value.
func ParseSetting(key, value string) (Change, error) {
	k := configKey(key)
	if k == nil {
		return Change{}, &KeyError{key, value, errors.New("unknown setting")}
	}
	if len(value) > maxValueLen {
		return Change{}, &KeyError{key, value, fmt.Errorf("value longer than %d characters", maxValueLen)}
	}
	set, err := k.parse(value)
	if err != nil {
		return Change{}, &KeyError{key, value, err}
	}
	return Change{Key: key, Value: value, set: set}, nil
}

// Apply returns c with every change applied at once, or c's zero value and
// the error of ae.Config.Validate (wrapping ae.ErrConfig) if the result is
// not a valid config. c itself is not modified.
func Apply(c ae.Config, changes ...Change) (ae.Config, error) {
	d := newDraft(c)
	for _, ch := range changes {
		if ch.set != nil {
			ch.set(&d)
		}
	}
	return d.config()
}

// draft is a config being edited: the encoder's shape is kept in the parts
// the keys name (hidden, k, f) until config assembles it.
type draft struct {
	cfg    ae.Config
	hidden []int           // widths of the layers before the code
	k      int             // code size
	f      []ae.Activation // one for every layer, or one per layer
}

func newDraft(c ae.Config) draft {
	d := draft{cfg: c}
	if n := len(c.Hidden); n > 0 {
		d.hidden, d.k = c.Hidden[:n-1], c.Hidden[n-1]
	}
	d.f = compact(c.Activation)
	return d
}

// config assembles and validates the draft. The result has slices of its own.
func (d *draft) config() (ae.Config, error) {
	c := d.cfg
	c.Hidden = append(append(make([]int, 0, len(d.hidden)+1), d.hidden...), d.k)
	switch len(d.f) {
	case 1:
		c.Activation = make([]ae.Activation, len(c.Hidden))
		for i := range c.Activation {
			c.Activation[i] = d.f[0]
		}
	case len(c.Hidden):
		c.Activation = append([]ae.Activation(nil), d.f...)
	default:
		return ae.Config{}, &ae.FieldError{Field: ae.FieldActivation,
			Err: fmt.Errorf("%d activations for %d encoder layers: give one for all, or one per layer", len(d.f), len(c.Hidden))}
	}
	if err := c.Validate(); err != nil {
		return ae.Config{}, err
	}
	return c, nil
}

// compact returns a's single activation if every layer has the same one,
// else a copy of a.
func compact(a []ae.Activation) []ae.Activation {
	for _, x := range a {
		if x != a[0] {
			return append([]ae.Activation(nil), a...)
		}
	}
	if len(a) == 0 {
		return nil
	}
	return []ae.Activation{a[0]}
}

// A configKeyDef is one model setting: how to parse it into a draft and how
// to write a draft's value.
type configKeyDef struct {
	name, field, values string
	parse               func(v string) (func(*draft), error)
	show                func(d *draft) string
}

func configKey(name string) *configKeyDef {
	for i := range configKeys {
		if configKeys[i].name == name {
			return &configKeys[i]
		}
	}
	return nil
}

// configKeys are the model settings, in the order Encode writes them.
var configKeys = []configKeyDef{
	{
		name: "k", field: "Config.Hidden[last] (code size)", values: fmt.Sprintf("a whole number in [1, %d]", ae.MaxWidth),
		parse: func(v string) (func(*draft), error) {
			n, err := parseInt(v, 1, ae.MaxWidth, "code size")
			return func(d *draft) { d.k = n }, err
		},
		show: func(d *draft) string { return strconv.Itoa(d.k) },
	},
	{
		name: "hidden", field: "Config.Hidden[:last] (layers before the code)",
		values: fmt.Sprintf("up to %d comma-separated widths in [1, %d], or empty", ae.MaxDepth-1, ae.MaxWidth),
		parse: func(v string) (func(*draft), error) {
			var ws []int
			if v != "" {
				parts := strings.Split(v, ",")
				if len(parts) > ae.MaxDepth-1 {
					return nil, fmt.Errorf("%d layers before the code: at most %d", len(parts), ae.MaxDepth-1)
				}
				for i, p := range parts {
					w, err := parseInt(p, 1, ae.MaxWidth, fmt.Sprintf("layer %d's width", i+1))
					if err != nil {
						return nil, err
					}
					ws = append(ws, w)
				}
			}
			return func(d *draft) { d.hidden = ws }, nil
		},
		show: func(d *draft) string { return joinInts(d.hidden) },
	},
	{
		name: "f", field: "Config.Activation",
		values: "one activation for every encoder layer, or one per layer, comma-separated (a list of one repeated activation counts as one): " + activationNames(),
		parse: func(v string) (func(*draft), error) {
			parts := strings.Split(v, ",")
			if len(parts) > ae.MaxDepth {
				return nil, fmt.Errorf("%d activations: at most %d", len(parts), ae.MaxDepth)
			}
			as := make([]ae.Activation, len(parts))
			for i, p := range parts {
				a, err := parseActivation(p)
				if err != nil {
					return nil, err
				}
				as[i] = a
			}
			as = compact(as)
			return func(d *draft) { d.f = as }, nil
		},
		show: func(d *draft) string {
			s := make([]string, len(d.f))
			for i, a := range d.f {
				s[i] = string(a)
			}
			return strings.Join(s, ",")
		},
	},
	{
		name: "g", field: "Config.Output", values: "sigmoid or linear",
		parse: func(v string) (func(*draft), error) {
			a := ae.Activation(v)
			if a != ae.Sigmoid && a != ae.Linear {
				return nil, fmt.Errorf("unknown output activation %q (want sigmoid or linear)", v)
			}
			return func(d *draft) { d.cfg.Output = a }, nil
		},
		show: func(d *draft) string { return string(d.cfg.Output) },
	},
	{
		name: "loss", field: "Config.Loss", values: names(ae.Losses),
		parse: func(v string) (func(*draft), error) {
			l, err := oneOf(v, ae.Losses, "loss")
			return func(d *draft) { d.cfg.Loss = l }, err
		},
		show: func(d *draft) string { return string(d.cfg.Loss) },
	},
	{
		name: "init", field: "Config.Init", values: names(ae.Inits),
		parse: func(v string) (func(*draft), error) {
			x, err := oneOf(v, ae.Inits, "initialisation")
			return func(d *draft) { d.cfg.Init = x }, err
		},
		show: func(d *draft) string { return string(d.cfg.Init) },
	},
	{
		name: "opt", field: "Config.Optimizer", values: names(ae.Optimizers),
		parse: func(v string) (func(*draft), error) {
			o, err := oneOf(v, ae.Optimizers, "optimizer")
			return func(d *draft) { d.cfg.Optimizer = o }, err
		},
		show: func(d *draft) string { return string(d.cfg.Optimizer) },
	},
	{
		name: "lr", field: "Config.LR", values: fmt.Sprintf("a number in (0, %d]", ae.MaxLR),
		parse: func(v string) (func(*draft), error) {
			x, err := parseFloat(v, func(x float64) bool { return x > 0 && x <= ae.MaxLR },
				fmt.Sprintf("learning rate must be > 0 and at most %d", ae.MaxLR))
			return func(d *draft) { d.cfg.LR = x }, err
		},
		show: func(d *draft) string { return formatFloat(d.cfg.LR) },
	},
	{
		name: "mom", field: "Config.Momentum", values: "a number in [0, 1)",
		parse: func(v string) (func(*draft), error) {
			x, err := parseFloat(v, func(x float64) bool { return x >= 0 && x < 1 }, "momentum must be in [0, 1)")
			return func(d *draft) { d.cfg.Momentum = x }, err
		},
		show: func(d *draft) string { return formatFloat(d.cfg.Momentum) },
	},
	{
		name: "batch", field: "Config.BatchSize", values: fmt.Sprintf("a whole number in [1, %d]", ae.MaxBatch),
		parse: func(v string) (func(*draft), error) {
			n, err := parseInt(v, 1, ae.MaxBatch, "batch size")
			return func(d *draft) { d.cfg.BatchSize = n }, err
		},
		show: func(d *draft) string { return strconv.Itoa(d.cfg.BatchSize) },
	},
	{
		name: "seed", field: "Config.Seed", values: "a whole number in [0, 2⁶⁴)",
		parse: func(v string) (func(*draft), error) {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				if allDigits(v) {
					return nil, errors.New("seed must be below 2⁶⁴")
				}
				return nil, errors.New("not a whole number ≥ 0")
			}
			return func(d *draft) { d.cfg.Seed = n }, nil
		},
		show: func(d *draft) string { return strconv.FormatUint(d.cfg.Seed, 10) },
	},
	{
		name: "tied", field: "Config.Tied", values: "1 or 0",
		parse: func(v string) (func(*draft), error) {
			b, err := parseBool(v)
			return func(d *draft) { d.cfg.Tied = b }, err
		},
		show: func(d *draft) string { return formatBool(d.cfg.Tied) },
	},
	{
		name: "sched", field: "Config.Schedule",
		values: "the learning rate's schedule: constant, step:<period>:<γ> (lr·γ every period epochs, γ in (0, 1]) or cosine:<tmax>:<min> (from lr down to min over tmax epochs)",
		parse: func(v string) (func(*draft), error) {
			s, err := parseSchedule(v)
			return func(d *draft) { d.cfg.Schedule = s }, err
		},
		show: func(d *draft) string { return formatSchedule(d.cfg.Schedule) },
	},
	penaltyKey("l2", "Config.L2", "L2 weight", func(d *draft) *float64 { return &d.cfg.L2 }),
	{
		name: "rho", field: "Config.SparseRho", values: "a number in [0, 1) (used, and then > 0, when beta > 0)",
		parse: func(v string) (func(*draft), error) {
			x, err := parseFloat(v, func(x float64) bool { return x >= 0 && x < 1 }, "sparsity target ρ must be in [0, 1)")
			return func(d *draft) { d.cfg.SparseRho = x }, err
		},
		show: func(d *draft) string { return formatFloat(d.cfg.SparseRho) },
	},
	penaltyKey("beta", "Config.SparseBeta", "sparsity weight β", func(d *draft) *float64 { return &d.cfg.SparseBeta }),
	penaltyKey("cae", "Config.Contractive", "contractive weight λ", func(d *draft) *float64 { return &d.cfg.Contractive }),
	{
		name: "noise", field: "Config.Noise.Kind", values: names(noise.Kinds) + " (none is stored as the empty kind)",
		parse: func(v string) (func(*draft), error) {
			k, err := oneOf(v, noise.Kinds, "noise")
			if k == noise.None {
				k = ""
			}
			return func(d *draft) { d.cfg.Noise.Kind = k }, err
		},
		show: func(d *draft) string {
			if d.cfg.Noise.Kind == "" {
				return string(noise.None)
			}
			return string(d.cfg.Noise.Kind)
		},
	},
	{
		name: "level", field: "Config.Noise.Level",
		values: fmt.Sprintf("a number: a probability in [0, 1] for mask and saltpepper, σ in [0, %g] for gaussian", noise.MaxSigma),
		parse: func(v string) (func(*draft), error) {
			x, err := parseFloat(v, func(x float64) bool { return x >= 0 && x <= noise.MaxSigma },
				fmt.Sprintf("noise level must be in [0, %g]", noise.MaxSigma))
			return func(d *draft) { d.cfg.Noise.Level = x }, err
		},
		show: func(d *draft) string { return formatFloat(d.cfg.Noise.Level) },
	},
}

func penaltyKey(name, field, what string, p func(*draft) *float64) configKeyDef {
	return configKeyDef{
		name: name, field: field, values: fmt.Sprintf("a number in [0, %.0f]", MaxPenalty),
		parse: func(v string) (func(*draft), error) {
			x, err := parseFloat(v, func(x float64) bool { return x >= 0 && x <= MaxPenalty },
				fmt.Sprintf("%s must be in [0, %.0f]", what, MaxPenalty))
			return func(d *draft) { *p(d) = x }, err
		},
		show: func(d *draft) string { return formatFloat(*p(d)) },
	}
}

// parseInt parses a decimal whole number in [lo, hi]; what names it in the
// error.
func parseInt(v string, lo, hi int, what string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil && !allDigits(strings.TrimPrefix(v, "-")) {
		return 0, errors.New("not a whole number")
	}
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s must be between %d and %d", what, lo, hi)
	}
	return n, nil
}

// parseFloat parses a finite number for which ok holds; msg is the error if
// it does not. -0 becomes 0.
func parseFloat(v string, ok func(float64) bool, msg string) (float64, error) {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, errors.New("not a number")
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, errors.New("not a finite number")
	}
	if !ok(x) {
		return 0, errors.New(msg)
	}
	return x + 0, nil // x + 0 turns -0 into +0
}

func parseBool(v string) (bool, error) {
	switch v {
	case "1", "true":
		return true, nil
	case "0", "false":
		return false, nil
	}
	return false, errors.New("want 1 or 0")
}

func parseActivation(v string) (ae.Activation, error) {
	for _, a := range ae.Activations {
		if string(a) == v {
			return a, nil
		}
	}
	return "", fmt.Errorf("unknown activation %q (want %s)", v, activationNames())
}

// oneOf returns the element of list named v.
func oneOf[T ~string](v string, list []T, what string) (T, error) {
	for _, x := range list {
		if string(x) == v {
			return x, nil
		}
	}
	return "", fmt.Errorf("unknown %s %q (want %s)", what, v, names(list))
}

func names[T ~string](list []T) string {
	s := make([]string, len(list))
	for i, x := range list {
		s[i] = string(x)
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

func activationNames() string { return names(ae.Activations) }

func presetNames() string {
	var s []string
	for _, p := range ae.Presets() {
		s = append(s, p.Name)
	}
	return strings.Join(s, ", ")
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

// formatFloat writes the shortest text that parses back to exactly x.
func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func formatBool(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// parseSchedule reads constant, step:<period>:<gamma> or
// cosine:<tmax>:<min>. The ranges that depend on lr are checked with the
// whole config (ae.Config.Validate).
func parseSchedule(v string) (ae.Schedule, error) {
	parts := strings.Split(v, ":")
	kind := ae.ScheduleKind(parts[0])
	switch {
	case (kind == ae.Constant || kind == "") && len(parts) == 1:
		return ae.Schedule{}, nil
	case (kind == ae.StepDecay || kind == ae.Cosine) && len(parts) == 3:
	default:
		return ae.Schedule{}, errors.New("want constant, step:<period>:<γ> or cosine:<tmax>:<min>")
	}
	n, err := parseInt(parts[1], 1, 1_000_000, "the period in epochs")
	if err != nil {
		return ae.Schedule{}, err
	}
	x, err := parseFloat(parts[2], func(x float64) bool { return x >= 0 && x <= ae.MaxLR }, fmt.Sprintf("the rate must be in [0, %d]", ae.MaxLR))
	if err != nil {
		return ae.Schedule{}, err
	}
	if kind == ae.StepDecay {
		return ae.Schedule{Kind: kind, Period: n, Gamma: x}, nil
	}
	return ae.Schedule{Kind: kind, TMax: n, Min: x}, nil
}

func formatSchedule(s ae.Schedule) string {
	switch s.Kind {
	case ae.StepDecay:
		return "step:" + strconv.Itoa(s.Period) + ":" + formatFloat(s.Gamma)
	case ae.Cosine:
		return "cosine:" + strconv.Itoa(s.TMax) + ":" + formatFloat(s.Min)
	}
	return string(ae.Constant)
}
