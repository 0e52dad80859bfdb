package page

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"aeplayground/engine/ae"
	"aeplayground/engine/noise"
	"aeplayground/wasm/api"
	"aeplayground/wasm/bus"
	"aeplayground/wasm/lesson"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/state"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Demo is the demo the page shows: the model's settings, what the link
// carries besides them (the digit, the shown corruption, the layout, the
// origins allowed to script the page), the preset they started from, and
// the lesson step, if any. It sends the worker the model its settings make
// and writes the link; the playground renders it, and every setter here is
// what a control, a link, a preset, a lesson or a script calls.
type Demo struct {
	worker   Worker
	digit    *Digit
	writeURL func(fragment string)

	Presets []ae.PresetInfo
	// Form is the model settings: what the controls edit, what a link
	// encodes, what setConfig changes and what the worker trains.
	Form      state.Form
	Base      string // the preset the settings started from, for links
	Large     bool   // large type
	LevelText string // the shown corruption's level as typed, while refused
	NoiseErr  string // why it was refused
	Refused   string // the worker's refusal of the last config, if any
	Note      string // a message for the page's note, "" for none

	// Link is what the URL carries besides the settings; Applied is the
	// last config sent to the worker.
	Link       state.State
	LinkErrs   []error
	ownPanels  []string // the link's panels, shown again when a lesson is left
	Lesson     *LessonRun
	compare    []ae.Config // a lesson's second model, trained beside the first
	Applied    ae.Config
	urlPending bool
}

// DefaultEmbedPanels are the panels #embed=1 shows when the link names
// none: draw a digit, see it reconstructed, train, and watch the loss.
var DefaultEmbedPanels = []string{"pad", "recon", "train", "loss"}

// NewDemo is the demo a link's fragment describes. Bad keys, and an
// unknown lesson step, are kept in LinkErrs and ignored.
func NewDemo(fragment string) *Demo {
	d := &Demo{Presets: ae.Presets()}
	d.Link, d.LinkErrs = state.Parse(fragment)
	d.init()
	return d
}

// DefaultDemo is the default playground: the page a browser shows until
// app.wasm has started.
func DefaultDemo() *Demo {
	d := &Demo{Presets: ae.Presets(), Link: state.Default()}
	d.init()
	return d
}

func (d *Demo) init() {
	if d.Link.Embed && len(d.Link.Panels) == 0 {
		d.Link.Panels = DefaultEmbedPanels
	}
	d.ownPanels = d.Link.Panels
	d.Base, d.Large = d.Link.Preset, d.Link.LargeType
	d.Form = state.NewForm(d.Link.Config)
	if id := d.Link.Lesson; id != "" {
		step, i, ok := lesson.ByID(id)
		if !ok {
			d.LinkErrs = append(d.LinkErrs, &state.KeyError{Key: "lesson", Value: id,
				Err: fmt.Errorf("unknown lesson step (want %s)", strings.Join(lesson.IDs(), ", "))})
			d.Link.Lesson = ""
			return
		}
		d.Lesson = NewLessonRun(step, i)
		d.Link.Panels = step.Panels
		// The step trains its own models: settings beside it are named,
		// not dropped without a word.
		if d.Link.Preset != state.DefaultPreset {
			d.LinkErrs = append(d.LinkErrs, &state.KeyError{Key: "preset", Value: d.Link.Preset, Err: errLessonModels})
		}
		for _, kv := range modified(d.Link.Preset, d.Link.Config) {
			d.LinkErrs = append(d.LinkErrs, &state.KeyError{Key: kv[0], Value: kv[1], Err: errLessonModels})
		}
	}
}

// errLessonModels: a link's setting beside a lesson step, which trains its
// own models.
var errLessonModels = errors.New("a lesson step trains its own models")

// LinkNote is what the page says of a link's refused keys; "" for none.
func (d *Demo) LinkNote() string {
	if len(d.LinkErrs) == 0 {
		return ""
	}
	msgs := make([]string, len(d.LinkErrs))
	for i, err := range d.LinkErrs {
		msgs[i] = err.Error()
	}
	return "Ignored in the link: " + strings.Join(msgs, "; ")
}

// Start sends the demo's first commands to w, with dg as the page's digit
// and writeURL as how the page's address is written (in place: the
// fragment, so that the service worker's cache still finds the page).
func (d *Demo) Start(ctx app.Context, w Worker, dg *Digit, writeURL func(fragment string)) {
	d.worker, d.digit, d.writeURL = w, dg, writeURL
	if d.Lesson == nil || !d.EnterLesson(ctx, d.Lesson.Step.ID) {
		d.SendCorrupt(ctx)
		d.Apply()
	}
}

// KeepsWork reports whether the page keeps its work across visits: only
// the full playground does; an embed or a lesson never restores a model
// saved by another demo, nor saves over it.
func (d *Demo) KeepsWork() bool { return !d.Link.Embed && d.Lesson == nil }

// Apply sends the form's config to the worker, which starts a new model,
// and writes it into the link.
func (d *Demo) Apply() {
	d.Refused = ""
	d.worker.Send(&protocol.SetConfig{Config: d.Form.Config, Compare: d.compare})
	d.SaveURL(d.Form.Config)
}

// SendCorrupt shows the digits with the link's corruption.
func (d *Demo) SendCorrupt(ctx app.Context) { d.digit.SetNoise(ctx, d.Link.Corrupt) }

// SaveURL writes the link of cfg into the page's address.
func (d *Demo) SaveURL(cfg ae.Config) {
	d.Applied = cfg
	if d.writeURL != nil {
		d.writeURL(state.Encode(d.LinkState(cfg)))
	}
}

// ModelLoaded takes a loaded model's settings as the page's, without
// sending them back (that would start a new model).
func (d *Demo) ModelLoaded(ctx app.Context, cfg ae.Config) {
	for _, info := range d.Presets {
		if reflect.DeepEqual(info.Config, cfg) {
			d.Base = info.Name
		}
	}
	if cfg.Noise.Active() { // a denoising model shows the corruption it trains on
		d.Link.Corrupt = cfg.Noise
		d.SendCorrupt(ctx)
	}
	d.Form = state.NewForm(cfg)
	d.SaveURL(cfg)
}

// ConfigRefused takes the worker's refusal of the last config (out of
// memory, say: the page sends only configs that passed Validate).
func (d *Demo) ConfigRefused(text string) {
	d.Refused = text
	d.Note = "The worker could not build this model: " + text
}

// Set takes a control's text (key, value, …): the form parses it as a
// link's, and a valid result goes to the worker; a refused one is named at
// its control while the current model keeps running.
func (d *Demo) Set(kv ...string) {
	if len(kv) == 2 && kv[0] == "opt" && kv[1] == string(ae.Momentum) && d.Form.Config.Momentum == 0 {
		kv = append(kv, "mom", "0.9") // a first choice of momentum starts at the usual μ, not at plain SGD
	}
	if d.Form.Set(kv...) {
		d.Apply()
	}
}

// UseConfig makes cfg (already valid: a preset, a script's setConfig) the
// settings and starts its model. A preset's own corruption is shown with
// it; a preset without one shows none (no corruption is inherited from the
// last demo); a script's config changes the shown corruption only if it
// trains on one.
func (d *Demo) UseConfig(ctx app.Context, preset string, cfg ae.Config) {
	if preset != "" {
		d.Base, d.Note = preset, ""
		d.Link.Corrupt = noise.Spec{}
		d.Lesson, d.compare = nil, nil // a preset leaves the lesson
		d.Link.Lesson, d.Link.Panels = "", d.ownPanels
	}
	if cfg.Noise.Active() {
		d.Link.Corrupt = cfg.Noise
	}
	d.LevelText, d.NoiseErr = "", ""
	d.Form = state.NewForm(cfg)
	d.SendCorrupt(ctx)
	d.Apply()
}

// Corrupt takes the corruption controls' kind and level. A denoising
// model follows the corruption shown: it trains on what the page shows.
func (d *Demo) Corrupt(ctx app.Context, kind, level string) {
	spec, err := state.ParseNoise(kind, level)
	if err != nil {
		d.LevelText, d.NoiseErr = level, err.Error()
		return
	}
	d.LevelText, d.NoiseErr = "", ""
	d.Link.Corrupt = spec
	d.SendCorrupt(ctx)
	if d.Form.Config.Noise.Active() {
		d.Denoise(spec.Active())
		return
	}
	d.SaveURL(d.Applied)
}

// Denoise turns training on the shown corruption on or off.
func (d *Demo) Denoise(on bool) {
	kv := []string{"noise", "none"}
	if spec := d.Link.Corrupt; on && spec.Active() {
		kv = []string{"noise", string(spec.Kind), "level", strconv.FormatFloat(spec.Level, 'g', -1, 64)}
	}
	if d.Form.Set(kv...) {
		d.Apply()
		return
	}
	d.NoiseErr = d.Form.Error("noise") + d.Form.Error("level")
}

// Presenting reports whether the page shows a lesson step in presenter
// mode.
func (d *Demo) Presenting() bool { return d.Link.Present && d.Lesson != nil }

// SetPresent turns presenter mode on or off, in the link too.
func (d *Demo) SetPresent(on bool) {
	d.Link.Present = on
	d.SaveURL(d.Applied)
}

// SetLarge turns large type on or off, in the link too.
func (d *Demo) SetLarge(on bool) {
	d.Large = on
	d.SaveURL(d.Applied)
}

// Shows reports whether any of the named panels is shown.
func (d *Demo) Shows(names ...string) bool {
	if len(d.Link.Panels) == 0 {
		return true
	}
	for _, n := range names {
		if slices.Contains(d.Link.Panels, n) {
			return true
		}
	}
	return false
}

// LinkState is everything the link carries for the given model settings.
func (d *Demo) LinkState(cfg ae.Config) state.State {
	st := d.Link
	if st.Lesson != "" { // a lesson's link opens the step afresh: its models, its panels
		return state.State{Preset: state.DefaultPreset, Config: state.Default().Config, Lesson: st.Lesson,
			Autoplay: st.Autoplay, Embed: st.Embed, Origins: st.Origins, LargeType: d.Large, Present: st.Present}
	}
	st.Preset, st.Config, st.LargeType = d.Base, cfg, d.Large
	if st.Embed && slices.Equal(st.Panels, DefaultEmbedPanels) {
		st.Panels = nil
	}
	return st
}

// ModifiedKeys names the settings cfg changes from the preset the page
// started from, as a link names them ("k", "lr").
func ModifiedKeys(preset string, cfg ae.Config) []string {
	var keys []string
	for _, kv := range modified(preset, cfg) {
		keys = append(keys, kv[0])
	}
	return keys
}

// modified is each setting cfg changes from the preset, as a link writes
// it: key and value.
func modified(preset string, cfg ae.Config) [][2]string {
	var out [][2]string
	for _, kv := range strings.Split(state.Encode(state.State{Preset: preset, Config: cfg}), "&") {
		if k, v, _ := strings.Cut(kv, "="); k != "preset" && k != "" {
			out = append(out, [2]string{k, v})
		}
	}
	return out
}

// About is the line under the presets: the preset's description while the
// settings are the preset's (asPreset), else which settings differ from it.
func (d *Demo) About() (text string, asPreset bool) {
	var base ae.PresetInfo
	for _, info := range d.Presets {
		if info.Name == d.Base {
			base = info
		}
	}
	if base.Name == "" {
		return "", false
	}
	if d.Form.Pending() {
		return "Your own settings, starting from the preset “" + base.Title + "”.", false
	}
	if mod := ModifiedKeys(d.Base, d.Form.Config); len(mod) > 0 {
		return "From the preset “" + base.Title + "”, modified: " + strings.Join(mod, ", ") + ".", false
	}
	return base.About, true
}

// OnDigit writes the shown digit into the link. A stroke makes a new digit
// every frame: the link follows at most twice a second.
func (d *Demo) OnDigit(ctx app.Context, v *Shown) {
	d.Link.Digit = v.Link
	if d.urlPending {
		return
	}
	d.urlPending = true
	bus.After(ctx, 500*time.Millisecond, func(ctx app.Context) {
		d.urlPending = false
		d.SaveURL(d.Applied)
	})
}

// ShowLinkDigit shows the link's digit once the worker can answer: a
// held-out digit by its index, a drawn one at once.
func (d *Demo) ShowLinkDigit(ctx app.Context) {
	switch dg := d.Link.Digit; dg.Kind {
	case state.DigitTest:
		d.worker.Send(&protocol.SampleAt{Index: dg.Index})
	case state.DigitDrawn:
		d.digit.Set(ctx, dg.Pixels, FromLink, "the link", dg)
	}
}

// OnRefused drops a held-out digit the bundle does not have from the link
// (the worker names it on the page).
func (d *Demo) OnRefused(e *protocol.Error) {
	if e.Refused == (*protocol.SampleAt)(nil).Kind() && d.Link.Digit.Kind == state.DigitTest {
		d.Link.Digit = state.Digit{}
		d.SaveURL(d.Applied)
	}
}

// Autoplay starts training if the link asks for it (autoplay=1).
func (d *Demo) Autoplay() {
	if d.Link.Autoplay {
		d.worker.Send(&protocol.Play{})
	}
}

// EnterLesson makes step id the page's: its models go to the worker (the
// second, if any, trained beside the first), its corruption is shown, and
// only its panels.
func (d *Demo) EnterLesson(ctx app.Context, id string) bool {
	step, i, ok := lesson.ByID(id)
	if !ok {
		return false
	}
	first, err := step.Config(0)
	if err != nil { // the lesson tests parse every step's models: a build error
		d.Note = err.Error()
		return false
	}
	d.compare = d.compare[:0]
	for j := 1; j < len(step.Models); j++ {
		st, err := step.Config(j)
		if err != nil {
			d.Note = err.Error()
			return false
		}
		d.compare = append(d.compare, st.Config)
	}
	corrupt, _ := state.Parse("corrupt=" + step.Corrupt)
	if d.Lesson == nil || d.Lesson.Step.ID != id {
		d.Lesson = NewLessonRun(step, i)
	}
	d.Link.Lesson, d.Link.Panels, d.Link.Corrupt = id, step.Panels, corrupt.Corrupt
	d.Base, d.Note = first.Preset, ""
	d.LevelText, d.NoiseErr = "", ""
	d.Form = state.NewForm(first.Config)
	d.SendCorrupt(ctx)
	d.Apply()
	if d.digit.Current() == nil && d.Link.Digit.Kind == "" {
		d.digit.AskFirst(3) // a digit to see through the model from the start
	}
	return true
}

// LeaveLesson goes back to the whole playground with the lesson's first
// model (a new model: the compared one is dropped).
func (d *Demo) LeaveLesson() {
	if d.Lesson == nil {
		return
	}
	d.Lesson, d.compare = nil, nil
	d.Link.Lesson, d.Link.Autoplay, d.Link.Panels, d.Link.Present = "", false, d.ownPanels, false
	d.Apply()
}

// TryLesson applies the step's "try this" to its first model, and says so
// (Tried) before the new model's first report.
func (d *Demo) TryLesson(ctx app.Context) {
	if r := d.Lesson; r != nil {
		r.Tried = true
		Tried.Post(ctx, r.Step.Try.Label)
		d.Set(r.Step.Try.Set...)
	}
}

// LessonState is getState's lesson; nil outside one.
func (d *Demo) LessonState() *api.Lesson {
	r := d.Lesson
	if r == nil {
		return nil
	}
	return &api.Lesson{ID: r.Step.ID, Passed: r.Result.Passed, Evidence: r.Result.Evidence}
}

// LessonLabels names a lesson's two models for the loss chart; nil for one.
func (d *Demo) LessonLabels() []string {
	if d.Lesson == nil {
		return nil
	}
	return d.Lesson.Step.Labels
}

// LessonCurve is the figure the chart plots for a lesson's two models.
func (d *Demo) LessonCurve() lesson.Curve {
	if d.Lesson == nil {
		return lesson.CleanError
	}
	return d.Lesson.Step.Curve
}
