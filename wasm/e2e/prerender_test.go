//go:build !wasm

package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserPrerendered: what the browser shows before app.wasm has
// started (here: never, scripts are off) is the default playground from the
// server, with its presets and their description in view, none of them
// hidden by go-app's hidden="false" (wasm/server's prerendered).
func TestBrowserPrerendered(t *testing.T) {
	p := newBrowserPage(t, 1366, 768)
	if _, err := chromedp.Call(p.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	navigate(t, p, p.url+"/")
	// Evaluated by the test, not the page: the page runs no script of its own.
	const hiddenOnes = `[...document.querySelectorAll(".playground [hidden]")].map(e => e.tagName + "#" + e.id + "." + e.className)`
	seen := poll[[]string](t, p, "the prerendered page", `(() => {
		const shown = (sel) => { const e = document.querySelector(sel); return e && e.checkVisibility() && e.getBoundingClientRect().bottom <= innerHeight };
		return shown("#preset-survey") && shown("#pad") && shown("p.about") && [document.querySelector("p.about").textContent] })()`, 20*time.Second)
	if !strings.Contains(seen[0], "784-32-784") {
		t.Errorf("the prerendered description reads %q, want the survey preset's", seen[0])
	}
	prerendered := eval[[]string](t, p, hiddenOnes)
	if running := eval[bool](t, p, `typeof window.aePlayground !== "undefined"`); running {
		t.Error("the app started: scripts were meant to be off")
	}
	p.screenshot(t, "prerendered-1366x768")

	// The app, once started, hides the same elements: the prerender is the
	// default page, not something else shown first.
	if _, err := chromedp.Call(p.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
		t.Fatal(err)
	}
	navigate(t, p, p.url+"/")
	waitReady(t, p)
	if live := eval[[]string](t, p, hiddenOnes); strings.Join(live, " ") != strings.Join(prerendered, " ") {
		t.Errorf("hidden before the app started:\n  %s\nand after:\n  %s", strings.Join(prerendered, "\n  "), strings.Join(live, "\n  "))
	}

	// A link with a layout of its own keeps go-app's full loading screen.
	navigate(t, p, p.url+"/#lesson=intro&embed=1")
	if !eval[bool](t, p, `document.documentElement.classList.contains("own-layout")`) {
		t.Error("a lesson embed's page is not marked own-layout before the app starts")
	}
	waitReady(t, p)
}
