//go:build !wasm

package e2e

// What a new visit brings back: the saved model, before the page answers
// its first command and never after (issue 15.1), with its curves and
// counters; and nothing in an embed or a lesson (issue 16.3).

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"aeplayground/wasm/api"
	"aeplayground/wasm/protocol"
)

// freshLinearLoss is the held-out loss of the linear preset's untrained
// model, on its seed: what "before" must read whenever a command started it.
const freshLinearLoss = "0.1104"

// The README's host page, opened again and again in one browser profile,
// prints the same "before" and "after" each time: its loadPreset is never
// undone by a restore of the model an earlier visit trained (issue 15.1),
// and an embed restores nothing and saves nothing (issue 16.3). With the
// restore unguarded (commit d4d7a46) visit 2 read "0.1104 -> 0.0279": a
// restore had landed between its commands.
func TestBrowserHostPageRepeatable(t *testing.T) {
	p := newBrowserPage(t, 1300, 1000)
	page := hostPage(t, p.url)
	hostURL := hostOtherOrigin(t, p, page)
	var firstVisit string
	for visit := 1; visit <= 3; visit++ {
		navigate(t, p, hostURL+"/")
		log := poll[string](t, p, "the host page's demo to finish", `(() => { const l = document.querySelector("#log").textContent;
			return (l.includes("done") || l.includes("error: ")) && l })()`, 3*time.Minute)
		first := strings.SplitN(log, "\n", 2)[0]
		t.Logf("visit %d: %s", visit, first)
		if strings.Contains(log, "error: ") {
			t.Fatalf("visit %d failed:\n%s", visit, log)
		}
		if !strings.HasPrefix(first, "held-out loss "+freshLinearLoss+" -> ") {
			t.Errorf("visit %d: %q, want the untrained model's %s before", visit, first, freshLinearLoss)
		}
		// The same seed, the same 200 batches: the same "after", unless a
		// restore replaced the model in between.
		if visit == 1 {
			firstVisit = first
		} else if first != firstVisit {
			t.Errorf("visit %d: %q, visit 1: %q", visit, first, firstVisit)
		}
	}
}

// trainAndSave trains the linear preset in the full playground until its
// resting model is saved. A new model drops the saved one, so each case of
// the tests below starts from this.
func trainAndSave(t *testing.T, p *browserPage) api.State {
	t.Helper()
	navigate(t, p, p.url+"/#preset=linear-pca")
	waitReady(t, p)
	trainTo(t, p, 1.2)
	call[api.State](t, p, "pause", "") // answered once training has stopped
	return waitRestingSaved(t, p)
}

// waitRestingSaved waits until the export panel says the resting model is
// saved, and returns the state it was saved at.
func waitRestingSaved(t *testing.T, p *browserPage) api.State {
	t.Helper()
	st, err := pollDocument[api.State](p.ctx, `window.aePlayground.call("getState").then(s =>
		document.querySelector("#saved").textContent.includes(", " + s.samplesSeen + " samples") && s)`, 100*time.Millisecond, 20*time.Second)
	if err != nil {
		p.screenshot(t, "failure")
		st := call[api.State](t, p, "getState", "")
		t.Fatalf("waiting for the resting model to be saved: %v\nthe page holds %v samples (running %v); it says %q\nconsole errors: %v",
			err, st.SamplesSeen, st.Running, eval[string](t, p, `document.querySelector("#saved").textContent`), p.errors())
	}
	return st
}

const restored = `document.querySelector("#status").textContent.includes("Restored your trained model")`

// In the full playground a saved model is restored before the page answers
// its first command, and never after: a script's loadPreset, and a user's
// click on a preset before the restore, both stand (issue 15.1).
func TestBrowserRestoreGate(t *testing.T) {
	p := newBrowserPage(t, 1280, 900)

	// A script's first command sees the restored model: the restore came
	// first. And its loadPreset stands.
	saved := trainAndSave(t, p)
	navigate(t, p, p.url+"/#preset=linear-pca")
	poll[bool](t, p, "the API", `!!window.aePlayground`, 60*time.Second)
	first := call[api.State](t, p, "getState", "")
	if first.SamplesSeen != saved.SamplesSeen {
		t.Errorf("the first getState saw %v samples, want the restored model's %v", first.SamplesSeen, saved.SamplesSeen)
	}
	fresh := call[api.State](t, p, "loadPreset", `{name: "linear-pca"}`)
	time.Sleep(3 * time.Second) // long enough for a late restore to land, were there one
	later := call[api.State](t, p, "getState", "")
	if fresh.SamplesSeen != 0 || later.SamplesSeen != 0 || later.TestLoss == nil || fmt.Sprintf("%.4f", *later.TestLoss) != freshLinearLoss {
		t.Errorf("after loadPreset: %v samples, then %v samples and held-out loss %v; want 0, 0 and %s", fresh.SamplesSeen, later.SamplesSeen, later.TestLoss, freshLinearLoss)
	}

	// A script's loadPreset as the very first command: answered after the
	// restore, and not undone by it.
	trainAndSave(t, p)
	navigate(t, p, p.url+"/#preset=linear-pca")
	poll[bool](t, p, "the API", `!!window.aePlayground`, 60*time.Second)
	fresh = call[api.State](t, p, "loadPreset", `{name: "linear-pca"}`)
	if !eval[bool](t, p, restored) {
		t.Error("loadPreset was answered before the restore")
	}
	time.Sleep(3 * time.Second)
	later = call[api.State](t, p, "getState", "")
	if fresh.SamplesSeen != 0 || later.SamplesSeen != 0 {
		t.Errorf("the first command, loadPreset: %v samples, then %v; want 0", fresh.SamplesSeen, later.SamplesSeen)
	}

	// A user's click on another preset before the restore lands: the click
	// stands, and no restore is announced.
	trainAndSave(t, p)
	navigate(t, p, p.url+"/#preset=linear-pca")
	poll[bool](t, p, "the page to be running", `!!window.aePlayground`, 60*time.Second)
	click(t, p, "#preset-deep")
	waitReady(t, p)
	time.Sleep(3 * time.Second)
	st := call[api.State](t, p, "getState", "")
	if st.Preset != "deep" || st.SamplesSeen != 0 {
		t.Errorf("after a click on Deep before the restore: preset %q, %v samples; want deep, 0", st.Preset, st.SamplesSeen)
	}
	if s := eval[string](t, p, `document.querySelector("#status").textContent`); strings.Contains(s, "Restored") {
		t.Errorf("the restore was announced after the user's click: %q", s)
	}

}

// An embed and a lesson of the settings of the model the full playground
// saved neither restore it, nor show the banner, nor save over it; the
// full playground then comes back as it was (issue 16.3).
func TestBrowserEmbedAndLessonKeepNothing(t *testing.T) {
	p := newBrowserPage(t, 1280, 900)
	saved := trainAndSave(t, p)
	for _, link := range []string{"#preset=linear-pca&embed=1", "#lesson=pca", "#lesson=pca&embed=1"} {
		navigate(t, p, p.url+"/"+link)
		waitReady(t, p)
		time.Sleep(3 * time.Second)
		st := call[api.State](t, p, "getState", "")
		text := eval[string](t, p, `document.querySelector("#status").textContent + " " + document.querySelector("#note").textContent`)
		if st.SamplesSeen != 0 || strings.Contains(text, "Restored") || strings.Contains(text, "last visit") {
			t.Errorf("%s: %v samples, banner %q; want a fresh model and no word of the last visit", link, st.SamplesSeen, text)
		}
		call[api.State](t, p, "step", `{n: 50}`) // a resting model: the full playground would save it
		time.Sleep(2 * time.Second)
		if link == "#lesson=pca" {
			p.screenshot(t, "lesson-keeps-nothing")
		}
	}
	// The full playground, opened without a link, comes back as it was.
	navigate(t, p, p.url+"/")
	poll[bool](t, p, "the restored message", restored, 90*time.Second)
	back := poll[api.State](t, p, "the restored model's progress", `window.aePlayground.call("getState").then(s => s.samplesSeen > 0 && s)`, 10*time.Second)
	if back.SamplesSeen != saved.SamplesSeen || back.Preset != "linear-pca" || back.Lesson != nil {
		t.Errorf("the full playground came back with %v samples, preset %q, lesson %v; want %v, linear-pca, none", back.SamplesSeen, back.Preset, back.Lesson, saved.SamplesSeen)
	}
}

// curvePoints counts the points of each curve drawn (by their colours,
// wasm/ui/svg.go): the held-out and the training loss and the largest
// principal angle; and reads the angle read-out and the counters.
const curvePoints = `(() => {
	const n = sel => { const d = (document.querySelector(sel) || {getAttribute: () => ""}).getAttribute("d") || "";
		return d === "" ? 0 : d.split("L").length };
	return {test: n(".loss-card path[stroke='#d9480f']"), train: n(".loss-card path[stroke='#1f4e8c']"), angle: n(".pca-card path[stroke='#1f4e8c']"),
		readout: (document.querySelector(".pca-card .readout") || {}).textContent || "",
		epoch: document.querySelector("#epoch").textContent, samples: document.querySelector("#samples").textContent};
})()`

type curves struct {
	Test, Train, Angle int
	Readout            string
	Epoch, Samples     string
}

// The curves and the counters come back with the model: after a reload,
// and from a downloaded .aemodel loaded in another browser; an older file
// without them still loads (issue 15.2).
func TestBrowserHistorySurvives(t *testing.T) {
	p := newBrowserPage(t, 1280, 900)
	addScript(t, p, captureDownloads)
	navigate(t, p, p.url+"/#preset=linear-pca")
	waitReady(t, p)
	// Trained until the curves hold a few evaluations (they are spaced by
	// their cost, so how many epochs that takes depends on the machine).
	click(t, p, "#play")
	poll[bool](t, p, "four evaluations", curvePoints+`.test >= 4 && parseFloat(document.querySelector("#epoch").textContent) >= 1`, 3*time.Minute)
	click(t, p, "#pause")
	poll[bool](t, p, "the play button", `!!document.querySelector("#play")`, 5*time.Second)
	call[api.State](t, p, "pause", "") // answered once training has stopped
	waitRestingSaved(t, p)
	time.Sleep(time.Second) // the chart redraws at most twice a second
	before := eval[curves](t, p, curvePoints)
	t.Logf("trained: %+v", before)
	csvRows := func() int {
		t.Helper()
		n := eval[int](t, p, `(window.__downloads || []).length`)
		click(t, p, "#download-csv")
		return strings.Count(downloaded(t, p, n)["text"].(string), "\r\n") - 1
	}
	rowsBefore := csvRows()
	if before.Test < 3 || before.Angle < 3 || !strings.Contains(before.Readout, "at the start") {
		t.Fatalf("too little drawn to compare: %+v", before)
	}

	same := func(what string, got curves) {
		t.Helper()
		if got.Epoch != before.Epoch || got.Samples != before.Samples {
			t.Errorf("%s: epoch %s, %s samples; want %s, %s", what, got.Epoch, got.Samples, before.Epoch, before.Samples)
		}
		if got.Test < before.Test || got.Angle < before.Angle || got.Train < before.Train {
			t.Errorf("%s: curves of %d held-out, %d training and %d angle points; want at least %d, %d, %d", what,
				got.Test, got.Train, got.Angle, before.Test, before.Train, before.Angle)
		}
		start := func(s string) string { i := strings.Index(s, "("); return s[max(i, 0):] }
		if start(got.Readout) != start(before.Readout) {
			t.Errorf("%s: angle read-out %q, want the start of %q", what, got.Readout, before.Readout)
		}
	}

	// A reload.
	navigate(t, p, p.url+"/")
	poll[bool](t, p, "the restored message", `document.querySelector("#status").textContent.includes("Restored your trained model")`, 90*time.Second)
	time.Sleep(time.Second)
	same("after a reload", poll[curves](t, p, "the restored curves", curvePoints+`.test > 1 && `+curvePoints, 10*time.Second))
	p.screenshot(t, "history-after-reload")
	if rows := csvRows(); rows < rowsBefore {
		t.Errorf("after a reload the CSV holds %d evaluations, before it %d", rows, rowsBefore)
	}

	// The model as a file, loaded in another browser profile.
	click(t, p, "#download-model")
	d := downloaded(t, p, 1)
	raw := d["bytes"].([]any)
	file := make([]byte, len(raw))
	for i, v := range raw {
		file[i] = byte(v.(float64))
	}
	q := newBrowserPage(t, 1280, 900)
	navigate(t, q, q.url+"/#preset=survey")
	waitReady(t, q)
	setFile(t, q, "trained.aemodel", `new Uint8Array(`+jsBytesLiteral(file)+`)`)
	poll[bool](t, q, "the file's epoch", fmt.Sprintf(`document.querySelector("#epoch").textContent == %q`, before.Epoch), 30*time.Second)
	time.Sleep(time.Second)
	same("loaded from its file", eval[curves](t, q, curvePoints))
	q.screenshot(t, "history-loaded-file")

	// An older file: the model without its history loads, from zero.
	model, hist, err := protocol.SplitHistory(file)
	if err != nil || hist == nil {
		t.Fatalf("the downloaded file has no history: %v", err)
	}
	setFile(t, q, "old.aemodel", `new Uint8Array(`+jsBytesLiteral(model)+`)`)
	poll[bool](t, q, "the old file loaded", `document.querySelector("#load-info").textContent.startsWith("Loaded") && document.querySelector("#samples").textContent == "0"`, 30*time.Second)
	if e := eval[string](t, q, `document.querySelector("#load-error").textContent`); e != "" {
		t.Errorf("an old file: %q", e)
	}
}
