//go:build !wasm

package e2e

// The harness of the browser suite: Debian's Chromium (never a downloaded
// browser), headless, against the app served in-process from the built web/
// folder; the page a test drives, with the checks every test gets when it
// ends (no console error it did not expect, no request to another origin);
// and the same start for the page benchmarks.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aeplayground/engine/mnist"
	"aeplayground/wasm/server"
	"aeplayground/wasm/ui"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// chromium is the Chromium to run: Debian's, else the one on PATH, else "".
func chromium() string {
	if _, err := os.Stat(chromiumPath); err == nil {
		return chromiumPath
	}
	exe, _ := exec.LookPath("chromium")
	return exe
}

// newChromium is how every browser test and benchmark starts Chromium:
// headless, in a fresh profile, with the background networking that the
// machine's closed network refuses turned off, and one tab of width ×
// height; opts add to the flags. It closes when the test ends, or before
// with the returned cancel.
func newChromium(tb testing.TB, width, height int64, opts ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc) {
	tb.Helper()
	opts = append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(int(width), int(height)),
	}, opts...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	cancel := func() { cancelTab(); cancelAlloc() }
	tb.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		tb.Fatal(err)
	}
	return ctx, cancel
}

// webDir is the repository's web/ folder, which `make build` fills.
var webDir = filepath.Join("..", "..", "web")

// artifacts is where the suite leaves its screenshots (git-ignored).
var artifacts = filepath.Join("..", "..", "testdata-artifacts")

var routesOnce sync.Once

// newServer is the `make run` server of the built web/, its large files
// compressed before the first visit, as the command does.
func newServer(tb testing.TB) *server.Server {
	tb.Helper()
	routesOnce.Do(ui.Routes)
	srv, err := server.New(webDir)
	if err != nil {
		tb.Fatal(err)
	}
	srv.Warm()
	return srv
}

// staticSite writes the site `make static` makes and serves it as a plain
// file server would under the sub-path sub, with static/_headers' headers,
// and nothing outside sub.
func staticSite(t *testing.T, sub string) http.Handler {
	t.Helper()
	site := t.TempDir()
	if err := newServer(t).WriteStatic(site); err != nil {
		t.Fatal(err)
	}
	headers := siteHeaders(t)
	files := http.StripPrefix(sub, http.FileServer(http.Dir(site)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range headers {
			w.Header()[k] = v
		}
		if !strings.HasPrefix(r.URL.Path, sub+"/") {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
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

// browserPage is one headless Chromium tab on the app, with the console
// messages it has logged.
type browserPage struct {
	ctx context.Context
	url string

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	served  atomic.Int64 // response bytes, as sent (compressed)

	// server is the test server the page is served from (a test may shut it
	// down to go offline).
	server *httptest.Server
	// allowedOrigins are the origins the browser may send requests to: the
	// test server's, and what a test adds with allowOrigin (a host page on
	// another origin). Every request of the browser, the page's, its
	// workers', its service worker's and its frames', goes through a proxy
	// that forwards only to these; any other is refused and fails the test.
	// data: and blob: URLs never reach the network, so need no entry.
	allowedOrigins []string
	offOrigin      []string // the refused requests
	chromiumOwn    []string // refused too, but Chromium's own, not the page's

	// expected are the console errors a test provokes on purpose
	// (expectErrors): what each contains, and why it comes.
	expected []expectedError
}

type expectedError struct{ contains, why string }

// chromiumOwn are the hosts Debian's Chromium calls by itself, whatever the
// page does and despite the flags below: its component updater and Google
// sign-in. The guard refuses them as it refuses any other; it only does not
// count them against the page. (A page's request to them is stopped by the
// Content-Security-Policy first: connect-src 'self'.)
var chromiumOwn = map[string]bool{
	"update.googleapis.com": true, "update.googleapis.com:443": true, "accounts.google.com:443": true,
	"clients2.google.com": true, "clients2.google.com:443": true,
	"sb-ssl.google.com:443": true, // Safe Browsing's check of a downloaded file (a .aemodel)
}

// allowOrigin lets the browser send requests to origin (for example
// "http://127.0.0.1:43210", a test server's URL).
func (p *browserPage) allowOrigin(origin string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.allowedOrigins = append(p.allowedOrigins, strings.TrimSuffix(origin, "/"))
}

// proxy forwards the browser's requests to the allowed origins and refuses,
// and records, any other.
func (p *browserPage) proxy(forward http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.URL.Scheme + "://" + r.URL.Host
		if r.Method == http.MethodConnect {
			origin = "https://" + r.Host
		}
		p.mu.Lock()
		ok := false
		for _, o := range p.allowedOrigins {
			ok = ok || o == origin
		}
		req := r.Method + " " + r.URL.String()
		if r.Method == http.MethodConnect {
			req = "CONNECT " + r.Host
		}
		switch {
		case ok:
		case chromiumOwn[r.Host]:
			p.chromiumOwn = append(p.chromiumOwn, req)
		default:
			p.offOrigin = append(p.offOrigin, req)
		}
		p.mu.Unlock()
		if !ok {
			http.Error(w, "the test refuses requests to other origins", http.StatusForbidden)
			return
		}
		forward.ServeHTTP(w, r)
	})
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (c countingWriter) Write(b []byte) (int, error) {
	c.n.Add(int64(len(b)))
	return c.ResponseWriter.Write(b)
}

// logs returns the console's log lines that contain s.
func (p *browserPage) logs(s string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, m := range p.console {
		if strings.Contains(m.Text, s) {
			out = append(out, m.Text)
		}
	}
	return out
}

// newBrowserPage is a headless Chromium tab of width × height on the
// `make run` server. When the test ends, any console error of the page that
// the test did not declare with expectErrors fails it.
func newBrowserPage(t *testing.T, width, height int64) *browserPage {
	t.Helper()
	skipWithoutBrowser(t)
	return newBrowserPageServing(t, width, height, newServer(t))
}

// skipWithoutBrowser stops a browser test that cannot run: without
// Chromium or the built web/ it fails, saying what to run, because a
// skipped suite reads "ok" and hides that half the tests did not run. Only
// AE_SKIP_BROWSER=1, an explicit choice (make test prints it), turns the
// failure into a skip.
func skipWithoutBrowser(t *testing.T) {
	t.Helper()
	if why := browserMissing(); why != "" {
		if os.Getenv(skipBrowserEnv) == "1" {
			t.Skipf("%s (skipped: %s=1)", why, skipBrowserEnv)
		}
		t.Fatalf("%s; or set %s=1 to skip the browser suite", why, skipBrowserEnv)
	}
}

// skipBrowserEnv names the opt-out of the browser suite.
const skipBrowserEnv = "AE_SKIP_BROWSER"

// browserMissing says what the browser suite lacks, or "" when it can run.
func browserMissing() string {
	if chromium() == "" {
		return fmt.Sprintf("no Chromium at %s or on PATH: run `apt-get install -y chromium` as root (make test does it when run as root)", chromiumPath)
	}
	for _, f := range server.RequiredFiles {
		if _, err := os.Stat(filepath.Join(webDir, f)); err != nil {
			return fmt.Sprintf("web/%s is not built: run `make build` (or `make test`)", f)
		}
	}
	return ""
}

// newBrowserPageServing is newBrowserPage on a handler of the test's own
// (the generated static site, under a sub-path).
func newBrowserPageServing(t *testing.T, width, height int64, srv http.Handler) *browserPage {
	t.Helper()
	p := &browserPage{}
	// Count the bytes served, to report what a cold load costs.
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.ServeHTTP(countingWriter{w, &p.served}, r)
	}))
	t.Cleanup(ts.Close)
	p.server = ts
	p.allowOrigin(ts.URL)
	proxy := newGuardProxy(t, p)
	ctx, _ := newChromium(t, width, height,
		// Every request, loopback too, goes through the guard proxy.
		chromedp.ProxyServer(proxy),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		// Chromium's own calls home (its clock, updates, sign-in), which the
		// guard would see as the page's.
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("safebrowsing-disable-auto-update", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("disable-features", "NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater"),
	)
	// The checks when the test ends, while the browser is still there.
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if len(p.chromiumOwn) > 0 {
			t.Logf("refused Chromium's own requests: %v", p.chromiumOwn)
		}
		if len(p.offOrigin) > 0 {
			t.Errorf("requests to origins other than %v (refused):\n%s", p.allowedOrigins, strings.Join(p.offOrigin, "\n"))
		}
	})
	t.Cleanup(func() {
		t.Helper() // a failure points at the test's newBrowserPage
		p.checkConsole(t)
	})
	p.ctx, p.url = ctx, ts.URL
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.console = append(p.console, m)
			p.mu.Unlock()
		}
	}()
	return p
}

// newGuardProxy starts the proxy that p's browser sends every request
// through, and returns its address. A request to an allowed origin whose
// server is gone fails as a network error does (the connection closes), not
// as an answer from the proxy.
func newGuardProxy(t *testing.T, p *browserPage) string {
	transport := &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 16}
	rp := &httputil.ReverseProxy{
		Rewrite:       func(r *httputil.ProxyRequest) { r.Out.URL = r.In.URL },
		Transport:     transport,
		FlushInterval: -1,
		ErrorLog:      log.New(io.Discard, "", 0),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			http.Error(w, err.Error(), http.StatusBadGateway)
		},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ps := &http.Server{Handler: p.proxy(rp), ErrorLog: log.New(io.Discard, "", 0)}
	go ps.Serve(ln)
	t.Cleanup(func() { ps.Close(); transport.CloseIdleConnections() })
	return "http://" + ln.Addr().String()
}

// errors returns the console errors and uncaught exceptions so far.
func (p *browserPage) errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []string
	for _, m := range p.console {
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Type == "error" {
			errs = append(errs, string(m.Type)+": "+m.Text+" ("+m.URL+")")
		}
	}
	return errs
}

// expectErrors declares console errors the test provokes on purpose: those
// that contain one of substrings, which come because of why, do not fail it
// (they are logged). Every other error still does.
func (p *browserPage) expectErrors(why string, substrings ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range substrings {
		p.expected = append(p.expected, expectedError{s, why})
	}
}

// checkConsole fails the test with every console error of the page that
// was not expected, and then shows the whole console.
func (p *browserPage) checkConsole(t *testing.T) {
	t.Helper()
	p.mu.Lock()
	expected := slices.Clone(p.expected)
	p.mu.Unlock()
	var bad []string
	for _, e := range p.errors() {
		why := ""
		for _, x := range expected {
			if strings.Contains(e, x.contains) {
				why = x.why
				break
			}
		}
		if why != "" {
			t.Logf("console error, expected (%s): %s", why, e)
			continue
		}
		bad = append(bad, e)
	}
	if len(bad) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(bad, "\n"))
		t.Logf("the whole console:\n%s", strings.Join(p.logs(""), "\n"))
	}
}

// screenshot saves the page as testdata-artifacts/name.png.
func (p *browserPage) screenshot(t *testing.T, name string) {
	t.Helper()
	buf, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if !strings.HasSuffix(name, ".png") {
		name += ".png"
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(artifacts, name)
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// pollDocument waits until the JavaScript expression is truthy in ctx's
// page and returns its value. Right after a navigation chromedp may still
// hold the previous document's context, which then vanishes under the poll
// ("Cannot find context"): the poll starts again in the new one.
func pollDocument[T any](ctx context.Context, expr string, every, timeout time.Duration) (T, error) {
	var v T
	var err error
	for range 3 {
		v, err = chromedp.Run(ctx, chromedp.Poll[T](expr,
			chromedp.WithPollingInterval(every), chromedp.WithPollingTimeout(timeout)))
		if err == nil || !strings.Contains(err.Error(), "Cannot find context") {
			break
		}
	}
	return v, err
}

// poll waits until the JavaScript expression is truthy and returns its value.
func poll[T any](t *testing.T, p *browserPage, what, expr string, timeout time.Duration) T {
	t.Helper()
	v, err := pollDocument[T](p.ctx, expr, 100*time.Millisecond, timeout)
	if err != nil {
		p.screenshot(t, "failure")
		t.Fatalf("waiting for %s: %v\nconsole errors: %v", what, err, p.errors())
	}
	return v
}

func eval[T any](t *testing.T, p *browserPage, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// hostOtherOrigin serves page (HTML) on another origin and another site
// than the playground's (localhost against 127.0.0.1, another port), so
// that its frames of the playground run out of process, as on the web; the
// browser may reach it. It returns the page's address.
func hostOtherOrigin(t *testing.T, p *browserPage, page string) string {
	t.Helper()
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(host.Close)
	hostURL := strings.Replace(host.URL, "127.0.0.1", "localhost", 1)
	p.allowOrigin(hostURL)
	return hostURL
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

// framePoll waits until the expression is truthy in the frame's document
// and returns its value.
func framePoll[T any](t *testing.T, frame context.Context, what, expr string, timeout time.Duration) T {
	t.Helper()
	v, err := pollDocument[T](frame, expr, 100*time.Millisecond, timeout)
	if err != nil {
		t.Fatalf("in the frame, waiting for %s: %v", what, err)
	}
	return v
}

// The guard of the harness sees and refuses a request to another origin.
func TestBrowserOffOriginGuard(t *testing.T) {
	p := newBrowserPage(t, 800, 600)
	p.expectErrors("the test asks for another origin, which the page's policy and the guard refuse", "other.example")
	p.expectErrors("a tab on a bare image asks for the site's icon, which the server does not have", "/favicon.ico")
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

// benchRuns is how many runs each page benchmark measures; it reports
// their medians.
const benchRuns = 3

// benchServer is every page benchmark's start: without Chromium or the
// built web/ it skips (a benchmark measures, the tests check), and it
// returns the `make run` server.
func benchServer(b *testing.B) *server.Server {
	b.Helper()
	if why := browserMissing(); why != "" {
		b.Skip(why)
	}
	return newServer(b)
}

// benchScript runs in every document before its own scripts: it records
// main-thread long tasks, and helpers to fingerprint canvases.
const benchScript = `
window.__longTasks = [];
try {
	new PerformanceObserver(l => l.getEntries().forEach(e => window.__longTasks.push({start: e.startTime, ms: e.duration})))
		.observe({type: "longtask", buffered: true});
} catch (e) {}
window.__pixels = sel => {
	const c = document.querySelector(sel);
	if (!c || !c.width) return null;
	const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, out = new Uint8Array(d.length >> 2);
	for (let i = 0; i < out.length; i++) out[i] = d[i << 2];
	return out;
};
window.__diff = (a, b) => { if (!a || !b || a.length != b.length) return Infinity;
	let s = 0; for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]); return s };
// The last pointerdown on the pad, in the performance.now() time base.
window.__pointerDown = -1;
document.addEventListener("pointerdown", e => { window.__pointerDown = e.timeStamp }, true);
`

// benchBrowser is one headless Chromium (fresh profile) with one tab, and
// the playground (and, if installed, the TF.js peer) served in-process.
type benchBrowser struct {
	ctx    context.Context
	app    string // playground origin
	peer   string // peer origin, "" if the peer is not installed
	served *atomic.Int64
	reqs   *atomic.Int64
}

func newBenchBrowser(b *testing.B, withPeer bool) *benchBrowser {
	b.Helper()
	srv := benchServer(b)
	bb := &benchBrowser{served: new(atomic.Int64), reqs: new(atomic.Int64)}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bb.reqs.Add(1)
		srv.ServeHTTP(countingWriter{w, bb.served}, r)
	}))
	b.Cleanup(ts.Close)
	bb.app = ts.URL
	if withPeer {
		if peer := newPeerServer(b); peer != nil {
			b.Cleanup(peer.Close)
			bb.peer = peer.URL
		}
	}

	bb.ctx, _ = newChromium(b, 1280, 800)
	err := chromedp.Do(bb.ctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: benchScript})
			return err
		}))
	if err != nil {
		b.Fatal(err)
	}
	return bb
}

func (bb *benchBrowser) eval(b *testing.B, expr string, out any, opts ...chromedp.EvaluateOption) {
	b.Helper()
	raw, err := chromedp.Run(bb.ctx, chromedp.Evaluate[[]byte](expr, opts...))
	if err == nil && out != nil {
		err = json.Unmarshal(raw, out)
	}
	if err != nil {
		b.Fatalf("evaluating %.200s: %v", expr, err)
	}
}

// poll waits until the expression is truthy and decodes its value.
func (bb *benchBrowser) poll(b *testing.B, what, expr string, every, timeout time.Duration, out any) {
	b.Helper()
	raw, err := pollDocument[[]byte](bb.ctx, expr, every, timeout)
	if err == nil && out != nil {
		err = json.Unmarshal(raw, out)
	}
	if err != nil {
		b.Fatalf("waiting for %s: %v", what, err)
	}
}

// benchDigits decodes the page's own digit bundle, as the worker does.
func benchDigits(b *testing.B) *mnist.Bundle {
	b.Helper()
	raw, err := os.ReadFile(filepath.Join(webDir, "mnist.bundle"))
	if err != nil {
		b.Fatalf("the MNIST bundle is missing (%v): run `make data`", err)
	}
	digits, err := mnist.Decode(raw)
	if err != nil {
		b.Fatal(err)
	}
	return digits
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}
