//go:build !wasm

package e2e

import (
	"fmt"
	"math"
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
			before := framePoll[[]panelBox](t, frame, "the panels' places", panelBoxes, 5*time.Second)
			checkPanels(t, "760×600 before Play", before, 760, 600)
			framePoll[bool](t, frame, "Play", `(document.querySelector("#lesson-play").click(), true)`, 5*time.Second)
			framePoll[bool](t, frame, "training", `window.aePlayground.call("getState").then(s => s.samplesSeen > 2000 && s.running)`, time.Minute)
			framePoll[bool](t, frame, "Pause", `(document.querySelector("#lesson-play").click(), true)`, 5*time.Second)
			framePoll[bool](t, frame, "the pause", `window.aePlayground.call("getState").then(s => !s.running)`, 10*time.Second)
			trained := framePoll[[]panelBox](t, frame, "the panels' places", panelBoxes, 5*time.Second)
			checkPanels(t, "760×600 trained", trained, 760, 600)
			samePlaces(t, before, trained)
			// With the try action's expectation shown too, the step still fits.
			framePoll[bool](t, frame, "Try", `(document.querySelector("#lesson-try").click(), true)`, 5*time.Second)
			framePoll[bool](t, frame, "the expectation", `!!document.querySelector(".lesson-expect")`, 5*time.Second)
			m := framePoll[struct{ Scroll, Client int }](t, frame, "the frame's size",
				`({Scroll: document.documentElement.scrollHeight, Client: document.documentElement.clientHeight})`, 5*time.Second)
			if m.Scroll > m.Client {
				t.Errorf("%s scrolls inside its 760×600 frame: scrollHeight %d > clientHeight %d", id, m.Scroll, m.Client)
			}
			samePlaces(t, before, framePoll[[]panelBox](t, frame, "the panels' places", panelBoxes, 5*time.Second))
			p.screenshot(t, "lesson-embed-"+id+"-760x600")
			// The same frame on a phone: one column, nothing past its sides.
			eval[bool](t, p, `(() => { const f = document.querySelector("iframe"); f.width = 390; f.height = 844; return true })()`)
			framePoll[bool](t, frame, "the phone's width", `innerWidth == 390`, 5*time.Second)
			phone := framePoll[[]panelBox](t, frame, "the panels' places", panelBoxes, 5*time.Second)
			checkPanels(t, "390×844", phone, 390, 0)
			for _, b := range phone {
				if b.Left != phone[0].Left || b.Width != phone[0].Width {
					t.Errorf("390×844: %s at x %.0f, %.0f wide, beside %s at x %.0f: not one column", b.Name, b.Left, b.Width, phone[0].Name, phone[0].Left)
				}
			}
			if w := framePoll[int](t, frame, "the frame's width", `document.documentElement.scrollWidth`, 5*time.Second); w > 390 {
				t.Errorf("390×844: the page is %d px wide", w)
			}
			p.screenshot(t, "lesson-embed-"+id+"-390x844")
		})
	}
}

// panelBox is where a shown panel stands on the screen.
type panelBox struct {
	Name                        string
	Left, Top, Width, Height    float64
	ContentRight, ContentBottom float64 // the furthest any of its elements reach
}

// panelBoxes lists the shown panels' boxes, and how far their contents reach.
const panelBoxes = `[...document.querySelectorAll(".panels .slot:not([hidden])")]
	.filter(s => s.getBoundingClientRect().height > 0)
	.map(s => { const r = s.getBoundingClientRect(); let cr = r.right, cb = r.bottom;
		for (const e of s.querySelectorAll("*")) { const q = e.getBoundingClientRect(); if (q.width > 0 && q.height > 0 && getComputedStyle(e).visibility != "hidden") { cr = Math.max(cr, q.right); cb = Math.max(cb, q.bottom) } }
		return {Name: s.className, Left: r.left, Top: r.top, Width: r.width, Height: r.height, ContentRight: cr, ContentBottom: cb} })`

// checkPanels: every panel and all it holds lie within the screen (its
// height too, unless it is 0: a phone's column scrolls), and no two panels
// overlap.
func checkPanels(t *testing.T, where string, boxes []panelBox, width, height float64) {
	t.Helper()
	if len(boxes) == 0 {
		t.Fatalf("%s: no panel shown", where)
	}
	for i, b := range boxes {
		if b.Left < -1 || b.ContentRight > width+1 || height > 0 && b.ContentBottom > height+1 {
			t.Errorf("%s: %s reaches x %.0f, y %.0f, past the %gx%g screen", where, b.Name, b.ContentRight, b.ContentBottom, width, height)
		}
		for _, c := range boxes[i+1:] {
			if b.Left+b.Width > c.Left+1 && c.Left+c.Width > b.Left+1 && b.Top+b.Height > c.Top+1 && c.Top+c.Height > b.Top+1 {
				t.Errorf("%s: %s and %s overlap", where, b.Name, c.Name)
			}
		}
	}
}

// samePlaces: training and its results moved no panel.
func samePlaces(t *testing.T, was, now []panelBox) {
	t.Helper()
	if len(was) != len(now) {
		t.Errorf("%d panels shown, then %d", len(was), len(now))
		return
	}
	for i := range was {
		a, b := was[i], now[i]
		if a.Name != b.Name || math.Abs(a.Left-b.Left) > 1 || math.Abs(a.Top-b.Top) > 1 || math.Abs(a.Width-b.Width) > 1 || math.Abs(a.Height-b.Height) > 1 {
			t.Errorf("%s moved: (%.0f, %.0f) %.0f×%.0f, then %s at (%.0f, %.0f) %.0f×%.0f", a.Name, a.Left, a.Top, a.Width, a.Height, b.Name, b.Left, b.Top, b.Width, b.Height)
		}
	}
}

// TestBrowserPresenterMode: a step in presenter mode at 1920×1080 fills the
// screen with nothing to scroll, in type a projector needs (body 28 px or
// more, the checkpoint 32, the chart's ticks 18), and the keys a clicker
// sends drive it: Space plays, T runs the try, → goes to the next step,
// Escape leaves the mode.
func TestBrowserPresenterMode(t *testing.T) {
	p := newBrowserPage(t, 1920, 1080)
	navigate(t, p, p.url+"/#lesson=pca&present=1")
	waitReady(t, p)
	key := func(k string) {
		eval[bool](t, p, `document.body.dispatchEvent(new KeyboardEvent("keydown", {key: `+quote(k)+`, bubbles: true}))`)
	}
	sizes := func(where string) {
		s := eval[struct{ Body, Check, Tick, Scroll, Wide float64 }](t, p, `({
			Body: parseFloat(getComputedStyle(document.querySelector(".playground")).fontSize),
			Check: parseFloat(getComputedStyle(document.querySelector("#checkpoint")).fontSize),
			Tick: Math.min(...[...document.querySelectorAll(".loss-card svg text")].filter(e => e.getBoundingClientRect().height > 0).map(e => {
				const svg = e.ownerSVGElement; return parseFloat(getComputedStyle(e).fontSize) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width })),
			Scroll: document.documentElement.scrollHeight, Wide: document.documentElement.scrollWidth})`)
		t.Logf("%s: body %.1f px, checkpoint %.1f px, chart ticks %.1f px; the page %.0f×%.0f", where, s.Body, s.Check, s.Tick, s.Wide, s.Scroll)
		if s.Body < 28 || s.Check < 32 || s.Tick < 18 {
			t.Errorf("%s: body %.1f px, checkpoint %.1f px, chart ticks %.1f px; want 28, 32, 18 or more", where, s.Body, s.Check, s.Tick)
		}
		if s.Scroll > 1080 || s.Wide > 1920 {
			t.Errorf("%s: the page is %.0f×%.0f, past the 1920×1080 screen", where, s.Wide, s.Scroll)
		}
		checkPanels(t, where, eval[[]panelBox](t, p, panelBoxes), 1920, 1080)
	}
	sizes("pca before Play")
	key(" ")
	poll[bool](t, p, "Space to play", `window.aePlayground.call("getState").then(s => s.running)`, 10*time.Second)
	poll[bool](t, p, "the checkpoint to pass", `window.aePlayground.call("getState").then(s => s.lesson && s.lesson.passed)`, lessonPassTime)
	key(" ")
	poll[bool](t, p, "Space to pause", `window.aePlayground.call("getState").then(s => !s.running)`, 10*time.Second)
	sizes("pca passed")
	p.screenshot(t, "present-pca-1920x1080")
	key("t")
	poll[bool](t, p, "T to run the try", `!!document.querySelector(".lesson-expect")`, 5*time.Second)
	key("ArrowRight")
	poll[bool](t, p, "→ to the next step", `window.aePlayground.call("getState").then(s => s.lesson && s.lesson.id == "nonlinear")`, 10*time.Second)
	sizes("nonlinear")
	p.screenshot(t, "present-nonlinear-1920x1080")
	key("Escape")
	poll[bool](t, p, "Escape to leave the mode", `!document.querySelector(".present") && !location.hash.includes("present=1")`, 5*time.Second)
}

// TestBrowserTryKeepsTheCurveBefore: a try replaces the step's model, and
// the chart keeps the held-out curve before it, faded and named, beside the
// new model's.
func TestBrowserTryKeepsTheCurveBefore(t *testing.T) {
	p := newBrowserPage(t, 1366, 768)
	navigate(t, p, p.url+"/#lesson=intro")
	waitReady(t, p)
	click(t, p, "#lesson-play")
	poll[bool](t, p, "a held-out evaluation", `window.aePlayground.call("getState").then(s => s.testLoss !== null && s.epoch >= 1)`, lessonPassTime)
	click(t, p, "#lesson-play")
	click(t, p, "#lesson-try")
	poll[bool](t, p, "the new model", `window.aePlayground.call("getState").then(s => s.k == 2)`, 10*time.Second)
	legend := poll[string](t, p, "the ghost's key", `(document.querySelector("#loss-ghost") || {}).textContent || ""`, 10*time.Second)
	if !strings.Contains(legend, "before “Squeeze the code to k = 2”") {
		t.Errorf("the ghost's key says %q", legend)
	}
	if n := eval[int](t, p, `[...document.querySelectorAll(".loss-card svg path")].filter(e => e.getAttribute("stroke-dasharray") == "3 3" && (e.getAttribute("d") || "").split("L").length > 1).length`); n != 1 {
		t.Errorf("%d ghost curves drawn, want 1", n)
	}
	p.screenshot(t, "lesson-intro-try-ghost")
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
