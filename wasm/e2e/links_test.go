//go:build !wasm

package e2e

// Links: a link carries the settings, the digit and the seed, and
// reproduces the demo; a bad value is named and ignored.

import (
	"slices"
	"strings"
	"testing"
	"time"

	"aeplayground/engine/ae"
	"aeplayground/wasm/api"

	"github.com/chromedp/chromedp"
)

// A link with a preset, settings and a digit reproduces the demo: the same
// settings, the same digit, and, from the same seed, the same losses in a
// second page. Copy link gives that link; window.aePlayground answers.
func TestBrowserLinkReproducesDemo(t *testing.T) {
	p := newBrowserPage(t, 1280, 900)
	link := "/#preset=linear-pca&k=12&lr=0.02&seed=5&digit=test:7"
	navigate(t, p, p.url+link)
	waitReady(t, p)

	st := call[api.State](t, p, "getState", "")
	if st.Preset != "linear-pca" || st.Config.Hidden[len(st.Config.Hidden)-1] != 12 || st.Config.LR != 0.02 || st.Config.Seed != 5 {
		t.Errorf("state from the link: preset %q, config %+v", st.Preset, st.Config)
	}
	if strings.Join(st.Modified, ",") != "k,lr,seed" {
		t.Errorf("modified = %v, want k, lr, seed", st.Modified)
	}
	if k := eval[string](t, p, `document.querySelector("#in-k").value`); k != "12" {
		t.Errorf("the code size control shows %q, want 12", k)
	}
	about := eval[string](t, p, `document.querySelector(".about").textContent`)
	if !strings.Contains(about, "modified: k, lr, seed") {
		t.Errorf("the preset line does not say what the link changed: %q", about)
	}
	if eval[bool](t, p, `!!document.querySelector("#preset-linear-pca.active")`) {
		t.Error("the preset button is shown active although the link changed its settings")
	}
	poll[bool](t, p, "the link's held-out digit on the pad", `document.querySelector(".pad-card .hint").textContent.includes("held-out")`, 10*time.Second)
	poll[bool](t, p, "the digit in getState", `window.aePlayground.call("getState").then(s => s.digit == "test" && s.digitIndex == 7)`, 5*time.Second)

	// Train 30 batches from the link's seed; a second page from the same
	// link must compute the very same losses.
	after := call[api.State](t, p, "step", `{n: 30}`)
	if after.SamplesSeen != 30*float64(after.Config.BatchSize) || after.TrainLoss == nil || after.TestLoss == nil {
		t.Fatalf("after step 30: %+v", after)
	}
	click(t, p, "#copy-link")
	copied := poll[string](t, p, "the link in the share box", `document.querySelector("#share-text").value`, 5*time.Second)
	if here := eval[string](t, p, `location.href`); copied != here {
		t.Errorf("Copy link shows %q, the page is at %q", copied, here)
	}
	if !strings.Contains(copied, "digit=test:7") || !strings.Contains(copied, "k=12") {
		t.Errorf("the copied link %q lacks the digit or the settings", copied)
	}
	// The clipboard answers from a promise: the result may come a moment after the link shows.
	poll[string](t, p, "Copy link to say what became of the clipboard", `document.querySelector("#share-result").textContent`, 5*time.Second)
	p.screenshot(t, "copy-link")

	q := newBrowserPage(t, 1280, 900)
	navigate(t, q, q.url+"/#"+strings.SplitN(copied, "#", 2)[1])
	waitReady(t, q)
	again := call[api.State](t, q, "step", `{n: 30}`)
	if *again.TrainLoss != *after.TrainLoss || *again.TestLoss != *after.TestLoss {
		t.Errorf("the same link trained to train/held-out loss %v/%v, then %v/%v", *after.TrainLoss, *after.TestLoss, *again.TrainLoss, *again.TestLoss)
	}
	t.Logf("link %s: after 30 batches train loss %.6f, held-out %.6f in both pages", copied, *after.TrainLoss, *after.TestLoss)

	// A drawn digit travels in the link too.
	px := make([]string, 784)
	for i := range px {
		px[i] = "0"
		if r, c := i/28, i%28; c >= 12 && c <= 15 && r >= 5 && r <= 22 {
			px[i] = "1"
		}
	}
	call[api.State](t, q, "setDigit", `{pixels: [`+strings.Join(px, ",")+`]}`)
	drawn := poll[string](t, q, "the drawn digit in the link", `location.hash.includes("digit=drawn:") && location.href`, 5*time.Second)
	r := newBrowserPage(t, 1280, 900)
	navigate(t, r, r.url+"/#"+strings.SplitN(drawn, "#", 2)[1])
	waitReady(t, r)
	poll[bool](t, r, "the link's drawing on the pad", `document.querySelector(".pad-card .hint").textContent.includes("the link")`, 10*time.Second)
	if got := canvasSum(t, r, "canvas.clean"); got != canvasSum(t, q, "canvas.clean") {
		t.Error("the digit from the link is not the digit drawn")
	}
}

func TestBrowserTabletPortraitFromLink(t *testing.T) {
	p := newBrowserPage(t, 800, 1280)
	// A link carries the settings; a bad value is named and ignored.
	if err := chromedp.Do(p.ctx, chromedp.Navigate(p.url+"/#preset=linear-pca&k=8&lr=fast&large=1")); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, p, "the worker to be ready", `!!document.querySelector("#play") && !document.querySelector("#play").disabled`, 90*time.Second)
	if k := eval[string](t, p, `document.querySelector("#in-k").value`); k != "8" {
		t.Errorf("k from the link = %q, want 8", k)
	}
	if note := eval[string](t, p, `document.querySelector("#note").textContent`); !strings.Contains(note, "lr") {
		t.Errorf("the bad lr in the link is not named: %q", note)
	}
	if !eval[bool](t, p, `!!document.querySelector(".playground.large")`) {
		t.Error("large=1 in the link did not turn on large type")
	}
	click(t, p, "#sample")
	poll[bool](t, p, "a held-out digit on the pad", `document.querySelector(".pad-card .hint").textContent.includes("held-out")`, 10*time.Second)
	click(t, p, "#play")
	poll[bool](t, p, "an epoch", `parseFloat(document.querySelector("#epoch").textContent) >= 0.5`, time.Minute)
	p.screenshot(t, "tablet-portrait-large-type")
	setValue(t, p, "#in-k", "12")
	poll[bool](t, p, "the link to follow the settings", `location.hash.includes("k=12")`, 5*time.Second)
}

// A malformed or out-of-range value is named on the page and ignored.
func TestBrowserLinkMalformedFragment(t *testing.T) {
	p := newBrowserPage(t, 1280, 900)
	navigate(t, p, p.url+"/#preset=linear-pca&k=abc&lr=-1&panels=pad,nope&seed=3&<b>x</b>=1")
	waitReady(t, p)
	note := eval[string](t, p, `document.querySelector("#note").textContent`)
	for _, want := range []string{"k=abc", "lr=-1", "panels=pad,nope"} {
		if !strings.Contains(note, want) {
			t.Errorf("the note %q does not name %q", note, want)
		}
	}
	if eval[bool](t, p, `!!document.querySelector("#note b")`) {
		t.Error("markup from the link became HTML")
	}
	st := call[api.State](t, p, "getState", "")
	if st.Config.Seed != 3 || st.Config.Hidden[len(st.Config.Hidden)-1] == 0 {
		t.Errorf("the good keys were not applied: %+v", st.Config)
	}
	// A held-out index the bundle does not have: named, and dropped from
	// the link.
	navigate(t, p, p.url+"/#digit=test:5000")
	waitReady(t, p)
	note = poll[string](t, p, "the digit's message", `document.querySelector("#note").textContent.includes("digit=test:5000") && document.querySelector("#note").textContent`, 10*time.Second)
	t.Logf("note: %s", note)
	poll[bool](t, p, "the digit to leave the link", `!location.hash.includes("digit=")`, 5*time.Second)
}

// TestBrowserLinkKeepsEverySetting: a link's per-layer activations and a
// momentum below 0.9 reach the model as written (both were once lost on
// the way from the link to the worker).
func TestBrowserLinkKeepsEverySetting(t *testing.T) {
	p := newBrowserPage(t, 1280, 900)
	navigate(t, p, p.url+"/#preset=survey&hidden=100&k=16&f=tanh,sigmoid&opt=momentum&mom=0.5&corrupt=gaussian:0.2")
	waitReady(t, p)
	st := call[api.State](t, p, "getState", "")
	if c := st.Config; !slices.Equal(c.Activation, []ae.Activation{ae.Tanh, ae.Sigmoid}) || c.Optimizer != "momentum" || c.Momentum != 0.5 {
		t.Errorf("config from the link: %+v", c)
	}
	if got := eval[string](t, p, `document.querySelector("#in-noise-kind").value + ":" + document.querySelector("#in-noise-level").value`); got != "gaussian:0.2" {
		t.Errorf("the shown corruption is %q, want gaussian:0.2", got)
	}
	if !strings.Contains(st.Link, "corrupt=gaussian:0.2") {
		t.Errorf("the link lost the corruption: %s", st.Link)
	}
}
