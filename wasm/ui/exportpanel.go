package ui

import (
	"fmt"
	"slices"

	"aeplayground/engine/ae"
	"aeplayground/wasm/browser"
	"aeplayground/wasm/page"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/ui/plot"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// exportPanel is "Save and export": the model as a file both ways, the
// curves as CSV and "Start over". It shows what the saving of the work
// across reloads kept, or why not (page.Saved).
type exportPanel struct {
	app.Compo

	Worker *workerclient.Client
	Keep   *page.Persistence // what Start over discards, and does; nil when prerendered

	saved    page.SaveState
	rows     []page.CurveRow
	arch     string
	loadErr  string
	loadInfo string
	// confirming: "Start over" was pressed with a trained model; the panel
	// asks before it discards it.
	confirming bool
}

func (e *exportPanel) OnMount(ctx app.Context) {
	e.saved = e.Keep.State()
	page.Saved.Handle(ctx, func(ctx app.Context, s page.SaveState) { e.saved = s })
	workerclient.OnQuiet(ctx, e.onProgress)
	workerclient.On(ctx, e.onNewModel)
	workerclient.On(ctx, e.onModel)
	workerclient.On(ctx, e.onLoaded)
	workerclient.On(ctx, e.onLoadError)
	workerclient.On(ctx, e.onModelError)
}

// onProgress keeps each held-out evaluation as a row of the CSV.
func (e *exportPanel) onProgress(ctx app.Context, p *protocol.Progress) {
	if !p.Full {
		return
	}
	// Angles is the decoder's buffer: the row keeps a copy.
	e.rows = page.AddRow(e.rows, page.CurveRow{Epoch: p.Epoch, Samples: float64(p.Samples), Train: p.Loss, Test: p.TestLoss, Floor: p.Floor, Angles: slices.Clone(p.Angles)})
}

func (e *exportPanel) onNewModel(ctx app.Context, r *protocol.NewModel) {
	e.arch = r.Arch
	e.rows = nil
	// A loaded model's evaluations so far: their angles one by one are not
	// kept with the model, so those columns stay empty for them.
	for _, h := range r.History {
		if plot.Finite(h.Test) {
			e.rows = page.AddRow(e.rows, page.CurveRow{Epoch: h.Epoch, Samples: h.Samples, Train: h.Train, Test: h.Test, Floor: h.Floor})
		}
	}
}

func (e *exportPanel) onModel(ctx app.Context, m *protocol.Model) {
	if m.Reason == protocol.ReasonDownload {
		browser.Download(browser.BytesBlob(m.Bytes, "application/octet-stream"), "autoencoder-"+browser.FileSafe(m.Arch)+".aemodel")
	}
}

func (e *exportPanel) onLoaded(ctx app.Context, m *protocol.Loaded) {
	e.loadErr = ""
	if !m.Restored {
		e.loadInfo = fmt.Sprintf("Loaded %s, %d parameters; training goes on from it with its own settings.", m.Arch, m.Params)
	}
}

// onLoadError names what is wrong with a file the user chose (a saved copy
// that does not load is persistence's).
func (e *exportPanel) onLoadError(ctx app.Context, m *protocol.LoadError) {
	if !m.Restored {
		e.loadErr, e.loadInfo = m.Text, ""
	}
}

func (e *exportPanel) onModelError(ctx app.Context, m *protocol.ModelError) {
	if m.Reason == protocol.ReasonDownload {
		e.loadErr, e.loadInfo = m.Text, ""
	}
}

func (e *exportPanel) onDownloadModel(ctx app.Context, ev app.Event) {
	e.Worker.Send(&protocol.Save{Reason: protocol.ReasonDownload})
}

func (e *exportPanel) onCSV(ctx app.Context, ev app.Event) {
	name := "aeplayground-curves.csv"
	if e.arch != "" {
		name = "aeplayground-curves-" + browser.FileSafe(e.arch) + ".csv"
	}
	browser.Download(browser.BytesBlob(page.CurveCSV(e.rows), "text/csv"), name)
}

// maxModelFile refuses files far larger than any model the limits allow
// before reading them.
const maxModelFile = 8*ae.MaxParams + ae.MaxModelHeader + 64

func (e *exportPanel) onFile(ctx app.Context, ev app.Event) {
	input := ctx.JSSrc()
	files := input.Get("files")
	if files.Length() == 0 {
		return
	}
	f := files.Index(0)
	input.Set("value", "") // choosing the same file again is a change
	if size := f.Get("size").Float(); size > maxModelFile {
		e.loadErr = fmt.Sprintf("%s is %.0f MB, larger than any model this playground makes: it is not a model file.", f.Get("name").String(), size/1e6)
		e.loadInfo = ""
		return
	}
	e.loadErr, e.loadInfo = "", "Reading "+f.Get("name").String()+"…"
	var ok, fail app.Func
	ok = app.FuncOf(func(_ app.Value, args []app.Value) any {
		arr := app.Window().Get("Uint8Array").New(args[0])
		b := make([]byte, arr.Get("length").Int())
		app.CopyBytesToGo(b, arr)
		ctx.Dispatch(func(ctx app.Context) { e.Worker.Send(&protocol.Load{Bytes: b}) })
		ok.Release()
		fail.Release()
		return nil
	})
	fail = app.FuncOf(func(_ app.Value, args []app.Value) any {
		ctx.Dispatch(func(ctx app.Context) { e.loadErr, e.loadInfo = "The file could not be read.", "" })
		ok.Release()
		fail.Release()
		return nil
	})
	f.Call("arrayBuffer").Call("then", ok, fail)
}

// onStartOver starts over at once when there is nothing trained to lose;
// with a trained model it asks first, in the page (not a dialog that
// blocks it), and moves the focus to "Keep it".
func (e *exportPanel) onStartOver(ctx app.Context, ev app.Event) {
	if _, samples := e.Keep.Trained(); samples == 0 {
		e.Keep.StartOver()
		return
	}
	e.confirming = true
	ctx.Defer(func(app.Context) { focusID("start-over-cancel") })
}

func (e *exportPanel) onStartOverConfirm(ctx app.Context, ev app.Event) { e.Keep.StartOver() }

func (e *exportPanel) onStartOverCancel(ctx app.Context, ev app.Event) {
	e.confirming = false
	ctx.Defer(func(app.Context) { focusID("start-over") })
}

func focusID(id string) {
	if el := app.Window().Get("document").Call("getElementById", id); el.Truthy() {
		el.Call("focus")
	}
}

// startOverQuestion is what "Start over" asks before it discards a trained
// model.
func startOverQuestion(epoch float64, samples int64) string {
	return fmt.Sprintf("Start over forgets your trained model (epoch %.2f, %d samples), your settings and your digit, here and in this browser's storage. Download the model first to keep it.", epoch, samples)
}

func (e *exportPanel) question() string {
	if !e.confirming {
		return ""
	}
	return startOverQuestion(e.Keep.Trained())
}

func (e *exportPanel) Render() app.UI {
	saved, storageErr := e.saved.Text, e.saved.Err
	return app.Section().Class("card export-card").Body(
		app.H2().Text("Save and export"),
		app.Div().Class("row buttons").Body(
			app.Button().ID("download-model").Text("Download model").
				Title("The trained model as a file (.aemodel) you can load again here").OnClick(e.onDownloadModel),
			app.Label().Class("button").ID("load-model-label").Body(
				app.Text("Load model…"),
				app.Input().Type("file").ID("load-model").Class("visually-hidden").Accept(".aemodel,application/octet-stream").OnChange(e.onFile),
			),
			app.Button().ID("download-csv").Text("CSV of the curves").
				Title("Epoch, samples, training and held-out loss, PCA's floor and the principal angles").OnClick(e.onCSV),
		),
		app.P().ID("load-error").Class("error").Attr("role", "alert").Hidden(e.loadErr == "").Text(e.loadErr),
		app.P().ID("load-info").Class("hint").Hidden(e.loadInfo == "").Text(e.loadInfo),
		app.P().ID("saved").Class("hint").Attr("role", "status").Text(saved),
		app.P().ID("storage-note").Class("error").Hidden(storageErr == "").Text(storageErr),
		app.Div().Class("row").Hidden(e.confirming).Body(
			app.Button().ID("start-over").Text("Start over").
				Title("Forget the saved model, settings and digit, and start again from the defaults").OnClick(e.onStartOver),
		),
		app.Div().ID("start-over-ask").Class("confirm").Attr("role", "group").Aria("labelledby", "start-over-question").Hidden(!e.confirming).Body(
			app.P().ID("start-over-question").Text(e.question()),
			app.Div().Class("row buttons").Body(
				app.Button().ID("start-over-confirm").Class("danger").Text("Forget it and start over").OnClick(e.onStartOverConfirm),
				app.Button().ID("start-over-cancel").Text("Keep it").OnClick(e.onStartOverCancel),
			),
		),
	)
}
