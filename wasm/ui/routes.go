package ui

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Routes maps URLs to components, for the browser and the server alike.
func Routes() {
	app.Route("/", &playground{})
}
