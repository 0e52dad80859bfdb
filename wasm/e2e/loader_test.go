//go:build !wasm

package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"aeplayground/wasm/server"
)

// loaderScript runs web/loader.js under Node (which has fetch and
// DecompressionStream, and no Cache Storage: a page outside a secure
// context) and prints the SHA-256 of what aeLoader.load returns for the URL
// in argv[2].
const loaderScript = `
globalThis.self = globalThis;
self.location = { href: process.argv[2] };
require("vm").runInThisContext(require("fs").readFileSync(process.argv[1], "utf8"));
aeLoader.load(process.argv[2]).then(async (r) => {
  const bytes = Buffer.from(await r.arrayBuffer());
  console.log(r.headers.get("Content-Type") + " " + require("crypto").createHash("sha256").update(bytes).digest("hex"));
}).catch((err) => { console.log("error: " + err.message); });
`

// The loader gets the file as it is from every kind of host: one that
// negotiates (the server), a plain file server (it inflates the .gz), one
// that labels the .gz "Content-Encoding: gzip" (the client inflates it),
// one that refuses HEAD, and one without the .gz. The digit bundle, not
// precompressed, it fetches as it is, with no HEAD first.
func TestLoaderOnEveryHost(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node")
	}
	web := t.TempDir()
	for _, name := range server.RequiredFiles {
		src, err := os.ReadFile(filepath.Join(webDir, name))
		if name != "loader.js" || err != nil {
			src = []byte(strings.Repeat(name+" ", 500))
		}
		if err := os.WriteFile(filepath.Join(web, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// app.wasm: 200 KB that compress, but not to nothing.
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 200<<10)
	for i := range data {
		data[i] = byte(rng.IntN(16))
	}
	file := filepath.Join(web, "app.wasm")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := server.WritePrecompressed(file); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	want := "application/wasm " + hex.EncodeToString(sum[:])
	bundle, err := os.ReadFile(filepath.Join(web, "mnist.bundle"))
	if err != nil {
		t.Fatal(err)
	}
	sum = sha256.Sum256(bundle)
	wantBundle := "application/octet-stream " + hex.EncodeToString(sum[:])

	srv, err := server.New(web)
	if err != nil {
		t.Fatal(err)
	}
	files := http.FileServer(http.Dir(web))
	hosts := map[string]http.Handler{
		"negotiating": http.StripPrefix("/negotiating", srv),
		"plain":       http.StripPrefix("/plain/web", files),
		"labelled": http.StripPrefix("/labelled/web", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, ".gz") {
				w.Header().Set("Content-Encoding", "gzip")
			}
			files.ServeHTTP(w, r)
		})),
		"no-head": http.StripPrefix("/no-head/web", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead {
				http.Error(w, "no HEAD", http.StatusMethodNotAllowed)
				return
			}
			files.ServeHTTP(w, r)
		})),
		"no-gz": http.StripPrefix("/no-gz/web", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, ".gz") {
				http.NotFound(w, r)
				return
			}
			files.ServeHTTP(w, r)
		})),
	}
	var log hostLog
	mux := http.NewServeMux()
	for name, h := range hosts {
		mux.Handle("/"+name+"/", h)
	}
	ts := httptest.NewServer(log.wrap(mux))
	defer ts.Close()
	loader := filepath.Join(web, "loader.js")
	for _, c := range []struct {
		host string
		gets []string // what the loader must have fetched
	}{
		{"negotiating", []string{"/web/app.wasm"}},
		{"plain", []string{"/web/app.wasm.gz"}},
		{"labelled", []string{"/web/app.wasm.gz"}},
		{"no-head", []string{"/web/app.wasm.gz"}},
		{"no-gz", []string{"/web/app.wasm.gz", "/web/app.wasm"}},
	} {
		before := len(log.answers)
		out, err := exec.Command(node, "-e", loaderScript, loader, ts.URL+"/"+c.host+"/web/app.wasm").CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v: %s", c.host, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("%s: loaded %q, want %q", c.host, got, want)
		}
		var gets []string
		for _, a := range log.answers[before:] {
			if a.method == http.MethodGet {
				gets = append(gets, strings.TrimPrefix(a.path, "/"+c.host))
			}
		}
		if strings.Join(gets, " ") != strings.Join(c.gets, " ") {
			t.Errorf("%s: the loader fetched %v, want %v", c.host, gets, c.gets)
		}

		before = len(log.answers)
		out, err = exec.Command(node, "-e", loaderScript, loader, ts.URL+"/"+c.host+"/web/mnist.bundle").CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v: %s", c.host, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != wantBundle {
			t.Errorf("%s: loaded %q, want the bundle %q", c.host, got, wantBundle)
		}
		var asked []string
		for _, a := range log.answers[before:] {
			asked = append(asked, a.method+" "+strings.TrimPrefix(a.path, "/"+c.host))
		}
		if strings.Join(asked, ", ") != "GET /web/mnist.bundle" {
			t.Errorf("%s: for the bundle the loader asked %v, want one GET", c.host, asked)
		}
	}
}
