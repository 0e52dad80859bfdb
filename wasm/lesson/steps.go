package lesson

import (
	"fmt"
	"math"

	"aeplayground/engine/compare"
)

// MathML pieces, so that the formulas below read close to their print form.
const (
	xhat  = `<mover><mi>x</mi><mo>^</mo></mover>`
	wstar = `<msup><mi>W</mi><mo>*</mo></msup>`
	rhoHt = `<msub><mover><mi>ρ</mi><mo>^</mo></mover><mi>l</mi></msub>`
)

// math_ is a displayed formula of one or more lines: a long one is broken
// into lines where print would break it, since MathML does not wrap and a
// lesson's card is a third of a 760-pixel frame.
func math_(lines ...string) string {
	if len(lines) == 1 {
		return `<math display="block"><mrow>` + lines[0] + `</mrow></math>`
	}
	rows := ""
	for _, l := range lines {
		rows += `<mtr><mtd><mrow>` + l + `</mrow></mtd></mtr>`
	}
	return `<math display="block"><mtable>` + rows + `</mtable></math>`
}

var steps = []Step{
	{
		ID: "intro", Title: "A digit through the bottleneck",
		Section: "Introduction and implementation",
		Text: []string{
			"An autoencoder is two functions trained together: an encoder f squeezes the 784 pixels of a digit into a short code h, and a decoder g rebuilds the digit from that code alone.",
			"This is the survey's network: 32 numbers in the middle, a leaky ReLU encoder and a sigmoid decoder, trained with Adam to make x̂ close to x.",
			"Nothing tells it what a digit is. Draw one on the pad: whatever it keeps of your digit had to fit through those 32 numbers.",
		},
		Formula: math_(`<mi>h</mi><mo>=</mo><mi>f</mi><mo>(</mo><mi>W</mi><mi>x</mi><mo>+</mo><mi>b</mi><mo>)</mo><mo>,</mo>`,
			xhat+`<mo>=</mo><mi>g</mi><mo>(</mo>`+wstar+`<mi>h</mi><mo>+</mo><mi>c</mi><mo>)</mo>`),
		Panels: []string{"pad", "recon", "train", "loss"},
		Models: []string{"preset=survey"},
		Try: Try{Label: "Squeeze the code to k = 2", Expect: "Two numbers per digit: the reconstructions blur into a few typical shapes and the held-out loss stays more than twice as high.", Set: []string{"k", "2"},
			Shows: func(was, now Live) bool { return now.Models[0].TestLoss > 2*was.Models[0].TestLoss }},
		Check: func(l Live) Result {
			if !ready(l, 1, 1) {
				return waiting(l, "after one epoch the held-out digits come back through the code.")
			}
			m := l.Models[0]
			return Result{m.TestLoss <= 0.23, fmt.Sprintf(
				"The %d numbers of the code rebuild digits the model never trained on: held-out BCE %.3f after %.1f epochs.", m.K, m.TestLoss, m.Epoch)}
		},
	},
	{
		ID: "fg", Title: "Choosing f and g",
		Section: "Choice of f and g",
		Text: []string{
			"The output activation g should fit the data. Pixels lie in [0, 1], and a sigmoid g can only produce values in (0, 1).",
			"A linear g can produce any real number: right for real-valued data, wasteful here, where it spends effort on values no pixel takes.",
			"Both models below share the encoder f, the loss (squared error) and the seed; only g differs.",
		},
		Formula: math_(`<mi>σ</mi><mo>(</mo><mi>z</mi><mo>)</mo><mo>=</mo><mfrac><mn>1</mn><mrow><mn>1</mn><mo>+</mo><msup><mi>e</mi><mrow><mo>−</mo><mi>z</mi></mrow></msup></mrow></mfrac><mo>∈</mo><mo>(</mo><mn>0</mn><mo>,</mo><mn>1</mn><mo>)</mo>`),
		Panels:  []string{"train", "loss", "recon", "heldout"},
		Models:  []string{"preset=survey&loss=mse", "preset=survey&loss=mse&g=linear"},
		Labels:  []string{"sigmoid g", "linear g"},
		Try: Try{Label: "Make the first model's g linear too", Expect: "Both models then produce values outside [0, 1] and train alike: the checkpoint no longer holds.", Set: []string{"g", "linear"},
			Shows: func(was, now Live) bool {
				m := now.Models[0]
				return (m.OutMin < -0.05 || m.OutMax > 1.05) && !gCheck(now).Passed
			}},
		Check: gCheck,
	},
	{
		ID: "loss", Title: "Squared error or cross-entropy",
		Section: "Choice of loss function",
		Text: []string{
			"Squared error treats each pixel as a real number; binary cross-entropy treats it as the probability that the pixel is ink.",
			"With a sigmoid output, cross-entropy's gradient with respect to the pre-activation is simply x̂ − x, which stays large where the sigmoid saturates; squared error's is multiplied by σ′, which vanishes there.",
			"The same network, seed and batches, trained on each loss: both curves below are measured in squared error, so they can be compared.",
		},
		Formula: math_(`<mi>L</mi><mo>=</mo><mo>−</mo><mfrac><mn>1</mn><mrow><mi>m</mi><mi>n</mi></mrow></mfrac><munder><mo>∑</mo><mrow><mi>i</mi><mo>,</mo><mi>j</mi></mrow></munder>`+
			`<mo>[</mo><msub><mi>x</mi><mrow><mi>i</mi><mi>j</mi></mrow></msub><mi>log</mi><msub>`+xhat+`<mrow><mi>i</mi><mi>j</mi></mrow></msub>`,
			`<mspace width="2em"/><mo>+</mo><mo>(</mo><mn>1</mn><mo>−</mo><msub><mi>x</mi><mrow><mi>i</mi><mi>j</mi></mrow></msub><mo>)</mo><mi>log</mi><mo>(</mo><mn>1</mn><mo>−</mo><msub>`+xhat+`<mrow><mi>i</mi><mi>j</mi></mrow></msub><mo>)</mo><mo>]</mo>`),
		Panels: []string{"train", "loss", "recon"},
		Models: []string{"preset=survey", "preset=survey&loss=mse"},
		Labels: []string{"cross-entropy", "squared error"},
		Try: Try{Label: "Train the first model on squared error too", Expect: "Two identical networks, seeds and batches: the two curves coincide.", Set: []string{"loss", "mse"},
			Shows: func(was, now Live) bool { return now.Models[0].TestMSE == now.Models[1].TestMSE }},
		Check: func(l Live) Result {
			if !ready(l, 2, 1) {
				return waiting(l, "after one epoch of each model their squared errors can be compared.")
			}
			b, m := l.Models[0], l.Models[1]
			return Result{b.TestMSE < m.TestMSE, fmt.Sprintf(
				"Trained on cross-entropy, the network's held-out squared error is %.4f, %.0f%% below the %.4f of the same network trained on squared error itself (epoch %.1f).",
				b.TestMSE, pct(b.TestMSE, m.TestMSE), m.TestMSE, b.Epoch)}
		},
	},
	{
		ID: "pca", Title: "A linear autoencoder finds PCA",
		Section: "Link between PCA and autoencoders",
		Text: []string{
			"Make f and g linear and the loss squared error: the best rank-k reconstruction is then PCA's (Eckart–Young), so no such autoencoder can go below PCA's error, the dashed floor.",
			"The weights are not PCA's eigenvectors (any invertible mix of them does as well), so the page compares subspaces: the principal angles between the decoder's columns and PCA's top k directions.",
			"With a learning rate that decays, the loss meets the floor and every angle falls below 1°.",
		},
		Formula: math_(`<msub><mi>θ</mi><mi>i</mi></msub><mo>=</mo><mi>arccos</mi><msub><mi>σ</mi><mi>i</mi></msub><mo>(</mo><msubsup><mi>Q</mi><mi>ae</mi><mo>⊤</mo></msubsup><msub><mi>Q</mi><mi>pca</mi></msub><mo>)</mo><mo>,</mo>`,
			`<mi>floor</mi><mo>=</mo><mfrac><mn>1</mn><mrow><mi>m</mi><mi>n</mi></mrow></mfrac><munder><mo>∑</mo><mrow><mi>i</mi><mo>&gt;</mo><mi>k</mi></mrow></munder><msubsup><mi>s</mi><mi>i</mi><mn>2</mn></msubsup>`),
		Panels: []string{"train", "loss", "pca"},
		Models: []string{"preset=linear-pca"},
		Try: Try{Label: "Keep the learning rate constant", Expect: "Without the decay Adam keeps the weights wandering in the flat directions: the largest angle stalls above 1° while the loss stays within 2% of PCA's.", Set: []string{"sched", "constant"},
			Shows: func(was, now Live) bool {
				m := now.Models[0]
				return maxOf(m.Angles) > compare.ProofAngle && m.HeldOutRatio() < 1.02
			}},
		Check: linearCheck(""),
	},
	{
		ID: "nonlinear", Title: "A non-linear autoencoder beats PCA",
		Section: "Link between PCA and autoencoders",
		Text: []string{
			"PCA's floor binds only linear autoencoders. With a sigmoid g and a non-linear f the decoder can bend its k-dimensional code space along the digits.",
			"Here k = 16, as for PCA's floor on the chart, trained on squared error so that both are measured alike, on the same held-out digits.",
		},
		Formula: math_(`<mfrac><mn>1</mn><mi>n</mi></mfrac><msup><mrow><mo>‖</mo><mi>x</mi><mo>−</mo>`+xhat+`<mo>‖</mo></mrow><mn>2</mn></msup>`,
			`<mo>&lt;</mo><mfrac><mn>1</mn><mi>n</mi></mfrac><msup><mrow><mo>‖</mo><mi>x</mi><mo>−</mo><mi>μ</mi><mo>−</mo><msub><mi>V</mi><mi>k</mi></msub><msubsup><mi>V</mi><mi>k</mi><mo>⊤</mo></msubsup><mo>(</mo><mi>x</mi><mo>−</mo><mi>μ</mi><mo>)</mo><mo>‖</mo></mrow><mn>2</mn></msup>`),
		Panels: []string{"train", "loss", "recon", "heldout"},
		Models: []string{"preset=survey&k=16&loss=mse&batch=32&lr=0.002"},
		Try: Try{Label: "Make f and g linear", Expect: "Then it is bound by PCA again: its error can only approach the floor from above.", Set: []string{"f", "linear", "g", "linear"},
			Shows: func(was, now Live) bool { return now.Models[0].HeldOutRatio() >= 1 }},
		Check: func(l Live) Result {
			if !ready(l, 1, 0.5) || math.IsNaN(l.Models[0].PCATest) {
				return waiting(l, "the held-out error is compared with PCA's on the same digits.")
			}
			m := l.Models[0]
			return Result{m.TestMSE < 0.99*m.PCATest, fmt.Sprintf(
				"Held-out squared error %.4f, %.1f%% %s PCA's %.4f at the same k = %d on the same digits (epoch %.1f).",
				m.TestMSE, math.Abs(pct(m.TestMSE, m.PCATest)), map[bool]string{true: "below", false: "above"}[m.TestMSE < m.PCATest], m.PCATest, m.K, m.Epoch)}
		},
	},
	{
		ID: "l2tied", Title: "Weight decay and tied weights",
		Section: "Regularization in autoencoders",
		Text: []string{
			"Two ways to restrain an autoencoder: L2 weight decay adds λ‖W‖² to the loss, pulling every weight toward 0; tying the weights uses the encoder's transpose as the decoder, W* = Wᵀ, which halves the weights to learn.",
			"A tied linear autoencoder still finds PCA: at its optimum Wᵀ has orthonormal columns spanning PCA's subspace.",
		},
		Formula: math_(`<munder><mi>min</mi><mi>θ</mi></munder><mfrac><mn>1</mn><mi>m</mi></mfrac><munder><mo>∑</mo><mrow><mi>i</mi><mo>,</mo><mi>j</mi></mrow></munder><msup><mrow><mo>(</mo><msub>`+xhat+`<mrow><mi>i</mi><mi>j</mi></mrow></msub><mo>−</mo><msub><mi>x</mi><mrow><mi>i</mi><mi>j</mi></mrow></msub><mo>)</mo></mrow><mn>2</mn></msup><mo>+</mo><mi>λ</mi><msup><mrow><mo>‖</mo><mi>θ</mi><mo>‖</mo></mrow><mn>2</mn></msup><mo>,</mo>`,
			wstar+`<mo>=</mo><msup><mi>W</mi><mo>⊤</mo></msup>`),
		Panels: []string{"train", "loss", "pca"},
		Models: []string{"preset=linear-tied"},
		Try: Try{Label: "Add weight decay λ = 0.001", Expect: "The penalty pulls the weights toward 0: the columns of W* shrink from unit length (|W*ᵀW* − I| grows past 0.1) and the held-out error stays more than 1% above PCA's.", Set: []string{"l2", "0.001"},
			Shows: func(was, now Live) bool {
				m := now.Models[0]
				return m.Orthonormal > 0.1 && m.HeldOutRatio() > 1.01
			}},
		Check: linearCheck("tied"),
	},
	{
		ID: "sparse", Title: "Sparse codes",
		Section: "Regularization in autoencoders",
		Text: []string{
			"A sparse autoencoder may have many code units but wants few of them on for any one digit.",
			"A penalty compares each sigmoid unit's mean activation ρ̂ over a batch with a small target ρ (the KL divergence of two coins) and pulls it there.",
		},
		Formula: math_(`<mi>Ω</mi><mo>=</mo><mi>β</mi><munder><mo>∑</mo><mi>l</mi></munder><mo>[</mo><mi>ρ</mi><mi>log</mi><mfrac><mi>ρ</mi>` + rhoHt + `</mfrac><mo>+</mo><mo>(</mo><mn>1</mn><mo>−</mo><mi>ρ</mi><mo>)</mo><mi>log</mi><mfrac><mrow><mn>1</mn><mo>−</mo><mi>ρ</mi></mrow><mrow><mn>1</mn><mo>−</mo>` + rhoHt + `</mrow></mfrac><mo>]</mo>`),
		Panels:  []string{"train", "loss", "code"},
		Models:  []string{"preset=sparse"},
		Try: Try{Label: "Raise the target to ρ = 0.2", Expect: "The histogram of ρ̂ moves to the new target: the units' mean activation comes within 0.04 of 0.2.", Set: []string{"rho", "0.2"},
			Shows: func(was, now Live) bool { return math.Abs(mean(now.Models[0].RhoHat)-0.2) < 0.04 }},
		Check: func(l Live) Result {
			if !ready(l, 1, 1) || len(l.Models[0].RhoHat) == 0 {
				return waiting(l, "after one epoch the units' mean activations are measured.")
			}
			m := l.Models[0]
			r := mean(m.RhoHat)
			return Result{math.Abs(r-m.Rho) < 0.02, fmt.Sprintf(
				"The %d code units' mean activation is ρ̂ = %.3f against the target ρ = %.2f (epoch %.1f).", len(m.RhoHat), r, m.Rho, m.Epoch)}
		},
	},
	{
		ID: "contractive", Title: "Contractive: codes that ignore small changes",
		Section: "Regularization in autoencoders",
		Text: []string{
			"A contractive autoencoder penalises the encoder's Jacobian: how much the code moves when the input moves a little.",
			"Its codes then change only along the directions the data varies in, and ignore the rest. The chart follows the norm for it and for the same network without the penalty; the price is a blurrier reconstruction.",
		},
		Formula: math_(`<mi>Ω</mi><mo>=</mo><mi>λ</mi><msubsup><mrow><mo>‖</mo><msub><mi>J</mi><mi>x</mi></msub><mo>(</mo><mi>h</mi><mo>)</mo><mo>‖</mo></mrow><mi>F</mi><mn>2</mn></msubsup>`,
			`<mo>=</mo><mi>λ</mi><munder><mo>∑</mo><mrow><mi>l</mi><mo>,</mo><mi>j</mi></mrow></munder><msup><mrow><mo>(</mo><mfrac><mrow><mo>∂</mo><msub><mi>h</mi><mi>l</mi></msub></mrow><mrow><mo>∂</mo><msub><mi>x</mi><mi>j</mi></msub></mrow></mfrac><mo>)</mo></mrow><mn>2</mn></msup>`),
		Panels: []string{"train", "loss", "recon"},
		Models: []string{"preset=contractive", "preset=contractive&cae=0"},
		Labels: []string{"contractive", "plain"},
		Curve:  Jacobian,
		Try: Try{Label: "Weaken the penalty to λ = 0.05", Expect: "‖J‖_F grows and the held-out loss falls: the trade-off moves.", Set: []string{"cae", "0.05"},
			Shows: func(was, now Live) bool {
				w, n := was.Models[0], now.Models[0]
				return n.Jacobian > w.Jacobian && n.TestLoss < w.TestLoss
			}},
		Check: func(l Live) Result {
			if !ready(l, 2, 1) {
				return waiting(l, "after one epoch of each model their Jacobians are compared.")
			}
			c, p := l.Models[0], l.Models[1]
			return Result{c.Jacobian < 0.25*p.Jacobian, fmt.Sprintf(
				"‖J‖_F = %.2f against the plain autoencoder's %.2f, %.0f%% lower; the price: held-out loss %.3f against %.3f (epoch %.1f).",
				c.Jacobian, p.Jacobian, pct(c.Jacobian, p.Jacobian), c.TestLoss, p.TestLoss, c.Epoch)}
		},
	},
	{
		ID: "denoising", Title: "Denoising",
		Section: "Denoising autoencoder",
		Text: []string{
			"A denoising autoencoder sees a corrupted digit x̃ (here half the pixels masked, drawn anew for every batch) and is trained to return the clean x.",
			"It cannot copy its input, so it must learn what digits look like. Next to it, the same network trained on clean digits; both are scored on masked held-out digits against the clean ones.",
		},
		Formula: math_(`<munder><mi>min</mi><mi>θ</mi></munder><mi>L</mi><mo>(</mo><mi>x</mi><mo>,</mo><mi>g</mi><mo>(</mo><mi>f</mi><mo>(</mo><mover><mi>x</mi><mo>~</mo></mover><mo>)</mo><mo>)</mo><mo>)</mo><mo>,</mo>`,
			`<mover><mi>x</mi><mo>~</mo></mover><mo>∼</mo><mi>q</mi><mo>(</mo><mover><mi>x</mi><mo>~</mo></mover><mo>∣</mo><mi>x</mi><mo>)</mo>`),
		Panels:  []string{"train", "loss", "recon", "heldout"},
		Models:  []string{"preset=denoising", "preset=denoising&noise=none"},
		Labels:  []string{"denoising", "plain"},
		Curve:   CorruptedLoss,
		Corrupt: "mask:0.5",
		Try: Try{Label: "Train on 80% masked", Expect: "Heavier noise: the denoiser must guess more of each digit, so its reconstructions blur toward a typical digit and its error on clean held-out digits rises.", Set: []string{"level", "0.8"},
			Shows: func(was, now Live) bool { return now.Models[0].TestMSE > was.Models[0].TestMSE }},
		Check: func(l Live) Result {
			if !ready(l, 2, 1) || math.IsNaN(l.Models[0].NoisyLoss) {
				return waiting(l, "after one epoch of each model both are scored on masked digits.")
			}
			d, p := l.Models[0], l.Models[1]
			return Result{d.NoisyLoss < 0.8*p.NoisyLoss, fmt.Sprintf(
				"On masked held-out digits the denoising autoencoder's loss is %.3f, %.0f%% below the plain autoencoder's %.3f (epoch %.1f).",
				d.NoisyLoss, pct(d.NoisyLoss, p.NoisyLoss), p.NoisyLoss, d.Epoch)}
		},
	},
}

// gCheck is the f-and-g step's checkpoint: the linear g strays outside
// [0, 1], and the sigmoid g reconstructs better in squared error.
func gCheck(l Live) Result {
	if !ready(l, 2, 1) {
		return waiting(l, "after one epoch of each model their outputs can be compared.")
	}
	s, lin := l.Models[0], l.Models[1]
	outside := lin.OutMin < -0.05 || lin.OutMax > 1.05
	return Result{outside && s.TestMSE < lin.TestMSE, fmt.Sprintf(
		"Linear g: x̂ spans [%.2f, %.2f] where pixels lie in [0, 1]; sigmoid g stays in [%.2f, %.2f] and its held-out squared error is %.4f against %.4f (epoch %.1f).",
		lin.OutMin, lin.OutMax, s.OutMin, s.OutMax, s.TestMSE, lin.TestMSE, s.Epoch)}
}

// tiedOrthonormal bounds |W*ᵀW* − I| for the tied proof: a seeded run
// reads 0.0006 when its angles fall below 1°, an untied one about 2.4, a
// tied one with weight decay 0.39.
const tiedOrthonormal = 0.01

// linearCheck is the proof's checkpoint: every principal angle below 1°
// and the held-out loss within 0.2% of PCA's on the same digits; tied,
// also orthonormal decoder columns.
func linearCheck(kind string) func(Live) Result {
	return func(l Live) Result {
		if len(l.Models) == 0 || len(l.Models[0].Angles) == 0 || math.IsNaN(l.Models[0].PCATest) {
			return waiting(l, "the angles to PCA's subspace fall as it trains.")
		}
		m := l.Models[0]
		worst, ratio := maxOf(m.Angles), m.TestMSE/m.PCATest
		tied := kind == "tied"
		if tied && !(m.Orthonormal < tiedOrthonormal) && compare.ProofHolds(worst, ratio) {
			return Result{false, fmt.Sprintf("All %d angles below 1°, but W*'s columns are %.3f from orthonormal (epoch %.1f): not there yet.", len(m.Angles), m.Orthonormal, m.Epoch)}
		}
		if compare.ProofHolds(worst, ratio) {
			what := "the autoencoder has found PCA's subspace"
			if tied {
				what = fmt.Sprintf("with %d parameters (tied), W* = Wᵀ has orthonormal columns (|W*ᵀW* − I| = %.4f) spanning PCA's subspace", m.Parameters, m.Orthonormal)
			}
			return Result{true, fmt.Sprintf("All %d angles below 1° after %.1f s (epoch %.1f): %s; held-out loss/PCA %.4f.",
				len(m.Angles), l.Seconds, m.Epoch, what, ratio)}
		}
		return Result{false, fmt.Sprintf("Largest angle %.2f°, held-out loss/PCA %.4f (epoch %.1f): not there yet.", worst, ratio, m.Epoch)}
	}
}
