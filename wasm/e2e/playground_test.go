//go:build !wasm

package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"aeplayground/wasm/api"
	"aeplayground/wasm/protocol"

	"github.com/chromedp/chromedp"
)

func TestBrowserPlayground(t *testing.T) {
	p := newBrowserPage(t, 1280, 800)
	if err := chromedp.Do(p.ctx); err != nil { // start the browser before the clock
		t.Fatal(err)
	}
	start := time.Now()
	if err := chromedp.Do(p.ctx, chromedp.Navigate(p.url+"/")); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, p, "the pad", `!!document.querySelector("#pad") && !document.getElementById("app-wasm-loader")`, 60*time.Second)
	t.Logf("cold load: the pad accepts input after %v", time.Since(start).Round(time.Millisecond))
	poll[bool](t, p, "the worker to be ready", `!!document.querySelector("#play") && !document.querySelector("#play").disabled`, 90*time.Second)
	t.Logf("cold load: ready to train after %v, %.2f MB served; %v", time.Since(start).Round(time.Millisecond),
		float64(p.served.Load())/1e6, p.logs("worker ready"))
	eval[bool](t, p, `(() => { window.longTasks = [];
		new PerformanceObserver(l => l.getEntries().forEach(e => window.longTasks.push(e.duration))).observe({type: "longtask"});
		return true })()`)

	t.Run("worker protocol", func(t *testing.T) {
		// A second worker gets frames at once, before its Go has started:
		// worker.js must queue them; a kind it does not know gets an error
		// reply.
		frames := eval[[][]int](t, p, `new Promise(resolve => {
			const w = new Worker("/web/worker.js"), seen = [];
			w.onmessage = e => { seen.push(Array.from(e.data));
				const kinds = seen.map(f => f[0]);
				if (kinds.includes(`+fmt.Sprint(byte((&protocol.Pong{}).Kind()))+`) && kinds.includes(`+fmt.Sprint(byte((&protocol.Error{}).Kind()))+`)) { w.terminate(); resolve(seen) } };
			w.postMessage(new Uint8Array(`+jsBytesLiteral(protocol.Append(nil, &protocol.Ping{}))+`));
			w.postMessage(new Uint8Array([255, 0]));
		})`, chromedp.EvalAwaitPromise)
		var got []string
		for _, f := range frames {
			b := make([]byte, len(f))
			for i, v := range f {
				b[i] = byte(v)
			}
			m, _, err := protocol.Decode(b)
			if err != nil {
				t.Fatalf("a reply does not decode: %v", err)
			}
			got = append(got, m.Kind().String())
		}
		if !slices.Contains(got, "pong") || !slices.Contains(got, "error") {
			t.Errorf("replies %q: want a pong and an error", got)
		}
	})

	t.Run("draw", func(t *testing.T) {
		input0, ae0 := canvasSum(t, p, "canvas.clean"), canvasSum(t, p, "canvas.ae")
		r := eval[map[string]float64](t, p, `(() => { const r = document.querySelector("#pad").getBoundingClientRect();
			return {x: r.left, y: r.top, w: r.width, h: r.height} })()`)
		// A "7": a bar across the top, then a stroke down to the left.
		pts := [][2]float64{{0.25, 0.2}, {0.45, 0.2}, {0.7, 0.2}, {0.6, 0.45}, {0.5, 0.65}, {0.42, 0.85}}
		var steps []chromedp.Action[chromedp.Void]
		for i, pt := range pts {
			x, y := r["x"]+pt[0]*r["w"], r["y"]+pt[1]*r["h"]
			typ := chromedp.MouseMoved
			if i == 0 {
				typ = chromedp.MousePressed
			}
			steps = append(steps, chromedp.MouseEvent(typ, x, y, chromedp.ButtonLeft))
		}
		last := pts[len(pts)-1]
		steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, r["x"]+last[0]*r["w"], r["y"]+last[1]*r["h"], chromedp.ButtonLeft))
		if err := chromedp.Do(p.ctx, steps...); err != nil {
			t.Fatal(err)
		}
		poll[bool](t, p, "the 28x28 input to show the stroke", fmt.Sprintf(`(() => { const c = document.querySelector("canvas.clean");
			const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
			let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i] * ((i >> 2) %% 97 + 1); return s != %v })()`, input0), 10*time.Second)
		if got := canvasSum(t, p, "canvas.clean"); got == input0 {
			t.Error("the 28x28 input did not change")
		}
		poll[bool](t, p, "the reconstruction to change", fmt.Sprintf(`(() => { const c = document.querySelector("canvas.ae");
			const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
			let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i] * ((i >> 2) %% 97 + 1); return s != %v })()`, ae0), 10*time.Second)
		if canvasSum(t, p, "canvas.pca") == canvasSum(t, p, "canvas.ae") {
			t.Error("the PCA reconstruction is the same picture as the autoencoder's")
		}
	})

	t.Run("train and pause", func(t *testing.T) {
		test0 := number(t, p, "#test-loss")
		eval[bool](t, p, `(window.longTasks = [], true)`)
		click(t, p, "#play")
		poll[bool](t, p, "an epoch and a lower held-out loss", fmt.Sprintf(
			`parseFloat(document.querySelector("#epoch").textContent) >= 1 && parseFloat(document.querySelector("#test-loss").textContent) < %v`, 0.6*test0),
			2*time.Minute)
		t.Logf("samples/s in the page (survey network): %v", number(t, p, "#rate"))
		// Durations are measured by make bench (and TestBrowserLongTasks on
		// request), never asserted here: a shared CI machine's noise would
		// fail a sound page.
		t.Logf("main-thread long tasks while training: %v ms", eval[[]float64](t, p, `window.longTasks`))
		p.screenshot(t, "playground-1280x800")
		click(t, p, "#pause")
		poll[bool](t, p, "the play button", `!!document.querySelector("#play")`, 5*time.Second)
		// The batches in flight when Pause was pressed are counted in the
		// worker's answer to it, which comes after it has measured the
		// training digits (a second or more on a loaded machine): a script's
		// pause, behind the button's, returns once that answer is in.
		call[api.State](t, p, "pause", "")
		s1 := number(t, p, "#samples")
		time.Sleep(1200 * time.Millisecond)
		if s2 := number(t, p, "#samples"); s2 != s1 {
			t.Errorf("samples seen went from %v to %v while paused", s1, s2)
		}
	})

	t.Run("linear preset meets PCA", func(t *testing.T) {
		click(t, p, "#preset-linear-pca")
		poll[bool](t, p, "the first principal angles", `!!document.querySelector("#largest-angle")`, 20*time.Second)
		start := number(t, p, "#largest-angle")
		click(t, p, "#play")
		poll[bool](t, p, "the largest angle to fall", fmt.Sprintf(`parseFloat(document.querySelector("#largest-angle").textContent) < %v`, start/3),
			2*time.Minute)
		t.Logf("largest principal angle %.1f° -> %.1f°, loss/floor %s; samples/s %v", start, number(t, p, "#largest-angle"),
			eval[string](t, p, `document.querySelector("#ratio").textContent`), number(t, p, "#rate"))
		p.screenshot(t, "linear-pca-1280x800")
		click(t, p, "#pause")
	})

	t.Run("invalid settings", func(t *testing.T) {
		setValue(t, p, "#in-lr", "NaN")
		msg := poll[string](t, p, "the learning rate's error", `document.querySelector("#err-lr") && document.querySelector("#err-lr").textContent`, 5*time.Second)
		if !strings.Contains(strings.ToLower(msg), "learning rate") {
			t.Errorf("error %q does not name the learning rate", msg)
		}
		setValue(t, p, "#in-lr", "0.002")
		setValue(t, p, "#in-k", "5000")
		msg = poll[string](t, p, "the code size's error", `document.querySelector("#err-k") && document.querySelector("#err-k").textContent`, 5*time.Second)
		if !strings.Contains(msg, "1024") {
			t.Errorf("error %q does not name the limit", msg)
		}
		setValue(t, p, "#in-k", "16")
		poll[bool](t, p, "the error to go", `!document.querySelector("#err-k")`, 5*time.Second)

		// A learning rate that makes the loss blow up: the run stops, the
		// page says why, and it keeps working.
		setValue(t, p, "#in-opt", "sgd")
		setValue(t, p, "#in-lr", "90")
		// The last subtest paused: Play is back once the worker has
		// answered (on a loaded machine, after these settings).
		poll[bool](t, p, "Play after the pause", `!!document.querySelector("#play")`, 10*time.Second)
		click(t, p, "#play")
		msg = poll[string](t, p, "the divergence to be named", `document.querySelector("#diverged") && document.querySelector("#diverged").textContent`, 30*time.Second)
		if !strings.Contains(msg, "smaller learning rate") {
			t.Errorf("divergence message %q does not suggest a smaller learning rate", msg)
		}
		poll[bool](t, p, "the run to stop", `!!document.querySelector("#play")`, 5*time.Second)
		setValue(t, p, "#in-lr", "0.01")
		click(t, p, "#step")
		poll[bool](t, p, "a step after recovering", `parseFloat(document.querySelector("#samples").textContent) > 0`, 10*time.Second)
	})

	t.Run("sparse preset", func(t *testing.T) {
		click(t, p, "#preset-sparse")
		poll[bool](t, p, "a new model", `document.querySelector("#samples").textContent == "0"`, 10*time.Second)
		click(t, p, "#play")
		poll[bool](t, p, "an epoch of the sparse model", `parseFloat(document.querySelector("#epoch").textContent) >= 1`, time.Minute)
		poll[bool](t, p, "rho_hat against its target", `document.querySelector(".sparsity-card").textContent.includes("target ρ = 0.05")`, 10*time.Second)
		p.screenshot(t, "sparse-1280x800")
		click(t, p, "#pause")
	})

	long := eval[[]float64](t, p, `window.longTasks`)
	worst := 0.0
	for _, d := range long {
		worst = max(worst, d)
	}
	t.Logf("main-thread long tasks while the suite ran: %d, longest %.0f ms", len(long), worst)
}
