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
		// The page's live heap is small (1-2 MB) but a collection still
		// takes 5-60 ms as wasm, on the main thread: collect less often, so
		// that drawing and panel updates are rarely held up.
		debug.SetGCPercent(800)
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
