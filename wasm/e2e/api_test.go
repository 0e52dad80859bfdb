//go:build !wasm

package e2e

import (
	"aeplayground/engine/ae"
	"aeplayground/wasm/api"
	"slices"

	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Links, embedding and the scripting API, end to end in Chromium.

// call runs window.aePlayground.call in the page and returns its result.
func call[T any](t *testing.T, p *browserPage, cmd, args string) T {
	t.Helper()
	if args == "" {
		args = "undefined"
	}
	return eval[T](t, p, fmt.Sprintf(`Promise.race([window.aePlayground.call(%q, %s),
		new Promise((_, reject) => setTimeout(() => reject(new Error("no answer in 60 s")), 60000))])`, cmd, args), chromedp.EvalAwaitPromise)
}

func waitReady(t *testing.T, p *browserPage) {
	t.Helper()
	poll[bool](t, p, "the API and the worker", `!!window.aePlayground && !!document.querySelector("#play") && !document.querySelector("#play").disabled`, 90*time.Second)
}

func navigate(t *testing.T, p *browserPage, url string) {
	t.Helper()
	// Through about:blank, so that a URL differing only in its fragment
	// loads the page anew.
	if err := chromedp.Do(p.ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
}

// A link with a preset, settings and a digit reproduces the demo: the same
// settings, the same digit, and, from the same seed, the same losses in a
// second page. Copy link gives that link; window.aePlayground answers.
func TestBrowserLinkReproducesDemo(t *testing.T) {
	p := newBrowserPage(t, 1280, 900)
	link := "/#preset=linear-pca&k=12&lr=0.02&seed=5&digit=test:7"
	navigate(t, p, p.url+link)
	waitReady(t, p)

	st := call[api.State](t, p, "getState", "")
	if st.Preset != "linear-pca" || st.Config.Hidden[len(st.Config.Hidden)-1] != 12 || st.Config.LR != 0.02 || st.Config.Seed != 5 {
		t.Errorf("state from the link: preset %q, config %+v", st.Preset, st.Config)
	}
	if strings.Join(st.Modified, ",") != "k,lr,seed" {
		t.Errorf("modified = %v, want k, lr, seed", st.Modified)
	}
	if k := eval[string](t, p, `document.querySelector("#in-k").value`); k != "12" {
		t.Errorf("the code size control shows %q, want 12", k)
	}
	about := eval[string](t, p, `document.querySelector(".about").textContent`)
	if !strings.Contains(about, "modified: k, lr, seed") {
		t.Errorf("the preset line does not say what the link changed: %q", about)
	}
	if eval[bool](t, p, `!!document.querySelector("#preset-linear-pca.active")`) {
		t.Error("the preset button is shown active although the link changed its settings")
	}
	poll[bool](t, p, "the link's held-out digit on the pad", `document.querySelector(".pad-card .hint").textContent.includes("held-out")`, 10*time.Second)
	poll[bool](t, p, "the digit in getState", `window.aePlayground.call("getState").then(s => s.digit == "test" && s.digitIndex == 7)`, 5*time.Second)

	// Train 30 batches from the link's seed; a second page from the same
	// link must compute the very same losses.
	after := call[api.State](t, p, "step", `{n: 30}`)
	if after.SamplesSeen != 30*float64(after.Config.BatchSize) || after.TrainLoss == nil || after.TestLoss == nil {
		t.Fatalf("after step 30: %+v", after)
	}
	click(t, p, "#copy-link")
	copied := poll[string](t, p, "the link in the share box", `document.querySelector("#share-text").value`, 5*time.Second)
	if here := eval[string](t, p, `location.href`); copied != here {
		t.Errorf("Copy link shows %q, the page is at %q", copied, here)
	}
	if !strings.Contains(copied, "digit=test:7") || !strings.Contains(copied, "k=12") {
		t.Errorf("the copied link %q lacks the digit or the settings", copied)
	}
	if got := eval[string](t, p, `document.querySelector("#share-result").textContent`); got == "" {
		t.Error("Copy link says nothing about the clipboard")
	}
	p.screenshot(t, "copy-link")

	q := newBrowserPage(t, 1280, 900)
	navigate(t, q, q.url+"/#"+strings.SplitN(copied, "#", 2)[1])
	waitReady(t, q)
	again := call[api.State](t, q, "step", `{n: 30}`)
	if *again.TrainLoss != *after.TrainLoss || *again.TestLoss != *after.TestLoss {
		t.Errorf("the same link trained to train/held-out loss %v/%v, then %v/%v", *after.TrainLoss, *after.TestLoss, *again.TrainLoss, *again.TestLoss)
	}
	t.Logf("link %s: after 30 batches train loss %.6f, held-out %.6f in both pages", copied, *after.TrainLoss, *after.TestLoss)

	// A drawn digit travels in the link too.
	px := make([]string, 784)
	for i := range px {
		px[i] = "0"
		if r, c := i/28, i%28; c >= 12 && c <= 15 && r >= 5 && r <= 22 {
			px[i] = "1"
		}
	}
	call[api.State](t, q, "setDigit", `{pixels: [`+strings.Join(px, ",")+`]}`)
	drawn := poll[string](t, q, "the drawn digit in the link", `location.hash.includes("digit=drawn:") && location.href`, 5*time.Second)
	r := newBrowserPage(t, 1280, 900)
	navigate(t, r, r.url+"/#"+strings.SplitN(drawn, "#", 2)[1])
	waitReady(t, r)
	poll[bool](t, r, "the link's drawing on the pad", `document.querySelector(".pad-card .hint").textContent.includes("the link")`, 10*time.Second)
	if got := canvasSum(t, r, "canvas.clean"); got != canvasSum(t, q, "canvas.clean") {
		t.Error("the digit from the link is not the digit drawn")
	}
}

// A malformed or out-of-range value is named on the page and ignored.
func TestBrowserLinkMalformedFragment(t *testing.T) {
	p := newBrowserPage(t, 1280, 900)
	navigate(t, p, p.url+"/#preset=linear-pca&k=abc&lr=-1&panels=pad,nope&seed=3&<b>x</b>=1")
	waitReady(t, p)
	note := eval[string](t, p, `document.querySelector("#note").textContent`)
	for _, want := range []string{"k=abc", "lr=-1", "panels=pad,nope"} {
		if !strings.Contains(note, want) {
			t.Errorf("the note %q does not name %q", note, want)
		}
	}
	if eval[bool](t, p, `!!document.querySelector("#note b")`) {
		t.Error("markup from the link became HTML")
	}
	st := call[api.State](t, p, "getState", "")
	if st.Config.Seed != 3 || st.Config.Hidden[len(st.Config.Hidden)-1] == 0 {
		t.Errorf("the good keys were not applied: %+v", st.Config)
	}
	// A held-out index the bundle does not have: named, and dropped from
	// the link.
	navigate(t, p, p.url+"/#digit=test:5000")
	waitReady(t, p)
	note = poll[string](t, p, "the digit's message", `document.querySelector("#note").textContent.includes("digit=test:5000") && document.querySelector("#note").textContent`, 10*time.Second)
	t.Logf("note: %s", note)
	poll[bool](t, p, "the digit to leave the link", `!location.hash.includes("digit=")`, 5*time.Second)
}

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

// frameContext is a context on the out-of-process iframe whose URL
// contains urlPart.
func frameContext(t *testing.T, p *browserPage, urlPart string) context.Context {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		targets, err := chromedp.Targets(p.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, ti := range targets {
			if ti.Type == "iframe" && strings.Contains(ti.URL, urlPart) {
				ctx, cancel := chromedp.NewContext(p.ctx, chromedp.WithTargetID(ti.TargetID))
				t.Cleanup(cancel)
				return ctx
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no iframe target with %q", urlPart)
	return nil
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

// window.aePlayground.call resolves in the page, and rejects a bad command.
func TestBrowserAPIInPage(t *testing.T) {
	p := newBrowserPage(t, 1280, 900)
	navigate(t, p, p.url+"/")
	waitReady(t, p)
	st := call[api.State](t, p, "loadPreset", `{name: "linear-pca"}`)
	if st.Preset != "linear-pca" || st.TestLoss == nil || st.TrainLoss != nil {
		t.Errorf("after loadPreset: %+v", st)
	}
	st = call[api.State](t, p, "setConfig", `{k: 8, lr: 0.01}`)
	if st.K != 8 || strings.Join(st.Modified, ",") != "k,lr" {
		t.Errorf("after setConfig: k %d, modified %v", st.K, st.Modified)
	}
	poll[bool](t, p, "the controls to follow", `document.querySelector("#in-k").value == "8" && location.hash.includes("k=8")`, 5*time.Second)
	// Two settings the page once lost between the script and the worker:
	// per-layer activations, and a momentum below 0.9.
	st = call[api.State](t, p, "setConfig", `{hidden: [100], k: 16, f: "tanh,sigmoid", opt: "momentum", mom: 0.5}`)
	if c := st.Config; !slices.Equal(c.Activation, []ae.Activation{ae.Tanh, ae.Sigmoid}) || c.Optimizer != "momentum" || c.Momentum != 0.5 {
		t.Errorf("after setConfig of f and mom: %+v", c)
	}
	poll[bool](t, p, "the controls and the link to follow",
		`document.querySelector("#in-f").value == "tanh,sigmoid" && document.querySelector("#in-mom").value == "0.5" && location.hash.includes("mom=0.5")`, 5*time.Second)
	st = call[api.State](t, p, "setConfig", `{hidden: [], k: 8, f: "linear", opt: "adam"}`)
	st = call[api.State](t, p, "train", "")
	if !st.Running {
		t.Error("train answered before training runs")
	}
	poll[bool](t, p, "an epoch", `window.aePlayground.call("getState").then(s => s.epoch >= 0.5)`, time.Minute)
	st = call[api.State](t, p, "pause", "")
	if st.Running {
		t.Error("pause answered while training runs")
	}
	if len(st.PrincipalAnglesDeg) != 8 || st.PCAFloor == nil {
		t.Errorf("angles %v, floor %v", st.PrincipalAnglesDeg, st.PCAFloor)
	}
	msg := eval[string](t, p, `window.aePlayground.call("step", {n: 20000}).then(() => "resolved", e => e.message)`, chromedp.EvalAwaitPromise)
	if !strings.Contains(msg, "10000") {
		t.Errorf("step n=20000: %q, want an error naming the limit", msg)
	}
	st = call[api.State](t, p, "reset", "")
	if st.SamplesSeen != 0 {
		t.Errorf("after reset: %v samples", st.SamplesSeen)
	}
	// Commands posted to the page's own window are answered there too.
	got := eval[string](t, p, `new Promise((resolve) => {
		addEventListener("message", (e) => { if (e.data && e.data.id === "own" && "ok" in e.data) resolve(JSON.stringify(e.data)) });
		postMessage({type: "aeplayground", id: "own", cmd: "getState"}, location.origin);
	})`, chromedp.EvalAwaitPromise)
	if !strings.Contains(got, `"ok":true`) {
		t.Errorf("a command posted to the page's own window: %s", got)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestBrowserLinkKeepsEverySetting: a link's per-layer activations and a
// momentum below 0.9 reach the model as written (both were once lost on
// the way from the link to the worker).
func TestBrowserLinkKeepsEverySetting(t *testing.T) {
	p := newBrowserPage(t, 1280, 900)
	navigate(t, p, p.url+"/#preset=survey&hidden=100&k=16&f=tanh,sigmoid&opt=momentum&mom=0.5&corrupt=gaussian:0.2")
	waitReady(t, p)
	st := call[api.State](t, p, "getState", "")
	if c := st.Config; !slices.Equal(c.Activation, []ae.Activation{ae.Tanh, ae.Sigmoid}) || c.Optimizer != "momentum" || c.Momentum != 0.5 {
		t.Errorf("config from the link: %+v", c)
	}
	if got := eval[string](t, p, `document.querySelector("#in-noise-kind").value + ":" + document.querySelector("#in-noise-level").value`); got != "gaussian:0.2" {
		t.Errorf("the shown corruption is %q, want gaussian:0.2", got)
	}
	if !strings.Contains(st.Link, "corrupt=gaussian:0.2") {
		t.Errorf("the link lost the corruption: %s", st.Link)
	}
}
