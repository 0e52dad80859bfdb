//go:build !wasm

package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"aeplayground/engine/ae"
	"aeplayground/wasm/api"

	"github.com/chromedp/chromedp"
)

// window.aePlayground.call resolves in the page, and rejects a bad command.
func TestBrowserAPIInPage(t *testing.T) {
	p := newBrowserPage(t, 1280, 900)
	navigate(t, p, p.url+"/")
	waitReady(t, p)
	st := call[api.State](t, p, "loadPreset", `{name: "linear-pca"}`)
	if st.Preset != "linear-pca" || st.TestLoss == nil || st.TrainLoss != nil {
		t.Errorf("after loadPreset: %+v", st)
	}
	st = call[api.State](t, p, "setConfig", `{k: 8, lr: 0.01}`)
	if st.K != 8 || strings.Join(st.Modified, ",") != "k,lr" {
		t.Errorf("after setConfig: k %d, modified %v", st.K, st.Modified)
	}
	poll[bool](t, p, "the controls to follow", `document.querySelector("#in-k").value == "8" && location.hash.includes("k=8")`, 5*time.Second)
	// Two settings the page once lost between the script and the worker:
	// per-layer activations, and a momentum below 0.9.
	st = call[api.State](t, p, "setConfig", `{hidden: [100], k: 16, f: "tanh,sigmoid", opt: "momentum", mom: 0.5}`)
	if c := st.Config; !slices.Equal(c.Activation, []ae.Activation{ae.Tanh, ae.Sigmoid}) || c.Optimizer != "momentum" || c.Momentum != 0.5 {
		t.Errorf("after setConfig of f and mom: %+v", c)
	}
	poll[bool](t, p, "the controls and the link to follow",
		`document.querySelector("#in-f").value == "tanh,sigmoid" && document.querySelector("#in-mom").value == "0.5" && location.hash.includes("mom=0.5")`, 5*time.Second)
	st = call[api.State](t, p, "setConfig", `{hidden: [], k: 8, f: "linear", opt: "adam"}`)
	st = call[api.State](t, p, "train", "")
	if !st.Running {
		t.Error("train answered before training runs")
	}
	poll[bool](t, p, "an epoch", `window.aePlayground.call("getState").then(s => s.epoch >= 0.5)`, time.Minute)
	st = call[api.State](t, p, "pause", "")
	if st.Running {
		t.Error("pause answered while training runs")
	}
	if len(st.PrincipalAnglesDeg) != 8 || st.PCAFloor == nil {
		t.Errorf("angles %v, floor %v", st.PrincipalAnglesDeg, st.PCAFloor)
	}
	msg := eval[string](t, p, `window.aePlayground.call("step", {n: 20000}).then(() => "resolved", e => e.message)`, chromedp.EvalAwaitPromise)
	if !strings.Contains(msg, "10000") {
		t.Errorf("step n=20000: %q, want an error naming the limit", msg)
	}
	st = call[api.State](t, p, "reset", "")
	if st.SamplesSeen != 0 {
		t.Errorf("after reset: %v samples", st.SamplesSeen)
	}
	// Commands posted to the page's own window are answered there too.
	got := eval[string](t, p, `new Promise((resolve) => {
		addEventListener("message", (e) => { if (e.data && e.data.id === "own" && "ok" in e.data) resolve(JSON.stringify(e.data)) });
		postMessage({type: "aeplayground", id: "own", cmd: "getState"}, location.origin);
	})`, chromedp.EvalAwaitPromise)
	if !strings.Contains(got, `"ok":true`) {
		t.Errorf("a command posted to the page's own window: %s", got)
	}
}
