//go:build !wasm

package e2e

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"testing"
	"time"

	"aeplayground/wasm/api"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The code plane: with k ≠ 2 it offers to set k = 2; then a click in the
// plane shows the decoder's digit at that point, the arrow keys move the
// point, the digit at a point changes as the model trains, and the
// interpolation rows fill in.
func TestBrowserCodePlane(t *testing.T) {
	p := newBrowserPage(t, 1366, 900)
	navigate(t, p, p.url+"/#preset=survey&k=4&seed=3&panels=code,train")
	waitReady(t, p)

	poll[bool](t, p, "the offer to set k = 2", `!!document.querySelector("#codeplane-k2")`, 10*time.Second)
	click(t, p, "#codeplane-k2")
	poll[bool](t, p, "the code plane with the held-out codes", `!!document.querySelector("#codeplane") &&
		[...document.querySelectorAll("#codeplane path")].some(e => (e.getAttribute("d") || "").includes("h0"))`, 90*time.Second)
	if k := call[api.State](t, p, "getState", "").Config.Hidden; k[len(k)-1] != 2 {
		t.Fatalf("after Set k = 2 the code size is %v", k)
	}
	click(t, p, "#play")
	poll[bool](t, p, "two epochs of training", `parseFloat(document.querySelector("#epoch").textContent) >= 2`, 120*time.Second)

	blank := canvasSum(t, p, "canvas.codeplane-digit")
	r := eval[map[string]float64](t, p, `(() => { const e = document.querySelector("#codeplane");
		e.scrollIntoView({block: "center"}); const r = e.getBoundingClientRect();
		return {x: r.left, y: r.top, w: r.width, h: r.height} })()`)
	if err := chromedp.Do(p.ctx, chromedp.MouseClickXY(r["x"]+0.55*r["w"], r["y"]+0.4*r["h"])); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, p, "the decoded digit", `(() => { const c = document.querySelector("canvas.codeplane-digit");
		const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		for (let i = 0; i < d.length; i += 4) if (d[i] < 200) return true; return false })()`, 10*time.Second)
	if got := canvasSum(t, p, "canvas.codeplane-digit"); got == blank {
		t.Fatal("the digit's canvas did not change after the click")
	}
	type pt struct {
		x, y float64
		text string
	}
	point := func() pt {
		text := eval[string](t, p, `document.querySelector("#codeplane-readout").textContent`)
		m := regexp.MustCompile(`Point \((-?[0-9.]+), (-?[0-9.]+)\)`).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("the read-out %q names no point", text)
		}
		x, _ := strconv.ParseFloat(m[1], 64)
		y, _ := strconv.ParseFloat(m[2], 64)
		return pt{x, y, m[0]}
	}
	before := point()
	// Live: the point stays, the model trains, the digit there changes.
	shown := canvasSum(t, p, "canvas.codeplane-digit")
	poll[bool](t, p, "the digit to change as the model trains", fmt.Sprintf(`(() => { const c = document.querySelector("canvas.codeplane-digit");
		const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i] * ((i >> 2) %% 97 + 1); return s !== %v })()`, shown), 10*time.Second)
	// (The read-out's decimals follow the plot's range, which training
	// changes: the same point may read 4.211 and then 4.21.)
	near := func(a, b float64) bool { return math.Abs(a-b) <= 0.01*math.Abs(a)+1e-6 }
	if now := point(); !near(now.x, before.x) || !near(now.y, before.y) {
		t.Fatalf("the point moved by itself from %v to %v", before, now)
	}
	p.screenshot(t, "codeplane-click")

	// The keyboard: focus the plane, press → three times and ↑ twice.
	eval[bool](t, p, `(() => { document.querySelector("#codeplane").focus(); return document.activeElement.id === "codeplane" })()`)
	keys := []chromedp.Action[chromedp.Void]{}
	for _, k := range []string{kb.ArrowRight, kb.ArrowRight, kb.ArrowRight, kb.ArrowUp, kb.ArrowUp} {
		keys = append(keys, chromedp.KeyEvent(k))
	}
	if err := chromedp.Do(p.ctx, keys...); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, p, "the point to move right and up", fmt.Sprintf(`(() => {
		const m = /Point \((-?[0-9.]+), (-?[0-9.]+)\)/.exec(document.querySelector("#codeplane-readout").textContent);
		return !!m && parseFloat(m[1]) > %v && parseFloat(m[2]) > %v })()`, before.x, before.y), 10*time.Second)
	moved := point()
	if !(moved.x > before.x) || !(moved.y > before.y) {
		t.Errorf("→→→↑↑ moved the point from %v to %v: want it right and up", before, moved)
	}
	poll[bool](t, p, "the interpolation rows", `(() => [...document.querySelectorAll("canvas.interp")].every(c => {
		const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		for (let i = 0; i < d.length; i += 4) if (d[i] < 200) return true; return false }))()`, 10*time.Second)
	p.screenshot(t, "codeplane-keys")
	// Only the code panels are shown: axe checks the plane, its read-out,
	// the pickers and the rows.
	reportAxe(t, "the code plane", runAxe(t, p, axeSource(t)))
}
