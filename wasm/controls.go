package main

import (
	"aeplayground/engine/ae"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// modelControls are the model's and the noise's settings, each with a
// visible label, a one-line note on what it does and what theory predicts,
// and the error for it when the value is refused.
type modelControls struct {
	app.Compo

	Settings settings
	Errors   map[string]string
	OnChange func(ctx app.Context, s settings)
}

// field renders one labelled control with its note and error.
func (m *modelControls) field(id, label, note string, input app.UI) app.UI {
	err, bad := m.Errors[id]
	class := "field"
	if bad {
		class += " invalid"
	}
	return app.Div().Class(class).Body(
		app.Label().For("in-"+id).Text(label),
		input,
		app.If(bad, app.P().ID("err-"+id).Class("error").Attr("role", "alert").Text(err)),
		app.P().Class("note").Text(note),
	)
}

// text is a text input bound to one string setting.
func (m *modelControls) text(id string, value string, set func(*settings, string)) app.HTMLInput {
	return app.Input().ID("in-"+id).Type("text").Attr("inputmode", "decimal").Attr("spellcheck", "false").
		Value(value).OnChange(func(ctx app.Context, e app.Event) {
		s := m.Settings
		set(&s, ctx.JSSrc().Get("value").String())
		m.OnChange(ctx, s)
	})
}

// choice is a select bound to one setting.
func (m *modelControls) choice(id string, value string, options []string, set func(*settings, string)) app.UI {
	opts := make([]app.UI, len(options))
	for i, o := range options {
		opts[i] = app.Option().Value(o).Text(o).Selected(o == value)
	}
	return app.Select().ID("in-" + id).OnChange(func(ctx app.Context, e app.Event) {
		s := m.Settings
		set(&s, ctx.JSSrc().Get("value").String())
		m.OnChange(ctx, s)
	}).Body(opts...)
}

func (m *modelControls) check(id string, value bool, set func(*settings, bool)) app.UI {
	return app.Input().ID("in-" + id).Type("checkbox").Checked(value).OnChange(func(ctx app.Context, e app.Event) {
		s := m.Settings
		set(&s, ctx.JSSrc().Get("checked").Bool())
		m.OnChange(ctx, s)
	})
}

func names[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = string(x)
	}
	return out
}

func (m *modelControls) Render() app.UI {
	s := m.Settings
	return app.Section().Class("card controls-card wide").Body(
		app.H2().Text("Model"),
		app.Div().Class("fields").Body(
			m.field(fieldK, "Code size k", "Units in the bottleneck. Undercomplete (k < 784) must compress; PCA keeps k directions.",
				m.text(fieldK, s.K, func(s *settings, v string) { s.K = v })),
			m.field(fieldHidden, "Hidden layers before the code", "Widths, e.g. “128, 64”; the decoder mirrors them. Empty: one layer, 784-k-784.",
				m.text(fieldHidden, s.Hidden, func(s *settings, v string) { s.Hidden = v })),
			m.field(fieldF, "Encoder activation f", "linear f and g with MSE make the optimum PCA's subspace; non-linear f can beat PCA's floor.",
				m.choice(fieldF, string(s.F), names(ae.Activations), func(s *settings, v string) { s.F = ae.Activation(v) })),
			m.field(fieldG, "Output activation g", "sigmoid keeps x̂ in (0,1) for pixels near 0 or 1; linear lets x̂ take any value.",
				m.choice(fieldG, string(s.G), []string{string(ae.Sigmoid), string(ae.Linear)}, func(s *settings, v string) { s.G = ae.Activation(v) })),
			m.field(fieldLoss, "Loss", "mse: squared error, comparable with PCA's floor. bce: cross-entropy for near-binary pixels, needs sigmoid g.",
				m.choice(fieldLoss, string(s.Loss), names(ae.Losses), func(s *settings, v string) { s.Loss = ae.Loss(v) })),
			m.field("init", "Initialisation", "normal(0, 0.1), PyTorch's default, Glorot uniform, or the survey's mix of the two.",
				m.choice("init", string(s.Init), names(ae.Inits), func(s *settings, v string) { s.Init = ae.Init(v) })),
			m.field(fieldOptimizer, "Optimizer", "Adam adapts each weight's step; SGD needs a larger rate; momentum smooths SGD.",
				m.choice(fieldOptimizer, string(s.Optimizer), names(ae.Optimizers), func(s *settings, v string) { s.Optimizer = ae.Optimizer(v) })),
			m.field(fieldLR, "Learning rate", "Step size. Too large and the loss becomes NaN: training stops and says so.",
				m.text(fieldLR, s.LR, func(s *settings, v string) { s.LR = v })),
			m.field(fieldMomentum, "Momentum μ", "For the momentum optimizer: v = μv + g. Near 1 it remembers more of past gradients.",
				m.text(fieldMomentum, s.Momentum, func(s *settings, v string) { s.Momentum = v })),
			m.field(fieldBatch, "Batch size", "Digits per step: larger batches give smoother but fewer steps per epoch.",
				m.text(fieldBatch, s.Batch, func(s *settings, v string) { s.Batch = v })),
			m.field(fieldSeed, "Seed", "Same seed, same settings: the same run, step for step.",
				m.text(fieldSeed, s.Seed, func(s *settings, v string) { s.Seed = v })),
			m.field(fieldL2, "L2 weight decay λ", "Adds λ‖W‖² (weights, not biases): smaller weights, smoother filters. Relative to the per-pixel loss.",
				m.text(fieldL2, s.L2, func(s *settings, v string) { s.L2 = v })),
			m.field("tied", "Tied weights W* = Wᵀ", "Halves the parameters; a tied linear optimum has orthonormal decoder columns spanning PCA's subspace.",
				m.check("tied", s.Tied, func(s *settings, v bool) { s.Tied = v })),
			m.field(fieldSparse, "Sparsity target ρ and weight β", "KL penalty pulling each sigmoid code unit's mean activation ρ̂ to ρ; β = 0 turns it off.",
				app.Div().Class("pair-inputs").Body(
					// One visible label for the two: each input its own name.
					m.text("rho", s.Rho, func(s *settings, v string) { s.Rho = v }).Aria("label", "Sparsity target ρ"),
					m.text(fieldSparse, s.Beta, func(s *settings, v string) { s.Beta = v }).Aria("label", "Sparsity weight β"),
				)),
			m.field(fieldContractive, "Contractive λ", "Penalises ‖∂h/∂x‖²_F: codes insensitive to small input changes. Single sigmoid/tanh layer.",
				m.text(fieldContractive, s.Contractive, func(s *settings, v string) { s.Contractive = v })),
		),
	)
}
