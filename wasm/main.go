// Command wasm is the autoencoder playground. Built for GOOS=js GOARCH=wasm it
// is the page (web/app.wasm); built natively it is the server that serves that
// page, or writes it out as a static website.
package main

import "github.com/maxence-charriere/go-app/v9/pkg/app"

func main() {
	routes()
	app.RunWhenOnBrowser()
	runServer()
}

// routes maps URLs to components, for the browser and the server alike.
func routes() {
	app.Route("/", &playground{})
}
