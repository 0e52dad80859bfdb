package ui

import (
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// embedPlay is the compact Play/Pause of an embed whose panels leave out
// the train panel: every embed can be trained on its own.
type embedPlay struct {
	app.Compo

	Worker  *workerclient.Client
	Ready   bool
	running bool
}

func (e *embedPlay) OnMount(ctx app.Context) {
	workerclient.OnQuiet(ctx, func(ctx app.Context, p *protocol.Progress) {
		if p.Model == 0 && p.Running != e.running {
			e.running = p.Running
			e.Update()
		}
	})
}

func (e *embedPlay) Render() app.UI {
	text, title := "▶ Play", "Train the model"
	if e.running {
		text, title = "❚❚ Pause", "Pause training"
	}
	return app.Button().ID("embed-play").Class("primary compact").Title(title).Disabled(!e.Ready).Text(text).
		OnClick(func(ctx app.Context, ev app.Event) {
			if e.running {
				e.Worker.Send(&protocol.Pause{})
				return
			}
			e.Worker.Send(&protocol.Play{})
		})
}
