//go:build !wasm

package e2e

import (
	"aeplayground/wasm/api"

	"fmt"
	"strings"
	"testing"
	"time"

	"aeplayground/wasm/protocol"
)

// curvePoints counts the points of each curve drawn (by their colours,
// svgRoles): the held-out and the training loss and the largest principal
// angle; and reads the angle read-out and the counters.
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
