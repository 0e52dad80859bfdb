//go:build !wasm

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"aeplayground/wasm/lesson"

	"github.com/chromedp/chromedp"
)

// TestBrowserPhoneFirstScreen: on a phone (390 × 844) the first screen
// holds what a student uses first: the pad, the reconstruction and Play,
// and in a lesson step also its words (for steps whose panels have the
// pad or the reconstruction); the rest is below.
func TestBrowserPhoneFirstScreen(t *testing.T) {
	const w, h = 390, 844
	type page struct {
		name, frag string
		want       []string // selectors that must lie within the first screen
	}
	cases := []page{{"playground", "", []string{"#pad", "#your-digit .digit:not([hidden]) canvas.ae", "#play"}}}
	// Every lesson step: its words and Play, and the pad and the
	// reconstruction where the step shows them.
	for _, s := range lesson.Steps() {
		want := []string{"#lesson-title", ".lesson-text", "#lesson-play"}
		if slices.Contains(s.Panels, "pad") {
			want = append(want, "#pad")
		}
		if slices.Contains(s.Panels, "recon") {
			want = append(want, "#your-digit .digit:not([hidden]) canvas.ae")
		}
		cases = append(cases, page{"lesson-" + s.ID, "#lesson=" + s.ID, want})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newBrowserPage(t, w, h)
			openPlayground(t, p, "/"+c.frag)
			p.screenshot(t, "phone-"+c.name)
			// The first screen as the phone shows it.
			first, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(artifacts, "phone-first-screen-"+c.name+".png"), first, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, sel := range c.want {
				box := eval[[]float64](t, p, fmt.Sprintf(`(() => { const e = document.querySelector(%q);
					if (!e) return [-1, -1, -1, -1];
					const r = e.getBoundingClientRect(); return [r.left, r.top + scrollY, r.right, r.bottom + scrollY] })()`, sel))
				if box[0] < 0 || box[1] < 0 || box[2] > w || box[3] > h || box[3] <= box[1] {
					t.Errorf("%s at x %.0f–%.0f, y %.0f–%.0f: want it within the first %d × %d screen", sel, box[0], box[2], box[1], box[3], w, h)
				}
			}
			// The line under Train names the model once the worker has built it.
			poll[bool](t, p, "the architecture line", `document.querySelector("#arch").textContent.startsWith("784-")`, 30*time.Second)
			if c.frag == "" {
				// The rest follows below, in one column that fits the width.
				if sw := eval[float64](t, p, `document.documentElement.scrollWidth`); sw > w {
					t.Errorf("the page is %g px wide on a %d px screen", sw, w)
				}
				order := eval[[]string](t, p, `[...document.querySelectorAll(".panels .card")].filter((c) => c.offsetParent)
					.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).slice(0, 3).map((c) => c.className)`)
				if !strings.Contains(strings.Join(order, " "), "pad-card") {
					t.Errorf("the first cards: %v", order)
				}
			}
		})
	}
}
