package ui

import (
	"aeplayground/engine/ae"
	"aeplayground/wasm/state"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// modelControls are the model's settings, each with a visible label, a
// one-line note on what it does and what theory predicts, and the error
// for it when the value is refused. Each control is named by its link key
// (state.Keys): it shows Form.Value(key) and reports a change as key=value,
// which the form parses exactly as a link would.
type modelControls struct {
	app.Compo

	Form  state.Form
	OnSet func(ctx app.Context, kv ...string)
}

// field renders one labelled control with its note and error. A disabled
// control says why in its note.
func (m *modelControls) field(key, label, note string, input app.UI) app.UI {
	err := m.Form.Error(key)
	class := "field"
	if err != "" {
		class += " invalid"
	}
	return app.Div().Class(class).Body(
		app.Label().For("in-"+key).Text(label),
		input,
		// The alert names its setting: it is read out on its own.
		app.If(err != "", app.P().ID("err-"+key).Class("error").Attr("role", "alert").Text(label+": "+err)),
		app.P().Class("note").Text(note),
	)
}

// text is a text input for the setting key.
func (m *modelControls) text(key string) app.HTMLInput {
	return app.Input().ID("in-"+key).Type("text").Attr("inputmode", "decimal").Attr("spellcheck", "false").
		Value(m.Form.Value(key)).OnChange(func(ctx app.Context, e app.Event) {
		m.OnSet(ctx, key, ctx.JSSrc().Get("value").String())
	})
}

// choice is a select for the setting key.
func (m *modelControls) choice(key string, options []string) app.UI {
	value := m.Form.Value(key)
	opts := make([]app.UI, len(options))
	for i, o := range options {
		opts[i] = app.Option().Value(o).Text(o).Selected(o == value)
	}
	return app.Select().ID("in-" + key).OnChange(func(ctx app.Context, e app.Event) {
		m.OnSet(ctx, key, ctx.JSSrc().Get("value").String())
	}).Body(opts...)
}

// check is a checkbox for a 1-or-0 setting.
func (m *modelControls) check(key string) app.UI {
	return app.Input().ID("in-" + key).Type("checkbox").Checked(m.Form.Value(key) == "1").OnChange(func(ctx app.Context, e app.Event) {
		v := "0"
		if ctx.JSSrc().Get("checked").Bool() {
			v = "1"
		}
		m.OnSet(ctx, key, v)
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
	f := &m.Form
	momentumOff := f.Value("opt") != string(ae.Momentum)
	momentumNote := "For the momentum optimizer: v = μv + g. Near 1 it remembers more of past gradients."
	if momentumOff {
		momentumNote = "Used by the momentum optimizer only; choose it above to set μ."
	}
	rhoOff := f.Value("beta") == "0"
	sparseNote := "KL penalty pulling each sigmoid code unit's mean activation ρ̂ to ρ; β = 0 turns it off."
	if rhoOff {
		sparseNote = "β = 0: the penalty is off, so ρ is not used. Set β > 0 (with a sigmoid code layer) to use it."
	}
	return app.Section().Class("card controls-card wide").Body(
		app.H2().Text("Model"),
		app.Div().Class("fields").Body(
			m.field("k", "Code size k", "Units in the bottleneck. Undercomplete (k < 784) must compress; PCA keeps k directions.",
				m.text("k")),
			m.field("hidden", "Hidden layers before the code", "Widths, e.g. “128, 64”; the decoder mirrors them. Empty: one layer, 784-k-784.",
				m.text("hidden")),
			m.field("f", "Encoder activation f", "One for every layer, or one per layer (“tanh, sigmoid”). linear f and g with MSE make the optimum PCA's subspace.",
				m.text("f").Attr("inputmode", "text").Attr("list", "activations")),
			app.DataList().ID("activations").Body(options(names(ae.Activations))...),
			m.field("g", "Output activation g", "sigmoid keeps x̂ in (0,1) for pixels near 0 or 1; linear lets x̂ take any value.",
				m.choice("g", []string{string(ae.Sigmoid), string(ae.Linear)})),
			m.field("loss", "Loss", "mse: squared error, comparable with PCA's floor. bce: cross-entropy for near-binary pixels, needs sigmoid g.",
				m.choice("loss", names(ae.Losses))),
			m.field("init", "Initialisation", "normal(0, 0.1), PyTorch's default, Glorot uniform, or the survey's mix of the two.",
				m.choice("init", names(ae.Inits))),
			m.field("opt", "Optimizer", "Adam adapts each weight's step; SGD needs a larger rate; momentum smooths SGD.",
				m.choice("opt", names(ae.Optimizers))),
			m.field("lr", "Learning rate", "Step size. Too large and the loss becomes NaN: training stops and says so.",
				m.text("lr")),
			m.field("sched", "Learning-rate schedule", "constant; step:P:γ multiplies lr by γ every P epochs; cosine:T:min glides to min over T epochs. A decay lets a linear AE settle into PCA's subspace.",
				m.text("sched").Attr("inputmode", "text")),
			m.field("mom", "Momentum μ", momentumNote, m.text("mom").Disabled(momentumOff)),
			m.field("batch", "Batch size", "Digits per step: larger batches give smoother but fewer steps per epoch.",
				m.text("batch")),
			m.field("seed", "Seed", "Same seed, same settings: the same run, step for step.",
				m.text("seed")),
			m.field("l2", "L2 weight decay λ", "Adds λ‖W‖² (weights, not biases): smaller weights, smoother filters. Relative to the per-pixel loss.",
				m.text("l2")),
			m.field("tied", "Tied weights W* = Wᵀ", "Halves the parameters; a tied linear optimum has orthonormal decoder columns spanning PCA's subspace.",
				m.check("tied")),
			m.field("beta", "Sparsity weight β", "Weight of the KL penalty, relative to the per-pixel loss; 0 turns it off.",
				m.text("beta")),
			m.field("rho", "Sparsity target ρ", sparseNote, m.text("rho").Disabled(rhoOff)),
			m.field("cae", "Contractive λ", "Penalises ‖∂h/∂x‖²_F: codes insensitive to small input changes. Single sigmoid/tanh layer.",
				m.text("cae")),
		),
	)
}

func options(values []string) []app.UI {
	out := make([]app.UI, len(values))
	for i, v := range values {
		out[i] = app.Option().Value(v)
	}
	return out
}
