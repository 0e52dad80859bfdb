//go:build !wasm

package e2e

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserLossChartReadout: pointing at the loss chart reads out the
// losses at the epoch under the pointer; leaving it clears the read-out;
// focusing it starts at the last epoch and the arrow keys step back.
func TestBrowserLossChartReadout(t *testing.T) {
	p := newBrowserPage(t, 1280, 800)
	openPlayground(t, p, "/#preset=linear-pca")
	trainTo(t, p, 0.5)
	const readout = `document.querySelector("#loss-readout").textContent`
	hint := eval[string](t, p, readout)
	if strings.Contains(hint, "training") {
		t.Fatalf("the read-out shows values before the chart is pointed at: %q", hint)
	}
	pointAt := func(frac float64, from string) string {
		t.Helper()
		eval[bool](t, p, fmt.Sprintf(`(() => {
			const s = document.querySelector(".loss-card svg"), r = s.getBoundingClientRect();
			s.dispatchEvent(new PointerEvent("pointermove", {clientX: r.left + r.width*%g, clientY: r.top + r.height/2, bubbles: true}));
			return true })()`, frac))
		return poll[string](t, p, "the read-out", readout+`.startsWith("epoch") && `+readout+` != `+quote(from)+` && `+readout, 5*time.Second)
	}
	epochOf := func(s string) float64 {
		var e float64
		if _, err := fmt.Sscanf(s, "epoch %g:", &e); err != nil {
			t.Fatalf("read-out %q: %v", s, err)
		}
		return e
	}
	left := pointAt(0.2, hint)
	right := pointAt(0.6, left)
	if !strings.Contains(right, "training") || !strings.Contains(right, "held-out") || !strings.Contains(right, "PCA") {
		t.Errorf("read-out %q does not give the training and held-out losses and PCA's error", right)
	}
	if !(epochOf(left) < epochOf(right)) {
		t.Errorf("pointing further right read an earlier epoch: %q then %q", left, right)
	}
	if n := eval[int](t, p, `document.querySelectorAll(".loss-card svg circle").length`); n != 2 {
		t.Errorf("%d dots on the curves under the pointer, want 2", n)
	}
	p.screenshot(t, "loss-readout")
	eval[bool](t, p, `document.querySelector(".loss-card svg").dispatchEvent(new PointerEvent("pointerleave")) || true`)
	poll[bool](t, p, "the read-out to clear", readout+` == `+quote(hint), 5*time.Second)

	// The keyboard: focus starts at the newest epoch; ArrowLeft and Home go back.
	tabTo(t, p, `document.activeElement == document.querySelector(".loss-card svg")`)
	key := func(k, from string) string {
		t.Helper()
		if err := chromedp.Do(p.ctx, chromedp.KeyEvent(k)); err != nil {
			t.Fatal(err)
		}
		return poll[string](t, p, "the read-out to move", readout+` != `+quote(from)+` && `+readout, 5*time.Second)
	}
	onFocus := poll[string](t, p, "the read-out on focus", readout+`.startsWith("epoch") && `+readout, 5*time.Second)
	onLeft := key(kb.ArrowLeft, onFocus)
	onHome := key(kb.Home, onLeft)
	if last, prev, first := epochOf(onFocus), epochOf(onLeft), epochOf(onHome); !(first < prev && prev < last) {
		t.Errorf("focus, ArrowLeft, Home read epochs %g, %g, %g: want them decreasing", last, prev, first)
	}
	p.screenshot(t, "loss-readout-keyboard")
	// Home reads the first point: what pointing at the plot's left edge
	// reads (when the first report comes depends on the machine's load).
	eval[bool](t, p, `(() => {
		const s = document.querySelector(".loss-card svg"), r = s.getBoundingClientRect();
		s.dispatchEvent(new PointerEvent("pointermove", {clientX: r.left + 1, clientY: r.top + r.height/2, bubbles: true}));
		return true })()`)
	if edge := poll[string](t, p, "the read-out at the left edge", readout+`.startsWith("epoch") && `+readout, 5*time.Second); edge != onHome {
		t.Errorf("Home read %q, the plot's left edge %q", onHome, edge)
	}
}

// TestBrowserLossPNGLegend: in the loss curve's PNG the floor's legend key
// is drawn as the floor is, a green dashed line (it was a solid grey bar).
func TestBrowserLossPNGLegend(t *testing.T) {
	p := newBrowserPage(t, 1280, 800)
	// Keep each download's bytes as a data: URL.
	addScript(t, p, `(() => {
		const blobs = new Map(), create = URL.createObjectURL;
		URL.createObjectURL = b => { const u = create(b); blobs.set(u, b); return u };
		HTMLAnchorElement.prototype.click = function () {
			const r = new FileReader();
			r.onload = () => { window.__png = r.result };
			r.readAsDataURL(blobs.get(this.href));
		};
	})()`)
	openPlayground(t, p, "/#preset=linear-pca")
	poll[bool](t, p, "the floor's key", `!!document.querySelector(".loss-card .key.floor")`, 20*time.Second)
	// The legend's row, in the PNG's pixels: the key's top and bottom.
	legend := eval[[]float64](t, p, `(() => {
		const card = document.querySelector(".loss-card").getBoundingClientRect(),
		      key = document.querySelector(".loss-card .key.floor").getBoundingClientRect(), s = 1920 / card.width;
		return [(key.top - card.top) * s, (key.bottom - card.top) * s, (key.left - card.left) * s, (key.left - card.left + 30) * s] })()`)
	click(t, p, "#png-loss-curve")
	u := poll[string](t, p, "the PNG", `window.__png`, 20*time.Second)
	b, err := base64.StdEncoding.DecodeString(u[strings.Index(u, ",")+1:])
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	// The row through the key with the most of the floor's green
	// (#2b8a3e), and how many dashes it makes along that row.
	green := func(x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		return abs(int(r>>8)-0x2b) < 24 && abs(int(g>>8)-0x8a) < 24 && abs(int(b>>8)-0x3e) < 24
	}
	best, dashes := 0, 0
	for y := int(legend[0]); y <= int(legend[1]); y++ {
		n, runs := 0, 0
		for x := int(legend[2]); x < int(legend[3]); x++ {
			if green(x, y) {
				n++
				if !green(x-1, y) {
					runs++
				}
			}
		}
		if n > best {
			best, dashes = n, runs
		}
	}
	if best < 10 || dashes < 2 {
		t.Errorf("the floor's key in the PNG: %d green pixels in %d runs along its row, want a green dashed line", best, dashes)
	}
}

func abs(v int) int { return max(v, -v) }
