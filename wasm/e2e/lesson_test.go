//go:build !wasm

package e2e

import (
	"aeplayground/wasm/api"

	"context"
	"fmt"
	"strings"
	"testing"
	"time"

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
// and its worker starts (embedview.go).
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

// framePoll waits until the expression is truthy in the frame's document
// and returns its value.
func framePoll[T any](t *testing.T, frame context.Context, what, expr string, timeout time.Duration) T {
	t.Helper()
	v, err := pollDocument[T](frame, expr, 100*time.Millisecond, timeout)
	if err != nil {
		t.Fatalf("in the frame, waiting for %s: %v", what, err)
	}
	return v
}

// TestBrowserEmbedCompactPlay: an embed whose panels leave out the train
// panel has a Play of its own, which trains and then pauses.
func TestBrowserEmbedCompactPlay(t *testing.T) {
	p := newBrowserPage(t, 760, 600)
	navigate(t, p, p.url+"/#preset=linear-pca&embed=1&panels=pad,recon")
	poll[bool](t, p, "the compact Play", `!!window.aePlayground && !!document.querySelector("#embed-play:not([disabled])") && document.querySelector("#embed-play").offsetHeight > 0`, time.Minute)
	click(t, p, "#embed-play")
	poll[bool](t, p, "training", `window.aePlayground.call("getState").then(s => s.samplesSeen > 1000 && s.running)`, time.Minute)
	poll[bool](t, p, "Pause on the button", `document.querySelector("#embed-play").textContent.includes("Pause")`, 5*time.Second)
	click(t, p, "#embed-play")
	poll[bool](t, p, "the pause", `window.aePlayground.call("getState").then(s => !s.running)`, 10*time.Second)
	p.screenshot(t, "embed-compact-play")
	// autoplay=1: a shown embed starts training by itself.
	navigate(t, p, p.url+"/#lesson=intro&embed=1&autoplay=1")
	poll[bool](t, p, "training without a click", `!!window.aePlayground && window.aePlayground.call("getState").then(s => s.samplesSeen > 0 && s.running)`, time.Minute)
}
