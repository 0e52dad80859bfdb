package ae

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"aeplayground/engine/noise"
)

// smallConfig is a network small enough to check by finite differences.
func smallConfig(hidden []int, acts []Activation, out Activation, loss Loss) Config {
	return Config{
		Inputs: 7, Hidden: hidden, Activation: acts, Output: out, Loss: loss,
		Init: InitGlorot, Optimizer: SGD, LR: 0.1, BatchSize: 5, Seed: 3,
	}
}

// TestGradients checks every piece of the objective against central finite
// differences: (L(θ+εe_i) − L(θ−εe_i)) / 2ε for every parameter θ_i.
func TestGradients(t *testing.T) {
	type tc struct {
		name string
		cfg  Config
		// denoise corrupts the input while the target stays clean.
		denoise bool
	}
	var cases []tc
	for _, loss := range Losses {
		out := Sigmoid
		outs := []Activation{Sigmoid}
		if loss == MSE {
			outs = append(outs, Linear)
		}
		for _, out = range outs {
			for _, f := range Activations {
				cases = append(cases, tc{name: fmt.Sprintf("%s/%s/f=%s", loss, out, f),
					cfg: smallConfig([]int{3}, []Activation{f}, out, loss)})
			}
			deep := smallConfig([]int{5, 4, 2}, []Activation{Tanh, LeakyReLU, Sigmoid}, out, loss)
			cases = append(cases, tc{name: fmt.Sprintf("%s/%s/deep", loss, out), cfg: deep})

			tied := smallConfig([]int{3}, []Activation{Tanh}, out, loss)
			tied.Tied = true
			cases = append(cases, tc{name: fmt.Sprintf("%s/%s/tied", loss, out), cfg: tied})

			deepTied := deep
			deepTied.Tied = true
			cases = append(cases, tc{name: fmt.Sprintf("%s/%s/deep+tied", loss, out), cfg: deepTied})

			l2 := smallConfig([]int{4, 3}, []Activation{ReLU, Sigmoid}, out, loss)
			l2.L2 = 0.03
			cases = append(cases, tc{name: fmt.Sprintf("%s/%s/l2", loss, out), cfg: l2})

			sparse := smallConfig([]int{4}, []Activation{Sigmoid}, out, loss)
			sparse.SparseRho, sparse.SparseBeta = 0.1, 0.5
			cases = append(cases, tc{name: fmt.Sprintf("%s/%s/sparse", loss, out), cfg: sparse})

			deepSparse := smallConfig([]int{5, 3}, []Activation{Tanh, Sigmoid}, out, loss)
			deepSparse.SparseRho, deepSparse.SparseBeta = 0.2, 0.3
			cases = append(cases, tc{name: fmt.Sprintf("%s/%s/deep+sparse", loss, out), cfg: deepSparse})

			tiedSparse := sparse
			tiedSparse.Tied = true
			cases = append(cases, tc{name: fmt.Sprintf("%s/%s/tied+sparse", loss, out), cfg: tiedSparse})

			for _, f := range []Activation{Sigmoid, Tanh} {
				cae := smallConfig([]int{3}, []Activation{f}, out, loss)
				cae.Contractive = 0.7
				cases = append(cases, tc{name: fmt.Sprintf("%s/%s/contractive-%s", loss, out, f), cfg: cae})
				tiedCAE := cae
				tiedCAE.Tied = true
				cases = append(cases, tc{name: fmt.Sprintf("%s/%s/tied+contractive-%s", loss, out, f), cfg: tiedCAE})
			}

			cases = append(cases, tc{name: fmt.Sprintf("%s/%s/denoising", loss, out), cfg: smallConfig([]int{3}, []Activation{ReLU}, out, loss), denoise: true})
			cases = append(cases, tc{name: fmt.Sprintf("%s/%s/denoising+sparse", loss, out), cfg: sparse, denoise: true})

			all := smallConfig([]int{4}, []Activation{Sigmoid}, out, loss)
			all.Tied, all.L2, all.SparseRho, all.SparseBeta, all.Contractive = true, 0.01, 0.3, 0.2, 0.4
			cases = append(cases, tc{name: fmt.Sprintf("%s/%s/everything", loss, out), cfg: all, denoise: true})
		}
	}

	// A batch of 5 takes the plain kernels; from 8 rows on, the backward
	// pass through a widening untied layer multiplies by the Wᵀ the forward
	// pass left (Model.transposed), which the batch of 9 checks.
	fastPath := 0
	for _, c := range cases {
		for _, batch := range []int{5, 9} {
			cfg := c.cfg
			cfg.BatchSize = batch
			t.Run(fmt.Sprintf("%s/batch=%d", c.name, batch), func(t *testing.T) {
				checkGradient(t, cfg, c.denoise, &fastPath)
			})
		}
	}
	if fastPath == 0 {
		t.Error("no case took the transposed backward path")
	}
}

// checkGradient compares the gradient of one batch of cfg.BatchSize
// random digits with central differences, and counts in fastPath the
// layers whose backward pass used the transposed weights.
func checkGradient(t *testing.T, cfg Config, denoise bool, fastPath *int) {
	rng := rand.New(rand.NewPCG(11, 12))
	n, rows := cfg.Inputs, cfg.BatchSize
	data := make([]float64, rows*n)
	for i := range data {
		data[i] = rng.Float64()
	}
	tr, err := NewTrainer(cfg, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	theta := tr.model.theta
	for i := range theta { // move biases off 0, so every term is exercised
		theta[i] += 0.3 * rng.NormFloat64()
	}
	input := data
	for l := 1; l < len(tr.model.layers); l++ {
		if tr.model.transposed(l, rows) {
			*fastPath++
		}
	}
	if denoise {
		input = make([]float64, len(data))
		noise.Spec{Kind: noise.SaltPepper, Level: 0.4}.Apply(rng, data, input)
	}
	objective := func() float64 {
		copy(tr.acts[0], input)
		copy(tr.clean, data)
		tr.startBatch(rows)
		l, _ := tr.gradient(rows, rows)
		if tr.cfg.L2 > 0 {
			l += tr.l2() // FinishBatch's share of the objective
		}
		return l
	}
	objective()
	analytic := append([]float64(nil), tr.grad...)

	const eps = 1e-5
	numeric := make([]float64, len(theta))
	for i := range theta {
		v := theta[i]
		theta[i] = v + eps
		lp := objective()
		theta[i] = v - eps
		lm := objective()
		theta[i] = v
		numeric[i] = (lp - lm) / (2 * eps)
	}
	var diff, norm float64
	for i := range theta {
		d := analytic[i] - numeric[i]
		diff += d * d
		norm += analytic[i]*analytic[i] + numeric[i]*numeric[i]
	}
	rel := math.Sqrt(diff) / math.Sqrt(norm)
	if !(rel < 1e-6) {
		for i := range theta {
			if math.Abs(analytic[i]-numeric[i]) > 1e-6*math.Max(1e-3, math.Abs(numeric[i])) {
				t.Logf("θ[%d]: analytic %.10g, numeric %.10g", i, analytic[i], numeric[i])
			}
		}
		t.Fatalf("relative error %.3g, want < 1e-6", rel)
	}
	t.Logf("relative error %.2g over %d parameters", rel, len(theta))
}
