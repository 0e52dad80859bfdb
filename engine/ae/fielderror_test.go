package ae

import (
	"errors"
	"slices"
	"testing"
)

// TestValidateNamesEveryField: Validate reports each wrong field once, by
// name, all at once, and every error matches ErrConfig.
func TestValidateNamesEveryField(t *testing.T) {
	base, err := Preset("survey")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		edit func(c *Config)
		want []Field
	}{
		{"valid", func(c *Config) {}, nil},
		{"k", func(c *Config) { c.Hidden = []int{0} }, []Field{FieldK}},
		{"hidden layer", func(c *Config) {
			c.Hidden = []int{2000, 16}
			c.Activation = []Activation{Sigmoid, Sigmoid}
		}, []Field{FieldHidden}},
		{"activations per layer", func(c *Config) { c.Activation = []Activation{Sigmoid, Tanh} }, []Field{FieldActivation}},
		{"lr and batch and momentum", func(c *Config) {
			c.LR, c.BatchSize, c.Optimizer, c.Momentum = -1, 0, Momentum, 1
		}, []Field{FieldMomentum, FieldLR, FieldBatch}},
		{"rho while beta is 0", func(c *Config) { c.SparseRho = 1 }, []Field{FieldSparseRho}},
		{"negative rho", func(c *Config) { c.SparseRho = -1 }, []Field{FieldSparseRho}},
		{"beta needs rho", func(c *Config) { c.Activation = []Activation{Sigmoid}; c.SparseBeta = 1 }, []Field{FieldSparseRho}},
		{"bce needs sigmoid", func(c *Config) { c.Loss, c.Output = BCE, Linear }, []Field{FieldLoss}},
		{"contractive on relu", func(c *Config) { c.Contractive = 0.1; c.Activation = []Activation{ReLU} }, []Field{FieldContractive}},
		{"everything", func(c *Config) {
			c.Hidden, c.Output, c.Init, c.L2 = []int{5000}, "cubic", "zeros", -1
		}, []Field{FieldK, FieldOutput, FieldInit, FieldL2}},
	}
	for _, tc := range cases {
		c := base
		c.Hidden = slices.Clone(base.Hidden)
		c.Activation = slices.Clone(base.Activation)
		tc.edit(&c)
		err := c.Validate()
		var got []Field
		for _, fe := range FieldErrors(err) {
			got = append(got, fe.Field)
			if !errors.Is(fe, ErrConfig) {
				t.Errorf("%s: %v does not match ErrConfig", tc.name, fe)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: fields %v, want %v (%v)", tc.name, got, tc.want, err)
		}
		if (err == nil) != (tc.want == nil) || (err != nil && !errors.Is(err, ErrConfig)) {
			t.Errorf("%s: error %v", tc.name, err)
		}
	}
}
