//go:build !wasm

package e2e

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// lighthouseDir holds Lighthouse, pinned (make bench installs it there).
var lighthouseDir = filepath.Join("..", "bench", "lighthouse")

// BenchmarkPageLighthouse (issue 14) scores the playground with Lighthouse
// 12.8.2 on the `make run` server, as a phone (its default: a mid-range
// phone's CPU, a slow 4G network, both simulated) and as a desktop; each the
// median of benchRuns runs, each in a fresh profile of the system's
// Chromium. Targets: performance ≥ 70 on the phone and ≥ 90 on the desktop;
// accessibility, best practices and SEO 100.
func BenchmarkPageLighthouse(b *testing.B) {
	srv := benchServer(b)
	cli := filepath.Join(lighthouseDir, "node_modules", "lighthouse", "cli", "index.js")
	if _, err := os.Stat(cli); err != nil {
		b.Skipf("no Lighthouse at %s: run `make bench`, which installs it", cli)
	}
	ts := httptest.NewServer(srv)
	b.Cleanup(ts.Close)

	for _, form := range []string{"mobile", "desktop"} {
		b.Run(form, func(b *testing.B) {
			var runs []lighthouseRun
			for b.Loop() {
				for range benchRuns {
					runs = append(runs, runLighthouse(b, cli, ts.URL+"/", form))
				}
			}
			pick := func(f func(lighthouseRun) float64) float64 {
				v := make([]float64, len(runs))
				for i, r := range runs {
					v[i] = f(r)
				}
				return median(v)
			}
			least := func(f func(lighthouseRun) float64) float64 {
				m := 100.0
				for _, r := range runs {
					m = min(m, f(r))
				}
				return m
			}
			b.ReportMetric(pick(func(r lighthouseRun) float64 { return r.Performance }), "performance")
			b.ReportMetric(least(func(r lighthouseRun) float64 { return r.Accessibility }), "accessibility-least")
			b.ReportMetric(least(func(r lighthouseRun) float64 { return r.BestPractices }), "best-practices-least")
			b.ReportMetric(least(func(r lighthouseRun) float64 { return r.SEO }), "seo-least")
			b.ReportMetric(pick(func(r lighthouseRun) float64 { return r.FCP }), "ms-FCP")
			b.ReportMetric(pick(func(r lighthouseRun) float64 { return r.LCP }), "ms-LCP")
			b.ReportMetric(pick(func(r lighthouseRun) float64 { return r.TBT }), "ms-TBT")
			b.ReportMetric(pick(func(r lighthouseRun) float64 { return r.CLS }), "CLS")
		})
	}
}

// lighthouseRun is one report's scores (0–100) and metrics.
type lighthouseRun struct {
	Performance, Accessibility, BestPractices, SEO float64
	FCP, LCP, TBT, CLS                             float64
}

func runLighthouse(b *testing.B, cli, url, form string) lighthouseRun {
	b.Helper()
	profile := b.TempDir()
	args := []string{cli, url, "--quiet", "--output=json", "--output-path=stdout",
		"--chrome-flags=--headless --no-sandbox --disable-gpu --disable-quic --no-first-run " +
			"--disable-background-networking --disable-component-update --disable-sync --user-data-dir=" + profile}
	if form == "desktop" {
		args = append(args, "--preset=desktop")
	}
	cmd := exec.Command("node", args...)
	cmd.Env = append(os.Environ(), "CHROME_PATH="+chromium())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("lighthouse %s: %v\n%s", form, err, stderr.String())
	}
	var rep struct {
		Categories map[string]struct{ Score float64 } `json:"categories"`
		Audits     map[string]struct {
			NumericValue float64 `json:"numericValue"`
		} `json:"audits"`
		RuntimeError *struct{ Code, Message string } `json:"runtimeError"`
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		b.Fatalf("lighthouse %s: reading its report: %v", form, err)
	}
	if rep.RuntimeError != nil {
		b.Fatalf("lighthouse %s: %s: %s", form, rep.RuntimeError.Code, rep.RuntimeError.Message)
	}
	r := lighthouseRun{
		Performance:   100 * rep.Categories["performance"].Score,
		Accessibility: 100 * rep.Categories["accessibility"].Score,
		BestPractices: 100 * rep.Categories["best-practices"].Score,
		SEO:           100 * rep.Categories["seo"].Score,
		FCP:           rep.Audits["first-contentful-paint"].NumericValue,
		LCP:           rep.Audits["largest-contentful-paint"].NumericValue,
		TBT:           rep.Audits["total-blocking-time"].NumericValue,
		CLS:           rep.Audits["cumulative-layout-shift"].NumericValue,
	}
	b.Logf("lighthouse %s: performance %.0f (FCP %.0f ms, LCP %.0f ms, TBT %.0f ms, CLS %.3f), accessibility %.0f, best practices %.0f, SEO %.0f",
		form, r.Performance, r.FCP, r.LCP, r.TBT, r.CLS, r.Accessibility, r.BestPractices, r.SEO)
	return r
}
