//go:build !wasm

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserEdgesLayout, at the four sizes: with the corruption at
// "none" (where the page starts) the digit row shows no corrupted tile and
// does not speak of a corrupted digit; the Workers card sits with the
// training settings (right below the Model card). At 1366 × 768 a chosen
// corruption brings the tile back, the line under Train follows k set to
// 1,024 and back to 32, and k = 128 says that PCA stops at rank 64.
func TestBrowserEdgesLayout(t *testing.T) {
	for _, s := range [][2]int64{{1920, 1080}, {1366, 768}, {768, 1024}, {390, 844}} {
		t.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(t *testing.T) {
			p := newBrowserPage(t, s[0], s[1])
			openPlayground(t, p, "/")
			if kind := eval[string](t, p, `document.querySelector("#in-noise-kind").value`); kind != "none" {
				t.Errorf("the corruption starts at %q, want none", kind)
			}
			const tiles = `[...document.querySelectorAll("#your-digit .digit")].filter((f) => f.offsetParent).map((f) => f.querySelector("figcaption").textContent)`
			const hint = `document.querySelector(".digit-card .hint").textContent`
			if got := eval[[]string](t, p, tiles); len(got) != 3 || contains(got, "corrupted") {
				t.Errorf("tiles without a corruption: %v, want the input, the autoencoder's and PCA's", got)
			}
			click(t, p, "#sample") // a held-out digit: the hint names it
			poll[bool](t, p, "the hint to name the digit", hint+`.startsWith("From ")`, 20*time.Second)
			if h := eval[string](t, p, hint); strings.Contains(h, "corrupted") {
				t.Errorf("hint without a corruption: %q", h)
			}
			box := func(sel string) []float64 {
				return eval[[]float64](t, p, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom] })()`, sel))
			}
			model, workers := box(".controls-card"), box(".workers-card")
			if gap := workers[1] - model[3]; gap < 0 || gap > 16 || workers[0] != model[0] {
				t.Errorf("the Workers card at %v, the Model card at %v: want it right below", workers, model)
			}
			p.screenshot(t, fmt.Sprintf("edges-%dx%d", s[0], s[1]))
			if s[0] != 1366 {
				return
			}
			setValue(t, p, "#in-noise-kind", "gaussian")
			poll[bool](t, p, "the corrupted tile", tiles+`.includes("corrupted")`, 10*time.Second)
			poll[bool](t, p, "the hint to speak of the corrupted digit", hint+`.includes("corrupted digit")`, 10*time.Second)
			p.screenshot(t, "edges-gaussian-1366x768")

			setValue(t, p, "#in-k", "1024")
			setValue(t, p, "#in-k", "32")
			got := poll[string](t, p, "the line under Train", `(() => { const t = document.querySelector("#arch").textContent; return t.startsWith("784-32-784 ") && t })()`, 30*time.Second)
			t.Logf("after k = 1024 and back to 32: %q", got)

			setValue(t, p, "#in-k", "128")
			note := poll[string](t, p, "PCA's cap to be stated", `(() => { const n = document.querySelector("#pca-cap"); return n && n.textContent.includes("k = 128") && n.textContent })()`, 30*time.Second)
			if !strings.Contains(note, "64 components") || !strings.Contains(note, "k = 128") {
				t.Errorf("PCA's cap: %q", note)
			}
			if r := eval[string](t, p, `document.querySelector("#ratio").textContent`); strings.ContainsAny(r, "0123456789") {
				t.Errorf("a ratio to PCA %q at k = 128, above PCA's rank", r)
			}
		})
	}
}

// TestBrowserLayoutRoughEdges: at each size the denoise checkbox stays on
// its label's line, and the status line keeps its place when it empties (the
// panels do not move once the page has loaded); with the keyboard, the Load
// model label gets the same focus ring as every other control.
func TestBrowserLayoutRoughEdges(t *testing.T) {
	for _, s := range [][2]int64{{1920, 1080}, {1366, 768}, {768, 1024}, {390, 844}} {
		t.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(t *testing.T) {
			p := newBrowserPage(t, s[0], s[1])
			if err := chromedp.Do(p.ctx, chromedp.Navigate(p.url+"/")); err != nil {
				t.Fatal(err)
			}
			const panelsTop = `document.querySelector("main.panels").getBoundingClientRect().top`
			loading := poll[float64](t, p, "the status line while loading",
				`document.querySelector("#status") && document.querySelector("#status").textContent != "" && `+panelsTop, 60*time.Second)
			poll[bool](t, p, "the worker to be ready", `!!document.querySelector("#play") && !document.querySelector("#play").disabled && document.querySelector("#status").textContent == ""`, 90*time.Second)
			if loaded := eval[float64](t, p, panelsTop); loaded != loading {
				t.Errorf("the panels moved from y = %g while loading to %g once loaded", loading, loaded)
			}
			// The checkbox's box is within its label's first line.
			gap := eval[float64](t, p, `(() => {
				const b = document.querySelector("#in-denoise").getBoundingClientRect(),
				      l = document.querySelector("label[for=in-denoise]").getBoundingClientRect();
				return l.top - b.bottom })()`)
			if gap >= 0 {
				t.Errorf("the denoise checkbox sits %g px above its label", gap)
			}
			p.screenshot(t, fmt.Sprintf("layout-%dx%d", s[0], s[1]))
			if s[0] != 1920 {
				return
			}
			tabTo(t, p, `document.activeElement.id == "load-model"`)
			ring := func(sel string) string {
				return eval[string](t, p, `(() => { const s = getComputedStyle(document.querySelector("`+sel+`")); return s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor })()`)
			}
			label := ring("#load-model-label")
			if err := chromedp.Do(p.ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
			other := ring("#" + eval[string](t, p, `document.activeElement.id`))
			if label != other || !strings.HasPrefix(label, "solid 3px") {
				t.Errorf("focus ring of the Load model label %q, of the next control %q: want the same 3 px ring", label, other)
			}
		})
	}
}
