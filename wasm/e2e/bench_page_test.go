//go:build !wasm

package e2e

// Page benchmarks (issue 4) and the TF.js comparison (issue 6), driving
// Debian's headless Chromium against the app served in-process, as the
// browser suite does. They run only with -bench (`make bench`):
//
//	go test -run '^$' -bench 'Page|Peer' -benchtime 1x ./wasm/e2e
//
// BenchmarkPageColdLoad loads the page into a fresh profile a few times:
// bytes served and the time until a pointer stroke changes the 28x28 input.
//
// BenchmarkPageTraining trains the two workloads of the engine benchmarks in
// the page, set by the URL fragment and started by the page's play button,
// and reads the page's own counters; while it trains it records the longest
// main-thread task and the draw-to-reconstruction latency. With the TF.js
// peer installed (npm ci in wasm/bench/peer, as `make bench` does) each
// playground run alternates with a run of the peer page in the same
// browser, and the benchmark prints the comparison.

import (
	"context"
	"encoding/binary"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

const (
	benchWarmup  = 3 * time.Second  // training before the clock starts
	benchMeasure = 10 * time.Second // training timed
	benchStrokes = 7                // strokes timed for draw-to-reconstruction
)

var peerDir = filepath.Join("..", "bench", "peer")

// benchWorkloads are the engine benchmarks' workloads (engine/ae/bench_test.go)
// as URL fragments.
var benchWorkloads = []struct {
	name, fragment string
	batch, k       int
}{
	{"W1", "preset=survey&k=32&hidden=&f=leakyrelu&g=sigmoid&loss=mse&init=survey&opt=adam&lr=0.005&batch=256&seed=123", 256, 32},
	{"W2", "preset=survey&k=64&hidden=&f=sigmoid&g=sigmoid&loss=mse&init=pytorch&opt=adam&lr=0.001&batch=32&seed=1", 32, 64},
}

// flopsPerSample counts a 784-k-784 step's three matrix products per layer
// (forward, weight gradient, input gradient; 2·in·out flops each), as the
// engine benchmark does, so the page's GFLOP/s compare with its figures.
func flopsPerSample(k int) float64 { return 2 * 3 * 2 * 784 * float64(k) }

// newPeerServer serves the TF.js peer: peer.html and peer.js, TF.js's
// browser bundles and the wasm backend's .wasm files from node_modules, and
// the playground's own digits, decoded (engine/mnist), at /digits.
// It returns nil, after saying why, if the peer is not installed.
func newPeerServer(b *testing.B) *httptest.Server {
	nm := filepath.Join(peerDir, "node_modules", "@tensorflow")
	tfjs := filepath.Join(nm, "tfjs", "dist")
	tfwasm := filepath.Join(nm, "tfjs-backend-wasm", "dist")
	for _, f := range []string{filepath.Join(tfjs, "tf.min.js"), filepath.Join(tfwasm, "tf-backend-wasm.min.js"), filepath.Join(tfwasm, "tfjs-backend-wasm-simd.wasm")} {
		if _, err := os.Stat(f); err != nil {
			b.Logf("the TF.js peer is not installed (%v): run `make bench`, or `npm ci` in wasm/bench/peer; measuring the playground alone", err)
			return nil
		}
	}
	mux := http.NewServeMux()
	file := func(path, typ string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", typ)
			w.Header().Set("Cache-Control", "no-cache")
			http.ServeFile(w, r, path)
		}
	}
	mux.Handle("GET /{$}", file(filepath.Join(peerDir, "peer.html"), "text/html; charset=utf-8"))
	mux.Handle("GET /peer.js", file(filepath.Join(peerDir, "peer.js"), "text/javascript; charset=utf-8"))
	mux.Handle("GET /tfjs/tf.min.js", file(filepath.Join(tfjs, "tf.min.js"), "text/javascript; charset=utf-8"))
	mux.Handle("GET /tfjs-wasm/tf-backend-wasm.min.js", file(filepath.Join(tfwasm, "tf-backend-wasm.min.js"), "text/javascript; charset=utf-8"))
	for _, w := range []string{"tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"} {
		mux.Handle("GET /tfjs-wasm/"+w, file(filepath.Join(tfwasm, w), "application/wasm"))
	}
	digits := benchDigits(b)
	// As peer.js reads them: the train and test counts (uint32, little
	// endian), then the train digits' pixels, then the test digits'.
	plain := binary.LittleEndian.AppendUint32(nil, uint32(digits.Train.Len()))
	plain = binary.LittleEndian.AppendUint32(plain, uint32(digits.Test.Len()))
	plain = append(append(plain, digits.Train.Images...), digits.Test.Images...)
	mux.HandleFunc("GET /digits", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(plain)
	})
	mux.Handle("GET /favicon.ico", http.NotFoundHandler())
	// Cross-origin isolation, so that TF.js can run its multi-threaded
	// build when asked to.
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cross-Origin-Opener-Policy", "same-origin")
		w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
		mux.ServeHTTP(w, r)
	}))
}

// stroke draws a stroke on the pad with real (trusted) pointer events, the
// points given as fractions of the pad's box.
func (bb *benchBrowser) stroke(b *testing.B, pts [][2]float64) {
	b.Helper()
	var r struct{ X, Y, W, H float64 }
	bb.eval(b, `(() => { const r = document.querySelector("#pad").getBoundingClientRect();
		return {X: r.left, Y: r.top, W: r.width, H: r.height} })()`, &r)
	var steps []chromedp.Action[chromedp.Void]
	for i, p := range pts {
		typ := chromedp.MouseMoved
		if i == 0 {
			typ = chromedp.MousePressed
		}
		steps = append(steps, chromedp.MouseEvent(typ, r.X+p[0]*r.W, r.Y+p[1]*r.H, chromedp.ButtonLeft))
	}
	last := pts[len(pts)-1]
	steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, r.X+last[0]*r.W, r.Y+last[1]*r.H, chromedp.ButtonLeft))
	if err := chromedp.Do(bb.ctx, steps...); err != nil {
		b.Fatal(err)
	}
}

var sevenStroke = [][2]float64{{0.25, 0.2}, {0.45, 0.2}, {0.7, 0.2}, {0.6, 0.45}, {0.5, 0.65}, {0.42, 0.85}}

// coldLoad is one cold load into a fresh profile.
type coldLoad struct {
	padMs, readyMs    float64 // since navigation start
	bytesReady, bytes int64   // bodies served until ready to train, and until quiet
	requests          int64
	longestMs         float64
}

func measureColdLoad(b *testing.B) coldLoad {
	bb := newBenchBrowser(b, false)
	if err := chromedp.Do(bb.ctx); err != nil { // start the browser before the clock
		b.Fatal(err)
	}
	if err := chromedp.Do(bb.ctx, chromedp.Navigate(bb.app+"/")); err != nil {
		b.Fatal(err)
	}
	bb.poll(b, "the pad", `!!document.querySelector("#pad") && !document.getElementById("app-wasm-loader") && !!window.__pixels("canvas.clean")`,
		10*time.Millisecond, 60*time.Second, nil)
	// The pad accepts input when a stroke changes the 28x28 input from the
	// empty one; while it does not, strokes are drawn again, each a little
	// to the right of the last.
	var c coldLoad
	bb.eval(b, `(window.__before = window.__pixels("canvas.clean"), true)`, nil)
	for try := 0; ; try++ {
		d := 0.002 * float64(try%50)
		pts := make([][2]float64, len(sevenStroke))
		for j, p := range sevenStroke {
			pts[j] = [2]float64{p[0] + d, p[1]}
		}
		bb.stroke(b, pts)
		at, err := chromedp.Run(bb.ctx, chromedp.Evaluate[float64](`new Promise(resolve => {
			const t0 = performance.now();
			const check = () => {
				if (window.__diff(window.__pixels("canvas.clean"), window.__before) > 0) resolve(performance.now());
				else if (performance.now() - t0 > 300) resolve(-1);
				else requestAnimationFrame(check);
			};
			requestAnimationFrame(check);
		})`, chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatal(err)
		}
		if at > 0 {
			c.padMs = at
			break
		}
		if try > 200 {
			b.Fatal("no stroke changed the 28x28 input")
		}
	}
	bb.poll(b, "the worker to be ready", `!!document.querySelector("#play") && !document.querySelector("#play").disabled && performance.now()`,
		20*time.Millisecond, 90*time.Second, &c.readyMs)
	c.bytesReady = bb.served.Load()
	// Then wait for the network to go quiet (the service worker caches the
	// app for offline use).
	last, quiet := bb.served.Load(), time.Now()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && time.Since(quiet) < 1500*time.Millisecond; {
		time.Sleep(100 * time.Millisecond)
		if n := bb.served.Load(); n != last {
			last, quiet = n, time.Now()
		}
	}
	c.bytes, c.requests = bb.served.Load(), bb.reqs.Load()
	var long []struct{ Start, Ms float64 }
	bb.eval(b, `window.__longTasks`, &long)
	for _, l := range long {
		c.longestMs = max(c.longestMs, l.Ms)
	}
	return c
}

func BenchmarkPageColdLoad(b *testing.B) {
	var loads []coldLoad
	for b.Loop() {
		for range benchRuns {
			loads = append(loads, measureColdLoad(b))
		}
	}
	pick := func(f func(coldLoad) float64) float64 {
		v := make([]float64, len(loads))
		for i, l := range loads {
			v[i] = f(l)
		}
		return median(v)
	}
	pad, ready := pick(func(l coldLoad) float64 { return l.padMs }), pick(func(l coldLoad) float64 { return l.readyMs })
	bytesReady, bytes := pick(func(l coldLoad) float64 { return float64(l.bytesReady) }), pick(func(l coldLoad) float64 { return float64(l.bytes) })
	b.ReportMetric(pad, "ms-to-pad-input")
	b.ReportMetric(ready, "ms-to-ready-to-train")
	b.ReportMetric(bytesReady/1e6, "MB-until-ready")
	b.ReportMetric(bytes/1e6, "MB-total")
	b.ReportMetric(pick(func(l coldLoad) float64 { return float64(l.requests) }), "requests")
	b.ReportMetric(pick(func(l coldLoad) float64 { return l.longestMs }), "ms-longest-task")
	b.ReportMetric(0, "ns/op")
	for i, l := range loads {
		b.Logf("cold load %d: input after %.0f ms, ready to train after %.0f ms; %.2f MB served until ready, %.2f MB in %d requests in all; longest task %.0f ms",
			i+1, l.padMs, l.readyMs, float64(l.bytesReady)/1e6, float64(l.bytes)/1e6, l.requests, l.longestMs)
	}
}

// pageRun is one training run of the playground.
type pageRun struct {
	rate      float64   // samples/s over the timed window, from the page's counter
	windowMs  float64   // length of that window
	longestMs float64   // longest main-thread task in the timed window
	drawingMs float64   // longest main-thread task while drawing the strokes (still training)
	evalMSE   float64   // the page's held-out loss at the end (per-pixel MSE, 500 digits)
	latencyMs []float64 // draw-to-reconstruction, each stroke
}

// trainPage loads the playground with the workload's fragment, chooses the
// number of workers (0: the page's default), trains with the play button
// and reads the page's counters.
func trainPage(b *testing.B, bb *benchBrowser, fragment string, workers, strokes int) pageRun {
	b.Helper()
	// Each run starts from a new model: leave the page (it stops saving),
	// then forget the model and settings it saved, which it would restore.
	err := chromedp.Do(bb.ctx, chromedp.Navigate("about:blank"), chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, storage.ClearDataForOrigin, storage.ClearDataForOriginParams{Origin: bb.app, StorageTypes: "indexeddb,local_storage"})
		return err
	}), chromedp.Navigate(bb.app+"/#"+fragment))
	if err != nil {
		b.Fatal(err)
	}
	bb.poll(b, "the worker to be ready", `!!document.querySelector("#play") && !document.querySelector("#play").disabled`,
		50*time.Millisecond, 90*time.Second, nil)
	if workers > 0 {
		bb.eval(b, fmt.Sprintf(`(() => { const e = document.querySelector("#in-workers"); e.value = "%d";
			e.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, workers), nil)
		bb.poll(b, "the workers", fmt.Sprintf(`window.aePlayground.call("getState").then(s => s.workers == %d)`, workers),
			50*time.Millisecond, 30*time.Second, nil)
	}
	var note string
	bb.eval(b, `(document.querySelector("#note") || {}).textContent || ""`, &note)
	if strings.TrimSpace(note) != "" {
		b.Fatalf("the page refused part of the fragment %q: %s", fragment, note)
	}
	// The page's samples-seen counter, timestamped as it changes.
	bb.eval(b, `(() => { window.__samples = [];
		const el = document.querySelector("#samples");
		const rec = () => window.__samples.push([performance.now(), parseFloat(el.textContent)]);
		new MutationObserver(rec).observe(el, {subtree: true, childList: true, characterData: true});
		return true })()`, nil)
	bb.eval(b, `(document.querySelector("#play").click(), true)`, nil)
	time.Sleep(benchWarmup)
	var t0 float64
	bb.eval(b, `performance.now()`, &t0)
	time.Sleep(benchMeasure + 500*time.Millisecond)
	var r pageRun
	var t1 float64
	bb.eval(b, `performance.now()`, &t1)
	var w struct{ Rate, Ms float64 }
	bb.eval(b, fmt.Sprintf(`(() => { const s = window.__samples.filter(p => p[0] >= %v);
		if (s.length < 2) return {Rate: 0, Ms: 0};
		const a = s[0], z = s[s.length - 1];
		return {Rate: (z[1] - a[1]) / (z[0] - a[0]) * 1000, Ms: z[0] - a[0]} })()`, t0), &w)
	r.rate, r.windowMs = w.Rate, w.Ms
	if r.rate <= 0 || r.windowMs < float64(benchMeasure/time.Millisecond)-500 {
		b.Fatalf("training did not advance the counter for 10 s (%v samples/s over %.0f ms); console: check the page", r.rate, r.windowMs)
	}

	// Draw-to-reconstruction latency while training: clear the pad, draw a
	// stroke, and watch the reconstruction each frame. The worker also
	// refreshes the reconstruction as the model trains, by a little; the
	// stroke's answer is the first frame whose difference from before the
	// stroke is at least half the difference once it has settled.
	for i := range strokes {
		bb.eval(b, `([...document.querySelectorAll(".pad-card button")].find(b => b.textContent == "Clear").click(), true)`, nil)
		time.Sleep(400 * time.Millisecond)
		bb.eval(b, `(() => { const base = window.__pixels("canvas.ae"), trace = []; window.__trace = trace;
			const t0 = performance.now();
			const frame = () => { trace.push([performance.now(), window.__diff(window.__pixels("canvas.ae"), base)]);
				if (performance.now() - t0 < 1500) requestAnimationFrame(frame) };
			requestAnimationFrame(frame); return true })()`, nil)
		// Vary the stroke a little so each one is a new digit.
		d := 0.03 * float64(i%3-1)
		pts := make([][2]float64, len(sevenStroke))
		for j, p := range sevenStroke {
			pts[j] = [2]float64{p[0] + d, p[1] + d}
		}
		bb.stroke(b, pts)
		time.Sleep(1600 * time.Millisecond)
		var lat float64
		bb.eval(b, `(() => { const tr = window.__trace, down = window.__pointerDown;
			const after = tr.filter(p => p[0] >= down + 1000).map(p => p[1]).sort((a, b) => a - b);
			const settled = after[after.length >> 1];
			if (!(settled > 0)) return -1;
			const hit = tr.find(p => p[0] >= down && p[1] >= settled / 2);
			return hit ? hit[0] - down : -1 })()`, &lat)
		if lat < 0 {
			b.Fatalf("stroke %d: the reconstruction did not change", i+1)
		}
		r.latencyMs = append(r.latencyMs, lat)
	}

	var long []struct{ Start, Ms float64 }
	bb.eval(b, `window.__longTasks`, &long)
	for _, l := range long {
		switch {
		case l.Start >= t1:
			r.drawingMs = max(r.drawingMs, l.Ms)
		case l.Start >= t0:
			r.longestMs = max(r.longestMs, l.Ms)
		}
	}
	bb.eval(b, `parseFloat(document.querySelector("#test-loss").textContent)`, &r.evalMSE)
	bb.eval(b, `(document.querySelector("#pause").click(), true)`, nil)
	return r
}

// peerRun is one training run of the TF.js peer.
type peerRun struct {
	Workload      string
	SamplesPerSec float64
	Steps         int
	Ms            float64
	EvalMSEBefore float64
	EvalMSE       float64
	Tensors       int
}

type peerInfo struct {
	Backend  string
	SIMD     bool
	Threads  int
	Isolated bool
	Version  string
}

// trainPeer runs the TF.js peer on the wasm backend with SIMD: on one
// thread, or with threads on as many as TF.js chooses.
func trainPeer(b *testing.B, bb *benchBrowser, workload string, threads bool, info *peerInfo) peerRun {
	b.Helper()
	if err := chromedp.Do(bb.ctx, chromedp.Navigate(bb.peer+"/")); err != nil {
		b.Fatal(err)
	}
	bb.eval(b, fmt.Sprintf(`peerSetup(%v)`, threads), info, chromedp.EvalAwaitPromise)
	if info.Backend != "wasm" || !info.SIMD {
		b.Fatalf("the peer runs on %+v, want the wasm backend with SIMD", *info)
	}
	if threads && info.Threads < 2 {
		b.Logf("TF.js did not start threads (%+v)", *info)
	}
	var r peerRun
	bb.eval(b, fmt.Sprintf(`peerRun(%q, %d, %d, 1)`, workload, benchWarmup.Milliseconds(), benchMeasure.Milliseconds()), &r, chromedp.EvalAwaitPromise)
	return r
}

func BenchmarkPageTraining(b *testing.B) {
	for _, w := range benchWorkloads {
		b.Run(w.name, func(b *testing.B) {
			var pages, pagesAll []pageRun // on one worker, and on one per core
			var peers, peersMT []peerRun
			var info peerInfo
			var cores int
			for b.Loop() {
				bb := newBenchBrowser(b, true)
				bb.eval(b, `navigator.hardwareConcurrency || 1`, &cores)
				for run := range benchRuns {
					// Alternate, starting with the playground, then the peer
					// first, so neither always has the warmer machine.
					page := func() {
						pages = append(pages, trainPage(b, bb, w.fragment, 1, benchStrokes))
						p := pages[len(pages)-1]
						b.Logf("run %d playground, 1 worker: %.0f samples/s over %.1f s, held-out MSE %.4f, longest task %.0f ms (%.0f ms while drawing), draw-to-reconstruction %v ms",
							run+1, p.rate, p.windowMs/1000, p.evalMSE, p.longestMs, p.drawingMs, roundAll(p.latencyMs))
						if cores > 1 {
							pagesAll = append(pagesAll, trainPage(b, bb, w.fragment, cores, 0))
							p := pagesAll[len(pagesAll)-1]
							b.Logf("run %d playground, %d workers: %.0f samples/s, held-out MSE %.4f, longest task %.0f ms",
								run+1, cores, p.rate, p.evalMSE, p.longestMs)
						}
					}
					peer := func() {
						if bb.peer == "" {
							return
						}
						for _, threads := range []bool{false, true} {
							p := trainPeer(b, bb, w.name, threads, &info)
							if threads {
								peersMT = append(peersMT, p)
							} else {
								peers = append(peers, p)
							}
							b.Logf("run %d TF.js %s (%s, SIMD %v, %d threads, cross-origin isolated %v): %.0f samples/s over %.1f s, held-out MSE %.4f -> %.4f, %d tensors left",
								run+1, info.Version, info.Backend, info.SIMD, info.Threads, info.Isolated, p.SamplesPerSec, p.Ms/1000, p.EvalMSEBefore, p.EvalMSE, p.Tensors)
						}
					}
					if run%2 == 0 {
						page()
						peer()
					} else {
						peer()
						page()
					}
				}
			}
			col := func(f func(pageRun) float64) float64 {
				v := make([]float64, len(pages))
				for i, p := range pages {
					v[i] = f(p)
				}
				return median(v)
			}
			var lats []float64
			for _, p := range pages {
				lats = append(lats, p.latencyMs...)
			}
			rate := col(func(p pageRun) float64 { return p.rate })
			b.ReportMetric(rate, "samples/s")
			b.ReportMetric(rate*flopsPerSample(w.k)/1e9, "GFLOP/s")
			rateAll := rate
			if len(pagesAll) > 0 {
				v := make([]float64, len(pagesAll))
				for i, p := range pagesAll {
					v[i] = p.rate
				}
				rateAll = median(v)
			}
			b.ReportMetric(float64(cores), "cores")
			b.ReportMetric(rateAll, "samples/s-all-cores")
			b.ReportMetric(col(func(p pageRun) float64 { return p.evalMSE }), "MSE")
			b.ReportMetric(col(func(p pageRun) float64 { return p.longestMs }), "ms-longest-task")
			b.ReportMetric(col(func(p pageRun) float64 { return p.drawingMs }), "ms-longest-task-drawing")
			b.ReportMetric(median(lats), "ms-draw-to-recon")
			b.ReportMetric(0, "ns/op")
			if len(peers) == 0 {
				return
			}
			report := func(runs []peerRun, suffix string) {
				pv, pm := make([]float64, len(runs)), make([]float64, len(runs))
				for i, p := range runs {
					pv[i], pm[i] = p.SamplesPerSec, p.EvalMSE
				}
				b.ReportMetric(median(pv), "peer"+suffix+"-samples/s")
				b.ReportMetric(median(pm), "peer"+suffix+"-MSE")
				b.ReportMetric(rate/median(pv), "page/peer"+suffix)
				b.ReportMetric(rateAll/median(pv), "page-all-cores/peer"+suffix)
			}
			report(peers, "")
			report(peersMT, "-threads")
		})
	}
}

func roundAll(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(int(x + 0.5))
	}
	return out
}

// BenchmarkPageWorkers measures data-parallel training in the page: the two
// workloads on 1 to 4 workers (more than the cores, to see what that
// costs), alternating the order between runs, with the speed-up over one
// worker.
func BenchmarkPageWorkers(b *testing.B) {
	counts := []int{1, 2, 3, 4}
	for _, w := range benchWorkloads {
		b.Run(w.name, func(b *testing.B) {
			rates := make(map[int][]float64)
			for b.Loop() {
				bb := newBenchBrowser(b, false)
				for run := range benchRuns {
					order := slices.Clone(counts)
					if run%2 == 1 {
						slices.Reverse(order)
					}
					for _, n := range order {
						r := trainPage(b, bb, w.fragment, n, 0)
						rates[n] = append(rates[n], r.rate)
						b.Logf("run %d, %d workers: %.0f samples/s, held-out MSE %.4f, longest task %.0f ms", run+1, n, r.rate, r.evalMSE, r.longestMs)
					}
				}
			}
			one := median(rates[1])
			for _, n := range counts {
				m := median(rates[n])
				b.ReportMetric(m, fmt.Sprintf("samples/s-%dw", n))
				b.ReportMetric(m/one, fmt.Sprintf("speedup-%dw", n))
			}
			b.ReportMetric(0, "ns/op")
		})
	}
}
