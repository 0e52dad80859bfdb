//go:build !wasm

package e2e

// The soak test: does the tab's memory stay flat over a long run of training
// (issue 7)? Not part of `make test`: `make soak` runs it, for SOAKTIME (10
// minutes) per configuration. Environment:
//
//	AE_SOAK        how long to train each configuration ("10m"); unset: skip
//	AE_SOAK_EVERY  the sampling interval ("30s")
//	AE_SOAK_ONLY   run only the configurations whose names contain this
//
// Every sample, after a forced garbage collection in each, it records:
//   - the page's and the worker's JavaScript heap in use (Runtime.getHeapUsage
//     on each target; the worker is attached as a target of its own),
//   - the page's and the worker's WebAssembly linear memory (the byte length
//     of every WebAssembly.Memory, found with Runtime.queryObjects): the Go
//     heap of app.wasm and worker.wasm lives there, and it never shrinks,
//     so a leak in Go shows as growth here,
//   - the resident set of Chromium's renderer processes (the page and its
//     worker run in one) and of the whole browser, from /proc,
//
// then prints a table and the slope of each, in MB per minute, by least
// squares over the samples after the first minute (warm-up: the first
// epoch's buffers, the charts filling).

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

type soakConfig struct {
	name, fragment string
	workers        int // sharing each batch (the training worker and its helpers)
}

var soakConfigs = []soakConfig{
	{"survey", "#preset=survey", 1},
	// W2 of issue 6: an overcomplete code, the largest allowed, on one
	// worker and on two (data-parallel, a helper worker).
	{"w2-k1024", "#preset=survey&loss=mse&g=sigmoid&f=sigmoid&k=1024&batch=32&lr=0.001", 1},
	{"w2-k1024-2workers", "#preset=survey&loss=mse&g=sigmoid&f=sigmoid&k=1024&batch=32&lr=0.001", 2},
}

type soakSample struct {
	t                       time.Duration
	samples, epoch          float64
	pageHeap, workerHeap    float64 // MB of JavaScript heap in use
	pageWasm, workerWasm    float64 // MB of WebAssembly linear memory
	pageLive                float64 // MB of the page's live Go heap (wasm/ui/perfprobe.go)
	rendererRSS, browserRSS float64 // MB resident
}

func TestSoak(t *testing.T) {
	total, err := time.ParseDuration(os.Getenv("AE_SOAK"))
	if os.Getenv("AE_SOAK") == "" {
		t.Skip("set AE_SOAK=10m (make soak) to measure memory over a long run of training")
	}
	if err != nil {
		t.Fatalf("AE_SOAK: %v", err)
	}
	every := 30 * time.Second
	if s := os.Getenv("AE_SOAK_EVERY"); s != "" {
		if every, err = time.ParseDuration(s); err != nil {
			t.Fatalf("AE_SOAK_EVERY: %v", err)
		}
	}
	for _, c := range soakConfigs {
		if only := os.Getenv("AE_SOAK_ONLY"); only != "" && !strings.Contains(c.name, only) {
			continue
		}
		t.Run(c.name, func(t *testing.T) { soak(t, c, total, every) })
	}
}

func soak(t *testing.T, c soakConfig, total, every time.Duration) {
	p := newBrowserPage(t, 1280, 800)
	if err := chromedp.Do(p.ctx, chromedp.Navigate(p.url+"/?aetest=1"+c.fragment)); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, p, "the worker to be ready", `!!document.querySelector("#play") && !document.querySelector("#play").disabled`, 90*time.Second)
	if note := eval[string](t, p, `document.querySelector("#note").textContent`); note != "" {
		t.Fatalf("the link %s was refused in part: %s", c.fragment, note)
	}
	setValue(t, p, "#in-workers", fmt.Sprint(c.workers))
	poll[bool](t, p, "the workers", fmt.Sprintf(`window.aePlayground.call("getState").then(s => s.workers == %d)`, c.workers), 30*time.Second)
	workers := soakWorkers(t, p, c.workers)
	click(t, p, "#play")
	start := time.Now()
	var rows []soakSample
	for i := 0; ; i++ {
		s := soakMeasure(t, p, workers)
		s.t = time.Since(start)
		if i == 1 {
			soakHeapProfile(t, p, c.name+"-early")
		}
		rows = append(rows, s)
		t.Logf("%s", soakRow(s))
		if s.t >= total {
			break
		}
		next := start.Add(time.Duration(i+1) * every)
		if next.Sub(start) > total {
			next = start.Add(total)
		}
		time.Sleep(time.Until(next))
		if eval[bool](t, p, `!!document.querySelector("#play")`) {
			t.Fatalf("training stopped by itself after %v: %s", time.Since(start).Round(time.Second),
				eval[string](t, p, `document.querySelector("#status").textContent + " " + document.querySelector("#note").textContent`))
		}
	}
	soakHeapProfile(t, p, c.name)
	click(t, p, "#pause")

	var b strings.Builder
	fmt.Fprintf(&b, "memory over %v of training, %s (%s, %d workers), every %v; MB, after a forced GC in the page and the workers (worker columns: the training worker; its helpers are in the renderer's RSS)\n",
		total, c.name, c.fragment, c.workers, every)
	b.WriteString(soakHeader + "\n")
	for _, s := range rows {
		b.WriteString(soakRow(s) + "\n")
	}
	b.WriteString(soakSlopes(rows))
	t.Logf("\n%s", b.String())
	if err := os.MkdirAll(artifacts, 0o755); err == nil {
		os.WriteFile(filepath.Join(artifacts, "soak-"+c.name+".txt"), []byte(b.String()), 0o644)
	}
}

const soakHeader = "   min   samples  epoch  page-heap  page-wasm  page-live  worker-heap  worker-wasm  renderer-RSS  browser-RSS"

func soakRow(s soakSample) string {
	return fmt.Sprintf("%6.2f %9.0f %6.2f %10.2f %10.1f %10.2f %12.2f %12.1f %13.1f %12.1f", s.t.Minutes(), s.samples, s.epoch,
		s.pageHeap, s.pageWasm, s.pageLive, s.workerHeap, s.workerWasm, s.rendererRSS, s.browserRSS)
}

// soakSlopes gives each column's least-squares slope in MB per minute over
// the samples after the first minute (over all when there are too few).
func soakSlopes(rows []soakSample) string {
	var use []soakSample
	for _, s := range rows {
		if s.t >= time.Minute {
			use = append(use, s)
		}
	}
	from := "after the first minute"
	if len(use) < 3 {
		use, from = rows, "over all samples"
	}
	out := soakSlope(use, from)
	// The second half alone: the steady state, past the steps of the first
	// epochs (a buffer that grows once, the first held-out evaluation).
	if half := rows[len(rows)/2:]; len(half) >= 3 && len(half) < len(use) {
		out += soakSlope(half, "second half")
	}
	return out
}

func soakSlope(use []soakSample, from string) string {
	cols := []struct {
		name string
		get  func(soakSample) float64
	}{
		{"page-heap", func(s soakSample) float64 { return s.pageHeap }},
		{"page-wasm", func(s soakSample) float64 { return s.pageWasm }},
		{"page-live", func(s soakSample) float64 { return s.pageLive }},
		{"worker-heap", func(s soakSample) float64 { return s.workerHeap }},
		{"worker-wasm", func(s soakSample) float64 { return s.workerWasm }},
		{"renderer-RSS", func(s soakSample) float64 { return s.rendererRSS }},
		{"browser-RSS", func(s soakSample) float64 { return s.browserRSS }},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "slope, MB/min (%s, %d samples):", from, len(use))
	for _, c := range cols {
		var n, sx, sy, sxx, sxy float64
		for _, s := range use {
			x, y := s.t.Minutes(), c.get(s)
			n, sx, sy, sxx, sxy = n+1, sx+x, sy+y, sxx+x*x, sxy+x*y
		}
		slope := 0.0
		if d := n*sxx - sx*sx; d > 0 {
			slope = (n*sxy - sx*sy) / d
		}
		fmt.Fprintf(&b, "  %s %+.3f", c.name, slope)
	}
	return b.String() + "\n"
}

// soakWorkers waits for the training worker (web/worker.js) and its helpers,
// n workers in all, each a target of its own, and attaches to the training
// worker. Not to the helpers: a worker started by a worker is listed
// without a URL, and attaching to it hangs (Chromium 156) and stalls the
// training; their memory shows in the renderer's RSS.
func soakWorkers(t *testing.T, p *browserPage, n int) []context.Context {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		infos, err := chromedp.Targets(p.ctx)
		if err != nil {
			t.Fatal(err)
		}
		var found []*target.Info
		for _, in := range infos {
			if in.Type == "worker" {
				found = append(found, in)
			}
		}
		if len(found) == n {
			var ctxs []context.Context
			for _, in := range found {
				if in.URL == "" {
					continue // a helper
				}
				ctx, cancel := chromedp.NewContext(p.ctx, chromedp.WithTargetID(in.TargetID))
				t.Cleanup(cancel)
				if _, err := chromedp.Call(ctx, runtime.GetHeapUsage, cdp.Empty{}); err != nil {
					t.Fatalf("attaching to the worker %s: %v", in.URL, err)
				}
				ctxs = append(ctxs, ctx)
			}
			return ctxs
		}
		if time.Now().After(deadline) {
			var seen []string
			for _, in := range infos {
				seen = append(seen, in.Type+" "+in.URL)
			}
			t.Fatalf("no worker target among %v", seen)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func soakMeasure(t *testing.T, p *browserPage, workers []context.Context) soakSample {
	t.Helper()
	var s soakSample
	s.samples = number(t, p, "#samples")
	s.epoch = number(t, p, "#epoch")
	var err0 error
	if s.pageHeap, s.pageWasm, err0 = soakHeap(p.ctx, false); err0 != nil {
		t.Fatalf("the page: %v", err0)
	}
	for _, w := range workers {
		heap, wasm, err := soakHeap(w, true)
		s.workerHeap += heap
		s.workerWasm += wasm
		if err == nil {
			continue
		}
		infos, _ := chromedp.Targets(p.ctx)
		var seen []string
		for _, in := range infos {
			seen = append(seen, fmt.Sprintf("%s %s attached=%v", in.Type, in.URL, in.Attached))
		}
		t.Fatalf("the worker: %v; targets %q; console: %q", err, seen, p.logs(""))
	}
	if gc := eval[[]float64](t, p, `window.__aeGC ? window.__aeGC() : []`); len(gc) > 2 {
		s.pageLive = gc[2] / 1e6
	}
	if b := chromedp.FromContext(p.ctx).Browser; b != nil && b.Process() != nil {
		s.rendererRSS, s.browserRSS = chromiumRSS(b.Process().Pid)
	}
	return s
}

// soakHeap returns a target's JavaScript heap in use and the total size of
// its WebAssembly memories, in MB, after a garbage collection.
func soakHeap(ctx context.Context, isWorker bool) (heap, wasm float64, err error) {
	// Best effort: a heap that cannot be collected is measured as it is.
	chromedp.Call(ctx, heapprofiler.CollectGarbage, cdp.Empty{})
	u, err := chromedp.Call(ctx, runtime.GetHeapUsage, cdp.Empty{})
	if err != nil {
		return 0, 0, fmt.Errorf("heap usage: %w", err)
	}
	if isWorker {
		// worker.js's Go instance, a global of the worker: its one memory.
		// (Runtime.queryObjects, as for the page, detaches the worker.)
		res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: "go._inst.exports.mem.buffer.byteLength", ReturnByValue: ptrTrue()})
		if err != nil || res.Result == nil {
			return 0, 0, fmt.Errorf("the worker's WebAssembly memory: %v", err)
		}
		var bytes float64
		if err := json.Unmarshal(res.Result.Value, &bytes); err != nil {
			return 0, 0, fmt.Errorf("the worker's WebAssembly memory %s: %w", res.Result.Value, err)
		}
		return u.UsedSize / 1e6, bytes / 1e6, nil
	}
	const group = "soak"
	defer chromedp.Call(ctx, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: group})
	proto, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: "WebAssembly.Memory.prototype", ObjectGroup: group})
	if err != nil || proto.Result == nil || proto.Result.ObjectID == "" {
		return 0, 0, fmt.Errorf("WebAssembly.Memory.prototype: %v", err)
	}
	objs, err := chromedp.Call(ctx, runtime.QueryObjects, runtime.QueryObjectsParams{PrototypeObjectID: proto.Result.ObjectID, ObjectGroup: group})
	if err != nil {
		return 0, 0, fmt.Errorf("the WebAssembly memories: %w", err)
	}
	res, err := chromedp.Call(ctx, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		FunctionDeclaration: `function () { return this.reduce((n, m) => n + m.buffer.byteLength, 0) }`,
		ObjectID:            objs.Objects.ObjectID, ReturnByValue: ptrTrue(), ObjectGroup: group,
	})
	if err != nil || res.Result == nil {
		return 0, 0, fmt.Errorf("the WebAssembly memories' size: %v", err)
	}
	var bytes float64
	if err := json.Unmarshal(res.Result.Value, &bytes); err != nil {
		return 0, 0, fmt.Errorf("the WebAssembly memories' size %s: %w", res.Result.Value, err)
	}
	return u.UsedSize / 1e6, bytes / 1e6, nil
}

// chromiumRSS returns the resident set, in MB, of Chromium's renderer
// processes and of the whole browser (the process pid and all below it).
func chromiumRSS(pid int) (renderer, all float64) {
	parent := map[int]int{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so after the last ")".
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(f) > 1 {
			parent[n], _ = strconv.Atoi(f[1])
		}
	}
	under := func(n int) bool {
		for ; n > 1; n = parent[n] {
			if n == pid {
				return true
			}
		}
		return false
	}
	for n := range parent {
		if !under(n) {
			continue
		}
		rss := procRSS(n)
		all += rss
		if cmd, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(n), "cmdline")); strings.Contains(string(cmd), "--type=renderer") {
			renderer += rss
		}
	}
	return renderer, all
}

func procRSS(pid int) float64 {
	status, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb * 1024 / 1e6
		}
	}
	return 0
}

func ptrTrue() *bool { yes := true; return &yes }

// soakHeapProfile writes the page's heap profile (__aeHeap, of
// wasm/ui/perfprobe.go) to testdata-artifacts/soak-NAME.heap.pb.gz, for go
// tool pprof.
func soakHeapProfile(t *testing.T, p *browserPage, name string) {
	t.Helper()
	b64 := eval[string](t, p, `window.__aeHeap ? window.__aeHeap() : ""`)
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) == 0 {
		t.Logf("no heap profile of the page: %v %.80q", err, b64)
		return
	}
	if err := os.MkdirAll(artifacts, 0o755); err == nil {
		os.WriteFile(filepath.Join(artifacts, "soak-"+name+".heap.pb.gz"), raw, 0o644)
	}
}
