package main

import (
	"fmt"
	"strconv"
	"strings"

	"aeplayground/engine/ae"
	"aeplayground/engine/noise"
)

// settings are the page's controls as typed, numbers kept as text so that
// a value that does not parse can be shown next to its control.
type settings struct {
	Preset      string
	K           string // code size
	Hidden      string // widths of the encoder layers before the code, "128, 64"
	F, G        ae.Activation
	Loss        ae.Loss
	Init        ae.Init
	Optimizer   ae.Optimizer
	LR          string
	Momentum    string
	Batch       string
	Seed        string
	L2          string
	Tied        bool
	Rho         string
	Beta        string
	Contractive string

	NoiseKind  noise.Kind
	NoiseLevel string
	Denoise    bool // train on the corrupted digits
}

// fromConfig fills s with a config's values.
func fromConfig(name string, c ae.Config) settings {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	hidden := make([]string, 0, len(c.Hidden))
	for _, w := range c.Hidden[:len(c.Hidden)-1] {
		hidden = append(hidden, strconv.Itoa(w))
	}
	rho := c.SparseRho
	if rho == 0 {
		rho = 0.05
	}
	s := settings{
		Preset: name, K: strconv.Itoa(c.K()), Hidden: strings.Join(hidden, ", "),
		F: c.Activation[0], G: c.Output, Loss: c.Loss, Init: c.Init, Optimizer: c.Optimizer,
		LR: f(c.LR), Momentum: f(max(c.Momentum, 0.9)), Batch: strconv.Itoa(c.BatchSize),
		Seed: strconv.FormatUint(c.Seed, 10), L2: f(c.L2), Tied: c.Tied,
		Rho: f(rho), Beta: f(c.SparseBeta), Contractive: f(c.Contractive),
		NoiseKind: noise.Mask, NoiseLevel: "0.3",
	}
	if c.Noise.Active() {
		s.NoiseKind, s.NoiseLevel, s.Denoise = c.Noise.Kind, f(c.Noise.Level), true
	}
	return s
}

// Control names, used to place an error next to its control.
const (
	fieldK           = "k"
	fieldHidden      = "hidden"
	fieldF           = "f"
	fieldG           = "g"
	fieldLoss        = "loss"
	fieldOptimizer   = "optimizer"
	fieldLR          = "lr"
	fieldMomentum    = "momentum"
	fieldBatch       = "batch"
	fieldSeed        = "seed"
	fieldL2          = "l2"
	fieldSparse      = "sparse"
	fieldContractive = "contractive"
	fieldNoise       = "noise"
)

// noiseSpec is the corruption the page shows (and trains on when Denoise).
func (s settings) noiseSpec() (noise.Spec, error) {
	level, err := strconv.ParseFloat(strings.TrimSpace(s.NoiseLevel), 64)
	if err != nil {
		return noise.Spec{}, fmt.Errorf("noise level %q is not a number", s.NoiseLevel)
	}
	spec := noise.Spec{Kind: s.NoiseKind, Level: level}
	return spec, spec.Validate()
}

// config turns the settings into an engine config. The errors, by control,
// name what is wrong: a value that does not parse, or what Validate refused.
func (s settings) config() (ae.Config, map[string]string) {
	errs := map[string]string{}
	num := func(field, label, v string) float64 {
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			errs[field] = fmt.Sprintf("%s: %q is not a number", label, v)
		}
		return x
	}
	integer := func(field, label, v string) int {
		x, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			errs[field] = fmt.Sprintf("%s: %q is not a whole number", label, v)
		}
		return x
	}
	c := ae.Config{Inputs: 784, Output: s.G, Loss: s.Loss, Init: s.Init, Optimizer: s.Optimizer, Tied: s.Tied}
	for _, part := range strings.FieldsFunc(s.Hidden, func(r rune) bool { return r == ',' || r == ' ' || r == '-' }) {
		c.Hidden = append(c.Hidden, integer(fieldHidden, "hidden layers", part))
	}
	k := integer(fieldK, "code size k", s.K)
	if _, bad := errs[fieldK]; !bad && (k < 1 || k > ae.MaxWidth) {
		errs[fieldK] = fmt.Sprintf("code size k = %d: must be between 1 and %d", k, ae.MaxWidth)
	}
	c.Hidden = append(c.Hidden, k)
	for range c.Hidden {
		c.Activation = append(c.Activation, s.F)
	}
	c.LR = num(fieldLR, "learning rate", s.LR)
	if c.Optimizer == ae.Momentum {
		c.Momentum = num(fieldMomentum, "momentum", s.Momentum)
	}
	c.BatchSize = integer(fieldBatch, "batch size", s.Batch)
	seed, err := strconv.ParseUint(strings.TrimSpace(s.Seed), 10, 64)
	if err != nil {
		errs[fieldSeed] = fmt.Sprintf("seed: %q is not a whole number ≥ 0", s.Seed)
	}
	c.Seed = seed
	c.L2 = num(fieldL2, "L2", s.L2)
	c.SparseBeta = num(fieldSparse, "sparsity β", s.Beta)
	if c.SparseBeta > 0 {
		c.SparseRho = num(fieldSparse, "sparsity ρ", s.Rho)
	}
	c.Contractive = num(fieldContractive, "contractive λ", s.Contractive)
	spec, err := s.noiseSpec()
	if err != nil {
		errs[fieldNoise] = err.Error()
	} else if s.Denoise {
		c.Noise = spec
	}
	if len(errs) > 0 {
		return c, errs
	}
	if err := c.Validate(); err != nil {
		errs[fieldOf(err.Error())] = strings.TrimPrefix(err.Error(), ae.ErrConfig.Error()+": ")
	}
	return c, errs
}

// fieldOf finds the control a Validate message is about.
func fieldOf(msg string) string {
	for _, r := range []struct{ word, field string }{
		{"learning rate", fieldLR},
		{"batch", fieldBatch},
		{"momentum", fieldMomentum},
		{"L2", fieldL2},
		{"sparsity", fieldSparse},
		{"contractive", fieldContractive},
		{"noise", fieldNoise},
		{"cross-entropy", fieldLoss},
		{"output activation", fieldG},
		{"activation", fieldF},
		{"optimizer", fieldOptimizer},
		{"layer", fieldHidden},
		{"parameters", fieldHidden},
	} {
		if strings.Contains(msg, r.word) {
			return r.field
		}
	}
	return fieldK
}
