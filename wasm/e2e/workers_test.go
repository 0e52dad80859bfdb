//go:build !wasm

package e2e

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserWorkersEqualOneWorker: trained on two workers (this worker and
// a helper Web Worker, data-parallel), the model reaches the held-out loss
// that one worker reaches after the same batches, up to rounding; then on
// one worker again, training goes on.
func TestBrowserWorkersEqualOneWorker(t *testing.T) {
	p := newBrowserPage(t, 1280, 800)
	navigate(t, p, p.url+"/#preset=linear-pca&seed=5")
	waitReady(t, p)
	type st struct {
		Running     bool
		SamplesSeen float64
		TestLoss    float64
		Workers     int
	}
	state := func() st { return call[st](t, p, "getState", "") }

	setValue(t, p, "#in-workers", "2")
	poll[bool](t, p, "two workers in the state", `window.aePlayground.call("getState").then(s => s.workers == 2)`, 30*time.Second)
	call[any](t, p, "train", "")
	poll[bool](t, p, "3,000 digits seen", `window.aePlayground.call("getState").then(s => s.samplesSeen >= 3000)`, 90*time.Second)
	targets, err := chromedp.Targets(p.ctx)
	if err != nil {
		t.Fatal(err)
	}
	workers := 0
	for _, tg := range targets {
		if tg.Type == "worker" {
			workers++
		}
	}
	if workers != 2 {
		t.Errorf("%d dedicated workers while training on two, want the training worker and one helper", workers)
	}
	call[any](t, p, "pause", "")
	two := state()
	if two.Running || two.Workers != 2 {
		t.Fatalf("after pause on two workers: %+v", two)
	}
	const batch = 32 // the preset's
	if math.Mod(two.SamplesSeen, batch) != 0 || two.SamplesSeen >= 10000 {
		t.Fatalf("%v digits seen: not whole batches of the first epoch", two.SamplesSeen)
	}
	p.screenshot(t, "workers-two")

	setValue(t, p, "#in-workers", "1")
	poll[bool](t, p, "one worker in the state", `window.aePlayground.call("getState").then(s => s.workers == 1)`, 30*time.Second)
	call[any](t, p, "reset", "")
	call[any](t, p, "step", fmt.Sprintf("{n: %d}", int(two.SamplesSeen/batch)))
	one := state()
	if one.SamplesSeen != two.SamplesSeen {
		t.Fatalf("one worker saw %v digits, two %v", one.SamplesSeen, two.SamplesSeen)
	}
	rel := math.Abs(one.TestLoss-two.TestLoss) / one.TestLoss
	t.Logf("held-out loss after %v digits: %.15g on two workers, %.15g on one (relative difference %.2g)", one.SamplesSeen, two.TestLoss, one.TestLoss, rel)
	if !(rel <= 1e-9) {
		t.Errorf("held-out loss %v on two workers, %v on one after the same batches", two.TestLoss, one.TestLoss)
	}
}
