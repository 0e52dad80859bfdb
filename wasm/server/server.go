//go:build !wasm

package server

import (
	"bytes"
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
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Run serves the playground on -addr, or with -static writes it out as
// a static website that any web host (or a USB stick) can serve.
func Run() {
	addr := flag.String("addr", ":8000", "address to serve the playground on")
	static := flag.String("static", "", "write the playground as a static website into this directory, then exit")
	webDir := flag.String("web", "web", "directory of the built web resources (app.wasm, worker.wasm, the digit bundle, styles)")
	precompress := flag.String("precompress", "", "write this file's gzip (.gz) and brotli (.br) beside it, then exit")
	flag.Parse()

	if *precompress != "" {
		if err := WritePrecompressed(*precompress); err != nil {
			log.Fatal(err)
		}
		return
	}

	srv, err := New(*webDir)
	if err != nil {
		log.Fatal(err)
	}
	if *static != "" {
		if err := srv.WriteStatic(*static); err != nil {
			log.Fatal(err)
		}
		log.Printf("static site written to %s (version %s)", *static, srv.app.Version)
		return
	}
	go srv.Warm()
	log.Printf("autoencoder playground on http://localhost%s (version %s)", *addr, srv.app.Version)
	hs := &http.Server{Addr: *addr, Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(hs.ListenAndServe())
}

// The built files the page cannot work without; the server refuses to start
// without them rather than serve a page that fails in the browser.
var RequiredFiles = []string{"app.wasm", "worker.wasm", "worker.js", "loader.js", "wasm_exec.js", "mnist.bundle", "app.css"}

// Files worth compressing; the PNG icons and the digit bundle (engine/mnist)
// are compressed already.
var compressible = map[string]bool{".wasm": true, ".js": true, ".css": true, ".svg": true}

// Server serves go-app's page and resources, and the web/ folder itself with
// the right types and compression (go-app's own file server would send the
// 10 MB app.wasm uncompressed).
type Server struct {
	app      *app.Handler
	web      string
	loaderJS string // web/loader.js, which app.js starts with (patchAppJS)

	mu    sync.Mutex
	files map[string]*fileVariants     // by file name inside web/
	pages map[string]*bufferedResponse // go-app's answers, by host and address
}

type fileVariants struct {
	modTime time.Time
	size    int64
	etag    string // of the file as it is
	encoded
}

// New makes the server of the built files in webDir. The page's routes
// are go-app's, registered before (app.Route) by the caller.
func New(webDir string) (*Server, error) {
	for _, name := range RequiredFiles {
		if _, err := os.Stat(filepath.Join(webDir, name)); err != nil {
			return nil, fmt.Errorf("missing %s (run `make build` first): %w", name, err)
		}
	}
	version, files, err := webVersion(webDir)
	if err != nil {
		return nil, err
	}
	loader, err := os.ReadFile(filepath.Join(webDir, "loader.js"))
	if err != nil {
		return nil, fmt.Errorf("missing loader.js: %w", err)
	}
	return &Server{app: newAppHandler(version, files), web: webDir, loaderJS: string(loader), files: map[string]*fileVariants{}, pages: map[string]*bufferedResponse{}}, nil
}

// newAppHandler is go-app's handler for the page; files are the names of
// every file in web/, all cached by the service worker.
func newAppHandler(version string, files []string) *app.Handler {
	cacheable := make([]string, len(files), len(files)+1)
	for i, name := range files {
		cacheable[i] = "/web/" + name
	}
	cacheable = append(cacheable, LecturePath) // the lecture notes, offline too
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
		// Not deferred: it marks the page before the first paint.
		Scripts: []string{"/web/firstpaint.js"},
		// The worker and its data are fetched by the worker, not by go-app,
		// and other scripts by the page: list every file of web/ so that the
		// service worker caches it and the page works offline after the
		// first visit.
		CacheableResources: cacheable,
		Version:            version,
		// The large files are cached by the loader, once (appworker.js).
		ServiceWorkerTemplate: appWorkerJS,
	}
}

// webVersion hashes every built file, so each new build is a new version and
// the service worker replaces its cache instead of serving the old app. It
// also returns the names of those files.
func webVersion(webDir string) (string, []string, error) {
	entries, err := os.ReadDir(webDir)
	if err != nil {
		return "", nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.Type().IsRegular() && validName(e.Name()) && !strings.HasSuffix(e.Name(), ".gz") && !strings.HasSuffix(e.Name(), ".br") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		f, err := os.Open(filepath.Join(webDir, name))
		if err != nil {
			return "", nil, err
		}
		fmt.Fprintf(h, "%s\x00", name)
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", nil, err
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], names, nil
}

// contentSecurityPolicy lets only this origin's files run. Go's WebAssembly
// needs 'wasm-unsafe-eval' (never 'unsafe-eval'); go-app sets inline styles;
// figures are exported through data: and blob: images; a page with an opaque
// origin starts its worker from a blob (wasm/workerclient/client.go). frame-ancestors * is
// deliberate: lecturers embed the playground in lecture notes on any site (the
// page holds no private data, and its scripting API answers only its parent).
// static/README.md, static/_headers, static/nginx.conf and static/.htaccess
// say the same (TestStaticHostFilesMatchTheServer).
const contentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; " +
	"manifest-src 'self'; base-uri 'self'; form-action 'none'; object-src 'none'; frame-ancestors *"

// securityHeaders go on every response: the page, go-app's scripts, every
// file of web/, and the errors.
var securityHeaders = [][2]string{
	{"Content-Security-Policy", contentSecurityPolicy},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "no-referrer"},
}

// corsHeaders go on every response too: the files are public, and a page
// framed with sandbox="allow-scripts" has an opaque origin ("null"), from
// which its fetches of app.wasm, worker.wasm and the digits are cross-origin.
// The loader reads the two exposed headers (web/loader.js).
var corsHeaders = [][2]string{
	{"Access-Control-Allow-Origin", "*"},
	{"Access-Control-Expose-Headers", "Content-Encoding, X-Uncompressed-Length"},
}

// ServeHTTP serves the page, lecture.html, and the files of web/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for _, kv := range append(securityHeaders, corsHeaders...) {
		h.Set(kv[0], kv[1])
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "only GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	if name, ok := strings.CutPrefix(p, "/web/"); ok {
		s.serveWeb(w, r, name)
		return
	}
	switch p {
	case "/robots.txt", "/sitemap.xml", "/ads.txt":
		// go-app would fetch these from http://<the request's Host>/web/…:
		// a request to any host the client names. Not here.
		http.NotFound(w, r)
		return
	case "/lecture.html":
		s.serveLecture(w, r)
		return
	case "/app.wasm", "/goapp.wasm":
		// go-app's aliases would serve web/app.wasm from the working
		// directory, uncompressed; the page asks for /web/app.wasm.
		http.NotFound(w, r)
		return
	}
	s.servePage(w, r)
}

// validName reports whether name is a plain file name inside web/: no
// folders, no hidden files, no way out.
func validName(name string) bool {
	return name != "" && !strings.ContainsAny(name, "/\\\x00") && !strings.HasPrefix(name, ".") && name == path.Clean(name)
}

func (s *Server) serveWeb(w http.ResponseWriter, r *http.Request, name string) {
	if !validName(name) {
		http.NotFound(w, r)
		return
	}
	// os.Root refuses symbolic links that lead out of web/.
	root, err := os.OpenRoot(s.web)
	if err != nil {
		http.Error(w, "the web folder is missing", http.StatusInternalServerError)
		return
	}
	defer root.Close()
	f, err := root.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	ext := path.Ext(name)
	v, err := s.variants(name, f, info)
	if err != nil {
		http.Error(w, "reading "+name+" failed", http.StatusInternalServerError)
		log.Print(err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ContentType(ext))
	h.Set("Cache-Control", "no-cache")
	// The loader's progress counts the bytes as they are (web/loader.js).
	h.Set("X-Uncompressed-Length", strconv.FormatInt(v.size, 10))
	enc := ""
	if v.gzip != nil {
		h.Set("Vary", "Accept-Encoding")
		enc = v.negotiate(r.Header.Get("Accept-Encoding"))
	}
	if enc == "" {
		// ServeContent answers If-None-Match, ranges and HEAD.
		h.Set("ETag", v.etag)
		http.ServeContent(w, r, name, info.ModTime(), f)
		return
	}
	etag := strings.TrimSuffix(v.etag, `"`) + "-" + enc + `"`
	h.Set("ETag", etag)
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := v.body(enc)
	h.Set("Content-Encoding", enc)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// etagMatches is If-None-Match's weak comparison.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

// variants returns what the server knows of a file of web/: its hash and, for
// the compressible ones, its gzip and brotli, read from the files beside it
// (WritePrecompressed) or made once per version of the file.
func (s *Server) variants(name string, f *os.File, info fs.FileInfo) (*fileVariants, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v := s.files[name]; v != nil && v.modTime.Equal(info.ModTime()) && v.size == info.Size() {
		return v, nil
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	v := &fileVariants{modTime: info.ModTime(), size: int64(len(data)), etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	if compressible[path.Ext(name)] && (len(data) >= 1024 || Precompressed(name)) {
		if v.encoded, err = encodings(filepath.Join(s.web, name), data); err != nil {
			return nil, err
		}
	}
	s.files[name] = v
	return v, nil
}

// Version is the build's version: a hash of every built file (webVersion).
func (s *Server) Version() string { return s.app.Version }

// Warm reads (or makes) the large files' compressed forms before the first
// visitor asks for them.
func (s *Server) Warm() {
	for _, name := range []string{"app.wasm", "worker.wasm"} {
		if f, err := os.Open(filepath.Join(s.web, name)); err == nil {
			if info, err := f.Stat(); err == nil {
				s.variants(name, f, info)
			}
			f.Close()
		}
	}
}

// servePage serves go-app's page and its scripts, compressed when the client
// accepts gzip. go-app's answers are small: each is rendered once, kept with
// its gzip, and so the same bytes every time (go-app orders attributes
// differently on each rendering), and the compressed and the plain answer each
// get their own ETag.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r)
	h := w.Header()
	for k, vs := range p.header {
		h[k] = vs
	}
	body, etag := p.plain.Bytes(), h.Get("ETag")
	if p.gzip != nil {
		h.Set("Vary", "Accept-Encoding")
		if enc := p.negotiate(r.Header.Get("Accept-Encoding")); enc != "" {
			body = p.body(enc)
			h.Set("Content-Encoding", enc)
			if etag != "" {
				etag = strings.TrimSuffix(etag, `"`) + "-" + enc + `"`
				h.Set("ETag", etag)
			}
		}
	}
	if p.code == http.StatusOK && etag != "" && etagMatches(r.Header.Get("If-None-Match"), etag) {
		h.Del("Content-Encoding")
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(p.code)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// page returns go-app's answer to r, rendered once per host and address.
func (s *Server) page(r *http.Request) *bufferedResponse {
	key := r.Host + " " + r.URL.RequestURI()
	s.mu.Lock()
	p := s.pages[key]
	s.mu.Unlock()
	if p != nil {
		return p
	}
	r2 := r.Clone(r.Context())
	r2.Method = http.MethodGet
	r2.Header.Del("If-None-Match") // answered by servePage, per encoding
	p = &bufferedResponse{header: http.Header{}}
	s.app.ServeHTTP(p, r2)
	p.header.Del("Content-Length")
	if strings.HasPrefix(p.header.Get("Content-Type"), "text/html") {
		body := prerendered(p.plain.String())
		p.plain.Reset()
		p.plain.WriteString(body)
	}
	if p.code == 0 {
		p.code = http.StatusOK
	}
	if r.URL.Path == "/app.js" && p.code == http.StatusOK {
		js, err := patchAppJS(p.plain.String(), s.loaderJS)
		if err != nil {
			log.Print(err)
			p = &bufferedResponse{header: http.Header{}, code: http.StatusInternalServerError}
		} else {
			p.plain.Reset()
			p.plain.WriteString(js)
		}
	}
	if p.code == http.StatusOK && p.plain.Len() >= 1024 {
		var err error
		if p.encoded, err = encodings("", p.plain.Bytes()); err != nil {
			log.Print(err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pages) >= 64 { // hosts and query strings are the client's to choose
		clear(s.pages)
	}
	s.pages[key] = p
	return p
}

type bufferedResponse struct {
	header http.Header
	code   int
	plain  bytes.Buffer
	encoded
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) WriteHeader(code int) {
	if b.code == 0 {
		b.code = code
	}
}
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.code == 0 {
		b.code = http.StatusOK
	}
	return b.plain.Write(p)
}

// ContentType is the Content-Type the server sends for a file extension.
func ContentType(ext string) string {
	switch ext {
	case ".wasm":
		return "application/wasm" // needed by WebAssembly.instantiateStreaming
	case ".bundle":
		return "application/octet-stream"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".webmanifest":
		return "application/manifest+json"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".json":
		return "application/json"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// accepts reports whether an Accept-Encoding header accepts the coding
// (gzip or br).
func accepts(header, coding string) bool {
	for _, part := range strings.Split(header, ",") {
		c, params, _ := strings.Cut(part, ";")
		if c := strings.TrimSpace(c); c != coding && c != "*" {
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

// staticRoot is the prefix the static site is generated under, then replaced
// by relative paths, so one generated site works under any path of any host.
const staticRoot = "/aeplayground-static-root"

// WriteStatic writes the page (go-app's generated files) and the web/ folder
// into dir, with a .gz and a .br beside each large file: the page fetches the
// .gz from a host that does not compress (web/loader.js), and hosts that
// negotiate serve the .br or .gz for the plain name (static/README.md).
//
// go-app writes absolute paths (/web/app.wasm, /app.js): the site would work
// only at the root of a host. So the page is generated under staticRoot and
// every path made relative to the site's folder; app.js then learns where
// that folder is from its own address, which go-app's router (the page is
// its route "/") and its resource paths need.
func (s *Server) WriteStatic(dir string) error {
	_, files, err := webVersion(s.web)
	if err != nil {
		return err
	}
	h := newAppHandler(s.app.Version, files)
	h.Resources = app.CustomProvider("", staticRoot)
	for i, r := range h.CacheableResources {
		if r == LecturePath { // not under web/: go-app leaves it as it is
			h.CacheableResources[i] = staticRoot + LecturePath
		}
	}
	if err := app.GenerateStaticWebsite(dir, h); err != nil {
		return err
	}
	for _, name := range []string{"index.html", "app.js", "app-worker.js", "manifest.webmanifest"} {
		file := filepath.Join(dir, name)
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		out, err := relativize(name, string(data))
		if err == nil && name == "app.js" {
			out, err = patchAppJS(out, s.loaderJS)
		}
		if err != nil {
			return err
		}
		if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
			return err
		}
	}
	lecture, err := lecturePage()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "lecture.html"), lecture, 0o644); err != nil {
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
		f, err := os.Open(filepath.Join(s.web, name))
		if err != nil {
			return err
		}
		info, err := f.Stat()
		var v *fileVariants
		if err == nil {
			v, err = s.variants(name, f, info)
		}
		var data []byte
		if err == nil {
			data, err = io.ReadAll(f)
		}
		f.Close()
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return err
		}
		if !Precompressed(name) {
			continue
		}
		if v.br == nil {
			return fmt.Errorf("web/%s.br is missing: run `make build`", name)
		}
		if err := os.WriteFile(filepath.Join(out, name+".gz"), v.gzip, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, name+".br"), v.br, 0o644); err != nil {
			return err
		}
	}
	if _, err := os.Stat(filepath.Join(out, "app.wasm")); err != nil {
		return errors.New("static site has no app.wasm")
	}
	return nil
}

// siteRootJS is put into app.js right after go-app's environment: the site's
// folder is where app.js is, whatever path the host serves it under.
const siteRootJS = `
// aeplayground: the site works under any path; its root is app.js's folder.
goappEnv.GOAPP_ROOT_PREFIX = new URL(".", document.currentScript.src).pathname.replace(/\/$/, "");
goappEnv.GOAPP_STATIC_RESOURCES_URL = goappEnv.GOAPP_ROOT_PREFIX;
`

var ogURL = regexp.MustCompile(`<meta[^>]*"og:url"[^>]*>\n?`)

// zoomable lets the reader zoom the page (WCAG 1.4.4, axe's meta-viewport):
// go-app's viewport tag forbids it with maximum-scale=1 and user-scalable=0.
// The pad needs no such guard: its touch-action: none keeps a stroke from
// panning or zooming.
func zoomable(html string) string {
	return strings.Replace(html, "initial-scale=1, maximum-scale=1, user-scalable=0,", "initial-scale=1,", 1)
}

// falseBooleans matches the boolean attributes that go-app v9.8.0 writes
// as name="false" when it renders a page on the server (in the browser it
// removes them). HTML reads a boolean attribute as true whatever its value,
// so the prerendered page would hide the presets and check every box.
var falseBooleans = regexp.MustCompile(` (hidden|checked|selected|disabled|readonly|required|multiple|open)="false"`)

// prerendered mends go-app's server-side rendering of the page, which the
// browser shows until app.wasm has started: the default playground, so the
// first paint is the page itself, not a blank one.
func prerendered(html string) string {
	return falseBooleans.ReplaceAllString(zoomable(html), "")
}

// relativize turns the generated file's absolute paths under staticRoot into
// paths relative to the site's folder.
func relativize(name, s string) (string, error) {
	switch name {
	case "index.html":
		// The address the generator was served on; no real one is known.
		s = ogURL.ReplaceAllString(s, "")
		s = prerendered(s)
	case "app.js":
		env := strings.Index(s, "const goappEnv = ")
		if env < 0 {
			return "", errors.New("app.js: go-app's environment not found")
		}
		eol := strings.Index(s[env:], "\n")
		if eol < 0 {
			return "", errors.New("app.js: go-app's environment not found")
		}
		s = s[:env+eol+1] + siteRootJS + s[env+eol+1:]
	}
	// The site's folder itself ("/" under the root) is "./": a service
	// worker caches it under the folder's path with its trailing slash.
	s = strings.ReplaceAll(s, `"`+staticRoot+`/"`, `"./"`)
	s = strings.ReplaceAll(s, `"`+staticRoot+`"`, `"./"`)
	s = strings.ReplaceAll(s, staticRoot+"/", "")
	if strings.Contains(s, staticRoot) {
		return "", fmt.Errorf("%s: an absolute path is left", name)
	}
	return s, nil
}
