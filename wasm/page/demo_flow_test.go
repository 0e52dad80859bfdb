package page

import (
	"slices"
	"strings"
	"testing"

	"aeplayground/engine/ae"
	"aeplayground/engine/noise"
	"aeplayground/wasm/lesson"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/state"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// demoPage is a component for the demo's handlers, with the commands it
// sent and the links it wrote.
type demoPage struct {
	app.Compo
	ctx app.Context
}

func (p *demoPage) OnMount(ctx app.Context) { p.ctx = ctx }
func (p *demoPage) Render() app.UI          { return app.Div() }

// startDemo opens the demo of a link's fragment as the page does.
func startDemo(t *testing.T, fragment string) (*Demo, *sent, *[]string, app.Context) {
	t.Helper()
	p := &demoPage{}
	disp := app.NewClientTester(p)
	t.Cleanup(disp.Close)
	w, links := &sent{}, &[]string{}
	d := NewDemo(fragment)
	d.Start(p.ctx, w, NewDigit(w), func(frag string) { *links = append(*links, frag) })
	return d, w, links, p.ctx
}

// lastConfig is the config of the last SetConfig sent.
func lastConfig(t *testing.T, w *sent) *protocol.SetConfig {
	t.Helper()
	cs := w.of(&protocol.SetConfig{})
	if len(cs) == 0 {
		t.Fatal("no SetConfig sent")
	}
	return cs[len(cs)-1].(*protocol.SetConfig)
}

// TestSettingsReachLinkAndWorker: a control's setting goes to the worker
// as the model's config and into the link, which names it as modified; a
// refused setting sends nothing and is named at its control.
func TestSettingsReachLinkAndWorker(t *testing.T) {
	d, w, links, _ := startDemo(t, "preset=linear-pca")
	if n := len(w.of(&protocol.SetConfig{})); n != 1 {
		t.Fatalf("%d configs sent at the start, want 1", n)
	}
	d.Set("k", "12")
	d.Set("lr", "0.02")
	if got := lastConfig(t, w).Config; got.K() != 12 || got.LR != 0.02 {
		t.Errorf("the worker got k %d, lr %v; want 12, 0.02", got.K(), got.LR)
	}
	link := (*links)[len(*links)-1]
	if !strings.Contains(link, "preset=linear-pca") || !strings.Contains(link, "k=12") || !strings.Contains(link, "lr=0.02") {
		t.Errorf("the link %q does not carry the preset and the two settings", link)
	}
	if text, asPreset := d.About(); asPreset || !strings.Contains(text, "modified: k, lr") {
		t.Errorf("the line under the presets says %q (as the preset: %v)", text, asPreset)
	}
	before := len(w.msgs)
	d.Set("lr", "abc")
	if len(w.msgs) != before {
		t.Errorf("a refused setting sent %v", w.msgs[before:])
	}
	if d.Form.Error("lr") == "" {
		t.Error("a refused learning rate is not named at its control")
	}
	// The link opens the same demo again.
	again, w2, _, _ := startDemo(t, link)
	if got := lastConfig(t, w2).Config; got.K() != 12 || got.LR != 0.02 || again.Base != "linear-pca" {
		t.Errorf("the link reopened k %d, lr %v from %q", got.K(), got.LR, again.Base)
	}
}

// TestPresetLeavesTheLesson: a preset leaves a lesson step for the whole
// playground with the preset's model, and drops a corruption the preset
// does not train on.
func TestPresetLeavesTheLesson(t *testing.T) {
	d, w, links, ctx := startDemo(t, "lesson=denoising")
	if d.Lesson == nil || !d.Link.Corrupt.Active() {
		t.Fatalf("the denoising step opened with lesson %v, corruption %+v", d.Lesson, d.Link.Corrupt)
	}
	if n := len(w.of(&protocol.SampleOfClass{})); n != 1 {
		t.Errorf("%d held-out digits asked for, want one to see through the models", n)
	}
	cfg, err := ae.Preset("survey")
	if err != nil {
		t.Fatal(err)
	}
	d.UseConfig(ctx, "survey", cfg)
	if d.Lesson != nil || d.Link.Lesson != "" || d.Link.Corrupt.Active() {
		t.Errorf("after a preset: lesson %v, link lesson %q, corruption %+v", d.Lesson, d.Link.Lesson, d.Link.Corrupt)
	}
	sc := lastConfig(t, w)
	if len(sc.Compare) != 0 || sc.Config.Noise.Active() {
		t.Errorf("the preset's config went with %d compared models, noise %+v", len(sc.Compare), sc.Config.Noise)
	}
	if noises := w.of(&protocol.SetNoise{}); noises[len(noises)-1].(*protocol.SetNoise).Noise != (noise.Spec{}) {
		t.Error("the worker still shows the lesson's corruption")
	}
	if link := (*links)[len(*links)-1]; strings.Contains(link, "lesson=") {
		t.Errorf("the link %q still names the lesson", link)
	}
}

// TestLessonSendsItsModels: every step sends its models, the second beside
// the first, and its own corruption; its link opens the step afresh.
func TestLessonSendsItsModels(t *testing.T) {
	for _, step := range lesson.Steps() {
		d, w, links, _ := startDemo(t, "lesson="+step.ID)
		sc := lastConfig(t, w)
		if len(sc.Compare) != len(step.Models)-1 {
			t.Errorf("%s: %d compared models sent, want %d", step.ID, len(sc.Compare), len(step.Models)-1)
		}
		first, err := step.Config(0)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := state.Encode(state.State{Config: sc.Config}), state.Encode(state.State{Config: first.Config}); got != want {
			t.Errorf("%s: the first model went as %s, want %s", step.ID, got, want)
		}
		if link, want := (*links)[len(*links)-1], "preset="+state.DefaultPreset+"&lesson="+step.ID; link != want {
			t.Errorf("%s: the link is %q, want the step alone, %q", step.ID, link, want)
		}
		if !slices.Equal(d.Link.Panels, step.Panels) {
			t.Errorf("%s: panels %v, want %v", step.ID, d.Link.Panels, step.Panels)
		}
	}
}

// TestUnknownLessonIsNamed: a link's unknown step is named and ignored.
func TestUnknownLessonIsNamed(t *testing.T) {
	d, w, _, _ := startDemo(t, "lesson=nope&k=8")
	if d.Lesson != nil || !strings.Contains(d.LinkNote(), "lesson=nope") {
		t.Errorf("lesson %v, note %q", d.Lesson, d.LinkNote())
	}
	if lastConfig(t, w).Config.K() != 8 {
		t.Error("the rest of the link was not applied")
	}
}

// TestRefusedHeldOutDigitLeavesTheLink: the worker's refusal of a link's
// held-out digit, named by its kind, drops the digit from the link; an
// error of another kind does not.
func TestRefusedHeldOutDigitLeavesTheLink(t *testing.T) {
	d, w, links, _ := startDemo(t, "digit=test:1999")
	d.ShowLinkDigit(nil)
	if n := len(w.of(&protocol.SampleAt{})); n != 1 {
		t.Fatalf("%d held-out digits asked for, want 1", n)
	}
	d.OnRefused(&protocol.Error{Text: "something else"})
	if d.Link.Digit.Kind != state.DigitTest {
		t.Fatal("an unrelated error dropped the link's digit")
	}
	d.OnRefused(&protocol.Error{Text: "no such digit", Refused: (*protocol.SampleAt)(nil).Kind()})
	if d.Link.Digit.Kind != "" || strings.Contains((*links)[len(*links)-1], "digit=") {
		t.Errorf("the refused digit stayed: %+v, link %q", d.Link.Digit, (*links)[len(*links)-1])
	}
}

// TestLessonNamesTheSettingsItIgnores: a setting beside a lesson step in a
// link is named, since the step trains its own models; a lesson link alone
// has nothing to name.
func TestLessonNamesTheSettingsItIgnores(t *testing.T) {
	d, w, _, _ := startDemo(t, "lesson=pca&k=2")
	if note := d.LinkNote(); !strings.Contains(note, "k=2: a lesson step trains its own models") {
		t.Errorf("note %q", note)
	}
	if lastConfig(t, w).Config.K() == 2 {
		t.Error("the step's model took the link's k")
	}
	if d, _, _, _ := startDemo(t, "lesson=pca"); d.LinkNote() != "" {
		t.Errorf("a plain lesson link is noted: %q", d.LinkNote())
	}
}
