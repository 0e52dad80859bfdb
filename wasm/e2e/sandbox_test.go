//go:build !wasm

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSandboxedEmbeds: a host page on another origin frames the
// playground three ways, as lecture platforms do (no sandbox; sandbox with
// scripts and its own origin; sandbox with scripts only, an opaque origin),
// and drives each through postMessage to train. The opaque one says once,
// quietly, that nothing will be saved, and links to the full playground.
func TestBrowserSandboxedEmbeds(t *testing.T) {
	p := newBrowserPage(t, 1366, 768)
	play := p.url + "/#embed=1&panels=train,loss"
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Three frames</title>
<style>body{margin:8px;font:14px sans-serif} iframe{width:440px;height:560px;border:1px solid #999}</style></head><body>
<iframe id="plain" title="no sandbox" src="` + play + `&seed=1"></iframe>
<iframe id="same" title="sandbox with its own origin" sandbox="allow-scripts allow-same-origin" src="` + play + `&seed=2"></iframe>
<iframe id="opaque" title="sandbox, opaque origin" sandbox="allow-scripts" src="` + play + `&seed=3"></iframe>
<script>
  // A sandboxed frame's origin is "null": the host names no origin when it
  // posts and tells the frames apart by their windows.
  const replies = new Map();
  window.events = [];
  const frameOf = (w) => [...document.querySelectorAll("iframe")].find((f) => f.contentWindow === w);
  window.addEventListener("message", (e) => {
    const m = e.data, f = frameOf(e.source);
    if (!m || m.type !== "aeplayground" || !f) return;
    if (m.event) window.events.push(f.id + ":" + m.event + ":" + e.origin);
    if (m.id !== undefined && m.id !== null) replies.set(f.id + ":" + m.id, m);
  });
  let next = 1;
  window.send = (frame, cmd, args, ms) => new Promise((resolve) => {
    const id = next++;
    document.getElementById(frame).contentWindow.postMessage({ type: "aeplayground", id, cmd, args }, "*");
    const t0 = Date.now();
    const tick = () => {
      if (replies.has(frame + ":" + id)) return resolve(replies.get(frame + ":" + id));
      if (Date.now() - t0 > ms) return resolve(null);
      setTimeout(tick, 50);
    };
    tick();
  });
</script></body></html>`
	hostURL := hostOtherOrigin(t, p, page)
	navigate(t, p, hostURL+"/")

	for _, frame := range []string{"plain", "same", "opaque"} {
		poll[bool](t, p, frame+"'s ready event", fmt.Sprintf(`window.events.some((e) => e.startsWith(%q))`, frame+":ready"), 2*time.Minute)
		r := eval[map[string]any](t, p, fmt.Sprintf(`window.send(%q, "step", {n: 60}, 120000)`, frame), chromedp.EvalAwaitPromise)
		if r == nil || r["ok"] != true {
			t.Fatalf("%s: step: %v", frame, r)
		}
		r = eval[map[string]any](t, p, fmt.Sprintf(`window.send(%q, "getState", {}, 10000)`, frame), chromedp.EvalAwaitPromise)
		st, _ := r["result"].(map[string]any)
		if st == nil || !(st["samplesSeen"].(float64) > 0) {
			t.Fatalf("%s: state after 60 batches: %v", frame, r)
		}
		t.Logf("%s: %v samples, train loss %v", frame, st["samplesSeen"], st["trainLoss"])
	}
	t.Logf("events: %v", eval[[]string](t, p, `window.events.filter((e) => !e.includes(":progress:"))`))

	// The opaque frame says, once and quietly, that nothing is kept, and
	// offers the full playground in a new tab; the others say nothing of it.
	for i, frame := range []string{"plain", "same", "opaque"} {
		ctx := frameContext(t, p, fmt.Sprintf("seed=%d", i+1))
		note, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const n = document.querySelector("#unsaved"); return n && !n.hidden && n.offsetParent ? n.textContent : "" })()`))
		if err != nil {
			t.Fatal(err)
		}
		if opaque := frame == "opaque"; opaque != strings.Contains(note, "keeps nothing") || !opaque && note != "" {
			t.Errorf("%s frame's note on storage: %q", frame, note)
		}
		if frame == "opaque" {
			href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#unsaved a").href`))
			if err != nil || !strings.HasPrefix(href, p.url+"/#") || strings.Contains(href, "embed=1") {
				t.Errorf("the link to the full playground: %q (%v)", href, err)
			}
		}
	}
	p.screenshot(t, "sandboxed-embeds")
}
