//go:build !wasm

package e2e

import (
	"aeplayground/wasm/api"

	"strings"
	"testing"
	"time"
)

// "Start over" asks in the page before it discards a trained model: Keep
// it changes nothing; Forget it starts afresh with nothing restored
// (issue 15.3).
func TestBrowserStartOverAsks(t *testing.T) {
	p := newBrowserPage(t, 1280, 900)
	navigate(t, p, p.url+"/#preset=linear-pca")
	waitReady(t, p)
	trainTo(t, p, 0.5)
	call[api.State](t, p, "pause", "")
	trained := settled(t, p, "#samples")

	click(t, p, "#start-over")
	ask := poll[string](t, p, "the question", `(() => { const a = document.querySelector("#start-over-ask");
		return a && !a.hidden && a.getBoundingClientRect().height > 0 && a.textContent })()`, 5*time.Second)
	t.Logf("asks: %s", ask)
	if !strings.Contains(ask, "trained model") || !strings.Contains(ask, "samples") {
		t.Errorf("the question %q does not name what is lost", ask)
	}
	if f := eval[string](t, p, `document.activeElement.id`); f != "start-over-cancel" {
		t.Errorf("focus on %q, want the Keep it button", f)
	}
	p.screenshot(t, "start-over-asks")

	click(t, p, "#start-over-cancel")
	time.Sleep(time.Second)
	if s := eval[string](t, p, `document.querySelector("#samples").textContent`); s != trained {
		t.Errorf("Keep it: %s samples, want the trained model's %s", s, trained)
	}
	if eval[bool](t, p, `!document.querySelector("#start-over-ask").hidden`) {
		t.Error("the question stays after Keep it")
	}

	click(t, p, "#start-over")
	poll[bool](t, p, "the question again", `!document.querySelector("#start-over-ask").hidden`, 5*time.Second)
	eval[bool](t, p, `window.__before = true`)
	click(t, p, "#start-over-confirm")
	time.Sleep(3 * time.Second) // the page empties its storage and opens itself again
	waitReady(t, p)
	if eval[bool](t, p, `!!window.__before || location.hash.includes("linear-pca")`) {
		t.Errorf("the page was not opened afresh: %s", eval[string](t, p, `location.href`))
	}
	time.Sleep(2 * time.Second)
	st := call[api.State](t, p, "getState", "")
	if st.SamplesSeen != 0 || strings.Contains(eval[string](t, p, `document.querySelector("#status").textContent`), "Restored") {
		t.Errorf("after Start over: %v samples, status %q; want a fresh model", st.SamplesSeen, eval[string](t, p, `document.querySelector("#status").textContent`))
	}
	// A fresh model has nothing to lose: Start over does not ask.
	click(t, p, "#start-over")
	time.Sleep(time.Second)
	if eval[bool](t, p, `!document.querySelector("#start-over-ask").hidden`) {
		t.Error("Start over asks with nothing trained")
	}

	// On a phone the question and its buttons fit the card.
	q := newBrowserPage(t, 390, 844)
	navigate(t, q, q.url+"/#preset=linear-pca")
	waitReady(t, q)
	call[api.State](t, q, "step", `{n: 20}`)
	click(t, q, "#start-over")
	poll[bool](t, q, "the question", `!document.querySelector("#start-over-ask").hidden`, 5*time.Second)
	if over := eval[bool](t, q, `(() => { const card = document.querySelector(".export-card").getBoundingClientRect();
		return [...document.querySelectorAll("#start-over-ask, #start-over-ask button")].some(e => {
			const r = e.getBoundingClientRect(); return r.left < card.left || r.right > card.right })})()`); over {
		t.Error("at 390 px the question or its buttons stick out of the card")
	}
	eval[bool](t, q, `(document.querySelector("#start-over-ask").scrollIntoView({block: "center"}), true)`)
	q.screenshot(t, "start-over-asks-phone")
}
