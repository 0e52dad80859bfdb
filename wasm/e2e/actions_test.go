//go:build !wasm

package e2e

// What a test does on the page, as a user or a script would: open it,
// click, type, draw, train, load a file, call the scripting API.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func navigate(t *testing.T, p *browserPage, url string) {
	t.Helper()
	// Through about:blank, so that a URL differing only in its fragment
	// loads the page anew.
	if err := chromedp.Do(p.ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
}

func openPlayground(t *testing.T, p *browserPage, path string) {
	t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Navigate(p.url+path)); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, p, "the worker to be ready", `!!document.querySelector("#play") && !document.querySelector("#play").disabled`, 90*time.Second)
}

func waitReady(t *testing.T, p *browserPage) {
	t.Helper()
	poll[bool](t, p, "the API and the worker", `!!window.aePlayground && !!document.querySelector("#play") && !document.querySelector("#play").disabled`, 90*time.Second)
}

// call runs window.aePlayground.call in the page and returns its result.
func call[T any](t *testing.T, p *browserPage, cmd, args string) T {
	t.Helper()
	if args == "" {
		args = "undefined"
	}
	return eval[T](t, p, fmt.Sprintf(`Promise.race([window.aePlayground.call(%q, %s),
		new Promise((_, reject) => setTimeout(() => reject(new Error("no answer in 60 s")), 60000))])`, cmd, args), chromedp.EvalAwaitPromise)
}

// click clicks an element by CSS selector, as a keyboard or pointer user would.
func click(t *testing.T, p *browserPage, sel string) {
	t.Helper()
	eval[bool](t, p, fmt.Sprintf(`(() => { const b = document.querySelector(%q); b.click(); return true })()`, sel))
}

// setValue types a value into a control and commits it.
func setValue(t *testing.T, p *browserPage, sel, value string) {
	t.Helper()
	eval[bool](t, p, fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q;
		e.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, sel, value))
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

func addScript(t *testing.T, p *browserPage, src string) {
	t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
		return err
	})); err != nil {
		t.Fatal(err)
	}
}

func trainTo(t *testing.T, p *browserPage, epochs float64) {
	t.Helper()
	click(t, p, "#play")
	// Training has started once Pause shows: a restored model may stand
	// past the epochs asked for already, and Pause is what the test clicks.
	poll[bool](t, p, "training to start", `!!document.querySelector("#pause")`, 30*time.Second)
	poll[bool](t, p, "training", `parseFloat(document.querySelector("#epoch").textContent) >= `+ftoa(epochs), 2*time.Minute)
	click(t, p, "#pause")
	poll[bool](t, p, "the play button", `!!document.querySelector("#play")`, 5*time.Second)
}

// settled returns the text of sel once it has stopped changing: the train
// panel shows the last state at most 250 ms after it arrives
// (wasm/ui/trainpanel.go).
func settled(t *testing.T, p *browserPage, sel string) string {
	t.Helper()
	q := `document.querySelector("` + sel + `").textContent`
	last := eval[string](t, p, q)
	for range 20 {
		time.Sleep(600 * time.Millisecond)
		now := eval[string](t, p, q)
		if now == last {
			return now
		}
		last = now
	}
	t.Fatalf("%s kept changing", sel)
	return ""
}

func number(t *testing.T, p *browserPage, sel string) float64 {
	t.Helper()
	return eval[float64](t, p, fmt.Sprintf(`parseFloat(document.querySelector(%q).textContent)`, sel))
}

// canvasSum is a fingerprint of a canvas's pixels.
func canvasSum(t *testing.T, p *browserPage, sel string) float64 {
	return eval[float64](t, p, fmt.Sprintf(`(() => { const c = document.querySelector(%q);
		const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i] * ((i >> 2) %% 97 + 1); return s })()`, sel))
}

// captureDownloads records every <a download> click in the page: its file
// name, the blob's type and size, and its text when it is CSV, or its first
// bytes. The real download goes ahead as well.
const captureDownloads = `(() => {
	window.__downloads = [];
	const blobs = new Map(), create = URL.createObjectURL;
	URL.createObjectURL = b => { const u = create(b); blobs.set(u, b); return u };
	const click = HTMLAnchorElement.prototype.click;
	HTMLAnchorElement.prototype.click = function () {
		if (this.download && blobs.has(this.href)) {
			const name = this.download;
			Promise.resolve(blobs.get(this.href)).then(async b => {
				const buf = new Uint8Array(await b.arrayBuffer());
				window.__downloads.push({name, type: b.type, size: b.size,
					text: b.type.startsWith("text/") ? await b.text() : "",
					head: Array.from(buf.slice(0, 24)), bytes: name.endsWith(".aemodel") ? Array.from(buf) : []});
			});
		}
		return click.call(this);
	};
})()`

// download waits for the nth capture (0-based) and returns it.
func downloaded(t *testing.T, p *browserPage, n int) map[string]any {
	t.Helper()
	return poll[map[string]any](t, p, "a download", `window.__downloads && window.__downloads[`+itoa(n)+`]`, 20*time.Second)
}

// setFile puts a file made by the JavaScript expression data into the
// "Load model…" input, as choosing it would.
func setFile(t *testing.T, p *browserPage, name, data string) {
	t.Helper()
	eval[bool](t, p, `(() => { const input = document.querySelector("#load-model");
		const dt = new DataTransfer(); dt.items.add(new File([`+data+`], `+quote(name)+`));
		input.files = dt.files; input.dispatchEvent(new Event("change", {bubbles: true})); return true })()`)
}

// jsBytesLiteral writes bytes as a JavaScript array literal.
func jsBytesLiteral(b []byte) string {
	s := make([]string, len(b))
	for i, v := range b {
		s[i] = fmt.Sprint(v)
	}
	return "[" + strings.Join(s, ",") + "]"
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func itoa(n int) string { return strconv.Itoa(n) }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
