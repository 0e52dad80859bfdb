//go:build !wasm

package server

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// fakeWeb is a web/ folder with every required file, small.
func fakeWeb(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range RequiredFiles {
		body := strings.Repeat(name+" ", 500)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestServerServesWasmCompressed(t *testing.T) {
	dir := fakeWeb(t)
	srv, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/web/app.wasm", nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	h := rec.Result().Header
	if rec.Code != 200 || h.Get("Content-Type") != "application/wasm" || h.Get("Content-Encoding") != "gzip" ||
		h.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("status %d, headers %v", rec.Code, h)
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	want, _ := os.ReadFile(filepath.Join(dir, "app.wasm"))
	if string(got) != string(want) || h.Get("X-Uncompressed-Length") != strconv.Itoa(len(want)) {
		t.Errorf("decompressed %d bytes (header %s), want %d", len(got), h.Get("X-Uncompressed-Length"), len(want))
	}

	// Revalidation with the ETag: 304, no body.
	req2 := httptest.NewRequest("GET", "/web/app.wasm", nil)
	req2.Header.Set("If-None-Match", h.Get("ETag"))
	req2.Header.Set("Accept-Encoding", "gzip")
	rec2 := httptest.NewRecorder()
	srv.ServeHTTP(rec2, req2)
	if rec2.Code != http.StatusNotModified {
		t.Errorf("revalidation: status %d, want 304", rec2.Code)
	}

	// Without gzip in Accept-Encoding: the plain file.
	req3 := httptest.NewRequest("GET", "/web/mnist.bundle", nil)
	rec3 := httptest.NewRecorder()
	srv.ServeHTTP(rec3, req3)
	if rec3.Header().Get("Content-Encoding") != "" || rec3.Body.Len() != 13*500 {
		t.Errorf("identity: encoding %q, %d bytes", rec3.Header().Get("Content-Encoding"), rec3.Body.Len())
	}
}

func TestServerRefusesPathsOutsideWeb(t *testing.T) {
	srv, err := New(fakeWeb(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/web/../go.mod", "/web/.hidden", "/web/sub/x", "/web/"} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, rec.Code)
		}
	}
}

func TestServerNeedsBuiltFiles(t *testing.T) {
	dir := fakeWeb(t)
	os.Remove(filepath.Join(dir, "worker.wasm"))
	if _, err := New(dir); err == nil || !strings.Contains(err.Error(), "make build") {
		t.Errorf("missing worker.wasm: %v", err)
	}
}

func TestVersionFollowsTheBuild(t *testing.T) {
	dir := fakeWeb(t)
	v1, _, _ := webVersion(dir)
	os.WriteFile(filepath.Join(dir, "app.wasm"), []byte("new build"), 0o644)
	v2, _, _ := webVersion(dir)
	if v1 == v2 || len(v1) != 16 {
		t.Errorf("versions %q and %q: a new build needs a new version", v1, v2)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"gzip": true, "br, gzip;q=0.5": true, "gzip;q=0": false, "identity": false, "": false, "*": true, "deflate, gzip ; q=1.0": true,
	} {
		if got := accepts(header, "gzip"); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

// webBeside is a web/ folder inside a folder that also holds files the
// server must never serve: a secret, a go.mod, and a symlink out of web/.
func webBeside(t *testing.T) (web string) {
	t.Helper()
	root := t.TempDir()
	web = filepath.Join(root, "web")
	if err := os.Mkdir(web, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range RequiredFiles {
		if err := os.WriteFile(filepath.Join(web, name), []byte(strings.Repeat(name+" ", 500)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, body := range map[string]string{
		"icon.svg": `<svg xmlns="http://www.w3.org/2000/svg"/>`, "icon-192.png": "\x89PNG\r\n\x1a\n", "x.webmanifest": "{}", ".hidden": secret,
	} {
		os.WriteFile(filepath.Join(web, name), []byte(body), 0o644)
	}
	os.WriteFile(filepath.Join(root, "secret.txt"), []byte(secret), 0o644)
	os.WriteFile(filepath.Join(root, "go.mod"), []byte(secret), 0o644)
	os.Mkdir(filepath.Join(web, "sub"), 0o755)
	os.WriteFile(filepath.Join(web, "sub", "x.js"), []byte(secret), 0o644)
	if err := os.Symlink(filepath.Join(root, "secret.txt"), filepath.Join(web, "leak.js")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../secret.txt", filepath.Join(web, "leak2.css")); err != nil {
		t.Fatal(err)
	}
	return web
}

const secret = "TOP SECRET outside web/"

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(serverOf(t, webBeside(t)))
	t.Cleanup(ts.Close)
	return ts
}

// rawRequest sends the request line as it is (http.Client would clean the
// path) and returns the response and its body.
func rawRequest(t *testing.T, ts *httptest.Server, method, target string, header ...string) (*http.Response, string) {
	t.Helper()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	host := "Host: " + ts.Listener.Addr().String()
	for _, h := range header {
		if strings.HasPrefix(h, "Host:") {
			host = h
		}
	}
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\n%s\r\n", method, target, host)
	for _, h := range header {
		if !strings.HasPrefix(h, "Host:") {
			fmt.Fprintf(conn, "%s\r\n", h)
		}
	}
	fmt.Fprintf(conn, "Connection: close\r\n\r\n")
	res, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func TestServerPathsThatEscape(t *testing.T) {
	ts := newTestServer(t)
	for _, target := range []string{
		"/web/../go.mod", "/web/%2e%2e/go.mod", "/web/%2E%2E%2Fgo.mod", "/web/..%2fgo.mod", "/web/..%2Fsecret.txt",
		"/web/..%5csecret.txt", "/web/..\\secret.txt", "/web/%2fetc%2fpasswd", "/web//etc/passwd", "/web/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
		"/../go.mod", "/%2e%2e/go.mod", "/..%2fgo.mod", "/web/./app.css", "/web/sub/x.js", "/web/sub%2fx.js", "/web/sub", "/web/sub/",
		"/web/", "/web", "/web/.hidden", "/web/%2ehidden", "/web/leak.js", "/web/leak2.css", "/web/app.css%00.png", "/web/%00",
		"/etc/passwd", "//etc/passwd", "/secret.txt", "/go.mod", "/app.wasm", "/goapp.wasm", "/no-such-page",
		"../go.mod", "web/app.css", "*", "http://evil.example/web/../secret.txt", "http://evil.example/../secret.txt",
	} {
		res, body := rawRequest(t, ts, "GET", target)
		if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: status %d, want 404 or 400", target, res.StatusCode)
		}
		if strings.Contains(body, "TOP SECRET") || strings.Contains(body, "root:") {
			t.Errorf("GET %s leaked a file outside web/: %q", target, body)
		}
	}
	// The files that are there are served, as they are asked for.
	for _, target := range []string{"/web/app.css", "/web/icon.svg", "/", "/app.js", "/http://x"} {
		res, _ := rawRequest(t, ts, "GET", target)
		if want := 200; target == "/http://x" {
			if res.StatusCode != 404 {
				t.Errorf("GET %s: status %d, want 404", target, res.StatusCode)
			}
		} else if res.StatusCode != want {
			t.Errorf("GET %s: status %d, want %d", target, res.StatusCode, want)
		}
	}
}

// go-app would answer /robots.txt by fetching http://<Host header>/web/robots.txt:
// a request to any host a client names. The server never makes one.
func TestServerMakesNoRequestForProxiedFiles(t *testing.T) {
	ts := newTestServer(t)
	var hits atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer other.Close()
	for _, p := range []string{"/robots.txt", "/sitemap.xml", "/ads.txt"} {
		res, _ := rawRequest(t, ts, "GET", p, "Host: "+other.Listener.Addr().String())
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, res.StatusCode)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server made %d requests to the host a client named", n)
	}
}

func TestServerSecurityHeadersAndMethods(t *testing.T) {
	ts := newTestServer(t)
	check := func(what string, h http.Header) {
		t.Helper()
		for _, kv := range append(securityHeaders, corsHeaders...) {
			if got := h.Get(kv[0]); got != kv[1] {
				t.Errorf("%s: %s = %q, want %q", what, kv[0], got, kv[1])
			}
		}
	}
	csp := contentSecurityPolicy
	if !strings.Contains(csp, "script-src 'self' 'wasm-unsafe-eval';") || strings.Contains(csp, "unsafe-eval'") && strings.Contains(csp, " 'unsafe-eval'") ||
		!strings.Contains(csp, "frame-ancestors *") {
		t.Errorf("policy %q", csp)
	}
	for _, target := range []string{"/", "/app.js", "/app-worker.js", "/manifest.webmanifest", "/wasm_exec.js", "/app.css",
		"/web/app.wasm", "/web/icon-192.png", "/web/app.css", "/web/nope.js", "/nope", "/web/../x"} {
		for _, method := range []string{"GET", "HEAD"} {
			res, body := rawRequest(t, ts, method, target, "Accept-Encoding: gzip")
			check(method+" "+target, res.Header)
			if method == "HEAD" && body != "" {
				t.Errorf("HEAD %s: a body of %d bytes", target, len(body))
			}
		}
	}
	for _, method := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "BREW"} {
		for _, target := range []string{"/", "/web/app.wasm", "/web/nope"} {
			if method == "CONNECT" {
				target = ts.Listener.Addr().String()
			}
			res, _ := rawRequest(t, ts, method, target)
			if res.StatusCode != http.StatusMethodNotAllowed && !(method == "CONNECT" && res.StatusCode == http.StatusBadRequest) {
				t.Errorf("%s %s: status %d, want 405", method, target, res.StatusCode)
				continue
			}
			if method != "CONNECT" {
				check(method+" "+target, res.Header)
				if res.Header.Get("Allow") != "GET, HEAD" {
					t.Errorf("%s %s: Allow %q", method, target, res.Header.Get("Allow"))
				}
			}
		}
	}
}

func TestServerContentTypes(t *testing.T) {
	ts := newTestServer(t)
	for target, want := range map[string]string{
		"/web/app.wasm":         "application/wasm",
		"/web/worker.js":        "text/javascript; charset=utf-8",
		"/web/app.css":          "text/css; charset=utf-8",
		"/web/x.webmanifest":    "application/manifest+json",
		"/web/icon.svg":         "image/svg+xml",
		"/web/icon-192.png":     "image/png",
		"/web/mnist.bundle":     "application/octet-stream",
		"/manifest.webmanifest": "application/manifest+json",
		"/app.js":               "application/javascript",
		"/":                     "text/html",
	} {
		for _, enc := range []string{"", "Accept-Encoding: gzip"} {
			res, _ := rawRequest(t, ts, "GET", target, enc)
			if got := res.Header.Get("Content-Type"); got != want || res.StatusCode != 200 {
				t.Errorf("GET %s (%s): status %d, Content-Type %q, want %q", target, enc, res.StatusCode, got, want)
			}
		}
	}
}

// Every compressible answer: brotli when asked for, else gzip, Vary:
// Accept-Encoding, an ETag per encoding that revalidates to 304, HEAD with
// the GET's headers.
func TestServerCompressionAndRevalidation(t *testing.T) {
	ts := newTestServer(t)
	decoders := map[string]func(io.Reader) (io.Reader, error){
		"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
		"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
	}
	for _, target := range []string{"/web/app.wasm", "/web/worker.js", "/web/app.css", "/", "/app.js", "/wasm_exec.js"} {
		plain, plainBody := rawRequest(t, ts, "GET", target)
		for _, c := range []struct{ accept, enc string }{
			{"Accept-Encoding: gzip, deflate", "gzip"},
			{"Accept-Encoding: gzip, deflate, br, zstd", "br"},
		} {
			comp, compBody := rawRequest(t, ts, "GET", target, c.accept)
			head, headBody := rawRequest(t, ts, "HEAD", target, c.accept)
			for what, res := range map[string]*http.Response{"plain": plain, c.enc: comp, "HEAD": head} {
				if res.StatusCode != 200 || res.Header.Get("Vary") != "Accept-Encoding" || res.Header.Get("ETag") == "" {
					t.Errorf("%s %s: status %d, Vary %q, ETag %q", what, target, res.StatusCode, res.Header.Get("Vary"), res.Header.Get("ETag"))
				}
			}
			if plain.Header.Get("Content-Encoding") != "" || comp.Header.Get("Content-Encoding") != c.enc || head.Header.Get("Content-Encoding") != c.enc {
				t.Errorf("%s, %s: encodings %q, %q, HEAD %q", target, c.accept, plain.Header.Get("Content-Encoding"), comp.Header.Get("Content-Encoding"), head.Header.Get("Content-Encoding"))
			}
			zr, err := decoders[c.enc](strings.NewReader(compBody))
			if err != nil {
				t.Fatalf("%s: %v", target, err)
			}
			unz, _ := io.ReadAll(zr)
			if string(unz) != plainBody || len(compBody) >= len(plainBody) {
				t.Errorf("%s: %s of %d bytes decodes to %d bytes, the plain answer has %d", target, c.enc, len(compBody), len(unz), len(plainBody))
			}
			if cl := comp.Header.Get("Content-Length"); cl != strconv.Itoa(len(compBody)) || head.Header.Get("Content-Length") != cl || headBody != "" {
				t.Errorf("%s: Content-Length %q for %d bytes; HEAD %q with %d bytes", target, cl, len(compBody), head.Header.Get("Content-Length"), len(headBody))
			}
			if strings.HasPrefix(target, "/web/") && comp.Header.Get("X-Uncompressed-Length") != strconv.Itoa(len(plainBody)) {
				t.Errorf("%s: X-Uncompressed-Length %q, want %d", target, comp.Header.Get("X-Uncompressed-Length"), len(plainBody))
			}
			if plain.Header.Get("ETag") == comp.Header.Get("ETag") {
				t.Errorf("%s: the plain and the %s answer share the ETag %s", target, c.enc, comp.Header.Get("ETag"))
			}
			for _, r := range []struct {
				etag, accept string
				want         int
			}{
				{comp.Header.Get("ETag"), c.accept, 304},
				{"W/" + comp.Header.Get("ETag"), c.accept, 304},
				{`"other", ` + comp.Header.Get("ETag"), c.accept, 304},
				{plain.Header.Get("ETag"), "", 304},
				{comp.Header.Get("ETag"), "", 200},
				{`"stale"`, c.accept, 200},
			} {
				res, body := rawRequest(t, ts, "GET", target, "If-None-Match: "+r.etag, r.accept)
				if res.StatusCode != r.want || (r.want == 304 && body != "") {
					t.Errorf("%s, If-None-Match %s, %q: status %d with %d bytes, want %d", target, r.etag, r.accept, res.StatusCode, len(body), r.want)
				}
			}
		}
	}
	// PNGs and the digit bundle (engine/mnist) are compressed already:
	// served as they are, no Vary needed.
	for _, target := range []string{"/web/icon-192.png", "/web/mnist.bundle"} {
		res, _ := rawRequest(t, ts, "GET", target, "Accept-Encoding: gzip, deflate, br, zstd")
		if res.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: encoding %q", target, res.Header.Get("Content-Encoding"))
		}
	}
}

// The files committed for static hosts send what the server sends.
func TestStaticHostFilesMatchTheServer(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", "static", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, name := range []string{"_headers", "nginx.conf", ".htaccess", "README.md"} {
		s := read(name)
		for _, kv := range append(securityHeaders, corsHeaders...) {
			if !strings.Contains(s, kv[0]) || !strings.Contains(s, kv[1]) {
				t.Errorf("static/%s does not send %s: %s", name, kv[0], kv[1])
			}
		}
		for _, typ := range []string{"application/wasm", "application/manifest+json"} {
			if name != "_headers" && !strings.Contains(s, typ) {
				t.Errorf("static/%s does not name the type %s", name, typ)
			}
		}
	}
	if readme := read("../README.md"); !strings.Contains(readme, contentSecurityPolicy) {
		t.Errorf("README.md does not state the policy %s", contentSecurityPolicy)
	}
}

// The generated site has only relative paths, so it works under any path.
func TestServerStaticSiteIsRelative(t *testing.T) {
	srv := serverOf(t, webBeside(t))
	dir := t.TempDir()
	if err := srv.WriteStatic(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"index.html", "app.js", "app-worker.js", "manifest.webmanifest"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, abs := range []string{`"/web/`, `"/app.js"`, `"/app-worker.js"`, `"/manifest.webmanifest"`, `"/"`, "127.0.0.1", staticRoot} {
			if strings.Contains(s, abs) && !(name == "app.js" && abs == `"/"`) { // app.js: go-app's notification code
				t.Errorf("%s still has %s", name, abs)
			}
		}
	}
	worker, _ := os.ReadFile(filepath.Join(dir, "app-worker.js"))
	for _, want := range []string{`"./"`, `"web/app.wasm"`, `"web/worker.wasm"`, `"web/mnist.bundle"`, `"app.js"`} {
		if !strings.Contains(string(worker), want) {
			t.Errorf("app-worker.js does not cache %s", want)
		}
	}
	if js, _ := os.ReadFile(filepath.Join(dir, "app.js")); !strings.Contains(string(js), siteRootJS) {
		t.Error("app.js does not find its root")
	}
	for _, name := range []string{"web/app.wasm", "web/leak.js", "index.html"} {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != (name != "web/leak.js") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestPrerendered: go-app's server-side false booleans are dropped (HTML
// would read each as true); enumerated attributes keep their "false".
func TestPrerendered(t *testing.T) {
	in := `<nav hidden="false" aria-hidden="false"><input checked="false" spellcheck="false" disabled="false"><option selected="false" value="a"><p hidden>`
	want := `<nav aria-hidden="false"><input spellcheck="false"><option value="a"><p hidden>`
	if got := prerendered(in); got != want {
		t.Errorf("prerendered(%s)\n = %s\nwant %s", in, got, want)
	}
}

// testPage stands for the page the server prerenders: the playground's
// own routes are registered by package main, whose tests serve it.
type testPage struct{ app.Compo }

func (*testPage) Render() app.UI { return app.H1().Text("Autoencoder playground") }

var routesOnce sync.Once

// serverOf is the server of the files in web, prerendering testPage.
func serverOf(t *testing.T, web string) *Server {
	t.Helper()
	routesOnce.Do(func() { app.Route("/", &testPage{}) })
	srv, err := New(web)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}
