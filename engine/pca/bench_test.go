package pca

import (
	"compress/gzip"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// mnistImages returns the first m training digits of MNIST as pixels in
// [0, 1], read from the idx files in the GoMNIST module (a dependency of
// the module, so they are in the module cache after `go mod download`), or
// nil if they cannot be found.
func mnistImages(m int) []float64 {
	var roots []string
	if d := os.Getenv("GOMODCACHE"); d != "" {
		roots = append(roots, d)
	}
	if d := os.Getenv("GOPATH"); d != "" {
		roots = append(roots, filepath.Join(filepath.SplitList(d)[0], "pkg", "mod"))
	}
	if d := os.Getenv("HOME"); d != "" {
		roots = append(roots, filepath.Join(d, "go", "pkg", "mod"))
	}
	for _, r := range roots {
		f, err := os.Open(filepath.Join(r, "github.com", "petar", "!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63", "data", "train-images-idx3-ubyte.gz"))
		if err != nil {
			continue
		}
		defer f.Close()
		z, err := gzip.NewReader(f)
		if err != nil {
			return nil
		}
		var hdr [4]uint32
		if binary.Read(z, binary.BigEndian, &hdr) != nil || hdr[0] != 0x803 || int(hdr[1]) < m || hdr[2]*hdr[3] != 784 {
			return nil
		}
		px := make([]byte, m*784)
		if _, err := io.ReadFull(z, px); err != nil {
			return nil
		}
		data := make([]float64, len(px))
		for i, b := range px {
			data[i] = float64(b) / 255
		}
		return data
	}
	return nil
}

func benchFit(b *testing.B, data []float64, m, n, k int) {
	b.ReportAllocs()
	var p *PCA
	for b.Loop() {
		var err error
		p, err = Fit(data, m, n, k)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(p.Floor(k), "floor")
	b.ReportMetric(float64(len(p.Spectrum)), "eigenvalues")
}

// BenchmarkFit10000x784k64 fits the top 64 components of 10,000 digits: the
// real MNIST training digits if the GoMNIST module is in the module cache,
// else digit-like synthetic images (about as sparse as MNIST).
func BenchmarkFit10000x784k64(b *testing.B) {
	data := mnistImages(10000)
	if data == nil {
		b.Log("MNIST not found, using synthetic digits")
		data = mnistLike(rand.New(rand.NewPCG(1, 1)), 10000)
	}
	benchFit(b, data, 10000, 784, 64)
}

// BenchmarkFit10000x784k64Synthetic uses the synthetic digits always.
func BenchmarkFit10000x784k64Synthetic(b *testing.B) {
	benchFit(b, mnistLike(rand.New(rand.NewPCG(1, 1)), 10000), 10000, 784, 64)
}

// BenchmarkFit10000x784k64Dense uses dense data (no zeros), which takes the
// dense covariance kernel: the worst case for this shape.
func BenchmarkFit10000x784k64Dense(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	sd := make([]float64, 100)
	for i := range sd {
		sd[i] = 10 / float64(i+1)
	}
	data, _ := planted(rng, 10000, 784, sd, 0.1)
	benchFit(b, data, 10000, 784, 64)
}

func BenchmarkAnglesTo784k64(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 3))
	data := mnistLike(rng, 1000)
	p, err := Fit(data, 1000, 784, 64)
	if err != nil {
		b.Fatal(err)
	}
	dec := mix(rng, componentsAsColumns(p, 64), 784, 64)
	for b.Loop() {
		if _, err := p.AnglesTo(dec, 64); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProjectReconstruct784k64(b *testing.B) {
	rng := rand.New(rand.NewPCG(4, 4))
	data := mnistLike(rng, 1000)
	p, err := Fit(data, 1000, 784, 64)
	if err != nil {
		b.Fatal(err)
	}
	code := make([]float64, 64)
	xhat := make([]float64, 784)
	for b.Loop() {
		p.Project(data[:784], code)
		p.Reconstruct(code, xhat)
	}
}
