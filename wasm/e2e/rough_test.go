//go:build !wasm

package e2e

import (
	"aeplayground/wasm/api"

	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Rough edges that only a browser shows (issue 15, items 12, 14 and 15):
// the loss chart's read-out under the pointer and the keyboard, the layout
// at four sizes, and the focus ring of the file label.

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

// TestBrowserEmbedFillsFrame: the default embed fills the frame the Embed
// button gives: nothing to scroll, and the last row of panels reaches the
// frame's foot.
func TestBrowserEmbedFillsFrame(t *testing.T) {
	p := newBrowserPage(t, 1280, 800)
	openPlayground(t, p, "/#preset=linear-pca")
	click(t, p, "#embed")
	snippet := poll[string](t, p, "the snippet", `document.querySelector("#share-text").value`, 5*time.Second)
	m := regexp.MustCompile(`^<iframe src="([^"]*)" width="(\d+)" height="(\d+)"`).FindStringSubmatch(snippet)
	if m == nil {
		t.Fatalf("the snippet %q gives no frame", snippet)
	}
	src := html.UnescapeString(m[1])
	width, _ := strconv.ParseInt(m[2], 10, 64)
	height, _ := strconv.ParseInt(m[3], 10, 64)
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatal(err)
	}
	navigate(t, p, src)
	waitReady(t, p)
	got := eval[[]float64](t, p, `(() => {
		const cards = [...document.querySelectorAll(".panels .card")].filter(c => c.offsetParent);
		return [document.documentElement.scrollHeight, Math.max(...cards.map(c => c.getBoundingClientRect().bottom))] })()`)
	if got[0] > float64(height) {
		t.Errorf("the embed %s is %g px tall in a %d px frame", src, got[0], height)
	}
	if blank := float64(height) - got[1]; blank > 20 {
		t.Errorf("%g px blank below the panels in the %d px frame", blank, height)
	}
	p.screenshot(t, fmt.Sprintf("embed-%dx%d", width, height))
}

// tabTo presses Tab until the JavaScript condition holds, as a keyboard
// user moves through the page.
func tabTo(t *testing.T, p *browserPage, cond string) {
	t.Helper()
	for range 150 {
		if eval[bool](t, p, cond) {
			return
		}
		if err := chromedp.Do(p.ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("Tab never reached %s", cond)
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
