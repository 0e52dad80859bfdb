package protocol

import (
	"aeplayground/engine/ae"
	"aeplayground/engine/noise"
)

// The model's settings travel as their fields, in this order. A field
// added to ae.Config must be added to both functions:
// TestConfigRoundTripsEveryField fails until it is.

func (w *writer) config(c *ae.Config) {
	w.int(c.Inputs)
	w.uint(uint64(len(c.Hidden)))
	for _, h := range c.Hidden {
		w.int(h)
	}
	w.uint(uint64(len(c.Activation)))
	for _, a := range c.Activation {
		w.string(string(a))
	}
	w.string(string(c.Output))
	w.string(string(c.Loss))
	w.string(string(c.Init))
	w.string(string(c.Optimizer))
	w.float(c.LR)
	w.float(c.Momentum)
	w.int(c.BatchSize)
	w.uint(c.Seed)
	w.bool(c.Tied)
	w.float(c.L2)
	w.float(c.SparseRho)
	w.float(c.SparseBeta)
	w.float(c.Contractive)
	w.noise(c.Noise)
	w.string(string(c.Schedule.Kind))
	w.int(c.Schedule.Period)
	w.float(c.Schedule.Gamma)
	w.int(c.Schedule.TMax)
	w.float(c.Schedule.Min)
}

// minConfigBytes is the size of the shortest encoded config (the zero
// one): a list of configs is refused when the frame cannot hold that many,
// before memory is made for them.
var minConfigBytes = func() int {
	var w writer
	w.config(&ae.Config{})
	return len(w.b)
}()

func (r *reader) config() ae.Config {
	var c ae.Config
	c.Inputs = r.int()
	if n := r.count(1); n > 0 {
		c.Hidden = make([]int, n)
		for i := range c.Hidden {
			c.Hidden[i] = r.int()
		}
	}
	if n := r.count(1); n > 0 {
		c.Activation = make([]ae.Activation, n)
		for i := range c.Activation {
			c.Activation[i] = ae.Activation(r.string())
		}
	}
	c.Output = ae.Activation(r.string())
	c.Loss = ae.Loss(r.string())
	c.Init = ae.Init(r.string())
	c.Optimizer = ae.Optimizer(r.string())
	c.LR = r.float()
	c.Momentum = r.float()
	c.BatchSize = r.int()
	c.Seed = r.uint()
	c.Tied = r.bool()
	c.L2 = r.float()
	c.SparseRho = r.float()
	c.SparseBeta = r.float()
	c.Contractive = r.float()
	c.Noise = r.noise()
	c.Schedule.Kind = ae.ScheduleKind(r.string())
	c.Schedule.Period = r.int()
	c.Schedule.Gamma = r.float()
	c.Schedule.TMax = r.int()
	c.Schedule.Min = r.float()
	return c
}

func (w *writer) noise(s noise.Spec) {
	w.string(string(s.Kind))
	w.float(s.Level)
}

func (r *reader) noise() noise.Spec {
	return noise.Spec{Kind: noise.Kind(r.string()), Level: r.float()}
}
