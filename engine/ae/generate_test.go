package ae

import (
	"math"
	"slices"
	"testing"
)

// TestDecodeOfCodeIsReconstruction: the code-plane decode is a pure
// function of the model and the point, and a point equal to a digit's code
// decodes to exactly that digit's reconstruction, for shallow and deep,
// tied and untied models. A point elsewhere decodes to something else.
func TestDecodeOfCodeIsReconstruction(t *testing.T) {
	digits := bundleDigits(t, 200, 5)
	train, test := digits[:200*784], digits[200*784:]
	tests := []struct {
		name   string
		hidden []int
		acts   []Activation
		out    Activation
		tied   bool
	}{
		{"shallow linear", []int{2}, []Activation{Linear}, Linear, false},
		{"shallow sigmoid, tied", []int{2}, []Activation{Sigmoid}, Sigmoid, true},
		{"deep leaky ReLU", []int{32, 2}, []Activation{LeakyReLU, Linear}, Sigmoid, false},
		{"deep tanh, tied", []int{64, 16, 2}, []Activation{Tanh, Tanh, Linear}, Sigmoid, true},
		{"deep, k = 8", []int{32, 8}, []Activation{ReLU, Sigmoid}, Linear, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _ := Preset("survey")
			cfg.Hidden, cfg.Activation, cfg.Output, cfg.Tied, cfg.Loss = tt.hidden, tt.acts, tt.out, tt.tied, MSE
			tr, err := NewTrainer(cfg, train, test)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tr.Step(10); err != nil { // trained weights, not only the initial ones
				t.Fatal(err)
			}
			m := tr.Model()
			k := m.K()
			code, rec, dec, again := make([]float64, k), make([]float64, 784), make([]float64, 784), make([]float64, 784)
			for i := range 5 {
				x := test[i*784 : (i+1)*784]
				m.Encode(x, code)
				m.Reconstruct(x, rec)
				if err := m.Decode(code, dec); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(dec, rec) {
					t.Fatalf("digit %d: the decoded code differs from the reconstruction by up to %g", i, maxDiff(dec, rec))
				}
				// Pure: a reconstruction of another digit in between
				// (buffers are shared) changes nothing.
				m.Reconstruct(test[((i+1)%5)*784:((i+1)%5+1)*784], rec)
				if m.Decode(code, again); !slices.Equal(again, dec) {
					t.Fatalf("digit %d: decoding the same point twice gave two images", i)
				}
				code[0] += 1 // another point: another image
				m.Decode(code, again)
				if maxDiff(again, dec) == 0 {
					t.Fatalf("digit %d: moving the point by 1 changed nothing", i)
				}
			}
		})
	}
}

func TestDecodeRefusesWrongLengths(t *testing.T) {
	cfg, _ := Preset("survey") // k = 32
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ z, x int }{{2, 784}, {32, 783}, {0, 0}} {
		if err := m.Decode(make([]float64, c.z), make([]float64, c.x)); err == nil {
			t.Errorf("a code of %d and an image of %d: no error", c.z, c.x)
		}
	}
	if err := m.Decode(make([]float64, 32), make([]float64, 784)); err != nil {
		t.Errorf("the right lengths refused: %v", err)
	}
}

func maxDiff(a, b []float64) float64 {
	var d float64
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}
