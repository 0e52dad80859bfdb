package ae

import "math"

// Adam's constants, PyTorch's defaults.
const (
	adamBeta1 = 0.9
	adamBeta2 = 0.999
	adamEps   = 1e-8
)

// optimizer updates the parameter vector from its gradient (package doc,
// "Optimizers").
type optimizer struct {
	kind Optimizer
	lr   float64
	mu   float64   // momentum μ
	m, v []float64 // momentum buffer (SGD) or Adam's first and second moments
	t    int       // steps taken, for Adam's bias correction
}

func newOptimizer(cfg *Config, n int) *optimizer {
	o := &optimizer{kind: cfg.Optimizer, lr: cfg.LR, mu: cfg.Momentum}
	switch o.kind {
	case Momentum:
		o.m = make([]float64, n)
	case Adam:
		o.m, o.v = make([]float64, n), make([]float64, n)
	}
	return o
}

// step applies one update to theta and returns the sum of the new
// parameters, which is finite exactly when every parameter is (an infinity
// or NaN anywhere makes the sum non-finite).
func (o *optimizer) step(theta, grad []float64) float64 {
	grad = grad[:len(theta)]
	var sum float64
	switch o.kind {
	case SGD:
		for i, g := range grad {
			theta[i] -= o.lr * g
			sum += theta[i]
		}
	case Momentum:
		// v = μv + g; θ −= lr·v. PyTorch starts v at the first gradient,
		// which μ·0 + g also gives.
		v := o.m[:len(theta)]
		for i, g := range grad {
			v[i] = o.mu*v[i] + g
			theta[i] -= o.lr * v[i]
			sum += theta[i]
		}
	case Adam:
		// m = β1 m + (1−β1) g;  v = β2 v + (1−β2) g²;
		// θ −= (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε),
		// in the order PyTorch 1.13 evaluates it, so the losses agree to
		// the last digits.
		o.t++
		t := float64(o.t)
		stepSize := o.lr / (1 - math.Pow(adamBeta1, t))
		bc2 := math.Sqrt(1 - math.Pow(adamBeta2, t))
		m, v := o.m[:len(theta)], o.v[:len(theta)]
		for i, g := range grad {
			m[i] = m[i]*adamBeta1 + g*(1-adamBeta1)
			v[i] = v[i]*adamBeta2 + (1-adamBeta2)*g*g
			theta[i] -= stepSize * (m[i] / (math.Sqrt(v[i])/bc2 + adamEps))
			sum += theta[i]
		}
	}
	return sum
}

// state returns the slices that, with theta, make a checkpoint.
func (o *optimizer) state() [][]float64 {
	var s [][]float64
	if o.m != nil {
		s = append(s, o.m)
	}
	if o.v != nil {
		s = append(s, o.v)
	}
	return s
}
