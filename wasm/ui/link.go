package ui

import (
	"html"
	"slices"
	"strconv"
	"strings"
	"time"

	"aeplayground/engine/ae"
	"aeplayground/wasm/bus"
	"aeplayground/wasm/lesson"
	"aeplayground/wasm/page"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/state"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Links and embedding: what the playground reads from and writes to its URL
// fragment beyond the model settings (the chosen digit, the embed layout and
// its panels, the origins allowed to script it), the "Copy link" and
// "Embed" buttons, and which panels the page shows.

// defaultEmbedPanels are the panels #embed=1 shows when the link names none:
// draw a digit, see it reconstructed, train, and watch the loss.
var defaultEmbedPanels = []string{"pad", "recon", "train", "loss"}

// Embed snippet size: two columns of panels at this width.
const embedWidth, embedHeight = 760, 820

// OnInit reads the link before the first render, so that an embedded page
// is laid out compactly from its first frame.
// On the server, which cannot see the fragment, it renders the default
// playground: the page a browser shows until app.wasm has started.
func (p *playground) OnInit() {
	p.presets = ae.Presets()
	if app.IsClient {
		p.link, p.linkErrs = state.Parse(app.Window().URL().Fragment)
	} else {
		p.link = state.Default()
		p.mountedAll = true // the prerendered page is the whole page
	}
	if p.link.Embed && len(p.link.Panels) == 0 {
		p.link.Panels = defaultEmbedPanels
	}
	p.ownPanels = p.link.Panels
	p.base, p.large = p.link.Preset, p.link.LargeType
	p.form = state.NewForm(p.link.Config)
	p.lessonFromLink()
	p.gate = page.NewRestoreGate(p.keepsWork()) // before the panels mount: the export panel restores
}

// shows reports whether any of the named panels is shown.
func (p *playground) shows(names ...string) bool {
	if len(p.link.Panels) == 0 {
		return true
	}
	for _, n := range names {
		if slices.Contains(p.link.Panels, n) {
			return true
		}
	}
	return false
}

// slot wraps a panel so it can be hidden (by an attribute, never by leaving
// it out: the panels keep their place in the tree and are never remounted)
// and, in the embed layout, put in the order the link gives. A panel shows
// if any of its names is chosen.
func (p *playground) slot(ui app.UI, names ...string) app.UI {
	return p.slotAt(false, ui, names...)
}

// slotBelow is a slot below the fold of the full layout.
func (p *playground) slotBelow(ui app.UI, names ...string) app.UI {
	return p.slotAt(true, ui, names...)
}

// slotAt makes a slot; below says whether it lies below the fold of the
// full layout. The first mount of the whole tree was the longest task of
// the page's start, so it mounts only what is in view: in the full layout
// the panels above the fold, in a layout of chosen panels (an embed, a
// lesson) the chosen ones. The rest mount in the next task (mountRest),
// as an empty slot's first child: nothing before them moves.
func (p *playground) slotAt(below bool, ui app.UI, names ...string) app.UI {
	shown := p.shows(names...)
	d := app.Div().Class("slot slot-" + names[0]).Hidden(!shown)
	if p.link.Embed || p.lessonRun != nil {
		order := len(state.Panels)
		for _, n := range names {
			if i := slices.Index(p.link.Panels, n); i >= 0 {
				order = min(order, i)
			}
		}
		d = d.Style("order", strconv.Itoa(order))
	}
	if inView := shown && (len(p.link.Panels) > 0 || !below); !p.mountedAll && !inView {
		return d
	}
	return d.Body(ui)
}

// linkState is everything the link carries for the given model settings.
func (p *playground) linkState(cfg ae.Config) state.State {
	st := p.link
	if st.Lesson != "" { // a lesson's link opens the step afresh: its models, its panels
		return state.State{Preset: state.DefaultPreset, Config: state.Default().Config, Lesson: st.Lesson,
			Autoplay: st.Autoplay, Embed: st.Embed, Origins: st.Origins, LargeType: p.large}
	}
	st.Preset, st.Config, st.LargeType = p.base, cfg, p.large
	if st.Embed && slices.Equal(st.Panels, defaultEmbedPanels) {
		st.Panels = nil
	}
	return st
}

// modifiedKeys names the settings cfg changes from the preset the page
// started from, as a link names them ("k", "lr").
func modifiedKeys(preset string, cfg ae.Config) []string {
	var keys []string
	for _, kv := range strings.Split(state.Encode(state.State{Preset: preset, Config: cfg}), "&") {
		if k, _, _ := strings.Cut(kv, "="); k != "preset" && k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// aboutText is the line under the presets: the preset's description while
// the settings are the preset's (asPreset), else which settings differ
// from it.
func (p *playground) aboutText() (text string, asPreset bool) {
	var base ae.PresetInfo
	for _, info := range p.presets {
		if info.Name == p.base {
			base = info
		}
	}
	if base.Name == "" {
		return "", false
	}
	if p.form.Pending() {
		return "Your own settings, starting from the preset “" + base.Title + "”.", false
	}
	if mod := modifiedKeys(p.base, p.form.Config); len(mod) > 0 {
		return "From the preset “" + base.Title + "”, modified: " + strings.Join(mod, ", ") + ".", false
	}
	return base.About, true
}

// onDigit writes the chosen digit into the link. A stroke makes a new digit
// every frame: the link follows at most twice a second.
func (p *playground) onDigit(ctx app.Context, v *page.Shown) {
	p.link.Digit = v.Link
	if p.urlPending {
		return
	}
	p.urlPending = true
	bus.After(ctx, 500*time.Millisecond, func(ctx app.Context) {
		p.urlPending = false
		p.saveURL(p.applied)
	})
}

// showLinkDigit shows the link's digit once the worker can answer: a
// held-out digit by its index, a drawn one at once.
func (p *playground) showLinkDigit(ctx app.Context) {
	switch d := p.link.Digit; d.Kind {
	case state.DigitTest:
		p.worker.Send(&protocol.SampleAt{Index: d.Index})
	case state.DigitDrawn:
		p.digit.Set(ctx, d.Pixels, page.FromLink, "the link", d)
	}
}

// onLinkDigitError drops a held-out digit the bundle does not have from the
// link (the worker names it on the page).
func (p *playground) onLinkDigitError(ctx app.Context, s *protocol.Error) {
	if s.Refused == (*protocol.SampleAt)(nil).Kind() && p.link.Digit.Kind == state.DigitTest {
		p.link.Digit = state.Digit{}
		p.saveURL(p.applied)
	}
}

// embedURL is the page's address for an iframe: the current link with
// embed=1 and the panels shown (the embed defaults if all are), and the
// frame's height: a lesson step's embed is laid out for 760×600.
func embedURL() (src string, height int) {
	loc := app.Window().Get("location")
	st, _ := state.Parse(loc.Get("hash").String())
	st.Embed = true
	if slices.Equal(st.Panels, defaultEmbedPanels) {
		st.Panels = nil
	}
	height = embedHeight
	if st.Lesson != "" { // the step alone: its models and panels come with it
		d := state.Default()
		d.Lesson, d.Embed, d.Origins = st.Lesson, true, st.Origins
		st, height = d, lesson.EmbedHeight
	}
	// From href, not origin: a sandboxed frame's origin is "null".
	page, _, _ := strings.Cut(loc.Get("href").String(), "#")
	return page + "#" + state.Encode(st), height
}

// fullURL is the embedded page's address without the embed layout, for the
// "open in full" link.
func fullURL() string {
	loc := app.Window().Get("location")
	st, _ := state.Parse(loc.Get("hash").String())
	st.Embed, st.Panels = false, nil
	// From href, not origin: a sandboxed frame's origin is "null".
	page, _, _ := strings.Cut(loc.Get("href").String(), "#")
	return page + "#" + state.Encode(st)
}

// embedSnippet is the HTML that embeds the playground at src in a frame
// of the given height.
func embedSnippet(src string, height int) string {
	return `<iframe src="` + html.EscapeString(src) + `" width="` + strconv.Itoa(embedWidth) + `" height="` +
		strconv.Itoa(height) + `" title="Autoencoder playground" style="border:0"></iframe>`
}

// shareBar holds "Copy link" and "Embed": each shows its text in a selected
// field (the fallback when the clipboard is not available, and a way to see
// what is copied) and tries to copy it to the clipboard.
type shareBar struct {
	app.Compo

	kind   string // "", "link" or "embed"
	text   string
	result string
	then   [2]app.Func
}

func (s *shareBar) OnMount(ctx app.Context) {
	// The clipboard's answer arrives from a promise, outside go-app's loop.
	s.then[0] = app.FuncOf(func(app.Value, []app.Value) any {
		ctx.Dispatch(func(app.Context) { s.result = "Copied to the clipboard." })
		return nil
	})
	s.then[1] = app.FuncOf(func(app.Value, []app.Value) any {
		ctx.Dispatch(func(app.Context) { s.result = "Press Ctrl+C (⌘C on a Mac) to copy the selected text." })
		return nil
	})
}

func (s *shareBar) OnDismount() {
	for _, f := range s.then {
		if f != nil {
			f.Release()
		}
	}
}

func (s *shareBar) show(ctx app.Context, kind, text string) {
	s.kind, s.text, s.result = kind, text, ""
	ctx.Defer(func(app.Context) {
		if f := app.Window().GetElementByID("share-text"); f.Truthy() {
			f.Call("focus")
			f.Call("select")
		}
	})
	clip := app.Window().Get("navigator").Get("clipboard")
	if !clip.Truthy() || clip.Get("writeText").Type() != app.TypeFunction {
		s.result = "Press Ctrl+C (⌘C on a Mac) to copy the selected text."
		return
	}
	defer func() { // a clipboard that throws instead of rejecting
		if recover() != nil {
			s.result = "Press Ctrl+C (⌘C on a Mac) to copy the selected text."
		}
	}()
	clip.Call("writeText", text).Call("then", s.then[0], s.then[1])
}

func (s *shareBar) onLink(ctx app.Context, e app.Event) {
	s.show(ctx, "link", app.Window().Get("location").Get("href").String())
}

func (s *shareBar) onEmbed(ctx app.Context, e app.Event) {
	s.show(ctx, "embed", embedSnippet(embedURL()))
}

func (s *shareBar) onClose(ctx app.Context, e app.Event) { s.kind = "" }

func (s *shareBar) Render() app.UI {
	label := "Link to this demo"
	if s.kind == "embed" {
		label = "HTML to embed this demo (any site may frame it)"
	}
	return app.Div().Class("share").Body(
		app.Div().Class("share-buttons").Body(
			app.Button().ID("copy-link").Text("Copy link").Title("Copy a link that reproduces this demo").OnClick(s.onLink),
			app.Button().ID("embed").Text("Embed").Title("HTML for an iframe with this demo").OnClick(s.onEmbed),
		),
		app.Div().Class("share-box").Hidden(s.kind == "").Body(
			app.Label().For("share-text").Text(label),
			app.Div().Class("row").Body(
				app.Input().Type("text").ID("share-text").ReadOnly(true).Value(s.text).
					OnFocus(func(ctx app.Context, e app.Event) { ctx.JSSrc().Call("select") }),
				app.Button().Text("Close").OnClick(s.onClose),
			),
			app.P().ID("share-result").Class("hint").Attr("role", "status").Text(s.result),
		),
	)
}
