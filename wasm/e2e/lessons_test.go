//go:build !wasm

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"aeplayground/wasm/api"
	"aeplayground/wasm/lesson"
)

// lessonPassTime is how long a seeded lesson step may train in the page
// before its checkpoint must hold (the slowest, the tied linear proof, takes
// about 20 s on this 2-core machine; the survey's steps a few seconds).
const lessonPassTime = 90 * time.Second

// TestBrowserLessons opens each lesson step from its link in a fresh page
// at 1366×768, presses its Play, and requires, through the scripting API,
// that its checkpoint passes; its panels must all be in view without
// scrolling, and the page must log no error.
func TestBrowserLessons(t *testing.T) {
	for _, id := range lesson.IDs() {
		t.Run(id, func(t *testing.T) {
			p := newBrowserPage(t, 1366, 768)
			navigate(t, p, p.url+"/#lesson="+id)
			waitReady(t, p)
			st := call[api.State](t, p, "getState", "")
			if st.Lesson == nil || st.Lesson.ID != id || st.Lesson.Passed {
				t.Fatalf("getState's lesson before training: %+v", st.Lesson)
			}
			start := time.Now()
			click(t, p, "#lesson-play")
			poll[bool](t, p, "the checkpoint to pass",
				`window.aePlayground.call("getState").then(s => s.lesson && s.lesson.passed)`, lessonPassTime)
			took := time.Since(start)
			st = call[api.State](t, p, "getState", "")
			t.Logf("%s passed after %.1f s: %s", id, took.Seconds(), st.Lesson.Evidence)
			poll[bool](t, p, "the tick on the page", `document.querySelector("#checkpoint.passed") !== null`, 5*time.Second)
			click(t, p, "#lesson-play") // pause, for a still screenshot
			p.screenshot(t, "lesson-"+id+"-1366x768")
			out := eval[[]string](t, p, `[...document.querySelectorAll(".panels > .slot:not([hidden]), .panels .stack > .slot:not([hidden])")]
				.filter(e => { const r = e.getBoundingClientRect(); return r.height > 0 && (r.bottom > innerHeight + 1 || r.right > innerWidth + 1) })
				.map(e => e.className + " ends at " + Math.round(e.getBoundingClientRect().bottom))`)
			if len(out) > 0 {
				t.Errorf("panels out of view at 1366×768: %s", strings.Join(out, "; "))
			}
		})
	}
}

// TestBrowserLessonNavigation: Next and Back walk the steps and the link
// follows; loadLesson opens a step; a preset leaves the lesson.
func TestBrowserLessonNavigation(t *testing.T) {
	p := newBrowserPage(t, 1366, 768)
	navigate(t, p, p.url+"/#lesson=intro")
	waitReady(t, p)
	click(t, p, "#lesson-next")
	poll[bool](t, p, "the second step in the link", `location.hash.includes("lesson=fg")`, 5*time.Second)
	if title := eval[string](t, p, `document.querySelector("#lesson-title").textContent`); title != "Choosing f and g" {
		t.Errorf("title %q", title)
	}
	click(t, p, "#lesson-back")
	poll[bool](t, p, "the first step again", `location.hash.includes("lesson=intro")`, 5*time.Second)
	// The Embed button offers this step, in a frame of the size it fits.
	click(t, p, "#embed")
	snippet := poll[string](t, p, "the snippet", `document.querySelector("#share-text").value`, 5*time.Second)
	if !strings.HasPrefix(snippet, `<iframe src="`+p.url+`/#`) || !strings.Contains(snippet, "embed=1") || !strings.Contains(snippet, "lesson=intro") || !strings.Contains(snippet, `width="760" height="600"`) {
		t.Errorf("the lesson's embed snippet: %s", snippet)
	}
	st := call[api.State](t, p, "loadLesson", `{id: "denoising"}`)
	if st.Lesson == nil || st.Lesson.ID != "denoising" || fmt.Sprint(st.Config.Hidden) != "[256]" {
		t.Errorf("after loadLesson: lesson %+v, hidden %v", st.Lesson, st.Config.Hidden)
	}
	click(t, p, "#preset-sparse")
	poll[bool](t, p, "the lesson to close", `window.aePlayground.call("getState").then(s => s.lesson === null)`, 5*time.Second)
}

// TestBrowserLessonEmbeds: each lesson step alone in a 760×600 iframe on a
// host page of another origin fits its frame with no scrolling inside, and
// its own Play trains it. The host page is 800×700, so the frame is shown
// and its worker starts (wasm/ui/embedview.go).
func TestBrowserLessonEmbeds(t *testing.T) {
	for _, id := range lesson.IDs() {
		t.Run(id, func(t *testing.T) {
			p := newBrowserPage(t, 800, 700)
			page := fmt.Sprintf(`<!doctype html><html lang="en"><title>Host</title><body style="margin:8px">`+
				`<iframe src="%s/#lesson=%s&amp;embed=1" width="760" height="600" title="Lesson" style="border:1px solid #ccc"></iframe></body></html>`,
				p.url, id)
			hostURL := hostOtherOrigin(t, p, page)
			navigate(t, p, hostURL+"/")
			frame := frameContext(t, p, "lesson="+id)
			framePoll[bool](t, frame, "the embed to be ready", `!!window.aePlayground && !!document.querySelector("#lesson-play") && !document.querySelector("#lesson-play").disabled`, time.Minute)
			framePoll[bool](t, frame, "Play", `(document.querySelector("#lesson-play").click(), true)`, 5*time.Second)
			framePoll[bool](t, frame, "training", `window.aePlayground.call("getState").then(s => s.samplesSeen > 2000 && s.running)`, time.Minute)
			framePoll[bool](t, frame, "Pause", `(document.querySelector("#lesson-play").click(), true)`, 5*time.Second)
			framePoll[bool](t, frame, "the pause", `window.aePlayground.call("getState").then(s => !s.running)`, 10*time.Second)
			// With the try action's expectation shown too, the step still fits.
			framePoll[bool](t, frame, "Try", `(document.querySelector("#lesson-try").click(), true)`, 5*time.Second)
			framePoll[bool](t, frame, "the expectation", `!!document.querySelector(".lesson-expect")`, 5*time.Second)
			m := framePoll[struct{ Scroll, Client int }](t, frame, "the frame's size",
				`({Scroll: document.documentElement.scrollHeight, Client: document.documentElement.clientHeight})`, 5*time.Second)
			if m.Scroll > m.Client {
				t.Errorf("%s scrolls inside its 760×600 frame: scrollHeight %d > clientHeight %d", id, m.Scroll, m.Client)
			}
			p.screenshot(t, "lesson-embed-"+id+"-760x600")
		})
	}
}

// TestBrowserLessonChart: a two-model lesson's chart plots the figure its
// checkpoint compares: in the denoising step the loss on corrupted held-out
// digits, in the contractive step the Jacobian norm (no PCA line beside
// either). The read-out gives both models by name, the first below the
// second once the checkpoint has passed.
func TestBrowserLessonChart(t *testing.T) {
	for _, tc := range []struct{ id, heading, curve, first, second string }{
		{"denoising", "Loss", "on corrupted held-out digits", "denoising", "plain"},
		{"contractive", "Jacobian norm", "mean ‖J‖ over held-out digits", "contractive", "plain"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			p := newBrowserPage(t, 1366, 768)
			navigate(t, p, p.url+"/#lesson="+tc.id)
			waitReady(t, p)
			click(t, p, "#lesson-play")
			poll[bool](t, p, "the checkpoint to pass",
				`window.aePlayground.call("getState").then(s => s.lesson && s.lesson.passed)`, lessonPassTime)
			click(t, p, "#lesson-play") // pause
			if h := eval[string](t, p, `document.querySelector(".loss-card h2").textContent`); h != tc.heading {
				t.Errorf("heading %q, want %q", h, tc.heading)
			}
			legend := eval[string](t, p, `document.querySelector(".loss-card .legend").textContent`)
			if !strings.Contains(legend, tc.first+", "+tc.curve) || !strings.Contains(legend, tc.second+", "+tc.curve) || strings.Contains(legend, "PCA") {
				t.Errorf("legend %q", legend)
			}
			eval[bool](t, p, `(() => {
				const s = document.querySelector(".loss-card svg"), r = s.getBoundingClientRect();
				s.dispatchEvent(new PointerEvent("pointermove", {clientX: r.right - 2, clientY: r.top + r.height/2, bubbles: true}));
				return true })()`)
			text := poll[string](t, p, "the read-out", `(() => { const t = document.querySelector("#loss-readout").textContent; return t.startsWith("epoch") && t })()`, 5*time.Second)
			var epoch, a, atA, b, atB float64
			if _, err := fmt.Sscanf(text, "epoch %g: "+tc.first+" %g (at %g) · "+tc.second+" %g (at %g)", &epoch, &a, &atA, &b, &atB); err != nil {
				t.Fatalf("read-out %q: %v", text, err)
			}
			if !(a < b) {
				t.Errorf("the chart's last figures: %s %v, %s %v; the checkpoint said %q", tc.first, a, tc.second, b,
					call[api.State](t, p, "getState", "").Lesson.Evidence)
			}
			if n := eval[int](t, p, `document.querySelectorAll(".loss-card svg circle").length`); n != 2 {
				t.Errorf("%d dots under the pointer, want one on each model's curve", n)
			}
			p.screenshot(t, "lesson-"+tc.id+"-chart")
		})
	}
}
