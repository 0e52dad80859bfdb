package ui

import (
	"strconv"

	"aeplayground/wasm/protocol"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// maxWorkers matches the worker's bound (wasm/worker/parallel.go).
const maxWorkers = 16

// workersControl chooses how many Web Workers share each batch
// (data-parallel training, wasm/worker/parallel.go). The default leaves
// one of the machine's cores to the page.
type workersControl struct {
	app.Compo

	Worker *workerclient.Client

	n, most, cores int
}

func (w *workersControl) OnMount(ctx app.Context) {
	cores := 1
	if hc := app.Window().Get("navigator").Get("hardwareConcurrency"); hc.Type() == app.TypeNumber {
		cores = max(1, hc.Int())
	}
	w.most = min(max(cores, 4), maxWorkers) // more than the cores: to see that it does not help
	w.cores = cores
	w.n = max(1, min(cores-1, maxWorkers))
	w.Worker.Send(&protocol.SetWorkers{N: w.n})
}

func (w *workersControl) Render() app.UI {
	opts := make([]app.UI, w.most)
	for i := range opts {
		opts[i] = app.Option().Value(strconv.Itoa(i + 1)).Text(strconv.Itoa(i + 1)).Selected(i+1 == w.n)
	}
	return app.Section().Class("card workers-card").Aria("label", "Workers").Body(app.Div().Class("field").Body(
		app.Label().For("in-workers").Text("Workers training in parallel"),
		app.Select().ID("in-workers").OnChange(w.onChange).Body(opts...),
		app.P().Class("note").Text("Each worker computes the gradient of its share of a batch; they are summed for one step, so the result is the same up to rounding."+
			w.coresText()+" Sparse models use one worker."),
	))
}

// coresText names the machine's cores, once the browser has said (the
// server's rendering of the page cannot know them).
func (w *workersControl) coresText() string {
	if w.cores == 0 {
		return ""
	}
	return " This machine has " + strconv.Itoa(w.cores) + " cores."
}

func (w *workersControl) onChange(ctx app.Context, e app.Event) {
	n, err := strconv.Atoi(ctx.JSSrc().Get("value").String())
	if err != nil || n < 1 || n > maxWorkers {
		return
	}
	w.n = n
	w.Worker.Send(&protocol.SetWorkers{N: n})
}
