//go:build !wasm

package e2e

// Accessibility: axe-core, pinned in testdata/axe/package-lock.json and
// installed there with `npm ci` (make test does it when node_modules is
// missing), checks the default view and the embed view for violations of
// every rule it runs by default (WCAG 2.x A and AA, and its best practices).

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeDir is where `npm ci` puts axe-core.
var axeDir = filepath.Join("testdata", "axe")

// axeSource returns axe-core's script, failing the test (never skipping it)
// when it is not installed: with Chromium present the check must run.
func axeSource(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(axeDir, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core is not installed (%v): run `make axe` (or `cd wasm/e2e/testdata/axe && npm ci`) before the browser tests", err)
	}
	return string(src)
}

// axeViolation is one rule axe found broken, with every node that breaks it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// runAxe puts axe-core in the page, if it is not there yet, and returns its
// violations on the whole document.
//
// The script is evaluated through the DevTools protocol (Runtime.evaluate),
// which the page's Content-Security-Policy (script-src 'self'
// 'wasm-unsafe-eval') does not govern: the page itself could not load it.
// The test checks both halves of that claim: that the page cannot eval, and
// that axe loaded anyway.
func runAxe(t *testing.T, p *browserPage, src string, options ...string) []axeViolation {
	t.Helper()
	// While Runtime.evaluate runs, DevTools lets code be made from strings
	// whatever the CSP says: so try eval from a task of the page's own.
	csp := eval[string](t, p, `fetch(location.pathname).then(r => r.headers.get("Content-Security-Policy") || "")`, chromedp.EvalAwaitPromise)
	blocked := eval[string](t, p, `new Promise(resolve => setTimeout(() => {
		try { new Function("return 1")(); resolve("no") } catch (e) { resolve(String(e)) } }, 0))`, chromedp.EvalAwaitPromise)
	if !strings.Contains(csp, "script-src") || blocked == "no" {
		t.Errorf("the page may eval (CSP %q): its Content-Security-Policy should forbid it", csp)
	} else {
		t.Logf("the page's CSP forbids eval (%s); axe-core comes in through Runtime.evaluate all the same", blocked)
	}
	if !eval[bool](t, p, `typeof window.axe === "object"`) {
		if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			t.Fatalf("evaluating axe-core in the page: %v", err)
		}
		if !eval[bool](t, p, `typeof window.axe === "object" && typeof window.axe.run === "function"`) {
			t.Fatal("axe-core did not load in the page")
		}
	}
	opts := `{resultTypes: ["violations"]` // options: more of axe.run's, as JavaScript ("iframes: false")
	for _, o := range options {
		opts += ", " + o
	}
	raw := eval[string](t, p, `axe.run(document, `+opts+`}).then(r => JSON.stringify(r.violations))`,
		chromedp.EvalAwaitPromise)
	var v []axeViolation
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("axe's result: %v", err)
	}
	return v
}

// reportAxe fails the test with every violation, each with its nodes.
func reportAxe(t *testing.T, view string, vs []axeViolation) {
	t.Helper()
	if len(vs) == 0 {
		t.Logf("%s: axe-core finds no violations", view)
		return
	}
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "\n[%s] %s: %s (%s)", v.Impact, v.ID, v.Help, v.URL)
		for _, n := range v.Nodes {
			sel, _ := json.Marshal(n.Target)
			fmt.Fprintf(&b, "\n    %s  %s", sel, n.HTML)
			if s := strings.ReplaceAll(strings.TrimSpace(n.Summary), "\n", "\n        "); s != "" {
				fmt.Fprintf(&b, "\n        %s", s)
			}
		}
	}
	t.Errorf("%s: axe-core finds %d violations:%s", view, len(vs), b.String())
}

// a11yGoto loads url anew (through about:blank, so that a change of the
// fragment alone reloads) and waits for the worker.
func a11yGoto(t *testing.T, p *browserPage, url string) {
	t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, p, "the worker to be ready", `!!document.querySelector("#play") && !document.querySelector("#play").disabled`, 90*time.Second)
}

func TestBrowserA11y(t *testing.T) {
	p := newBrowserPage(t, 1280, 800)
	src := axeSource(t)
	start := time.Now()

	t.Run("default view", func(t *testing.T) {
		a11yGoto(t, p, p.url+"/")
		// Train a little so that every panel has its content: the curves,
		// the angles, the filters, the code space.
		click(t, p, "#play")
		poll[bool](t, p, "some training", `parseFloat(document.querySelector("#epoch").textContent) >= 0.2`, 2*time.Minute)
		click(t, p, "#pause")
		poll[bool](t, p, "the play button", `!!document.querySelector("#play")`, 5*time.Second)
		time.Sleep(500 * time.Millisecond) // the last panel updates
		reportAxe(t, "default view", runAxe(t, p, src))
		p.screenshot(t, "a11y-default")
	})

	t.Run("embed view", func(t *testing.T) {
		a11yGoto(t, p, p.url+"/#embed=1&panels=pad,recon")
		reportAxe(t, "embed view (pad, reconstructions)", runAxe(t, p, src))
		p.screenshot(t, "a11y-embed")
	})

	t.Logf("accessibility checks took %v", time.Since(start).Round(time.Millisecond))
}
