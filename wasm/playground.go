package main

import (
	"encoding/json"

	"strings"

	"aeplayground/engine/ae"
	"aeplayground/engine/noise"
	"aeplayground/wasm/state"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// playground is the page: it owns the settings and the worker, and lays out
// the panels. Progress from the worker goes straight to the panels (each
// handles its own "worker:" actions), so this component re-renders only
// when a setting or the worker's status changes.
type playground struct {
	app.Compo

	worker   *workerClient
	presets  []ae.PresetInfo
	settings settings
	base     string // the preset the settings started from, for links
	errors   map[string]string
	status   string
	fatal    bool
	ready    bool
	large    bool
	note     string // a non-fatal message from the worker
}

func (p *playground) OnMount(ctx app.Context) {
	p.presets = ae.Presets()
	// The link's fragment holds the settings: a link reproduces a demo. Bad
	// keys are named and ignored.
	st, errs := state.Parse(app.Window().URL().Fragment)
	p.base, p.large = st.Preset, st.LargeType
	p.settings = fromConfig(st.Preset, st.Config)
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, err := range errs {
			msgs[i] = err.Error()
		}
		p.note = "Ignored in the link: " + strings.Join(msgs, "; ")
	}
	p.status = "Starting the training worker…"
	p.worker = newWorkerClient(ctx)
	ctx.Handle("worker:status", func(ctx app.Context, a app.Action) { p.status = a.Value.(statusMsg).Text })
	ctx.Handle("worker:ready", func(ctx app.Context, a app.Action) {
		r := a.Value.(readyMsg)
		p.ready = true
		p.status = ""
		app.Logf("worker ready: %d training and %d held-out digits, PCA fitted in %.0f ms", r.Train, r.Test, r.FitMs)
	})
	ctx.Handle("worker:error", func(ctx app.Context, a app.Action) {
		s := a.Value.(statusMsg)
		if s.Fatal {
			p.status, p.fatal = s.Text, true
			return
		}
		p.note = s.Text
	})
	ctx.Handle("worker:config-error", func(ctx app.Context, a app.Action) {
		p.errors = map[string]string{fieldOf(a.Value.(statusMsg).Text): a.Value.(statusMsg).Text}
	})
	ctx.Handle("worker:pong", func(ctx app.Context, a app.Action) { ctx.PreventUpdate() })
	// Saving, restoring and a restarted worker (exportpanel.go).
	ctx.Handle("worker:loaded", p.onModelLoaded)
	ctx.Handle("ae:status", p.onNotice)
	ctx.Handle("ae:note", func(ctx app.Context, a app.Action) { p.note, _ = a.Value.(string) })
	// The first messages go out before the worker has loaded: worker.js
	// queues them until Go is listening.
	p.worker.send("ping", nil)
	p.apply(ctx, p.settings)
}

func (p *playground) OnDismount() { p.worker.close() }

// apply takes new settings: a valid config goes to the worker (which starts
// a new model), an invalid one is named next to its control and the current
// model keeps running.
func (p *playground) apply(ctx app.Context, s settings) {
	p.settings = s
	cfg, errs := s.config()
	p.errors = errs
	if spec, err := s.noiseSpec(); err == nil {
		p.worker.send("noise", map[string]any{"kind": string(spec.Kind), "level": spec.Level})
	}
	if len(errs) > 0 {
		return
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		p.errors = map[string]string{fieldK: err.Error()}
		return
	}
	p.worker.send("config", map[string]any{"config": string(b)})
	p.saveURL(cfg)
}

// saveURL writes the settings into the URL's fragment, in place: the
// fragment (not a query) so the service worker's cache still finds the page.
func (p *playground) saveURL(cfg ae.Config) {
	frag := state.Encode(state.State{Preset: p.base, Config: cfg, LargeType: p.large})
	app.Window().Get("history").Call("replaceState", nil, "", "#"+frag)
}

func (p *playground) onSettings(ctx app.Context, s settings) {
	s.Preset = ""
	p.apply(ctx, s)
}

func (p *playground) choosePreset(info ae.PresetInfo) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		p.base, p.note = info.Name, ""
		s := fromConfig(info.Name, info.Config)
		// Keep the page's corruption unless the preset brings its own.
		if !info.Config.Noise.Active() {
			s.NoiseKind, s.NoiseLevel = p.settings.NoiseKind, p.settings.NoiseLevel
		}
		p.apply(ctx, s)
	}
}

// shownNoise is the corruption of the digits shown, none while its level
// does not parse.
func (p *playground) shownNoise() noise.Spec {
	spec, err := p.settings.noiseSpec()
	if err != nil {
		return noise.Spec{}
	}
	return spec
}

func (p *playground) Render() app.UI {
	class := "playground"
	if p.large {
		class += " large"
	}
	statusClass, noteClass := "status", "status error"
	if p.fatal {
		statusClass += " error"
	}
	if p.status == "" {
		statusClass += " empty"
	}
	if p.note == "" {
		noteClass += " empty"
	}
	presets := make([]app.UI, len(p.presets))
	about := ""
	for i, info := range p.presets {
		cls := "preset"
		if info.Name == p.settings.Preset {
			cls += " active"
			about = info.About
		}
		if p.settings.Preset == "" && info.Name == p.base {
			about = "Your own settings, starting from the preset “" + info.Title + "”."
		}
		presets[i] = app.Button().ID("preset-" + info.Name).Class(cls).Title(info.About).Text(info.Title).OnClick(p.choosePreset(info))
	}
	return app.Div().Class(class).Body(
		app.Header().Class("top").Body(
			app.H1().Text("Autoencoder playground"),
			app.Nav().Class("presets").Aria("label", "Presets").Body(presets...),
			app.Label().Class("large-toggle").Body(
				app.Input().Type("checkbox").ID("large-type").Checked(p.large).OnChange(func(ctx app.Context, e app.Event) {
					p.large = ctx.JSSrc().Get("checked").Bool()
					if cfg, errs := p.settings.config(); len(errs) == 0 {
						p.saveURL(cfg)
					}
				}),
				app.Text(" Large type"),
			),
		),
		app.P().Class("about").Attr("role", "region").Aria("label", "About these settings").Text(about),
		// Always rendered, empty when there is nothing to say: a changing
		// number of elements before the panels would remount them all.
		app.P().ID("status").Class(statusClass).Attr("role", "status").Text(p.status),
		app.P().ID("note").Class(noteClass).Attr("role", "alert").Text(p.note),
		app.Main().Class("panels").Body(
			&pad{Worker: p.worker},
			app.Div().Class("stack").Body(
				&digitRow{Worker: p.worker, Noise: p.shownNoise()},
				&noiseControls{Settings: p.settings, Errors: p.errors, OnChange: p.onSettings},
			),
			app.Div().Class("stack").Body(
				&trainPanel{Worker: p.worker, Ready: p.ready},
				&lossChart{},
			),
			app.Div().Class("stack").Body(
				&heldOutGrid{},
				&sparsityPanel{},
			),
			&modelControls{Settings: p.settings, Errors: p.errors, OnChange: p.onSettings},
			&pcaPanel{},
			&scatterPlot{},
			&exportPanel{Worker: p.worker},
		),
		app.Footer().Class("foot").Body(
			app.P().Text("Runs entirely in your browser: Go compiled to WebAssembly, the training in a Web Worker, 10,000 MNIST digits for training and 2,000 held out."),
		),
	)
}
