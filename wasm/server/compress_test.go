//go:build !wasm

package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The .wasm files are built in three forms, and each compressed one is the
// file: what the static site ships and the server serves.
func TestPrecompressedFilesAreTheBuild(t *testing.T) {
	for _, name := range RequiredFiles {
		if !Precompressed(name) {
			continue
		}
		file := filepath.Join("..", "..", "web", name)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		e, err := encodings(file, data)
		if err != nil {
			t.Fatal(err)
		}
		if e.br == nil {
			t.Errorf("%s.br is missing or stale: run `make build`", name)
			continue
		}
		if len(e.br) >= len(e.gzip) || len(e.gzip) >= len(data) {
			t.Errorf("%s: %d bytes, gzip %d, brotli %d: brotli should be the smallest", name, len(data), len(e.gzip), len(e.br))
		}
	}
}

func TestReadVariantRefusesStaleFiles(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "app.wasm")
	old := []byte(strings.Repeat("the last build ", 100))
	if err := os.WriteFile(file, old, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WritePrecompressed(file); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		want bool
	}{
		{"the same build", old, true},
		{"a new build", []byte(strings.Repeat("the next build ", 100)), false},
		{"a longer build", append(old, 'x'), false},
		{"a shorter build", old[:len(old)-1], false},
	} {
		e, err := encodings(file, c.data)
		if err != nil {
			t.Fatal(err)
		}
		gzFile, _ := os.ReadFile(file + ".gz")
		brFile, _ := os.ReadFile(file + ".br")
		if got := string(e.gzip) == string(gzFile) && string(e.br) == string(brFile); got != c.want {
			t.Errorf("%s: the files beside it used = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestNegotiate(t *testing.T) {
	both := encoded{gzip: []byte{1}, br: []byte{2}}
	gzOnly := encoded{gzip: []byte{1}}
	for _, c := range []struct {
		e      encoded
		header string
		want   string
	}{
		{both, "gzip, deflate, br, zstd", "br"},
		{both, "gzip, deflate", "gzip"},
		{both, "br;q=0, gzip", "gzip"},
		{both, "", ""},
		{both, "identity", ""},
		{both, "*", "br"},
		{gzOnly, "gzip, deflate, br, zstd", "gzip"},
		{gzOnly, "br", ""},
	} {
		if got := c.e.negotiate(c.header); got != c.want {
			t.Errorf("negotiate(%q) with br=%v = %q, want %q", c.header, c.e.br != nil, got, c.want)
		}
	}
}

// The digit bundle is not precompressed: its own coding (engine/mnist)
// leaves nothing for gzip or brotli at their best to take away.
func TestBundleIsNotWorthCompressing(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "web", "mnist.bundle"))
	if err != nil {
		t.Fatalf("web/ is not built (%v): run `make build`", err)
	}
	gz, err := gzipBest(data)
	if err != nil {
		t.Fatal(err)
	}
	br, err := brotliBest(data)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("mnist.bundle: %d bytes, gzip %d, brotli %d", len(data), len(gz), len(br))
	if min(len(gz), len(br)) < len(data)*199/200 {
		t.Errorf("mnist.bundle: %d bytes, gzip %d, brotli %d: compressing it would save more than 0.5%%", len(data), len(gz), len(br))
	}
}
