//go:build !wasm

package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// BenchmarkPageTimeToProof measures, in a fresh page each run, the time from
// pressing Play on the preset "Linear autoencoder = PCA" (k = 16, cosine
// decay) to the proof: every principal angle below 1° and the held-out
// squared error within 0.2% of PCA's on the same digits, as getState reads
// them. The workers are the page's default. Median of benchRuns runs.
func BenchmarkPageTimeToProof(b *testing.B) {
	for _, preset := range []string{"linear-pca", "linear-tied"} {
		b.Run(preset, func(b *testing.B) {
			var secs, epochs []float64
			for b.Loop() {
				for range benchRuns {
					s, e := timeToProof(b, preset)
					secs, epochs = append(secs, s), append(epochs, e)
				}
			}
			b.ReportMetric(median(secs), "s-to-proof")
			b.ReportMetric(median(epochs), "epochs-to-proof")
			b.ReportMetric(0, "ns/op")
			for i := range secs {
				b.Logf("run %d: every angle below 1° and loss/PCA ≤ 1.002 after %.1f s of training (epoch %.1f)", i+1, secs[i], epochs[i])
			}
		})
	}
}

func timeToProof(b *testing.B, preset string) (seconds, epoch float64) {
	bb := newBenchBrowser(b, false)
	if err := chromedp.Do(bb.ctx, chromedp.Navigate(bb.app+"/#preset="+preset)); err != nil {
		b.Fatal(err)
	}
	bb.poll(b, "the page ready to train", `!!window.aePlayground && !!document.querySelector("#play") && !document.querySelector("#play").disabled`,
		50*time.Millisecond, 90*time.Second, nil)
	bb.eval(b, `(window.__t0 = performance.now(), document.querySelector("#play").click(), true)`, nil)
	var out struct{ Seconds, Epoch float64 }
	bb.poll(b, "the proof", `window.aePlayground.call("getState").then(s => {
		const a = s.principalAnglesDeg;
		if (!a || a.length == 0 || Math.max(...a) >= 1 || !(s.lossOverFloor <= 1.002)) return null;
		return {Seconds: (performance.now() - window.__t0) / 1000, Epoch: s.epoch};
	})`, 50*time.Millisecond, 3*time.Minute, &out)
	return out.Seconds, out.Epoch
}
