package bus

import (
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

var (
	number = New[int]("test:number")
	word   = New[string]("test:number") // the same name, another type
)

// probe registers handlers of each sort, and counts its renders.
type probe struct {
	app.Compo
	ctx     app.Context
	loud    []int
	loudToo []int // a second handler of the component for the same action
	quiet   []int
	words   []string
	renders int
}

func (p *probe) OnMount(ctx app.Context) {
	p.ctx = ctx
	number.Handle(ctx, func(_ app.Context, v int) { p.loud = append(p.loud, v) })
	number.Handle(ctx, func(_ app.Context, v int) { p.loudToo = append(p.loudToo, v) })
	number.HandleQuiet(ctx, func(_ app.Context, v int) { p.quiet = append(p.quiet, v) })
	word.HandleQuiet(ctx, func(_ app.Context, v string) { p.words = append(p.words, v) })
}

func (p *probe) Render() app.UI {
	p.renders++
	return app.Div()
}

// TestHandlersGetTheirType: every handler of a component runs, each gets
// the values of its own type only (another type under the same name is
// ignored, not a panic), and only Handle re-renders.
func TestHandlersGetTheirType(t *testing.T) {
	p := &probe{}
	d := app.NewClientTester(p)
	defer d.Close()
	d.Consume()
	before := p.renders
	number.Post(p.ctx, 7)
	word.Post(p.ctx, "seven")
	d.Consume()
	if len(p.loud) != 1 || p.loud[0] != 7 || len(p.loudToo) != 1 || p.loudToo[0] != 7 {
		t.Errorf("Handle's two handlers got %v and %v, want [7] each", p.loud, p.loudToo)
	}
	if len(p.quiet) != 1 || p.quiet[0] != 7 {
		t.Errorf("HandleQuiet got %v, want [7]", p.quiet)
	}
	if len(p.words) != 1 || p.words[0] != "seven" {
		t.Errorf("the string handler got %v, want [seven]", p.words)
	}
	if got := p.renders - before; got < 1 {
		t.Errorf("%d renders after a Handle handler ran, want at least 1", got)
	}
}

// TestQuietRendersNothing: a quiet handler alone leaves the component as
// it was.
func TestQuietRendersNothing(t *testing.T) {
	p := &probe{}
	d := app.NewClientTester(p)
	defer d.Close()
	d.Consume()
	before := p.renders
	word.Post(p.ctx, "hush")
	d.Consume()
	if len(p.words) != 1 {
		t.Fatalf("the quiet handler got %v, want one word", p.words)
	}
	if p.renders != before {
		t.Errorf("%d renders after a quiet handler, want none", p.renders-before)
	}
}

// TestDismountedHandlersGo: a component that has gone is not called.
func TestDismountedHandlersGo(t *testing.T) {
	gone := &probe{}
	d := app.NewClientTester(gone)
	d.Consume()
	d.Close()
	stays := &probe{}
	d2 := app.NewClientTester(stays)
	defer d2.Close()
	d2.Consume()
	number.Post(stays.ctx, 3)
	d2.Consume()
	if len(gone.loud) != 0 {
		t.Errorf("a dismounted component's handler ran: %v", gone.loud)
	}
	if len(stays.loud) != 1 {
		t.Errorf("the mounted component's handler got %v, want [3]", stays.loud)
	}
}
