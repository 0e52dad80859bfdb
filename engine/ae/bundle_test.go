package ae

import (
	"os"
	"testing"

	"aeplayground/engine/mnist"
)

// bundlePath is where `make data` writes the MNIST bundle.
const bundlePath = "../../web/mnist.bundle"

// bundleDigits returns the first train digits of the bundle's training set
// and the first test digits of its held-out set, concatenated, as pixels in
// [0,1]. A missing bundle fails the test: `make data` builds it.
func bundleDigits(t testing.TB, train, test int) []float64 {
	t.Helper()
	b := loadBundle(t)
	out := make([]float64, 0, (train+test)*mnist.Pixels)
	for _, s := range []struct {
		set *mnist.Set
		n   int
	}{{&b.Train, train}, {&b.Test, test}} {
		for i := range s.n {
			for _, p := range s.set.Image(i) {
				out = append(out, float64(p)/255)
			}
		}
	}
	return out
}

var cachedBundle *mnist.Bundle

func loadBundle(t testing.TB) *mnist.Bundle {
	t.Helper()
	if cachedBundle != nil {
		return cachedBundle
	}
	raw, err := os.ReadFile(bundlePath)
	if err != nil {
		t.Fatalf("the MNIST bundle is missing (%v): run `make data` first", err)
	}
	b, err := mnist.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	cachedBundle = b
	return b
}
