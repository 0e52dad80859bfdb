//go:build !wasm

package e2e

// The offline and static-hosting tests: after the first visit the page works
// with the server gone, at the root (the `make run` server) and under a
// sub-path (the `make static` site on a plain file server), and so it does
// after an update.

import (
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"aeplayground/wasm/server"

	"github.com/chromedp/chromedp"
)

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

// After an update the new service worker fetches the new large files itself,
// once (the page open is the old version and will not), so that the site
// still works offline after the old cache is gone.
func TestBrowserOfflineAfterUpdate(t *testing.T) {
	skipWithoutBrowser(t)
	v1 := newServer(t)
	// The next build: the same files and one more, so a new version.
	web2 := t.TempDir()
	entries, err := os.ReadDir(webDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(webDir, e.Name()))
		if path.Ext(e.Name()) == ".wasm" {
			// A custom section at the end: a new build of the same code.
			data = append(data, 0x00, 6, 5, 'b', 'u', 'i', 'l', 'd')
		}
		if strings.HasSuffix(e.Name(), ".wasm.gz") || strings.HasSuffix(e.Name(), ".wasm.br") {
			continue // stale now: the server gzips the new files itself
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(web2, e.Name()), data, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(web2, "changes.txt"), []byte("the next build\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v2, err := server.New(web2)
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version() == v2.Version() {
		t.Fatal("the next build has the same version")
	}

	var current sync.Mutex
	serving := http.Handler(v1)
	var log2 hostLog
	host := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		current.Lock()
		h := serving
		current.Unlock()
		h.ServeHTTP(w, r)
	})
	p := newBrowserPageServing(t, 1280, 800, host)
	url := p.url + "/#preset=linear-pca"
	if err := chromedp.Do(p.ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, p, "the worker to be ready", `!!document.querySelector("#play") && !document.querySelector("#play").disabled`, 90*time.Second)
	swActive(t, p)

	current.Lock()
	serving = log2.wrap(v2)
	current.Unlock()
	if err := chromedp.Do(p.ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, p, "the new version's cache to replace the old", fmt.Sprintf(`(async () => {
		const keys = await caches.keys();
		if (keys.length != 1 || keys[0] != %q) return false;
		const cache = await caches.open(keys[0]);
		const rs = await Promise.all(["web/app.wasm", "web/worker.wasm", "web/mnist.bundle"].map((f) => cache.match(new URL(f, document.baseURI).href)));
		return rs.every((r) => !!r);
	})()`, "app-"+v2.Version()), 2*time.Minute)
	// The new .wasm files came once each (gzip: the server has no brotli of
	// them); the bundle, the same as before, was revalidated (304) against
	// the HTTP cache.
	for _, c := range []struct {
		path string
		want []int
	}{
		{"/web/app.wasm", []int{200}},
		{"/web/worker.wasm", []int{200}},
		{"/web/mnist.bundle", []int{304}},
	} {
		if got := log2.gets(c.path); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("after the update, GET %s answered %v, want %v", c.path, got, c.want)
		}
	}
	checkCached(t, p, web2)
	goOfflineAndTrain(t, p, url)
}
