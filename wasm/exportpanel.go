package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"

	"aeplayground/engine/ae"
	"aeplayground/wasm/state"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Messages about the model as a file (see wasm/worker/modelio.go).

type modelMsg struct {
	Reason                        string
	Bytes                         []byte
	Arch, Config                  string
	Epoch, Samples, Batches, Loss float64
}

type loadedMsg struct {
	Config, Arch string
	Params       int
	Epoch        float64
	Restored     bool
}

type loadErrorMsg struct {
	Text, Reason string
	Restored     bool
}

func decodeModelMessage(typ string, v app.Value) (any, bool) {
	switch typ {
	case "model":
		return modelMsg{Reason: jsStr(v, "reason"), Bytes: jsBytes(v, "bytes"), Arch: jsStr(v, "arch"), Config: jsStr(v, "config"),
			Epoch: jsNum(v, "epoch"), Samples: jsNum(v, "samples"), Batches: jsNum(v, "batches"), Loss: jsNum(v, "loss")}, true
	case "loaded":
		return loadedMsg{Config: jsStr(v, "config"), Arch: jsStr(v, "arch"), Params: jsInt(v, "params"),
			Epoch: jsNum(v, "epoch"), Restored: jsBool(v, "restored")}, true
	case "load-error", "model-error":
		return loadErrorMsg{Text: jsStr(v, "text"), Reason: jsStr(v, "reason"), Restored: jsBool(v, "restored")}, true
	}
	return nil, false
}

// restoreSavedFragment puts the last saved settings into the URL when the
// page was opened without any (a tab opened again, a bookmark), before the
// page reads its URL.
func restoreSavedFragment() {
	if frag, saved := startFragment(); saved {
		jsTry(func() { app.Window().Get("history").Call("replaceState", nil, "", "#"+frag) })
	}
}

// onModelLoaded takes a loaded model's settings as the page's, without
// sending them back (that would start a new model).
func (p *playground) onModelLoaded(ctx app.Context, a app.Action) {
	m, ok := a.Value.(loadedMsg)
	if !ok {
		return
	}
	var cfg ae.Config
	if json.Unmarshal([]byte(m.Config), &cfg) != nil {
		return
	}
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
	}
	p.form = state.NewForm(cfg)
	p.saveURL(cfg)
}

// onNotice shows a message from the export panel in the page's status line.
func (p *playground) onNotice(ctx app.Context, a app.Action) {
	if s, ok := a.Value.(string); ok {
		p.status, p.fatal = s, false
	}
}

// Saving: at most every saveEvery while training (a model is saved at
// each whole epoch), and at once when training stops or the page is hidden.
const saveEvery = 3 * time.Second

// maxCurveRows bounds the CSV kept in memory: older rows are thinned.
const maxCurveRows = 20000

// exportPanel is "Save and export": the model as a file both ways, the
// curves as CSV, "Start over", and the saving of the model and settings
// across reloads (storage.go), with what went wrong in words.
type exportPanel struct {
	app.Compo

	Worker *workerClient

	store        *modelStore
	rows         []curveRow
	arch         string
	trained      bool // the model has trained since it was made or loaded
	lastEpoch    int
	savedSamples float64
	running      bool
	saving       bool // a "store" save is on its way from the worker
	again        bool // another was asked for meanwhile
	lastSave     time.Time
	saved        string // what the last save kept, in words
	restoring    bool   // the saved model is being read or loaded
	justLoaded   bool   // a "loaded" came: the reset after it is not a new model
	restart      string // a worker was replaced for this reason; said once restored
	storageErr   string
	loadErr      string
	loadInfo     string
	clearing     bool
	digit        []byte
	label        string
	digitTimer   app.Value
	listeners    map[string]app.Func
	fileInput    app.Func
}

func (e *exportPanel) OnMount(ctx app.Context) {
	e.store = &modelStore{}
	handleQuiet(ctx, "worker:progress", e.onProgress) // quiet.go: progress and digit change nothing shown
	ctx.Handle("worker:reset", e.onReset)
	ctx.Handle("worker:model", e.onModel)
	ctx.Handle("worker:loaded", e.onLoaded)
	ctx.Handle("worker:load-error", e.onLoadError)
	ctx.Handle("worker:model-error", e.onLoadError)
	ctx.Handle("worker:restarted", e.onRestarted)
	ctx.Handle("worker:ready", e.onReady)
	handleQuiet(ctx, "digit", e.onDigit)

	save := app.FuncOf(func(app.Value, []app.Value) any {
		if app.Window().Get("document").Get("visibilityState").String() == "hidden" {
			ctx.Dispatch(func(ctx app.Context) { e.saveAll(ctx, true) })
		}
		return nil
	})
	e.listeners = map[string]app.Func{"pagehide": save, "visibilitychange": save}
	app.Window().Call("addEventListener", "pagehide", save)
	app.Window().Get("document").Call("addEventListener", "visibilitychange", save)

	// The saved digit, when the link does not carry one.
	if s, err := readSettings(); err != nil {
		e.storageErr = err.Error()
	} else if px := s.digit(); px != nil && !strings.Contains(app.Window().URL().Fragment, "digit=") {
		digit := make([]float64, digitLen)
		for i, v := range px {
			digit[i] = float64(v) / 255
		}
		ctx.NewActionWithValue("pad:show", digitValue{Pixels: digit, Label: "your last visit"})
	}
	// The saved model: it goes to the worker after the settings the page
	// has sent, and replaces the new model they made.
	e.restoring = true
	e.store.loadModel(func(m *modelMsg, err error) {
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				e.restoring = false
				e.setStorageErr(ctx, err)
				return
			}
			if m == nil || len(m.Bytes) == 0 {
				e.restoring = false
				return
			}
			if !savedFitsLink(m.Bytes) {
				// A link to other settings (a lecturer's next demo) wins over
				// the model of the last visit, which its next save replaces.
				e.restoring = false
				ctx.NewActionWithValue("ae:note", "This link's settings differ from the model saved on your last visit ("+m.Arch+"), so that model was not restored.")
				return
			}
			e.sendLoad(*m, true)
		})
	})
}

func (e *exportPanel) OnDismount() {
	for name, fn := range e.listeners {
		if name == "pagehide" {
			app.Window().Call("removeEventListener", name, fn)
		} else {
			app.Window().Get("document").Call("removeEventListener", name, fn)
		}
		fn.Release()
	}
}

func (e *exportPanel) sendLoad(m modelMsg, restored bool) {
	f := map[string]any{"bytes": m.Bytes, "restored": restored}
	if restored {
		f["epoch"], f["samples"], f["batches"] = m.Epoch, m.Samples, m.Batches
		if !math.IsNaN(m.Loss) {
			f["loss"] = m.Loss
		}
	}
	e.Worker.send("load", f)
}

func (e *exportPanel) setStorageErr(ctx app.Context, err error) {
	text := "Your work is not being saved in this browser: " + err.Error() + ". It will be lost on reload; use “Download model” to keep it."
	if e.storageErr != text {
		e.storageErr = text
		ctx.NewActionWithValue("ae:note", text)
	}
}

func (e *exportPanel) onProgress(ctx app.Context, a app.Action) {
	p, ok := a.Value.(progressMsg)
	if !ok {
		return
	}
	e.running = p.Running
	if p.Full {
		e.addRow(curveRow{Epoch: p.Epoch, Samples: p.Samples, Train: p.Loss, Test: p.TestLoss, Floor: p.Floor, Angles: p.Angles})
	}
	if p.Samples > 0 && !e.restoring {
		// At each whole epoch while training, and whenever it rests (a
		// pause, a step, a divergence) with something new to keep.
		epoch := int(p.Epoch)
		if epoch > e.lastEpoch || !p.Running && p.Samples != e.savedSamples {
			e.lastEpoch, e.savedSamples = epoch, p.Samples
			e.trained = true
			e.requestSave(ctx)
		}
	}
	ctx.PreventUpdate() // nothing shown changes with progress
}

func (e *exportPanel) addRow(r curveRow) {
	if n := len(e.rows); n > 0 && e.rows[n-1].Samples == r.Samples && e.rows[n-1].Epoch == r.Epoch {
		e.rows[n-1] = r // the same point evaluated again (a pause): keep the latest
		return
	}
	e.rows = append(e.rows, r)
	if len(e.rows) > maxCurveRows {
		n := 0
		for i := 0; i < len(e.rows); i += 2 {
			e.rows[n] = e.rows[i]
			n++
		}
		e.rows = e.rows[:n]
	}
}

func (e *exportPanel) onReset(ctx app.Context, a app.Action) {
	r, _ := a.Value.(resetMsg)
	e.arch, e.rows = r.Arch, nil
	e.lastEpoch = 0
	e.saveSettings(ctx)
	if e.restoring || e.justLoaded {
		e.justLoaded = false
		return
	}
	// A new model: the saved one belongs to the settings before.
	if e.trained {
		e.trained = false
		e.store.forgetModel(func(err error) {
			ctx.Dispatch(func(ctx app.Context) {
				if err == nil {
					e.saved = ""
				}
			})
		})
	}
}

// requestSave asks the worker for the model to store, coalescing requests
// while one is on its way, and no more often than saveEvery.
func (e *exportPanel) requestSave(ctx app.Context) {
	if e.clearing {
		return
	}
	if e.saving {
		e.again = true
		return
	}
	if time.Since(e.lastSave) < saveEvery && e.running {
		return
	}
	e.saving, e.again = true, false
	e.lastSave = time.Now()
	e.Worker.send("save", map[string]any{"reason": "store"})
}

// saveAll saves the settings at once and asks for the model: the page is
// being hidden or closed.
func (e *exportPanel) saveAll(ctx app.Context, model bool) {
	e.saveSettings(ctx)
	if model && e.trained && !e.saving {
		e.saving = true
		e.lastSave = time.Now()
		e.Worker.send("save", map[string]any{"reason": "store"})
	}
}

func (e *exportPanel) saveSettings(ctx app.Context) {
	if e.clearing {
		return
	}
	s := savedSettings{Fragment: app.Window().URL().Fragment, Label: e.label}
	if e.digit != nil {
		s.Digit = base64.StdEncoding.EncodeToString(e.digit)
	}
	if err := writeSettings(s); err != nil {
		e.setStorageErr(ctx, err)
	}
}

func (e *exportPanel) onDigit(ctx app.Context, a app.Action) {
	v, ok := a.Value.(digitValue)
	if !ok {
		return
	}
	e.digit, e.label = toBytes(v.Pixels), v.Label
	// Drawing sends a digit a frame: store it once the pen rests.
	if e.digitTimer == nil {
		var f app.Func
		f = app.FuncOf(func(app.Value, []app.Value) any {
			ctx.Dispatch(func(ctx app.Context) {
				e.digitTimer = nil
				e.saveSettings(ctx)
				ctx.PreventUpdate()
			})
			f.Release()
			return nil
		})
		e.digitTimer = app.Window().Call("setTimeout", f, 500)
	}
	ctx.PreventUpdate()
}

func (e *exportPanel) onModel(ctx app.Context, a app.Action) {
	m, ok := a.Value.(modelMsg)
	if !ok {
		return
	}
	switch m.Reason {
	case "download":
		download(bytesBlob(m.Bytes, "application/octet-stream"), "autoencoder-"+fileSafe(m.Arch)+".aemodel")
	case "store":
		if e.clearing {
			return
		}
		e.store.saveModel(m, func(err error) {
			ctx.Dispatch(func(ctx app.Context) {
				e.saving = false
				if err != nil {
					e.setStorageErr(ctx, err)
					return
				}
				if e.storageErr != "" {
					e.storageErr = ""
					ctx.NewActionWithValue("ae:note", "")
				}
				e.saved = fmt.Sprintf("Saved in this browser: %s, epoch %.2f, %.0f samples (%.0f KB), %s.", m.Arch, m.Epoch,
					m.Samples, float64(len(m.Bytes))/1024, time.Now().Format("15:04:05"))
				if e.again {
					e.requestSave(ctx)
				}
			})
		})
		e.saveSettings(ctx)
	}
}

func (e *exportPanel) onLoaded(ctx app.Context, a app.Action) {
	m, ok := a.Value.(loadedMsg)
	if !ok {
		return
	}
	e.justLoaded, e.restoring, e.loadErr = true, false, ""
	e.trained = !m.Restored // a loaded file is saved as the current model
	e.lastEpoch = int(m.Epoch)
	e.savedSamples = -1
	text := ""
	switch {
	case m.Restored && e.restart != "":
		text = fmt.Sprintf("The training worker stopped (%s). A new one started and restored your trained model (epoch %.2f).", e.restart, m.Epoch)
	case m.Restored:
		text = fmt.Sprintf("Restored your trained model (epoch %.2f).", m.Epoch)
	default:
		e.loadInfo = fmt.Sprintf("Loaded %s, %d parameters; training goes on from it with its own settings.", m.Arch, m.Params)
		e.requestSave(ctx)
	}
	e.restart = ""
	if text != "" {
		ctx.NewActionWithValue("ae:status", text)
	}
}

func (e *exportPanel) onLoadError(ctx app.Context, a app.Action) {
	m, ok := a.Value.(loadErrorMsg)
	if !ok {
		return
	}
	if m.Restored {
		// The saved copy does not load (an older format, damaged): say so,
		// drop it, and go on with the new model.
		e.restoring = false
		e.store.forgetModel(func(error) {})
		ctx.NewActionWithValue("ae:status", "Your saved model could not be restored ("+m.Text+"); starting afresh.")
		return
	}
	e.loadErr, e.loadInfo = m.Text, ""
}

func (e *exportPanel) onRestarted(ctx app.Context, a app.Action) {
	r, _ := a.Value.(restartedMsg)
	if r.GaveUp {
		ctx.NewActionWithValue("ae:note", "The training worker stopped again ("+r.Reason+"): it has stopped too often to start it again. Reload the page.")
		return
	}
	e.restart = r.Reason
	e.running = false
	ctx.NewActionWithValue("ae:status", "The training worker stopped ("+r.Reason+"). Starting a new one…")
	e.restoring = true
	e.store.loadModel(func(m *modelMsg, err error) {
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil || m == nil || len(m.Bytes) == 0 {
				e.restoring = false
				return
			}
			e.sendLoad(*m, true)
		})
	})
}

// onReady: a new worker with no saved model to restore says so.
func (e *exportPanel) onReady(ctx app.Context, a app.Action) {
	if e.restart != "" && !e.restoring {
		ctx.NewActionWithValue("ae:status", "The training worker stopped ("+e.restart+"). A new one started with your settings; no trained model had been saved yet.")
		e.restart = ""
	}
	ctx.PreventUpdate()
}

func (e *exportPanel) onDownloadModel(ctx app.Context, ev app.Event) {
	e.Worker.send("save", map[string]any{"reason": "download"})
}

func (e *exportPanel) onCSV(ctx app.Context, ev app.Event) {
	name := "aeplayground-curves.csv"
	if e.arch != "" {
		name = "aeplayground-curves-" + fileSafe(e.arch) + ".csv"
	}
	download(bytesBlob(curveCSV(e.rows), "text/csv"), name)
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
		ctx.Dispatch(func(ctx app.Context) { e.sendLoad(modelMsg{Bytes: b}, false) })
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

// onStartOver forgets everything saved and starts the page afresh with
// the defaults.
func (e *exportPanel) onStartOver(ctx app.Context, ev app.Event) {
	e.clearing = true
	clearSettings()
	restart := func() {
		loc := app.Window().Get("location")
		loc.Call("replace", loc.Get("pathname").String()+loc.Get("search").String())
	}
	e.store.clear(func(error) { restart() })
}

func (e *exportPanel) Render() app.UI {
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
		app.P().ID("saved").Class("hint").Attr("role", "status").Text(e.savedText()),
		app.P().ID("storage-note").Class("error").Hidden(e.storageErr == "").Text(e.storageErr),
		app.Div().Class("row").Body(
			app.Button().ID("start-over").Text("Start over").
				Title("Forget the saved model, settings and digit, and start again from the defaults").OnClick(e.onStartOver),
		),
	)
}

func (e *exportPanel) savedText() string {
	if e.saved != "" {
		return e.saved
	}
	return "Your settings, digit and trained model are kept in this browser and come back on reload."
}

// savedFitsLink reports whether a saved model was trained with the settings
// the page opened with (a page opened without a link takes the saved
// settings, restoreSavedFragment). A file that does not read is let through:
// the worker names what is wrong with it.
func savedFitsLink(model []byte) bool {
	m, err := ae.UnmarshalModel(model)
	if err != nil {
		return true
	}
	link, _ := state.Parse(app.Window().URL().Fragment)
	saved, _ := json.Marshal(m.Config())
	want, _ := json.Marshal(link.Config)
	return string(saved) == string(want)
}
