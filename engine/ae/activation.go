package ae

import (
	"fmt"
	"math"
)

// Activation names an element-wise non-linearity: the encoder's f or the
// decoder's g in h = f(Wx + b), x̂ = g(W*h + c) (package doc, "The model").
type Activation string

const (
	Linear    Activation = "linear"    // a(z) = z
	Sigmoid   Activation = "sigmoid"   // a(z) = 1/(1+e^-z)
	Tanh      Activation = "tanh"      // a(z) = tanh z
	ReLU      Activation = "relu"      // a(z) = max(0, z)
	LeakyReLU Activation = "leakyrelu" // a(z) = z if z > 0, else 0.01 z
)

// Activations lists every activation, in the order the page offers them.
var Activations = []Activation{Linear, Sigmoid, Tanh, ReLU, LeakyReLU}

// LeakySlope is the leaky ReLU's slope for z < 0, PyTorch's default.
const LeakySlope = 0.01

func (a Activation) valid() error {
	switch a {
	case Linear, Sigmoid, Tanh, ReLU, LeakyReLU:
		return nil
	}
	return fmt.Errorf("unknown activation %q (want linear, sigmoid, tanh, relu or leakyrelu)", a)
}

// forward overwrites z with a(z).
func (a Activation) forward(z []float64) {
	switch a {
	case Sigmoid:
		sigmoids(z)
	case Tanh:
		for i, v := range z {
			z[i] = math.Tanh(v)
		}
	case ReLU:
		for i, v := range z {
			if v < 0 {
				z[i] = 0
			}
		}
	case LeakyReLU:
		for i, v := range z {
			if v < 0 {
				z[i] = LeakySlope * v
			}
		}
	}
}

// backward turns dy = ∂L/∂y into ∂L/∂z in place, given the outputs y = a(z).
// Every derivative here is a function of the output alone:
//
//	sigmoid' = y(1−y),  tanh' = 1−y²,  relu' = [y>0],  leaky' = 1 if y>0 else 0.01,
//
// so the pre-activations need not be kept.
func (a Activation) backward(y, dy []float64) {
	dy = dy[:len(y)]
	switch a {
	case Sigmoid:
		for i, v := range y {
			dy[i] *= v * (1 - v)
		}
	case Tanh:
		for i, v := range y {
			dy[i] *= 1 - v*v
		}
	case ReLU:
		for i, v := range y {
			if v <= 0 {
				dy[i] = 0
			}
		}
	case LeakyReLU:
		for i, v := range y {
			if v <= 0 {
				dy[i] *= LeakySlope
			}
		}
	}
}

// slope returns a'(z) given y = a(z), for diagnostics (the Jacobian).
func (a Activation) slope(y float64) float64 {
	switch a {
	case Sigmoid:
		return y * (1 - y)
	case Tanh:
		return 1 - y*y
	case ReLU:
		if y > 0 {
			return 1
		}
		return 0
	case LeakyReLU:
		if y > 0 {
			return 1
		}
		return LeakySlope
	}
	return 1
}

// sigmoid is 1/(1+e^-z), written so that neither branch overflows.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}
