//go:build !wasm

package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

// startCPUProfile starts V8's sampling profiler on the page's main thread;
// stopCPUProfile returns where the time went: each function's self time and
// inclusive time (Go's functions keep their names in the wasm).
func startCPUProfile(t *testing.T, p *browserPage) {
	t.Helper()
	err := chromedp.Do(p.ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, profiler.Enable, cdp.Empty{}); err != nil {
			return err
		}
		if _, err := chromedp.Call(ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 200}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, profiler.Start, cdp.Empty{})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
}

func stopCPUProfile(t *testing.T, p *browserPage, top int) string {
	t.Helper()
	var prof *profiler.Profile
	err := chromedp.Do(p.ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		r, err := chromedp.Call(ctx, profiler.Stop, cdp.Empty{})
		prof = r.Profile
		return err
	}))
	if err != nil || prof == nil {
		t.Fatalf("profile: %v", err)
	}
	parent := map[int64]int64{}
	byID := map[int64]*profiler.ProfileNode{}
	for _, n := range prof.Nodes {
		byID[n.ID] = n
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	self, incl := map[string]float64{}, map[string]float64{}
	var total float64
	for i, id := range prof.Samples {
		dt := 0.0
		if i+1 < len(prof.TimeDeltas) {
			dt = float64(prof.TimeDeltas[i+1]) / 1000
		}
		n := byID[id]
		name := n.CallFrame.FunctionName
		if name == "(idle)" || name == "(program)" {
			self[name] += dt
			continue
		}
		total += dt
		self[name] += dt
		seen := map[string]bool{}
		for x, ok := id, true; ok; x, ok = parent[x] {
			fn := byID[x].CallFrame.FunctionName
			if !seen[fn] {
				seen[fn] = true
				incl[fn] += dt
			}
		}
	}
	list := func(m map[string]float64) string {
		type kv struct {
			k string
			v float64
		}
		var s []kv
		for k, v := range m {
			s = append(s, kv{k, v})
		}
		slices.SortFunc(s, func(a, b kv) int { return int(b.v*1000 - a.v*1000) })
		var b strings.Builder
		for i, e := range s {
			if i >= top {
				break
			}
			fmt.Fprintf(&b, "  %8.1f ms  %s\n", e.v, e.k)
		}
		return b.String()
	}
	return fmt.Sprintf("busy %.0f ms; self:\n%sinclusive:\n%s", total, list(self), list(incl))
}
