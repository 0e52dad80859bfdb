//go:build !wasm

package e2e

import (
	"bufio"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The offline and static-hosting tests: after the first visit the page works
// with the server gone, at the root (the `make run` server) and under a
// sub-path (the `make static` site on a plain file server).

// swActive waits until go-app's service worker is installed and active and
// the page's loader has put the large files into its cache (each is written
// as it streams in, the last bytes a moment after the page has used them),
// and returns the cached URLs.
func swActive(t *testing.T, p *browserPage) []string {
	t.Helper()
	poll[bool](t, p, "the service worker to be active", `navigator.serviceWorker.getRegistration().then(r =>
		!!r && !!r.active && r.active.state == "activated")`, 2*time.Minute)
	poll[bool](t, p, "the large files to be cached", `Promise.all(["web/app.wasm", "web/worker.wasm", "web/mnist.bundle"].map((f) =>
		caches.match(new URL(f, document.baseURI).href))).then((rs) => rs.every((r) => !!r))`, time.Minute)
	return eval[[]string](t, p, `(async () => { const out = [];
		for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) out.push(r.url);
		return out })()`, chromedp.EvalAwaitPromise)
}

// goOfflineAndTrain shuts the server down, reloads, and checks that the page
// starts and trains from the service worker's cache alone.
func goOfflineAndTrain(t *testing.T, p *browserPage, url string) {
	t.Helper()
	goOffline(p)
	served := p.served.Load()
	// Away and back: the same address with its fragment would not reload.
	if err := chromedp.Do(p.ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := chromedp.Do(p.ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	if eval[bool](t, p, `!!document.querySelector("#play")`) && eval[bool](t, p, `!document.getElementById("app-wasm-loader")`) {
		t.Log("the page was up at once") // go-app's wasm is still to start
	}
	poll[bool](t, p, "the worker to be ready offline", `!!document.querySelector("#play") && !document.querySelector("#play").disabled`, 90*time.Second)
	t.Logf("offline: ready to train %v after the reload", time.Since(start).Round(time.Millisecond))
	// On two workers: the helper's script and wasm come from the cache too.
	setValue(t, p, "#in-workers", "2")
	// A model saved online is restored now, and a restore pauses: play until
	// the page is training, then see the samples go up.
	deadline := time.Now().Add(time.Minute)
	for !eval[bool](t, p, `!!document.querySelector("#pause")`) {
		if time.Now().After(deadline) {
			t.Fatalf("offline, play does not start training: %q %q", eval[string](t, p, `document.querySelector("#status").textContent`), eval[string](t, p, `document.querySelector("#note").textContent`))
		}
		eval[bool](t, p, `(document.querySelector("#play") && document.querySelector("#play").click(), true)`)
		time.Sleep(300 * time.Millisecond)
	}
	samples := eval[string](t, p, `document.querySelector("#samples").textContent`)
	poll[bool](t, p, "the samples to go up offline", `(document.querySelector("#play") && document.querySelector("#play").click(),
		document.querySelector("#samples").textContent != `+quote(samples)+` && !!document.querySelector("#pause"))`, time.Minute)
	click(t, p, "#pause")
	if w := eval[float64](t, p, `window.aePlayground.call("getState").then(s => s.workers)`, chromedp.EvalAwaitPromise); w != 2 {
		t.Errorf("offline, training on %v workers, want 2 (note: %q)", w, eval[string](t, p, `document.querySelector("#note").textContent`))
	}
	if n := p.served.Load(); n != served {
		t.Errorf("the closed server served %d bytes", n-served)
	}
}

// goOffline shuts the page's server down. The console errors that come of
// it are expected: go-app checks for a new version of its service worker on
// every load, and that check fails offline. Any other error fails the test.
func goOffline(p *browserPage) {
	p.server.CloseClientConnections()
	p.server.Close()
	p.expectErrors("offline, go-app's check for a new service worker fails",
		"service worker registration failed", "app-worker.js")
}

func TestBrowserOffline(t *testing.T) {
	skipWithoutBrowser(t)
	var log hostLog
	p := newBrowserPageServing(t, 1280, 800, log.wrap(newServer(t)))
	url := p.url + "/#preset=linear-pca&k=8"
	if err := chromedp.Do(p.ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, p, "the worker to be ready", `!!document.querySelector("#play") && !document.querySelector("#play").disabled`, 90*time.Second)
	cached := swActive(t, p)
	t.Logf("online: %.2f MB served; the service worker cached %d files", float64(p.served.Load())/1e6, len(cached))
	for _, want := range []string{"/web/app.wasm", "/web/worker.wasm", "/web/mnist.bundle", "/web/worker.js", "/app.js"} {
		if !strings.Contains(strings.Join(cached, " "), p.url+want) {
			t.Errorf("%s is not cached: %v", want, cached)
		}
	}
	checkDelivery(t, p, &log, "", "br", negotiatingHostBudget)
	goOfflineAndTrain(t, p, url)
	if k := eval[string](t, p, `document.querySelector("#in-k").value`); k != "8" {
		t.Errorf("offline, k from the link = %q, want 8", k)
	}
}

// siteHeaders reads the headers static/_headers sets for every file.
func siteHeaders(t *testing.T) http.Header {
	f, err := os.Open(filepath.Join("..", "..", "static", "_headers"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := http.Header{}
	all := false
	for sc := bufio.NewScanner(f); sc.Scan(); {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "":
		case !strings.HasPrefix(line, " "):
			all = line == "/*"
		case all:
			k, v, _ := strings.Cut(strings.TrimSpace(line), ":")
			h.Set(k, strings.TrimSpace(v))
		}
	}
	if len(h) < 3 {
		t.Fatalf("static/_headers: %v", h)
	}
	return h
}

// The site `make static` writes works from a plain file server under a
// sub-path, with the headers of static/_headers, and offline there too.
func TestBrowserStaticSubPath(t *testing.T) {
	skipWithoutBrowser(t)
	const sub = "/courses/ml/playground"
	host := staticSite(t, sub)
	var log hostLog
	p := newBrowserPageServing(t, 1280, 800, log.wrap(host))
	url := p.url + sub + "/#preset=linear-pca"
	if err := chromedp.Do(p.ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, p, "the worker to be ready", `!!document.querySelector("#play") && !document.querySelector("#play").disabled`, 90*time.Second)
	click(t, p, "#play")
	poll[bool](t, p, "the epoch to advance", `parseFloat(document.querySelector("#epoch").textContent) > 0`, time.Minute)
	click(t, p, "#pause")
	scope := eval[string](t, p, `navigator.serviceWorker.getRegistration().then(r => r ? r.scope : "")`, chromedp.EvalAwaitPromise)
	if scope != p.url+sub+"/" {
		t.Errorf("service worker scope %q, want %q", scope, p.url+sub+"/")
	}
	cached := swActive(t, p)
	for _, want := range []string{sub + "/", sub + "/web/app.wasm", sub + "/web/mnist.bundle", sub + "/web/worker.js"} {
		found := false
		for _, c := range cached {
			found = found || c == p.url+want
		}
		if !found {
			t.Errorf("%s is not cached: %v", want, cached)
		}
	}
	t.Logf("static site under %s/: %.2f MB served, %d files cached", sub, float64(p.served.Load())/1e6, len(cached))
	checkDelivery(t, p, &log, sub, ".gz", plainHostBudget)
	goOfflineAndTrain(t, p, url)
}

// The guard of the harness sees and refuses a request to another origin.
func TestBrowserOffOriginGuard(t *testing.T) {
	p := newBrowserPage(t, 800, 600)
	p.expectErrors("the test asks for another origin, which the page's policy and the guard refuse", "other.example")
	if err := chromedp.Do(p.ctx, chromedp.Navigate(p.url+"/web/icon.svg")); err != nil {
		t.Fatal(err)
	}
	// The page's policy stops a fetch to another origin before the network.
	eval[bool](t, p, `fetch("http://other.example/x", {mode: "no-cors"}).then(() => true, () => true)`, chromedp.EvalAwaitPromise)
	// A navigation is not stopped by the page: the guard must see it.
	chromedp.Do(p.ctx, chromedp.Navigate("http://other.example/y"))
	p.mu.Lock()
	off := p.offOrigin
	p.offOrigin = nil // seen: not a failure of this test
	p.mu.Unlock()
	if len(off) != 1 || !strings.Contains(off[0], "other.example/y") {
		t.Errorf("refused requests %v, want the navigation to other.example", off)
	}
}
