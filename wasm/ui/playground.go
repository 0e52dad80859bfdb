package ui

import (
	"time"

	"aeplayground/engine/ae"
	"aeplayground/wasm/page"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// playground is the page, and its composition root: it makes the worker's
// client, the digit's owner, the saving of the work and the scripting
// bridge, registers what they handle, and lays out the panels from the demo
// it shows (page.Demo). Progress from the worker goes straight to the panels
// (each handles its own worker actions), so this component re-renders only
// when a setting or the worker's status changes.
type playground struct {
	app.Compo

	demo   *page.Demo
	worker *workerclient.Client
	digit  *page.Digit       // the current digit's owner
	keep   *page.Persistence // the work kept across reloads; nil in the prerendered page
	api    *page.Bridge      // the scripting API
	gate   *page.RestoreGate // the restore of the saved model against commands
	view   *embedView        // an embed's visibility (embedview.go); nil outside embeds
	keys   *presenterKeys    // presenter mode's keys (presenter.go)

	status     string
	fatal      bool
	ready      bool
	mountedAll bool // the panels out of view are mounted too (slots.go: slotAt)
}

// OnInit reads the link before the first render, so that an embedded page
// is laid out compactly from its first frame. On the server, which cannot
// see the fragment, it renders the default playground: the page a browser
// shows until app.wasm has started.
func (p *playground) OnInit() {
	if app.IsClient {
		p.demo = page.NewDemo(app.Window().URL().Fragment)
	} else {
		p.demo = page.DefaultDemo()
		p.mountedAll = true // the prerendered page is the whole page
	}
	p.gate = page.NewRestoreGate(p.demo.KeepsWork())
}

func (p *playground) OnMount(ctx app.Context) {
	// The panels out of view mount in a task of their own (slots.go: slotAt):
	// a millisecond's sleep ends this task, since Go's runtime gives the
	// thread back to the browser while every goroutine waits.
	ctx.After(time.Millisecond, func(app.Context) { p.mountedAll = true })
	d := p.demo
	// The link's fragment holds the settings (OnInit read them): a link
	// reproduces a demo. Bad keys are named and ignored.
	d.Note = d.LinkNote()
	p.status = "Starting the training worker…"
	p.worker = workerclient.New(ctx, d.Link.Embed)
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
		d.OnRefused(s)
		if s.Fatal {
			p.status, p.fatal = s.Text, true
			return
		}
		d.Note = s.Text
	})
	workerclient.On(ctx, func(ctx app.Context, e *protocol.ConfigError) { d.ConfigRefused(e.Text) })
	workerclient.OnQuiet(ctx, func(app.Context, *protocol.Pong) {})
	workerclient.On(ctx, p.onModelLoaded)
	page.Status.Handle(ctx, func(ctx app.Context, s string) { p.status, p.fatal = s, false })
	page.Note.Handle(ctx, func(ctx app.Context, s string) { d.Note = s })
	page.DigitShown.HandleQuiet(ctx, d.OnDigit) // the link follows the digit, with no re-render of the page
	// The first messages go out before the worker has loaded: worker.js
	// queues them until Go is listening.
	p.worker.Send(&protocol.Ping{})
	d.Start(ctx, p.worker, p.digit, func(frag string) {
		app.Window().Get("history").Call("replaceState", nil, "", "#"+frag)
	})
	if d.Link.Embed {
		p.watchView(ctx) // its worker and autoplay wait until the frame is shown
	} else {
		d.Autoplay()
	}
	d.ShowLinkDigit(ctx)
	p.gate.Arm() // the page's own first commands have gone
	// Saving and restoring come after them: a restored model replaces
	// the new one they made, unless the user acts first.
	p.keep = page.NewPersistence(p.worker, p.digit, p.gate, d.KeepsWork())
	p.keep.Mount(ctx)
	p.api = page.NewBridge(ctx, d, p.worker, p.digit, p.gate, func() bool { return p.ready })
	p.keys = p.listenPresenterKeys(ctx)
}

// onModelLoaded takes a loaded model's settings as the page's, unless a
// user's command overtook the restore that loaded it.
func (p *playground) onModelLoaded(ctx app.Context, m *protocol.Loaded) {
	if m.Restored {
		if p.gate.Settle(); p.gate.Overtook {
			return // the user's command that followed it stands: the page keeps its settings
		}
	}
	p.demo.ModelLoaded(ctx, m.Config)
}

func (p *playground) OnDismount() {
	p.worker.Close()
	p.api.Close()
	p.view.close()
	p.keep.Dismount()
	p.keys.close()
}

func (p *playground) choosePreset(info ae.PresetInfo) app.EventHandler {
	return func(ctx app.Context, e app.Event) { p.demo.UseConfig(ctx, info.Name, info.Config) }
}

func (p *playground) Render() app.UI {
	d := p.demo
	class := "playground"
	if d.Large {
		class += " large"
	}
	if d.Link.Embed {
		class += " embed"
	}
	if d.Lesson != nil {
		class += " in-lesson"
	}
	if d.Presenting() {
		class += " present"
	}
	statusClass, noteClass := "status", "status error"
	if p.fatal {
		statusClass += " error"
	}
	if p.status == "" {
		statusClass += " empty"
	}
	if d.Note == "" {
		noteClass += " empty"
	}
	presets := make([]app.UI, len(d.Presets))
	// The line under the presets says which settings a link or the controls
	// changed from the preset, never claims the preset's own (page.Demo.About).
	about, asPreset := d.About()
	for i, info := range d.Presets {
		cls := "preset"
		if info.Name == d.Base && asPreset {
			cls += " active"
		}
		presets[i] = app.Button().ID("preset-" + info.Name).Class(cls).Title(info.About).Text(info.Title).OnClick(p.choosePreset(info))
	}
	return app.Div().Class(class).Body(
		app.Header().Class("top").Body(
			app.If(d.Link.Embed, app.H1().Class("embed-title").Body(
				app.A().Href(fullURL()).Target("_blank").Rel("noopener").Text("Autoencoder playground ↗").
					Title("Open the full playground in a new tab"))).
				Else(app.H1().Text("Autoencoder playground")),
			app.If(d.Link.Embed && d.Lesson == nil && !d.Shows("train"), &embedPlay{Worker: p.worker, Ready: p.ready}),
			app.Nav().Class("presets").Aria("label", "Presets").Hidden(d.Link.Embed).Body(presets...),
			app.Div().Class("lesson-menu").Hidden(d.Link.Embed).Body(p.lessonMenu(), lectureLink()),
			app.Label().Class("large-toggle").Hidden(d.Link.Embed).Body(
				app.Input().Type("checkbox").ID("large-type").Checked(d.Large).OnChange(func(ctx app.Context, e app.Event) {
					d.SetLarge(ctx.JSSrc().Get("checked").Bool())
				}),
				app.Text(" Large type"),
			),
			app.If(!d.Link.Embed, &shareBar{}),
		),
		app.P().Class("about").Attr("role", "region").Aria("label", "About these settings").Hidden(d.Link.Embed).Text(about),
		// Always rendered, empty when there is nothing to say: a changing
		// number of elements before the panels would remount them all.
		app.P().ID("status").Class(statusClass).Attr("role", "status").Text(p.status),
		app.P().ID("note").Class(noteClass).Attr("role", "alert").Text(d.Note),
		unsavedNote(),
		// Each panel sits in a slot that a link's panels= (or the embed
		// layout) hides by an attribute: the tree never changes shape.
		app.Main().Class("panels").Body(
			app.Div().Class("slot slot-lesson").Hidden(d.Lesson == nil).Style("order", "-1").Body(
				&lessonCard{Run: d.Lesson, Worker: p.worker, Ready: p.ready, Embed: d.Link.Embed, Present: d.Presenting(), OnPresent: func(on bool) { d.SetPresent(on); p.Update() },
					OnGo: p.goLesson, OnTry: d.TryLesson, OnExit: func(app.Context) { d.LeaveLesson() }}),
			p.slot(&pad{Worker: p.worker, Digit: p.digit}, "pad"),
			app.Div().Class("stack").Hidden(!d.Shows("recon", "settings")).Body(
				p.slot(&digitRow{Corrupted: d.Link.Corrupt.Active(), K: d.Applied.K()}, "recon"),
				p.slot(&noiseControls{Corrupt: d.Link.Corrupt, LevelText: d.LevelText, Err: d.NoiseErr,
					Denoise: d.Form.Config.Noise.Active(), OnCorrupt: d.Corrupt, OnDenoise: func(_ app.Context, on bool) { d.Denoise(on) }}, "settings"),
			),
			app.Div().Class("stack").Hidden(!d.Shows("train", "loss")).Body(
				p.slot(&trainPanel{Worker: p.worker, Ready: p.ready, Want: d.Applied.Arch(), Refused: d.Refused != ""}, "train"),
				p.slot(&lossChart{Labels: d.LessonLabels(), Curve: d.LessonCurve()}, "loss"),
			),
			app.Div().Class("stack").Hidden(!d.Shows("heldout", "code")).Body(
				p.slot(&heldOutGrid{}, "heldout"),
				p.slot(&sparsityPanel{}, "code"),
			),
			// The workers go with the training settings. Not a panel a link
			// can choose: shown in the full layout only.
			app.Div().Class("stack wide").Hidden(!d.Shows("settings")).Body(
				p.slotBelow(&modelControls{Form: d.Form, OnSet: func(_ app.Context, kv ...string) { d.Set(kv...) }}, "settings"),
				p.slotBelow(&workersControl{Worker: p.worker}, "workers"),
			),
			p.slotBelow(&pcaPanel{}, "pca", "filters"),
			p.slotBelow(&scatterPlot{}, "code"),
			p.slotBelow(&codePlane{Worker: p.worker, K: d.Form.Config.K(), OnSet: func(_ app.Context, kv ...string) { d.Set(kv...) }}, "code"),
			p.slotBelow(&exportPanel{Worker: p.worker, Keep: p.keep}, "export"),
		),
		// Under the panels out of view: shown once they are there, it
		// does not jump down past the fold.
		app.Footer().Class("foot").Hidden(d.Link.Embed || !p.mountedAll).Body(
			app.P().Text("Runs entirely in your browser: Go compiled to WebAssembly, the training in a Web Worker, 10,000 MNIST digits for training and 2,000 held out."),
		),
	)
}
