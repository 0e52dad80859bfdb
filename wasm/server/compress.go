//go:build !wasm

package server

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Precompressed reports whether a file of web/ is one of the large ones
// (the two .wasm files) that the build compresses once into name.gz and
// name.br, and that the page fetches compressed through its loader
// (web/loader.js, whose precompressed says the same). The digit bundle,
// also loaded through the loader, is not: its own coding (engine/mnist) is
// smaller than gzip or brotli would make it.
func Precompressed(name string) bool {
	return path.Ext(name) == ".wasm"
}

// encoded holds a file's compressed forms: gzip for every browser and host,
// brotli (about 25% smaller on these files) where the browser asks for it.
type encoded struct {
	gzip []byte // nil: not worth compressing
	br   []byte // nil: not made (see encodings)
}

// negotiate picks the encoding to send for an Accept-Encoding header: br,
// else gzip, else none ("").
func (e *encoded) negotiate(acceptEncoding string) string {
	switch {
	case e.br != nil && accepts(acceptEncoding, "br"):
		return "br"
	case e.gzip != nil && accepts(acceptEncoding, "gzip"):
		return "gzip"
	}
	return ""
}

func (e *encoded) body(enc string) []byte {
	if enc == "br" {
		return e.br
	}
	return e.gzip
}

// brotliInMemory is the largest file the server compresses with brotli
// itself: at the best quality brotli takes about a minute for each of the
// large files, which the build does once (WritePrecompressed).
const brotliInMemory = 1 << 20

var warnOnce sync.Map

// encodings returns data's gzip and brotli. For a file of web/ (file is its
// path) they are read from file.gz and file.br when those decompress to
// exactly data, else made here; a large file then has no brotli until it
// is built again.
func encodings(file string, data []byte) (encoded, error) {
	var e encoded
	if file != "" {
		e.gzip = readVariant(file+".gz", data, func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) })
		e.br = readVariant(file+".br", data, func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil })
	}
	var err error
	if e.gzip == nil {
		if e.gzip, err = gzipBest(data); err != nil {
			return e, err
		}
	}
	if e.br == nil && len(data) <= brotliInMemory {
		if e.br, err = brotliBest(data); err != nil {
			return e, err
		}
	}
	if e.br == nil && file != "" {
		if _, warned := warnOnce.LoadOrStore(file, true); !warned {
			log.Printf("%s.br is missing or stale: serving gzip only (run `make build`)", file)
		}
	}
	return e, nil
}

// readVariant reads a compressed form of data from file, or returns nil if
// there is none or it is not data's (a build left it behind).
func readVariant(file string, data []byte, decoder func(io.Reader) (io.Reader, error)) []byte {
	comp, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	r, err := decoder(bytes.NewReader(comp))
	if err != nil {
		return nil
	}
	got, err := io.ReadAll(io.LimitReader(r, int64(len(data))+1))
	if err != nil || !bytes.Equal(got, data) {
		return nil
	}
	return comp
}

func gzipBest(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	zw.Write(data)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// brotliBest is brotli at quality 11: on app.wasm 1.87 MB against gzip's
// 2.57 MB (quality 9 gives 2.13 MB), so the first visit fits in 4.8 MB.
func brotliBest(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	bw := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	bw.Write(data)
	if err := bw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WritePrecompressed writes file.gz and file.br beside file (`make build`
// does it for each large file, once per build).
func WritePrecompressed(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var gz, br []byte
	var gzErr, brErr error
	var wg sync.WaitGroup
	wg.Go(func() { gz, gzErr = gzipBest(data) })
	wg.Go(func() { br, brErr = brotliBest(data) })
	wg.Wait()
	if err := errors.Join(gzErr, brErr); err != nil {
		return err
	}
	if err := os.WriteFile(file+".gz", gz, 0o644); err != nil {
		return err
	}
	return os.WriteFile(file+".br", br, 0o644)
}

// appWorkerJS is the service worker's template (appworker.js).
//
//go:embed appworker.js
var appWorkerJS string

var wasmFetch = regexp.MustCompile(`fetchWithProgress\(("[^"]*"), showProgress\)`)

// patchAppJS makes go-app's app.js load app.wasm through the loader (web/
// loader.js, put in front of it): compressed from any host, into the
// service worker's cache. Progress counts the bytes as they are, so the
// percentage is right whatever the encoding.
func patchAppJS(appJS, loaderJS string) (string, error) {
	if len(wasmFetch.FindAllStringIndex(appJS, -1)) != 1 {
		return "", errors.New("app.js: go-app's fetch of app.wasm not found")
	}
	load := `aeLoader.load($1, {
        cacheName: "app-" + goappEnv.GOAPP_VERSION,
        onProgress: (done, total) => showProgress(Math.round((100 * done) / total)),
      })`
	appJS = wasmFetch.ReplaceAllString(appJS, load)
	return fmt.Sprintf("%s\n%s", strings.TrimSpace(loaderJS), appJS), nil
}
