// Command wasm is the autoencoder playground. Built for GOOS=js GOARCH=wasm it
// is the page (web/app.wasm); built natively it is the server that serves that
// page, or writes it out as a static website.
package main

import (
	"runtime/debug"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

func main() {
	if app.IsClient {
		// The page's live heap is small (~2 MB) but a collection still
		// takes 40-60 ms as wasm, on the main thread, however much garbage
		// there is: collect rarely, so that drawing and panel updates are
		// rarely held up (measured with TestBrowserLongTasks: at 300, twice
		// the collections and a 136 ms task while training). The heap, and
		// the wasm memory, which never shrinks, then reach ~9x the live
		// data: the memory limit bounds that whatever the live heap does.
		debug.SetGCPercent(800)
		debug.SetMemoryLimit(64 << 20)
		// A tab opened again without a link starts from the last saved
		// settings (storage.go), before anything reads the URL.
		restoreSavedFragment()
		installGCProbe() // ?aetest=1 only (perfprobe.go)
	}
	routes()
	app.RunWhenOnBrowser()
	runServer()
}

// routes maps URLs to components, for the browser and the server alike.
func routes() {
	app.Route("/", &playground{})
}
