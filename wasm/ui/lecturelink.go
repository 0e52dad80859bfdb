package ui

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// lectureLink opens the lecture notes (lecture.html, beside the page, so
// under any path). The browser follows it: go-app's router, which takes
// every link's click on the window, knows no such page.
func lectureLink() app.UI {
	return app.A().ID("lecture-link").Href("lecture.html").Text("Lecture notes").
		Title("The survey's sections as notes, each with its lesson step live").
		OnClick(func(ctx app.Context, e app.Event) { e.Call("stopPropagation") })
}
