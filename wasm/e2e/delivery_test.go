//go:build !wasm

package e2e

// Delivery (issue 14): the large files come compressed from any host, each
// once, and are kept as they are for offline use. TestBrowserOffline (the
// `make run` server, which negotiates brotli) and TestBrowserStaticSubPath
// (the `make static` site on a plain file server under a sub-path) check
// their first visit with checkDelivery; TestBrowserOfflineAfterUpdate the
// visit after a new build. loader_test.go runs the loader against other
// kinds of host.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sync"
	"testing"

	"aeplayground/wasm/server"

	"github.com/chromedp/chromedp"
)

// The byte budgets of a first visit, bodies as sent: on a plain file server
// the page fetches the .gz files; where the host negotiates, brotli.
const (
	plainHostBudget       = 6_000_000
	negotiatingHostBudget = 4_800_000
)

// hostLog records what a host answered: each request's method, path,
// status, Content-Encoding and body bytes.
type hostLog struct {
	mu      sync.Mutex
	answers []hostAnswer
}

type hostAnswer struct {
	method, path, encoding string
	status                 int
	bytes                  int64
}

func (l *hostLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lw := &loggingWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(lw, r)
		l.mu.Lock()
		l.answers = append(l.answers, hostAnswer{r.Method, r.URL.Path, w.Header().Get("Content-Encoding"), lw.status, lw.bytes})
		l.mu.Unlock()
	})
}

type loggingWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *loggingWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *loggingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// full returns the GETs of path answered with a body (200), and their
// encodings.
func (l *hostLog) full(path string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var enc []string
	for _, a := range l.answers {
		if a.method == http.MethodGet && a.path == path && a.status == http.StatusOK {
			enc = append(enc, a.encoding)
		}
	}
	return enc
}

// gets returns the statuses of the GETs of path.
func (l *hostLog) gets(path string) []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	var st []int
	for _, a := range l.answers {
		if a.method == http.MethodGet && a.path == path {
			st = append(st, a.status)
		}
	}
	return st
}

func (l *hostLog) total() (bytes int64, paths map[string]int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	paths = map[string]int{}
	for _, a := range l.answers {
		bytes += a.bytes
		if a.method == http.MethodGet && a.status == http.StatusOK {
			paths[a.path]++
		}
	}
	return bytes, paths
}

// largeFiles are the files of web/ the page loads through web/loader.js:
// the two .wasm files, which the site ships precompressed, and the digit
// bundle, coded compactly by itself.
func largeFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(webDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if ext := path.Ext(e.Name()); ext == ".wasm" || ext == ".bundle" {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		t.Skip("web/ is not built: run `make build`")
	}
	if len(names) != 3 {
		t.Fatalf("large files of web/: %v, want app.wasm, worker.wasm and mnist.bundle", names)
	}
	return names
}

// checkDelivery checks a first visit once the service worker is active: each
// precompressed file was fetched once, as encoding says (".gz": the .gz
// file, which the page inflated; "br": the plain name, in brotli), the
// digit bundle once as it is, every file was sent
// at most once, the bytes fit the budget, and the cache holds each large
// file exactly as built (its SHA-256), under its plain name, with its type.
// site is the site's path on the host ("" at the root).
func checkDelivery(t *testing.T, p *browserPage, log *hostLog, site, encoding string, budget int64) {
	t.Helper()
	for _, name := range largeFiles(t) {
		file := site + "/web/" + name
		plain, gz := log.full(file), log.full(file+".gz")
		switch {
		case !server.Precompressed(name):
			if len(plain) != 1 || plain[0] != "" || len(gz) != 0 {
				t.Errorf("%s: fetched in the encodings %q (and %d times as .gz), want once as it is", file, plain, len(gz))
			}
		case encoding == ".gz":
			if len(gz) != 1 || len(plain) != 0 {
				t.Errorf("%s: fetched %d times as .gz and %d times as it is, want once as .gz", file, len(gz), len(plain))
			}
		default:
			if len(plain) != 1 || plain[0] != encoding || len(gz) != 0 {
				t.Errorf("%s: fetched in the encodings %q (and %d times as .gz), want once in %s", file, plain, len(gz), encoding)
			}
		}
	}
	checkCached(t, p, webDir)
	bytes, paths := log.total()
	for path, n := range paths {
		if n > 1 {
			t.Errorf("%s was sent %d times", path, n)
		}
	}
	t.Logf("first visit: %.2f MB in %d files", float64(bytes)/1e6, len(paths))
	if bytes > budget {
		t.Errorf("first visit: %d bytes, over the budget of %d", bytes, budget)
	}
}

// checkCached checks that the cache holds each large file of the web folder
// exactly as built (its SHA-256), under its plain name, with its type.
func checkCached(t *testing.T, p *browserPage, web string) {
	t.Helper()
	for _, name := range largeFiles(t) {
		want, err := os.ReadFile(filepath.Join(web, name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(want)
		got := eval[string](t, p, fmt.Sprintf(`(async () => {
			const r = await caches.match(new URL(%q, document.baseURI).href);
			if (!r) return "not cached";
			const d = new Uint8Array(await crypto.subtle.digest("SHA-256", await r.arrayBuffer()));
			return r.headers.get("Content-Type") + " " + Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
		})()`, "web/"+name), chromedp.EvalAwaitPromise)
		if wantGot := server.ContentType(path.Ext(name)) + " " + hex.EncodeToString(sum[:]); got != wantGot {
			t.Errorf("%s in the cache: %q, want %q (the file as built)", name, got, wantGot)
		}
	}
}
