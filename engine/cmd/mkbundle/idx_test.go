package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aeplayground/engine/mnist"
)

// idx builds a synthetic idx file: the big-endian header words, then body.
func idx(body []byte, header ...uint32) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, header)
	b.Write(body)
	return b.Bytes()
}

func pixels(n int) []byte {
	p := make([]byte, n*mnist.Pixels)
	for i := range p {
		p[i] = byte(i % 251)
	}
	return p
}

func TestReadImages(t *testing.T) {
	file := idx(pixels(3), 2051, 3, 28, 28)
	for n := 0; n <= 3; n++ {
		got, err := readImages(bytes.NewReader(file), n)
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if !bytes.Equal(got, pixels(3)[:n*mnist.Pixels]) {
			t.Errorf("n=%d: wrong pixels", n)
		}
	}
	for _, tc := range []struct {
		name string
		file []byte
		n    int
		want string
	}{
		{"labels magic", idx(pixels(3), 2049, 3, 28, 28), 1, "magic 2049"},
		{"wrong size", idx(pixels(3), 2051, 3, 28, 27), 1, "28x27"},
		{"too few in header", idx(pixels(3), 2051, 3, 28, 28), 4, "file holds 3"},
		{"body short", idx(pixels(2), 2051, 3, 28, 28), 3, "unexpected EOF"},
		{"header short", idx(nil, 2051, 3), 1, "header"},
	} {
		_, err := readImages(bytes.NewReader(tc.file), tc.n)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

func TestReadLabels(t *testing.T) {
	got, err := readLabels(bytes.NewReader(idx([]byte{5, 0, 9, 3}, 2049, 4)), 3)
	if err != nil || !bytes.Equal(got, []byte{5, 0, 9}) {
		t.Fatalf("got %v, %v; want [5 0 9]", got, err)
	}
	for _, tc := range []struct {
		name string
		file []byte
		n    int
		want string
	}{
		{"images magic", idx([]byte{1}, 2051, 1), 1, "magic 2051"},
		{"label 10", idx([]byte{1, 10}, 2049, 2), 2, "label 1 is 10"},
		{"too few in header", idx([]byte{1, 2}, 2049, 2), 3, "file holds 2"},
		{"body short", idx([]byte{1}, 2049, 2), 2, "unexpected EOF"},
	} {
		_, err := readLabels(bytes.NewReader(tc.file), tc.n)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
}

// TestRun builds a bundle from a tiny synthetic GoMNIST data directory and
// checks that it decodes to the same digits.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	writeGz := func(name string, b []byte) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		if err := os.WriteFile(filepath.Join(data, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeGz("train-images-idx3-ubyte.gz", idx(pixels(3), 2051, 3, 28, 28))
	writeGz("train-labels-idx1-ubyte.gz", idx([]byte{1, 2, 3}, 2049, 3))
	writeGz("t10k-images-idx3-ubyte.gz", idx(pixels(2), 2051, 2, 28, 28))
	writeGz("t10k-labels-idx1-ubyte.gz", idx([]byte{7, 8}, 2049, 2))

	out := filepath.Join(dir, "web", "mnist.bundle")
	if err := run(dir, 2, 1, out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := mnist.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Train.Labels, []byte{1, 2}) || !bytes.Equal(got.Test.Labels, []byte{7}) ||
		!bytes.Equal(got.Train.Images, pixels(2)) || !bytes.Equal(got.Test.Images, pixels(1)) {
		t.Error("bundle does not hold the first digits of the idx files")
	}
	// Asking for more than the files hold fails and leaves the old bundle.
	if err := run(dir, 4, 1, out); err == nil {
		t.Error("run with -train 4 on 3 digits: no error")
	}
	if b2, _ := os.ReadFile(out); !bytes.Equal(b2, b) {
		t.Error("failed run changed the bundle")
	}
	if ents, _ := os.ReadDir(filepath.Dir(out)); len(ents) != 1 {
		t.Errorf("output directory holds %d entries, want only the bundle", len(ents))
	}
}
