//go:build !wasm

package e2e

import (
	"testing"
	"time"

	"aeplayground/wasm/lesson"

	"github.com/chromedp/chromedp"
)

// BenchmarkPageLecture measures the memory the lecture page (lecture.html,
// nine lesson embeds) holds in Chromium: the resident set of its renderer
// processes, summed, while each section is scrolled to in turn, its embed
// waited for until it is ready to play and then trained for two seconds.
// It reports the largest sum seen and the sum with the last section in
// view; the target is 1 GB. The page at 1280×800 on the Go server, a
// fresh profile.
func BenchmarkPageLecture(b *testing.B) {
	var peak, end, frames float64
	for b.Loop() {
		bb := newBenchBrowser(b, false)
		if err := chromedp.Do(bb.ctx, chromedp.Navigate(bb.app+"/lecture.html")); err != nil {
			b.Fatal(err)
		}
		pid := chromedp.FromContext(bb.ctx).Browser.Process().Pid
		for _, id := range lesson.IDs() {
			f := `document.querySelector("#` + id + ` iframe")`
			bb.eval(b, `(document.getElementById("`+id+`").scrollIntoView(), true)`, nil)
			bb.poll(b, "the "+id+" embed to be ready", `(() => { const f = `+f+`; const w = f && f.getAttribute("src") && f.contentWindow;
				const p = w && w.document.querySelector("#lesson-play"); return !!(w && w.aePlayground && p && !p.disabled) })()`,
				100*time.Millisecond, 2*time.Minute, nil)
			bb.eval(b, `(`+f+`.contentWindow.document.querySelector("#lesson-play").click(), true)`, nil)
			time.Sleep(2 * time.Second) // training: the worker holds its model and batches
			var n float64
			bb.eval(b, `document.querySelectorAll("main iframe[src]").length`, &n)
			renderer, _ := chromiumRSS(pid)
			b.Logf("%s in view: %.0f MB resident in the renderers, %.0f frames loaded", id, renderer, n)
			peak, frames = max(peak, renderer), max(frames, n)
			end = renderer
		}
	}
	b.ReportMetric(peak, "MB-renderer-RSS-peak")
	b.ReportMetric(end, "MB-renderer-RSS-end")
	b.ReportMetric(frames, "frames-loaded-max")
	b.ReportMetric(0, "ns/op")
}
