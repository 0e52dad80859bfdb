// Command wasm is the autoencoder playground. Built for GOOS=js GOARCH=wasm it
// is the page (web/app.wasm); built natively it is the server that serves that
// page, or writes it out as a static website.
package main

import (
	"runtime/debug"
	"time"

	"aeplayground/wasm/browser"
	"aeplayground/wasm/page"
	"aeplayground/wasm/ui"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

func main() {
	if app.IsClient {
		// A collection runs on the main thread in one piece (Go's wasm port
		// has one thread), and what it costs grows with the garbage since
		// the last one, not with the live heap (~1-2 MB, marked in ~5 ms):
		// the heap's spans to sweep, and the finalizers of every js.Value
		// let go of (one per JavaScript object or string Go received; each
		// is a root to scan, a special to free and a call into JavaScript).
		// So collect often and small: at GOGC 800 (heap goal at least
		// 32 MB) a collection came every ~30 s and took 70-350 ms; at 100
		// (goal ~4 MB) one comes every 2-6 s and takes 10-25 ms (measured
		// with make longtasks). The memory limit bounds the heap whatever
		// the live data does: the wasm memory never shrinks.
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(64 << 20)
		// A tab opened again without a link starts from the last saved
		// settings (storage.go), before anything reads the URL.
		browser.ShimOpaqueStorage() // before go-app reads localStorage
		page.RestoreSavedFragment()
		browser.InstallGCProbe() // ?aetest=1 only
		// Starting Go (its runtime and every package's init) and the first
		// mount were one task of 200-300 ms; this sleep splits them, since
		// Go's runtime gives the thread back to the browser while every
		// goroutine waits: input and paint can come between.
		time.Sleep(time.Millisecond)
	}
	ui.Routes()
	app.RunWhenOnBrowser()
	runServer()
}
