package workerclient

import (
	"testing"

	"aeplayground/wasm/protocol"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

type clientPage struct {
	app.Compo
	ctx app.Context
}

func (p *clientPage) OnMount(ctx app.Context) { p.ctx = ctx }
func (p *clientPage) Render() app.UI          { return app.Div() }

// TestCommandsAreHeardBeforeTheyGo: whoever subscribed with OnCommand is
// told of every command, in order, also of those a lazy worker keeps until
// it starts (a Ping, a setting: none that needs the worker at once).
func TestCommandsAreHeardBeforeTheyGo(t *testing.T) {
	p := &clientPage{}
	d := app.NewClientTester(p)
	defer d.Close()
	c := New(p.ctx, true)
	var heard []protocol.Kind
	c.OnCommand(func(m protocol.Message) { heard = append(heard, m.Kind()) })
	c.Send(&protocol.SetConfig{})
	c.Send(&protocol.SetNoise{})
	c.Send(&protocol.Ping{})
	want := []protocol.Kind{(&protocol.SetConfig{}).Kind(), (&protocol.SetNoise{}).Kind(), (&protocol.Ping{}).Kind()}
	if len(heard) != len(want) {
		t.Fatalf("heard %v, want %v", heard, want)
	}
	for i := range want {
		if heard[i] != want[i] {
			t.Errorf("command %d: heard %s, want %s", i, heard[i], want[i])
		}
	}
	if c.Started() {
		t.Error("a lazy worker started before a command that needs it")
	}
}
