package ui

import (
	"html"
	"slices"
	"strconv"
	"strings"

	"aeplayground/wasm/lesson"
	"aeplayground/wasm/page"
	"aeplayground/wasm/state"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Embed snippet size: two columns of panels at this width.
const embedWidth, embedHeight = 760, 820

// embedURL is the page's address for an iframe: the current link with
// embed=1 and the panels shown (the embed defaults if all are), and the
// frame's height: a lesson step's embed is laid out for 760×600.
func embedURL() (src string, height int) {
	loc := app.Window().Get("location")
	st, _ := state.Parse(loc.Get("hash").String())
	st.Embed = true
	if slices.Equal(st.Panels, page.DefaultEmbedPanels) {
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
