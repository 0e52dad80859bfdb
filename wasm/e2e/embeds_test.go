//go:build !wasm

package e2e

// Embedding: a host page on another origin frames the playground, sandboxed
// or not, and drives it through postMessage; the embed's own layouts.

import (
	"fmt"
	"html"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"aeplayground/wasm/api"

	"github.com/chromedp/chromedp"
)

// hostPage is the README's complete example host page, pointed at the
// playground: the test runs the very page the README gives.
func hostPage(t *testing.T, playground string) string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- host-example -->\\s*```html\\n(.*?)```\\s*<!-- /host-example -->").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no host example between <!-- host-example --> markers")
	}
	page := strings.Replace(string(m[1]), `const PLAYGROUND = "https://example.org/playground/";`,
		fmt.Sprintf("const PLAYGROUND = %q;", playground+"/"), 1)
	if page == string(m[1]) {
		t.Fatal("the README's host example does not set PLAYGROUND as the test expects")
	}
	return page
}

// A page on another origin embeds the playground and drives it through
// postMessage (the README's example); malformed commands get an error and
// change nothing; a frame that allows only another origin ignores the host.
func TestBrowserEmbedHostPage(t *testing.T) {
	p := newBrowserPage(t, 1300, 1000)
	extra := `
<h2>Second frame, scriptable only from another origin</h2>
<iframe id="locked" width="400" height="300" title="Playground locked to another origin"></iframe>
<script>
  // Test helpers: raw messages to either frame, and the replies by id.
  const raw = new Map();
  window.addEventListener("message", (e) => {
    const m = e.data;
    if (m && m.type === "aeplayground" && m.id !== undefined && m.id !== null) raw.set(String(m.id), m);
  });
  window.rawSend = (frameId, msg, ms) => new Promise((resolve) => {
    document.getElementById(frameId).contentWindow.postMessage(msg, origin);
    const t0 = Date.now();
    const tick = () => {
      if (raw.has(String(msg.id))) return resolve(raw.get(String(msg.id)));
      if (Date.now() - t0 > ms) return resolve(null);
      setTimeout(tick, 20);
    };
    tick();
  });
  window.events = [];
  window.addEventListener("message", (e) => { if (e.data && e.data.event) window.events.push(e.data.event); });
  document.getElementById("locked").src = PLAYGROUND + "#embed=1&panels=train&origins=http://example.invalid";
</script>
</body>`
	page := strings.Replace(hostPage(t, p.url), "</body>", extra, 1)
	hostURL := hostOtherOrigin(t, p, page)

	start := time.Now()
	navigate(t, p, hostURL+"/")
	log := poll[string](t, p, "the host page's demo to finish", `(() => { const l = document.querySelector("#log").textContent;
		return (l.includes("done") || l.includes("error: ")) && l })()`, 3*time.Minute)
	t.Logf("host page on %s drove the playground on %s in %v:\n%s", hostURL, p.url, time.Since(start).Round(time.Millisecond), log)
	if strings.Contains(log, "error: ") {
		t.Fatalf("the host page's demo failed:\n%s", log)
	}
	var before, after, floor, ratio float64
	if _, err := fmt.Sscanf(strings.SplitN(log, "\n", 2)[0], "held-out loss %f -> %f", &before, &after); err != nil {
		t.Fatalf("reading %q: %v", log, err)
	}
	if !(after < 0.8*before) {
		t.Errorf("the held-out loss did not fall: %v -> %v", before, after)
	}
	if _, err := fmt.Sscanf(strings.Split(log, "\n")[1], "PCA's error on the same digits %f, ratio %f", &floor, &ratio); err != nil || !(floor > 0 && ratio >= 0.99) {
		t.Errorf("floor line %q: floor %v, ratio %v (%v)", strings.Split(log, "\n")[1], floor, ratio, err)
	}
	if !strings.Contains(log, "principal angles (degrees): ") {
		t.Error("no principal angles")
	}
	if ev := eval[[]string](t, p, `window.events`); !contains(ev, "ready") || !contains(ev, "progress") {
		t.Errorf("events from the frame: %v, want ready and progress", ev)
	}

	// Malformed commands get an error reply and change nothing.
	send := func(frame, msg string, ms int) map[string]any {
		return eval[map[string]any](t, p, fmt.Sprintf(`window.rawSend(%q, %s, %d)`, frame, msg, ms), chromedp.EvalAwaitPromise)
	}
	get := func(id string) map[string]any {
		r := send("playground", `{type: "aeplayground", id: "`+id+`", cmd: "getState"}`, 5000)
		if r == nil || r["ok"] != true {
			t.Fatalf("getState: %v", r)
		}
		return r["result"].(map[string]any)
	}
	s0 := get("s0")
	for i, bad := range []string{
		`{type: "aeplayground", id: 101, cmd: "step", args: {n: 0}}`,
		`{type: "aeplayground", id: 102, cmd: "setConfig", args: {lr: "abc", k: 8}}`,
		`{type: "aeplayground", id: 103, cmd: "launch"}`,
		`{type: "aeplayground", id: 104, cmd: "train", args: {fast: true}}`,
		`{type: "aeplayground", id: 105, cmd: "setDigit", args: {pixels: [1, 2, 3]}}`,
		`{type: "aeplayground", id: 106, cmd: "loadPreset", args: {name: "<img src=x>"}}`,
	} {
		r := send("playground", bad, 5000)
		if r == nil || r["ok"] != false || r["error"] == "" || r["id"] != float64(101+i) {
			t.Errorf("%s: reply %v, want an error", bad, r)
			continue
		}
		t.Logf("%s -> %s", bad, r["error"])
	}
	s1 := get("s1")
	for _, k := range []string{"samplesSeen", "running", "config", "link"} {
		if fmt.Sprint(s0[k]) != fmt.Sprint(s1[k]) {
			t.Errorf("%s changed after malformed commands: %v -> %v", k, s0[k], s1[k])
		}
	}
	// A foreign message gets no answer.
	if r := send("playground", `{type: "other", id: 107, cmd: "getState"}`, 1000); r != nil {
		t.Errorf("a message of another type was answered: %v", r)
	}
	// The frame that allows only http://example.invalid ignores this host,
	// once it is listening: its own scripting object is there (read in
	// the frame itself, a target of its own on another origin).
	locked := frameContext(t, p, "origins=http://example.invalid")
	if _, err := chromedp.Run(locked, chromedp.Poll[bool](`!!window.aePlayground && !!document.querySelector("#play")`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("the locked frame did not start: %v", err)
	}
	if r := send("locked", `{type: "aeplayground", id: 108, cmd: "getState"}`, 3000); r != nil {
		t.Errorf("a frame locked to another origin answered this host: %v", r)
	}
	if r := send("locked", `{type: "aeplayground", id: 109, cmd: "step", args: {n: 0}}`, 1000); r != nil {
		t.Errorf("a frame locked to another origin answered a malformed command from this host: %v", r)
	}
	p.screenshot(t, "embed-host")
}

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

// The embed layout shows only the chosen panels, in order.
func TestBrowserEmbedLayout(t *testing.T) {
	p := newBrowserPage(t, 760, 820)
	navigate(t, p, p.url+"/#preset=linear-pca&embed=1&panels=train,pad,recon,loss&digit=test:3")
	waitReady(t, p)
	shown := eval[[]string](t, p, `[...document.querySelectorAll(".panels .slot:not([hidden])")]
		.sort((a, b) => +getComputedStyle(a).order - +getComputedStyle(b).order).map(e => e.className.replace("slot slot-", ""))`)
	if strings.Join(shown, ",") != "train,pad,recon,loss" {
		t.Errorf("panels shown %v, want train,pad,recon,loss", shown)
	}
	if eval[bool](t, p, `!!document.querySelector("#copy-link") || getComputedStyle(document.querySelector(".presets")).display != "none"`) {
		t.Error("the embed layout shows the presets or the share buttons")
	}
	call[api.State](t, p, "step", `{n: 50}`)
	poll[bool](t, p, "a reconstruction", `parseFloat(document.querySelector("#samples").textContent) > 0`, 10*time.Second)
	p.screenshot(t, "embed")

	// The full page's Embed button gives the snippet for this demo.
	navigate(t, p, p.url+"/#preset=linear-pca&k=8")
	waitReady(t, p)
	click(t, p, "#embed")
	snippet := poll[string](t, p, "the snippet", `document.querySelector("#share-text").value`, 5*time.Second)
	t.Logf("snippet: %s", snippet)
	if !strings.HasPrefix(snippet, `<iframe src="`+p.url+`/#preset=linear-pca&amp;k=8&amp;embed=1"`) || !strings.Contains(snippet, `title="Autoencoder playground"`) {
		t.Errorf("snippet %q", snippet)
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

// TestBrowserEmbedCompactPlay: an embed whose panels leave out the train
// panel has a Play of its own, which trains and then pauses.
func TestBrowserEmbedCompactPlay(t *testing.T) {
	p := newBrowserPage(t, 760, 600)
	navigate(t, p, p.url+"/#preset=linear-pca&embed=1&panels=pad,recon")
	poll[bool](t, p, "the compact Play", `!!window.aePlayground && !!document.querySelector("#embed-play:not([disabled])") && document.querySelector("#embed-play").offsetHeight > 0`, time.Minute)
	click(t, p, "#embed-play")
	poll[bool](t, p, "training", `window.aePlayground.call("getState").then(s => s.samplesSeen > 1000 && s.running)`, time.Minute)
	poll[bool](t, p, "Pause on the button", `document.querySelector("#embed-play").textContent.includes("Pause")`, 5*time.Second)
	click(t, p, "#embed-play")
	poll[bool](t, p, "the pause", `window.aePlayground.call("getState").then(s => !s.running)`, 10*time.Second)
	p.screenshot(t, "embed-compact-play")
	// autoplay=1: a shown embed starts training by itself.
	navigate(t, p, p.url+"/#lesson=intro&embed=1&autoplay=1")
	poll[bool](t, p, "training without a click", `!!window.aePlayground && window.aePlayground.call("getState").then(s => s.samplesSeen > 0 && s.running)`, time.Minute)
}
