//go:build !wasm

package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// runServer serves the playground on -addr, or with -static writes it out as
// a static website that any web host (or a USB stick) can serve.
func runServer() {
	addr := flag.String("addr", ":8000", "address to serve the playground on")
	static := flag.String("static", "", "write the playground as a static website into this directory, then exit")
	webDir := flag.String("web", "web", "directory of the built web resources (app.wasm, worker.wasm, the digit bundle, styles)")
	flag.Parse()

	srv, err := newServer(*webDir)
	if err != nil {
		log.Fatal(err)
	}
	if *static != "" {
		if err := srv.writeStatic(*static); err != nil {
			log.Fatal(err)
		}
		log.Printf("static site written to %s (version %s)", *static, srv.app.Version)
		return
	}
	go srv.warm()
	log.Printf("autoencoder playground on http://localhost%s (version %s)", *addr, srv.app.Version)
	hs := &http.Server{Addr: *addr, Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(hs.ListenAndServe())
}

// The built files the page cannot work without; the server refuses to start
// without them rather than serve a page that fails in the browser.
var requiredFiles = []string{"app.wasm", "worker.wasm", "worker.js", "wasm_exec.js", "mnist.bundle", "app.css"}

// Files worth compressing; the PNG icons are compressed already.
var compressible = map[string]bool{".wasm": true, ".bundle": true, ".js": true, ".css": true, ".svg": true}

// server serves go-app's page and resources, and the web/ folder itself with
// the right types and compression (go-app's own file server would send the
// 7.7 MB app.wasm and the 9.4 MB bundle uncompressed).
type server struct {
	app *app.Handler
	web string

	mu sync.Mutex
	gz map[string]*gzFile // by file name inside web/
}

type gzFile struct {
	modTime time.Time
	size    int64
	etag    string
	body    []byte // gzip of the file
}

func newServer(webDir string) (*server, error) {
	for _, name := range requiredFiles {
		if _, err := os.Stat(filepath.Join(webDir, name)); err != nil {
			return nil, fmt.Errorf("missing %s (run `make build` first): %w", name, err)
		}
	}
	version, err := webVersion(webDir)
	if err != nil {
		return nil, err
	}
	return &server{app: newAppHandler(version), web: webDir, gz: map[string]*gzFile{}}, nil
}

func newAppHandler(version string) *app.Handler {
	return &app.Handler{
		Name:        "Autoencoder playground",
		ShortName:   "AE playground",
		Title:       "Autoencoder playground",
		Description: "Draw a digit, corrupt it, train an autoencoder in your browser and watch it meet PCA.",
		Icon: app.Icon{
			Default: "/web/icon-192.png",
			Large:   "/web/icon-512.png",
			SVG:     "/web/icon.svg",
		},
		BackgroundColor: "#ffffff",
		ThemeColor:      "#1f4e8c",
		LoadingLabel:    "Loading the playground… {progress}%",
		Styles:          []string{"/web/app.css"},
		// The worker and its data are fetched by the worker, not by go-app:
		// list them so the service worker caches them and the page works
		// offline after the first visit.
		CacheableResources: []string{"/web/worker.js", "/web/wasm_exec.js", "/web/worker.wasm", "/web/mnist.bundle", "/web/icon.svg"},
		// app.js shows load progress from Content-Length, which is the
		// compressed size: give it the real one.
		WasmContentLengthHeader: "X-Uncompressed-Length",
		Version:                 version,
	}
}

// webVersion hashes every built file, so each new build is a new version and
// the service worker replaces its cache instead of serving the old app.
func webVersion(webDir string) (string, error) {
	entries, err := os.ReadDir(webDir)
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.HasSuffix(e.Name(), ".gz") && !strings.HasSuffix(e.Name(), ".br") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		f, err := os.Open(filepath.Join(webDir, name))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00", name)
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if name, ok := strings.CutPrefix(r.URL.Path, "/web/"); ok {
		s.serveWeb(w, r, name)
		return
	}
	s.app.ServeHTTP(w, r)
}

func (s *server) serveWeb(w http.ResponseWriter, r *http.Request, name string) {
	if name == "" || strings.Contains(name, "/") || strings.HasPrefix(name, ".") {
		http.NotFound(w, r)
		return
	}
	file := filepath.Join(s.web, name)
	info, err := os.Stat(file)
	if err != nil || !info.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	ext := path.Ext(name)
	h := w.Header()
	h.Set("Content-Type", contentType(ext))
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	h.Set("X-Content-Type-Options", "nosniff")

	if !compressible[ext] {
		http.ServeFile(w, r, file)
		return
	}
	gz, err := s.gzipped(name, info)
	if err != nil {
		http.Error(w, "reading "+name+" failed", http.StatusInternalServerError)
		log.Print(err)
		return
	}
	h.Set("ETag", gz.etag)
	h.Set("X-Uncompressed-Length", strconv.FormatInt(gz.size, 10))
	if r.Header.Get("If-None-Match") == gz.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if !acceptsGzip(r.Header.Get("Accept-Encoding")) {
		http.ServeFile(w, r, file)
		return
	}
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Length", strconv.Itoa(len(gz.body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(gz.body)
}

// gzipped returns the file compressed, compressing it once per version of the
// file on disk.
func (s *server) gzipped(name string, info fs.FileInfo) (*gzFile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.gz[name]; g != nil && g.modTime.Equal(info.ModTime()) && g.size == info.Size() {
		return g, nil
	}
	data, err := os.ReadFile(filepath.Join(s.web, name))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	g := &gzFile{modTime: info.ModTime(), size: int64(len(data)), etag: `"` + hex.EncodeToString(sum[:12]) + `"`, body: buf.Bytes()}
	s.gz[name] = g
	return g, nil
}

// warm compresses the large files before the first visitor asks for them.
func (s *server) warm() {
	for _, name := range []string{"app.wasm", "worker.wasm", "mnist.bundle"} {
		if info, err := os.Stat(filepath.Join(s.web, name)); err == nil {
			s.gzipped(name, info)
		}
	}
}

func contentType(ext string) string {
	switch ext {
	case ".wasm":
		return "application/wasm" // needed by WebAssembly.instantiateStreaming
	case ".bundle":
		return "application/octet-stream"
	case ".js":
		return "text/javascript; charset=utf-8"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		if c := strings.TrimSpace(coding); c != "gzip" && c != "*" {
			continue
		}
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(q, 64)
			return err == nil && f > 0
		}
		return true
	}
	return false
}

// writeStatic writes the page (go-app's generated files) and the web/ folder
// into dir, with a .gz beside each large file for hosts that serve
// precompressed files.
func (s *server) writeStatic(dir string) error {
	if err := app.GenerateStaticWebsite(dir, s.app); err != nil {
		return err
	}
	out := filepath.Join(dir, "web")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(s.web)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(s.web, name))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return err
		}
		if !compressible[path.Ext(name)] || len(data) < 64<<10 {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		gz, err := s.gzipped(name, info)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, name+".gz"), gz.body, 0o644); err != nil {
			return err
		}
	}
	if _, err := os.Stat(filepath.Join(out, "app.wasm")); err != nil {
		return errors.New("static site has no app.wasm")
	}
	return nil
}
