package ui

import (
	"reflect"
	"strconv"
	"strings"
	"time"

	"aeplayground/engine/ae"
	"aeplayground/engine/noise"
	"aeplayground/wasm/lesson"
	"aeplayground/wasm/page"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/state"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// playground is the page: it owns the settings and the worker, and lays out
// the panels. Progress from the worker goes straight to the panels (each
// handles its own worker actions, workeractions.go), so this component
// re-renders only when a setting or the worker's status changes.
type playground struct {
	app.Compo

	worker  *workerclient.Client
	digit   *page.Digit       // the current digit's owner
	keep    *page.Persistence // the work kept across reloads; nil in the prerendered page
	presets []ae.PresetInfo
	// form is the model settings: what the controls edit, what a link
	// encodes, what setConfig changes and what the worker trains.
	form     state.Form
	base     string // the preset the settings started from, for links
	levelTxt string // the shown corruption's level as typed, while refused
	noiseErr string // why it was refused
	refused  string // the worker's refusal of the last config, if any
	status   string
	fatal    bool
	ready    bool
	large    bool
	note     string // a non-fatal message from the worker

	// link is what the URL carries besides the settings (the digit, the
	// shown corruption, the embed layout, its panels and the origins
	// allowed to script the page); see link.go. applied is the last config
	// sent to the worker.
	link      state.State
	linkErrs  []error
	ownPanels []string // the link's panels, shown again when a lesson is left
	// A lesson step (lessons.go): what its checkpoint has seen, and its
	// second model, trained beside the first. Nil outside a lesson.
	lessonRun  *page.LessonRun
	compare    []ae.Config
	applied    ae.Config
	urlPending bool
	api        *apiBridge
	view       *embedView        // an embed's visibility (embedview.go); nil outside embeds
	gate       *page.RestoreGate // the restore of the saved model against commands (restoregate.go)
	mountedAll bool              // the panels out of view are mounted too (link.go: slotAt)
}

func (p *playground) OnMount(ctx app.Context) {
	// The panels out of view mount in a task of their own (link.go: slotAt):
	// a millisecond's sleep ends this task, since Go's runtime gives the
	// thread back to the browser while every goroutine waits.
	ctx.After(time.Millisecond, func(app.Context) { p.mountedAll = true })
	// The link's fragment holds the settings (OnInit read them): a link
	// reproduces a demo. Bad keys are named and ignored.
	if errs := p.linkErrs; len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, err := range errs {
			msgs[i] = err.Error()
		}
		p.note = "Ignored in the link: " + strings.Join(msgs, "; ")
	}
	p.status = "Starting the training worker…"
	p.worker = workerclient.New(ctx, p.link.Embed)
	p.worker.OnCommand(p.gate.Command)
	p.digit = page.NewDigit(p.worker)
	workerclient.OnQuiet(ctx, p.digit.OnSampled)
	workerclient.On(ctx, func(ctx app.Context, s *protocol.Status) { p.status = s.Text })
	workerclient.On(ctx, func(ctx app.Context, r *protocol.Ready) {
		p.ready = true
		p.status = ""
		app.Logf("worker ready: %d training and %d held-out digits, decoded in %.0f ms, PCA fitted in %.0f ms", r.Train, r.Test, r.DecodeMs, r.FitMs)
	})
	workerclient.On(ctx, func(ctx app.Context, s *protocol.Error) {
		if s.Fatal {
			p.status, p.fatal = s.Text, true
			return
		}
		p.note = s.Text
	})
	// The page sends only configs that passed Validate: a refusal here is
	// the worker's (out of memory, say), shown as a note, not at a control.
	workerclient.On(ctx, func(ctx app.Context, e *protocol.ConfigError) {
		p.refused = e.Text
		p.note = "The worker could not build this model: " + p.refused
	})
	workerclient.OnQuiet(ctx, func(app.Context, *protocol.Pong) {})
	// Saving, restoring and a restarted worker (exportpanel.go).
	workerclient.On(ctx, p.onModelLoaded)
	page.Status.Handle(ctx, p.onNotice)
	page.Note.Handle(ctx, func(ctx app.Context, s string) { p.note = s })
	// The first messages go out before the worker has loaded: worker.js
	// queues them until Go is listening.
	p.worker.Send(&protocol.Ping{})
	if p.lessonRun == nil || !p.enterLesson(ctx, p.lessonRun.Step.ID) {
		p.sendCorrupt(ctx)
		p.applyConfig()
	}
	if p.link.Embed {
		p.watchView(ctx) // its worker and autoplay wait until the frame is shown
	} else {
		p.autoplay()
	}
	page.DigitShown.HandleQuiet(ctx, p.onDigit) // no re-render of the page
	workerclient.On(ctx, p.onLinkDigitError)
	p.showLinkDigit(ctx)
	p.gate.Arm() // the page's own first commands have gone
	// Saving and restoring come after them: a restored model replaces
	// the new one they made, unless the user acts first.
	p.keep = page.NewPersistence(p.worker, p.digit, p.gate, p.keepsWork())
	p.keep.Mount(ctx)
	p.api = newAPIBridge(ctx, p)
}

// keepsWork reports whether the page keeps its work across visits: only
// the full playground does; an embed or a lesson never restores a model
// saved by another demo, nor saves over it.
func (p *playground) keepsWork() bool { return !p.link.Embed && p.lessonRun == nil }

// onModelLoaded takes a loaded model's settings as the page's, without
// sending them back (that would start a new model).
func (p *playground) onModelLoaded(ctx app.Context, m *protocol.Loaded) {
	if m.Restored {
		if p.gate.Settle(); p.gate.Overtook {
			return // the user's command that followed it stands: the page keeps its settings
		}
	}
	cfg := m.Config
	name := ""
	for _, info := range ae.Presets() {
		if reflect.DeepEqual(info.Config, cfg) {
			name = info.Name
		}
	}
	if name != "" {
		p.base = name
	}
	if cfg.Noise.Active() { // a denoising model shows the corruption it trains on
		p.link.Corrupt = cfg.Noise
		p.sendCorrupt(ctx)
	}
	p.form = state.NewForm(cfg)
	p.saveURL(cfg)
}

// onNotice shows a message from the export panel in the page's status line.
func (p *playground) onNotice(ctx app.Context, s string) {
	p.status, p.fatal = s, false
}

func (p *playground) OnDismount() { p.worker.Close(); p.api.close(); p.view.close(); p.keep.Dismount() }

// applyConfig sends the form's config to the worker, which starts a new
// model, and writes it into the link.
func (p *playground) applyConfig() {
	p.refused = ""
	p.worker.Send(&protocol.SetConfig{Config: p.form.Config, Compare: p.compare})
	p.saveURL(p.form.Config)
}

// sendCorrupt shows the digits with the link's corruption.
func (p *playground) sendCorrupt(ctx app.Context) {
	p.digit.SetNoise(ctx, p.link.Corrupt)
}

// saveURL writes the settings into the URL's fragment, in place: the
// fragment (not a query) so the service worker's cache still finds the page.
func (p *playground) saveURL(cfg ae.Config) {
	p.applied = cfg
	frag := state.Encode(p.linkState(cfg))
	app.Window().Get("history").Call("replaceState", nil, "", "#"+frag)
}

// onSet takes a control's text (key, value, …): the form parses it as a
// link's, and a valid result goes to the worker; a refused one is named at
// its control while the current model keeps running.
func (p *playground) onSet(ctx app.Context, kv ...string) {
	if len(kv) == 2 && kv[0] == "opt" && kv[1] == string(ae.Momentum) && p.form.Config.Momentum == 0 {
		kv = append(kv, "mom", "0.9") // a first choice of momentum starts at the usual μ, not at plain SGD
	}
	if p.form.Set(kv...) {
		p.applyConfig()
	}
}

// useConfig makes cfg (already valid: a preset, a script's setConfig) the
// settings and starts its model. A preset's own corruption is shown with
// it; a preset without one shows none (no corruption is inherited from the
// last demo); a script's config changes the shown corruption only if it
// trains on one.
func (p *playground) useConfig(ctx app.Context, preset string, cfg ae.Config) {
	if preset != "" {
		p.base, p.note = preset, ""
		p.link.Corrupt = noise.Spec{}
		p.lessonRun, p.compare = nil, nil // a preset leaves the lesson
		p.link.Lesson, p.link.Panels = "", p.ownPanels
	}
	if cfg.Noise.Active() {
		p.link.Corrupt = cfg.Noise
	}
	p.levelTxt, p.noiseErr = "", ""
	p.form = state.NewForm(cfg)
	p.sendCorrupt(ctx)
	p.applyConfig()
}

func (p *playground) choosePreset(info ae.PresetInfo) app.EventHandler {
	return func(ctx app.Context, e app.Event) { p.useConfig(ctx, info.Name, info.Config) }
}

// onCorrupt takes the corruption controls' kind and level. A denoising
// model follows the corruption shown: it trains on what the page shows.
func (p *playground) onCorrupt(ctx app.Context, kind, level string) {
	spec, err := state.ParseNoise(kind, level)
	if err != nil {
		p.levelTxt, p.noiseErr = level, err.Error()
		return
	}
	p.levelTxt, p.noiseErr = "", ""
	p.link.Corrupt = spec
	p.sendCorrupt(ctx)
	if p.form.Config.Noise.Active() {
		p.onDenoise(ctx, spec.Active())
		return
	}
	p.saveURL(p.applied)
}

// onDenoise turns training on the shown corruption on or off.
func (p *playground) onDenoise(ctx app.Context, on bool) {
	kv := []string{"noise", "none"}
	if spec := p.link.Corrupt; on && spec.Active() {
		kv = []string{"noise", string(spec.Kind), "level", formatLevel(spec.Level)}
	}
	if p.form.Set(kv...) {
		p.applyConfig()
		return
	}
	p.noiseErr = p.form.Error("noise") + p.form.Error("level")
}

func formatLevel(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func (p *playground) Render() app.UI {
	class := "playground"
	if p.large {
		class += " large"
	}
	if p.link.Embed {
		class += " embed"
	}
	if p.lessonRun != nil {
		class += " in-lesson"
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
	// The line under the presets says which settings a link or the controls
	// changed from the preset, never claims the preset's own (link.go).
	about, asPreset := p.aboutText()
	for i, info := range p.presets {
		cls := "preset"
		if info.Name == p.base && asPreset {
			cls += " active"
		}
		presets[i] = app.Button().ID("preset-" + info.Name).Class(cls).Title(info.About).Text(info.Title).OnClick(p.choosePreset(info))
	}
	return app.Div().Class(class).Body(
		app.Header().Class("top").Body(
			app.If(p.link.Embed, app.H1().Class("embed-title").Body(
				app.A().Href(fullURL()).Target("_blank").Rel("noopener").Text("Autoencoder playground ↗").
					Title("Open the full playground in a new tab"))).
				Else(app.H1().Text("Autoencoder playground")),
			app.If(p.link.Embed && p.lessonRun == nil && !p.shows("train"), &embedPlay{Worker: p.worker, Ready: p.ready}),
			app.Nav().Class("presets").Aria("label", "Presets").Hidden(p.link.Embed).Body(presets...),
			app.Div().Class("lesson-menu").Hidden(p.link.Embed).Body(p.lessonMenu(), lectureLink()),
			app.Label().Class("large-toggle").Hidden(p.link.Embed).Body(
				app.Input().Type("checkbox").ID("large-type").Checked(p.large).OnChange(func(ctx app.Context, e app.Event) {
					p.large = ctx.JSSrc().Get("checked").Bool()
					p.saveURL(p.applied)
				}),
				app.Text(" Large type"),
			),
			app.If(!p.link.Embed, &shareBar{}),
		),
		app.P().Class("about").Attr("role", "region").Aria("label", "About these settings").Hidden(p.link.Embed).Text(about),
		// Always rendered, empty when there is nothing to say: a changing
		// number of elements before the panels would remount them all.
		app.P().ID("status").Class(statusClass).Attr("role", "status").Text(p.status),
		app.P().ID("note").Class(noteClass).Attr("role", "alert").Text(p.note),
		unsavedNote(),
		// Each panel sits in a slot that a link's panels= (or the embed
		// layout) hides by an attribute: the tree never changes shape.
		app.Main().Class("panels").Body(
			app.Div().Class("slot slot-lesson").Hidden(p.lessonRun == nil).Style("order", "-1").Body(
				&lessonCard{Run: p.lessonRun, Worker: p.worker, Ready: p.ready,
					OnGo: p.goLesson, OnTry: p.tryLesson, OnExit: p.leaveLesson}),
			p.slot(&pad{Worker: p.worker, Digit: p.digit}, "pad"),
			app.Div().Class("stack").Hidden(!p.shows("recon", "settings")).Body(
				p.slot(&digitRow{Corrupted: p.link.Corrupt.Active(), K: p.applied.K()}, "recon"),
				p.slot(&noiseControls{Corrupt: p.link.Corrupt, LevelText: p.levelTxt, Err: p.noiseErr,
					Denoise: p.form.Config.Noise.Active(), OnCorrupt: p.onCorrupt, OnDenoise: p.onDenoise}, "settings"),
			),
			app.Div().Class("stack").Hidden(!p.shows("train", "loss")).Body(
				p.slot(&trainPanel{Worker: p.worker, Ready: p.ready, Want: p.applied.Arch(), Refused: p.refused != ""}, "train"),
				p.slot(&lossChart{Labels: p.lessonLabels(), Curve: p.lessonCurve()}, "loss"),
			),
			app.Div().Class("stack").Hidden(!p.shows("heldout", "code")).Body(
				p.slot(&heldOutGrid{}, "heldout"),
				p.slot(&sparsityPanel{}, "code"),
			),
			// The workers go with the training settings. Not a panel a link
			// can choose: shown in the full layout only.
			app.Div().Class("stack wide").Hidden(!p.shows("settings")).Body(
				p.slotBelow(&modelControls{Form: p.form, OnSet: p.onSet}, "settings"),
				p.slotBelow(&workersControl{Worker: p.worker}, "workers"),
			),
			p.slotBelow(&pcaPanel{}, "pca", "filters"),
			p.slotBelow(&scatterPlot{}, "code"),
			p.slotBelow(&codePlane{Worker: p.worker, K: p.form.Config.K(), OnSet: p.onSet}, "code"),
			p.slotBelow(&exportPanel{Worker: p.worker, Keep: p.keep}, "export"),
		),
		// Under the panels out of view: shown once they are there, it
		// does not jump down past the fold.
		app.Footer().Class("foot").Hidden(p.link.Embed || !p.mountedAll).Body(
			app.P().Text("Runs entirely in your browser: Go compiled to WebAssembly, the training in a Web Worker, 10,000 MNIST digits for training and 2,000 held out."),
		),
	)
}

// lessonLabels names a lesson's two models for the loss chart; nil for one.
func (p *playground) lessonLabels() []string {
	if p.lessonRun == nil {
		return nil
	}
	return p.lessonRun.Step.Labels
}

// lessonCurve is the figure the chart plots for a lesson's two models.
func (p *playground) lessonCurve() lesson.Curve {
	if p.lessonRun == nil {
		return lesson.CleanError
	}
	return p.lessonRun.Step.Curve
}
