package ae

import (
	"runtime"
	"testing"
)

// longTraining skips, under WebAssembly, a test that trains on all 10,000
// digits for many epochs: it proves a property of the math, which does not
// depend on the platform, and runs natively in `make test`; that the wasm
// build computes the same numbers is TestGoldenLosses' to show, in seconds.
// Under Node these tests took six of make test's minutes.
func longTraining(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "js" {
		t.Skip("long training on real digits: run natively (the wasm build's numbers are checked by TestGoldenLosses)")
	}
}
