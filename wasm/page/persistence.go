package page

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"aeplayground/engine/ae"
	"aeplayground/wasm/browser"
	"aeplayground/wasm/bus"
	"aeplayground/wasm/pixels"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/state"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Keeping the page's work across reloads: the settings (the link's
// fragment) and the digit in localStorage, the trained model in IndexedDB
// (package browser holds both stores). The model is asked of the worker at each
// whole epoch while training (at most every saveEvery), whenever training
// rests, and at once when the page is hidden; it is restored into the
// worker on the next visit, and into a new worker after one died.

// saveEvery is the least time between two saves while training.
const saveEvery = 3 * time.Second

// Persistence is that controller. The composition root makes it and
// mounts it on the page's context; its handlers are quiet (they change
// nothing the page shows), and it says what it kept, or why it could not,
// with the Saved action, which the export panel shows.
type Persistence struct {
	worker Worker
	digit  *Digit
	gate   *RestoreGate // scripts wait for the restore of the saved model
	keep   bool         // the page keeps its work across visits (an embed or a lesson does not)
	store  *browser.ModelStore
	saver  saver

	trained      bool // the model has trained since it was made or loaded
	lastEpoch    int
	savedSamples int64
	running      bool
	epoch        float64 // where the model trained stands: what "Start over" would discard
	samples      int64
	restoring    bool   // the saved model is being read or loaded
	reads        int    // readSaved's calls and answers: only the last call's first answer counts
	current      bool   // the saved model is the one the worker trains (restored, or saved since it was made)
	justLoaded   bool   // a Loaded came: the NewModel after it is not a new model
	restart      string // a worker was replaced for this reason; said once restored
	clearing     bool   // "Start over": nothing more is saved
	saved        string // what the last save kept, in words
	storageErr   string
	digitTimer   app.Value
	listeners    map[string]app.Func
}

// RestoreSavedFragment puts the last saved settings into the URL when the
// page was opened without any (a tab opened again, a bookmark), before the
// page reads its URL.
func RestoreSavedFragment() {
	if frag, saved := browser.StartFragment(); saved {
		browser.Try(func() { app.Window().Get("history").Call("replaceState", nil, "", "#"+frag) })
	}
}

// NewPersistence saves and restores the work of a page that keeps it
// (keep), and of any page the digit's and the worker's restarts.
func NewPersistence(w Worker, d *Digit, g *RestoreGate, keep bool) *Persistence {
	return &Persistence{worker: w, digit: d, gate: g, keep: keep, store: &browser.ModelStore{}}
}

// Mount registers the controller's handlers on ctx, the page's, and
// restores the last visit's digit and model.
func (k *Persistence) Mount(ctx app.Context) {
	workerclient.OnQuiet(ctx, k.onProgress)
	workerclient.OnQuiet(ctx, k.onNewModel)
	workerclient.OnQuiet(ctx, k.onModel)
	workerclient.OnQuiet(ctx, k.onModelError)
	workerclient.OnQuiet(ctx, k.onLoaded)
	workerclient.OnQuiet(ctx, k.onLoadError)
	workerclient.Restarted.HandleQuiet(ctx, k.onRestarted)
	workerclient.OnQuiet(ctx, k.onReady)
	workerclient.OnQuiet(ctx, func(ctx app.Context, e *protocol.Error) {
		if e.Fatal {
			k.gate.Settle() // no restore will come: scripts get the worker's answers, or its errors
		}
	})
	DigitShown.HandleQuiet(ctx, k.onDigit)

	save := app.FuncOf(func(app.Value, []app.Value) any {
		if app.Window().Get("document").Get("visibilityState").String() == "hidden" {
			bus.Run(ctx, k.saveAll)
		}
		return nil
	})
	k.listeners = map[string]app.Func{"pagehide": save, "visibilitychange": save}
	app.Window().Call("addEventListener", "pagehide", save)
	app.Window().Get("document").Call("addEventListener", "visibilitychange", save)

	if !k.keep {
		return // an embed or a lesson: nothing of the last visit comes back
	}
	// The saved digit, when the link does not carry one.
	if s, err := browser.ReadSettings(); err != nil {
		k.storageErr = err.Error()
		k.announce(ctx)
	} else if px := s.DigitPixels(); px != nil && !linkHasDigit(app.Window().URL().Fragment) {
		k.digit.Set(ctx, pixels.ToUnit(nil, px), FromLastVisit, "your last visit", state.Digit{})
	}
	// The saved model: it goes to the worker after the settings the page
	// has sent, and replaces the new model they made, unless the user has
	// acted meanwhile (gate.go).
	k.readSaved(ctx, func(m *protocol.Model) bool {
		if savedFitsLink(m.Bytes, app.Window().URL().Fragment) {
			return true
		}
		// A link to other settings (a lecturer's next demo) wins over the
		// model of the last visit, which its next save replaces.
		Note.Post(ctx, "This link's settings differ from the model saved on your last visit ("+m.Arch+"), so that model was not restored.")
		return false
	})
}

// readSaved reads the saved model and sends it to the worker if there is
// one, use says so, and no user's command came meanwhile; otherwise, and on
// any failure, the gate opens at once. Scripts wait meanwhile.
func (k *Persistence) readSaved(ctx app.Context, use func(*protocol.Model) bool) {
	gate := k.gate
	gate.Begin()
	k.restoring = true
	k.reads++
	read := k.reads
	finish := func(ctx app.Context, m *protocol.Model, err error) {
		if read != k.reads {
			return // the other of the answer and the time limit came first, or a later read replaced this one
		}
		k.reads++ // answered
		if err != nil {
			k.setStorageErr(ctx, err)
		}
		if err != nil || m == nil || len(m.Bytes) == 0 || !use(m) || !gate.Restore(func() { k.restore(m) }) {
			k.restoring = false
			gate.Settle()
		}
	}
	k.store.LoadModel(func(m *protocol.Model, err error) {
		bus.Run(ctx, func(ctx app.Context) { finish(ctx, m, err) })
	})
	// A browser whose storage never answers (it happens when another tab
	// holds the database in an upgrade) would keep scripts waiting for
	// good: after readWait the page goes on without the saved model.
	bus.After(ctx, readWait, func(ctx app.Context) { finish(ctx, nil, errStorageSilent) })
}

// readWait is how long the page waits for the saved model to be read.
const readWait = 10 * time.Second

// errStorageSilent: the saved model was not read within readWait.
var errStorageSilent = fmt.Errorf("the browser's storage did not answer within %v", readWait)

// Dismount lets go of the page's listeners.
func (k *Persistence) Dismount() {
	if k == nil { // prerendered on the server: never mounted
		return
	}
	for name, fn := range k.listeners {
		if name == "pagehide" {
			app.Window().Call("removeEventListener", name, fn)
		} else {
			app.Window().Get("document").Call("removeEventListener", name, fn)
		}
		fn.Release()
	}
}

// restore sends the saved model to the worker, with where its training
// had got to.
func (k *Persistence) restore(m *protocol.Model) {
	k.worker.Send(&protocol.Load{Bytes: m.Bytes, Restored: true, Epoch: m.Epoch, Samples: m.Samples, Batches: m.Batches, Loss: m.Loss})
}

func (k *Persistence) setStorageErr(ctx app.Context, err error) {
	if browser.OpaqueOrigin() {
		return // the page has said once that nothing is kept (package browser: OpaqueOrigin)
	}
	text := "Your work is not being saved in this browser: " + err.Error() + ". It will be lost on reload; use “Download model” to keep it."
	if k.storageErr != text {
		k.storageErr = text
		Note.Post(ctx, text)
		k.announce(ctx)
	}
}

func (k *Persistence) onProgress(ctx app.Context, p *protocol.Progress) {
	k.running, k.epoch, k.samples = p.Running, p.Epoch, p.Samples
	if k.keep && k.newWork() {
		k.trained = true
		k.requestSave()
	}
}

// newWork says whether the model the worker trains is worth saving: at
// each whole epoch while training, and whenever training rests (a pause, a
// step, a divergence) at a count of samples not asked for yet. Nothing is
// saved while the saved model is being restored.
func (k *Persistence) newWork() bool {
	if k.samples <= 0 || k.restoring {
		return false
	}
	return int(k.epoch) > k.lastEpoch || !k.running && k.samples != k.savedSamples
}

// ask reports whether to ask the worker for the model now (saver.ask), and
// remembers what that model holds. Only a request sent counts: an epoch
// the saver held back while training is still new work when training
// rests at the same count.
func (k *Persistence) ask(now time.Time) bool {
	if !k.saver.ask(now, k.running) {
		return false
	}
	k.lastEpoch, k.savedSamples = int(k.epoch), k.samples
	return true
}

func (k *Persistence) onNewModel(ctx app.Context, _ *protocol.NewModel) {
	k.lastEpoch = 0
	k.saveSettings(ctx)
	if k.restoring || k.justLoaded || !k.keep {
		k.justLoaded = false
		return
	}
	k.current = false
	// A new model: the saved one belongs to the settings before.
	if k.trained {
		k.trained = false
		k.store.ForgetModel(func(err error) {
			bus.Run(ctx, func(ctx app.Context) {
				if err == nil {
					k.saved = ""
					k.announce(ctx)
				}
			})
		})
	}
}

// saver decides when to ask the worker for the model to store: one request
// on its way at a time (one asked for meanwhile is sent when it is
// stored), and no more often than saveEvery while training.
type saver struct {
	saving, again bool
	last          time.Time
}

// ask reports whether to ask for the model now.
func (s *saver) ask(now time.Time, running bool) bool {
	if s.saving {
		s.again = true
		return false
	}
	if running && now.Sub(s.last) < saveEvery {
		return false
	}
	s.saving, s.again, s.last = true, false, now
	return true
}

// force reports whether to ask at once, whatever the time: the page is
// being hidden. Not while one is on its way.
func (s *saver) force(now time.Time) bool {
	if s.saving {
		return false
	}
	s.saving, s.last = true, now
	return true
}

// stored says the model asked for has been stored (or not); it reports
// whether another was asked for meanwhile.
func (s *saver) stored() (again bool) {
	s.saving = false
	return s.again
}

func (k *Persistence) requestSave() {
	if k.keep && !k.clearing && k.ask(time.Now()) {
		k.worker.Send(&protocol.Save{Reason: protocol.ReasonStore})
	}
}

// saveAll saves the settings at once and asks for the model: the page is
// being hidden or closed.
func (k *Persistence) saveAll(ctx app.Context) {
	k.saveSettings(ctx)
	if k.trained && !k.clearing && k.saver.force(time.Now()) {
		k.worker.Send(&protocol.Save{Reason: protocol.ReasonStore})
	}
}

func (k *Persistence) saveSettings(ctx app.Context) {
	if k.clearing || !k.keep {
		return
	}
	s := browser.Settings{Fragment: app.Window().URL().Fragment}
	if v := k.digit.Current(); v != nil {
		s.Digit, s.Label = base64.StdEncoding.EncodeToString(v.Clean), v.Label
	}
	if err := browser.WriteSettings(s); err != nil {
		k.setStorageErr(ctx, err)
	}
}

// onDigit stores the settings with the new digit once the pen rests: a
// stroke makes a digit a frame.
func (k *Persistence) onDigit(ctx app.Context, _ *Shown) {
	if k.digitTimer == nil {
		var f app.Func
		f = app.FuncOf(func(app.Value, []app.Value) any {
			bus.Run(ctx, func(ctx app.Context) {
				k.digitTimer = nil
				k.saveSettings(ctx)
			})
			f.Release()
			return nil
		})
		k.digitTimer = app.Window().Call("setTimeout", f, 500)
	}
}

// onModel stores a model asked for with ReasonStore.
func (k *Persistence) onModel(ctx app.Context, m *protocol.Model) {
	if m.Reason != protocol.ReasonStore || k.clearing || !k.keep {
		return
	}
	// m is written over by the next model message (protocol.Decoder): what
	// the note says is taken now.
	arch, epoch, samples, size := m.Arch, m.Epoch, m.Samples, len(m.Bytes)
	k.store.SaveModel(m, func(err error) {
		bus.Run(ctx, func(ctx app.Context) {
			again := k.saver.stored()
			if err != nil {
				k.setStorageErr(ctx, err)
				return
			}
			k.current = true
			if k.storageErr != "" {
				k.storageErr = ""
				Note.Post(ctx, "")
			}
			k.saved = fmt.Sprintf("Saved in this browser: %s, epoch %.2f, %d samples (%.0f KB), %s.", arch, epoch,
				samples, float64(size)/1024, time.Now().Format("15:04:05"))
			k.announce(ctx)
			if again {
				k.requestSave()
			}
		})
	})
	k.saveSettings(ctx)
}

// onModelError: the model asked for could not be had (no model yet); the
// next save asks again.
func (k *Persistence) onModelError(ctx app.Context, m *protocol.ModelError) {
	if m.Reason == protocol.ReasonStore {
		k.saver.stored()
	}
}

func (k *Persistence) onLoaded(ctx app.Context, m *protocol.Loaded) {
	k.justLoaded, k.restoring = true, false
	k.trained = !m.Restored // a loaded file is saved as the current model
	k.lastEpoch = int(m.Epoch)
	k.savedSamples = -1
	overtaken := false
	if m.Restored {
		k.gate.Settle()
		overtaken = k.gate.Overtook
		k.current = !overtaken
	}
	text := ""
	switch {
	case overtaken: // a user's command followed it: nothing to announce
	case m.Restored && k.restart != "":
		text = fmt.Sprintf("The training worker stopped (%s). A new one started and restored your trained model (epoch %.2f).", k.restart, m.Epoch)
	case m.Restored:
		text = fmt.Sprintf("Restored your trained model (epoch %.2f).", m.Epoch)
	default:
		k.requestSave()
	}
	k.restart = ""
	if text != "" {
		Status.Post(ctx, text)
	}
}

// onLoadError drops a saved copy that does not load (an older format,
// damaged), says so, and goes on with the new model. A file the user chose
// is the panel's to name.
func (k *Persistence) onLoadError(ctx app.Context, m *protocol.LoadError) {
	if m.Restored {
		k.restoring = false
		k.gate.Settle()
		k.store.ForgetModel(func(error) {})
		Status.Post(ctx, "Your saved model could not be restored ("+m.Text+"); starting afresh.")
	}
}

func (k *Persistence) onRestarted(ctx app.Context, r workerclient.Restart) {
	if r.GaveUp {
		k.gate.Settle() // no worker will answer: scripts get its errors
		Note.Post(ctx, "The training worker stopped again ("+r.Reason+"): it has stopped too often to start it again. Reload the page.")
		return
	}
	k.restart = r.Reason
	k.running = false
	// A save on its way died with the worker: its answer will never come.
	k.saver = saver{last: k.saver.last}
	Status.Post(ctx, "The training worker stopped ("+r.Reason+"). Starting a new one…")
	// Only this page's own model comes back: not one a user's command had
	// replaced, nor one an embed or a lesson never saved.
	if k.keep && (k.current || k.restoring) {
		k.readSaved(ctx, func(*protocol.Model) bool { return true })
	}
}

// onReady: a new worker with no saved model to restore says so.
func (k *Persistence) onReady(ctx app.Context, _ *protocol.Ready) {
	if k.restart != "" && !k.restoring {
		Status.Post(ctx, "The training worker stopped ("+k.restart+"). A new one started with your settings; no trained model had been saved yet.")
		k.restart = ""
	}
}

// Trained is where the model trained stands: what StartOver would discard.
func (k *Persistence) Trained() (epoch float64, samples int64) {
	if k == nil {
		return 0, 0
	}
	return k.epoch, k.samples
}

// StartOver forgets everything saved and opens the page afresh with the
// defaults.
func (k *Persistence) StartOver() {
	k.clearing = true
	browser.ClearSettings()
	k.store.Clear(func(error) {
		loc := app.Window().Get("location")
		loc.Call("replace", loc.Get("pathname").String()+loc.Get("search").String())
	})
}

// SaveState is the Saved action's value: what the last save kept, in
// words, and why the work is not being saved, if it is not.
type SaveState struct {
	Text, Err string
}

// State is what the saving of the work has come to.
func (k *Persistence) State() SaveState {
	if k == nil { // prerendered on the server: never mounted
		return SaveState{}
	}
	return SaveState{Text: k.savedText(), Err: k.storageErr}
}

// announce tells the export panel.
func (k *Persistence) announce(ctx app.Context) { Saved.Post(ctx, k.State()) }

func (k *Persistence) savedText() string {
	if browser.OpaqueOrigin() {
		return UnsavedText
	}
	if k.saved != "" {
		return k.saved
	}
	return "Your settings, digit and trained model are kept in this browser and come back on reload."
}

// savedFitsLink reports whether a saved model was trained with the settings
// of the link the page opened with (fragment; a page opened without a link
// takes the saved settings, restoreSavedFragment). A file that does not
// read is let through: the worker names what is wrong with it.
func savedFitsLink(saved []byte, fragment string) bool {
	file, _, err := protocol.SplitHistory(saved)
	if err != nil {
		return true
	}
	m, err := ae.UnmarshalModel(file)
	if err != nil {
		return true
	}
	link, _ := state.Parse(fragment)
	got, _ := json.Marshal(m.Config())
	want, _ := json.Marshal(link.Config)
	return string(got) == string(want)
}

// linkHasDigit reports whether the link the page opened with names a digit
// (a valid one: a malformed digit= is ignored, and the saved digit shown).
func linkHasDigit(fragment string) bool {
	st, _ := state.Parse(fragment)
	return st.Digit.Kind != ""
}

// UnsavedText is what the page says of its storage in an opaque origin.
const UnsavedText = "This frame keeps nothing (it has no storage), does not work offline, and may not be allowed to download files."
