//go:build !wasm

package main

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fakeWeb is a web/ folder with every required file, small.
func fakeWeb(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range requiredFiles {
		body := strings.Repeat(name+" ", 500)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestServerServesWasmCompressed(t *testing.T) {
	dir := fakeWeb(t)
	srv, err := newServer(dir)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/web/app.wasm", nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
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
	srv, err := newServer(fakeWeb(t))
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
	if _, err := newServer(dir); err == nil || !strings.Contains(err.Error(), "make build") {
		t.Errorf("missing worker.wasm: %v", err)
	}
}

func TestVersionFollowsTheBuild(t *testing.T) {
	dir := fakeWeb(t)
	v1, _ := webVersion(dir)
	os.WriteFile(filepath.Join(dir, "app.wasm"), []byte("new build"), 0o644)
	v2, _ := webVersion(dir)
	if v1 == v2 || len(v1) != 16 {
		t.Errorf("versions %q and %q: a new build needs a new version", v1, v2)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"gzip": true, "br, gzip;q=0.5": true, "gzip;q=0": false, "identity": false, "": false, "*": true, "deflate, gzip ; q=1.0": true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
