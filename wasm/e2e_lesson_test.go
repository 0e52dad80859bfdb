//go:build !wasm

package main

import (
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
			st := call[apiStateT](t, p, "getState", "")
			if st.Lesson == nil || st.Lesson.ID != id || st.Lesson.Passed {
				t.Fatalf("getState's lesson before training: %+v", st.Lesson)
			}
			start := time.Now()
			click(t, p, "#lesson-play")
			poll[bool](t, p, "the checkpoint to pass",
				`window.aePlayground.call("getState").then(s => s.lesson && s.lesson.passed)`, lessonPassTime)
			took := time.Since(start)
			st = call[apiStateT](t, p, "getState", "")
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
			if errs := p.errors(); len(errs) > 0 {
				t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
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
	st := call[apiStateT](t, p, "loadLesson", `{id: "denoising"}`)
	if st.Lesson == nil || st.Lesson.ID != "denoising" || fmt.Sprint(st.Config.Hidden) != "[256]" {
		t.Errorf("after loadLesson: lesson %+v, hidden %v", st.Lesson, st.Config.Hidden)
	}
	click(t, p, "#preset-sparse")
	poll[bool](t, p, "the lesson to close", `window.aePlayground.call("getState").then(s => s.lesson === null)`, 5*time.Second)
	if errs := p.errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}
