//go:build !wasm

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aeplayground/wasm/api"
	"aeplayground/wasm/lesson"

	"github.com/chromedp/chromedp"
)

// lectureSite serves the static site (`make static`) under a sub-path, as
// a teacher's host would, and opens a browser on it.
func lectureSite(t *testing.T, width, height int64) (*browserPage, string) {
	t.Helper()
	skipWithoutBrowser(t)
	const sub = "/courses/ml/autoencoders"
	host := staticSite(t, sub)
	p := newBrowserPageServing(t, width, height, host)
	return p, p.url + sub + "/lecture.html"
}

// frameJS is JavaScript on the lesson step's frame of the lecture page
// (same origin, so the page reaches into it).
func frameJS(id string) string {
	return fmt.Sprintf(`document.querySelector("#%s iframe")`, id)
}

// visitLecture scrolls to each section in turn, waits until its
// embed is up, and trains it a moment; the frames far from the view are
// unloaded on the way.
func visitLecture(t *testing.T, p *browserPage) {
	t.Helper()
	for _, id := range lesson.IDs() {
		f := frameJS(id)
		eval[bool](t, p, `(document.getElementById("`+id+`").scrollIntoView(), true)`)
		poll[bool](t, p, "the "+id+" embed to be ready", `(() => { const f = `+f+`; const w = f && f.getAttribute("src") && f.contentWindow;
			const b = w && w.document.querySelector("#lesson-play"); return !!(w && w.aePlayground && b && !b.disabled) })()`, 90*time.Second)
		// Each trains from its own Play; paused again, so that the next
		// section has the machine.
		eval[bool](t, p, `(`+f+`.contentWindow.document.querySelector("#lesson-play").click(), true)`)
		poll[bool](t, p, "the "+id+" embed to train", f+`.contentWindow.aePlayground.call("getState").then(s => s.samplesSeen > 0)`, time.Minute)
		eval[bool](t, p, `(`+f+`.contentWindow.document.querySelector("#lesson-play").click(), true)`)
		poll[bool](t, p, "the "+id+" embed to pause", f+`.contentWindow.aePlayground.call("getState").then(s => !s.running)`, 10*time.Second)
	}
}

// TestBrowserLecture: the lecture page of the static site, under a
// sub-path, has a section with an embed for every lesson step; scrolled
// to, each embed loads and trains from its own Play, the far ones are
// unloaded and the last few kept; the last trains on and pauses out of view; the page has no accessibility violations; and after this
// first visit it opens and trains offline.
func TestBrowserLecture(t *testing.T) {
	p, url := lectureSite(t, 1280, 800)
	// The playground's header links to the notes, under the sub-path too.
	navigate(t, p, strings.TrimSuffix(url, "lecture.html"))
	poll[bool](t, p, "the link to the notes", `!!document.querySelector("#lecture-link")`, time.Minute)
	if href := eval[string](t, p, `document.querySelector("#lecture-link").href`); href != url {
		t.Errorf("the header's link to the notes is %q, want %q", href, url)
	}
	click(t, p, "#lecture-link") // the browser follows it, not go-app's router
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		ok, err := pollDocument[bool](p.ctx, `location.href == "`+url+`" && document.readyState == "complete"`, 100*time.Millisecond, time.Second)
		if err == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the link did not open the lecture page: %v", err)
		}
	}
	ids := eval[[]string](t, p, `[...document.querySelectorAll("main article")].map(a => a.id)`)
	if strings.Join(ids, ",") != strings.Join(lesson.IDs(), ",") {
		t.Fatalf("sections %v, want the lesson steps %v", ids, lesson.IDs())
	}
	srcs := eval[[]string](t, p, `[...document.querySelectorAll("main iframe")].map(f => f.dataset.src)`)
	for i, id := range lesson.IDs() {
		if srcs[i] != "./#lesson="+id+"&embed=1" {
			t.Errorf("section %s embeds %q", id, srcs[i])
		}
	}
	if href := eval[string](t, p, `document.querySelector("#open-playground").href`); href != strings.TrimSuffix(url, "lecture.html") {
		t.Errorf("the link to the full playground is %q", href)
	}
	// Only a frame that has been shown runs a worker: at the top of the
	// page, the first (the next may be loaded, not shown).
	eval[bool](t, p, `(document.getElementById("intro").scrollIntoView(), true)`)
	poll[bool](t, p, "the intro embed to be ready", `(() => { const w = `+frameJS("intro")+`.contentWindow;
		const b = w && w.document.querySelector("#lesson-play"); return !!(w && w.aePlayground && b && !b.disabled) })()`, 90*time.Second)
	time.Sleep(2 * time.Second) // a worker started by mistake would be listed by now
	if n, loaded := trainingWorkers(t, p), eval[int](t, p, `document.querySelectorAll("main iframe[src]").length`); n != 1 {
		t.Errorf("%d training workers with one section shown (%d frames loaded), want 1", n, loaded)
	}
	visitLecture(t, p)
	if loaded := eval[[]string](t, p, `[...document.querySelectorAll("main iframe[src]")].map(f => f.closest("article").id)`); len(loaded) > 3 || contains(loaded, "intro") {
		t.Errorf("frames loaded with the last section in view: %v (all but the three most recently near should be unloaded)", loaded)
	}

	// The last section's step trains, from its own Play.
	f := frameJS("denoising")
	eval[bool](t, p, `(`+f+`.contentWindow.document.querySelector("#lesson-play").click(), true)`)
	poll[bool](t, p, "the denoising embed to train", f+`.contentWindow.aePlayground.call("getState").then(s => s.samplesSeen > 1000)`, time.Minute)
	if n := trainingWorkers(t, p); n < 1 || n > 3 {
		t.Errorf("%d training workers with the last section training, want 1 to 3 (those shown of the frames loaded)", n)
	}
	viewShot(t, p, "lecture-denoising")
	// Scrolled just out of view (still loaded, within half a screen), it
	// pauses by itself.
	eval[bool](t, p, `(window.scrollBy(0, `+f+`.getBoundingClientRect().top - innerHeight - 50), true)`)
	poll[bool](t, p, "the denoising embed to pause out of view", `(() => { const f = `+f+`;
		return !!f.getAttribute("src") && f.contentWindow.aePlayground.call("getState").then(s => !s.running) })()`, 10*time.Second)
	if !eval[bool](t, p, f+`.getAttribute("src") !== null && `+f+`.getBoundingClientRect().top > innerHeight`) {
		t.Error("the frame was not kept loaded just out of view")
	}

	// A frame further than half a screen from the view is kept loaded (the
	// three most recently near are), and scrolled back to, its model is as
	// it was left: visitLecture trained each.
	eval[bool](t, p, `(document.getElementById("denoising").scrollIntoView(), true)`)
	time.Sleep(time.Second) // the observer's callbacks run after a frame
	far := eval[string](t, p, `(() => { const h = innerHeight;
		const fs = [...document.querySelectorAll("main iframe[src]")].filter(f => { const r = f.getBoundingClientRect(); return r.bottom < -h/2 || r.top > 1.5*h });
		return fs.length ? fs[0].closest("article").id : "" })()`)
	if far == "" {
		t.Errorf("no frame beyond half a screen of the view was kept loaded: %v", eval[[]string](t, p, `[...document.querySelectorAll("main iframe[src]")].map(f => f.closest("article").id + " " + Math.round(f.getBoundingClientRect().top) + "/" + innerHeight)`))
	} else {
		eval[bool](t, p, `(document.getElementById("`+far+`").scrollIntoView(), true)`)
		if st := poll[api.State](t, p, "the "+far+" embed, scrolled back to", `(() => { const f = `+frameJS(far)+`; const w = f.getAttribute("src") && f.contentWindow;
			return !!(w && w.aePlayground) && w.aePlayground.call("getState") })()`, 30*time.Second); st.SamplesSeen == 0 {
			t.Errorf("scrolled back to, the %s section's model was a new one", far)
		}
	}

	// Accessibility of the page itself (each frame is the playground's
	// lesson embed, which TestBrowserA11y covers).
	reportAxe(t, "lecture page", runAxe(t, p, axeSource(t), "iframes: false"))

	// Offline after this first visit: the service worker the embeds
	// registered has cached the lecture page too.
	cached := swActive(t, p)
	if !contains(cached, url) {
		t.Errorf("the lecture page is not cached: %v", cached)
	}
	goOffline(p)
	if err := chromedp.Do(p.ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, p, "the lecture page offline", `document.querySelectorAll("main article").length == `+fmt.Sprint(len(ids)), 30*time.Second)
	f = frameJS("pca")
	eval[bool](t, p, `(document.getElementById("pca").scrollIntoView(), true)`)
	poll[bool](t, p, "the pca embed to be ready offline", `(() => { const w = `+f+`.getAttribute("src") && `+f+`.contentWindow;
		const b = w && w.document.querySelector("#lesson-play"); return !!(w && w.aePlayground && b && !b.disabled) })()`, 90*time.Second)
	eval[bool](t, p, `(`+f+`.contentWindow.document.querySelector("#lesson-play").click(), true)`)
	poll[bool](t, p, "the pca embed to train offline", f+`.contentWindow.aePlayground.call("getState").then(s => s.samplesSeen > 1000)`, time.Minute)
	viewShot(t, p, "lecture-offline-pca")
}

// viewShot saves what is in view (the lecture page is long) as
// testdata-artifacts/name.png.
func viewShot(t *testing.T, p *browserPage, name string) {
	t.Helper()
	buf, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	path := filepath.Join(artifacts, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// trainingWorkers counts the training workers (web/worker.js) running in
// the browser.
func trainingWorkers(t *testing.T, p *browserPage) int {
	t.Helper()
	infos, err := chromedp.Targets(p.ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, in := range infos {
		if in.Type == "worker" && strings.Contains(in.URL, "/web/worker.js") {
			n++
		}
	}
	return n
}
