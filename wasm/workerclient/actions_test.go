package workerclient

import (
	"reflect"
	"strings"
	"testing"

	"aeplayground/wasm/protocol"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// kindCase is one message type: a nil one (what ActionOf calls Kind on) and
// its action.
type kindCase struct {
	nilMsg protocol.Message
	action string
}

func caseOf[M protocol.Message]() kindCase {
	var m M
	return kindCase{m, ActionOf[M]().Name()}
}

// Every message type of the protocol, so that a new one without its case
// fails TestEveryKindHasItsAction.
var kindCases = []kindCase{
	caseOf[*protocol.Ping](), caseOf[*protocol.SetConfig](), caseOf[*protocol.SetNoise](),
	caseOf[*protocol.SetDigit](), caseOf[*protocol.SetWorkers](), caseOf[*protocol.Play](),
	caseOf[*protocol.Pause](), caseOf[*protocol.Step](), caseOf[*protocol.Reset](),
	caseOf[*protocol.SampleOfClass](), caseOf[*protocol.SampleAt](), caseOf[*protocol.Save](),
	caseOf[*protocol.Load](), caseOf[*protocol.Panic](), caseOf[*protocol.Status](),
	caseOf[*protocol.Error](), caseOf[*protocol.ConfigError](), caseOf[*protocol.Diverged](),
	caseOf[*protocol.Pong](), caseOf[*protocol.Ready](), caseOf[*protocol.NewModel](),
	caseOf[*protocol.Progress](), caseOf[*protocol.Recon](), caseOf[*protocol.Sampled](),
	caseOf[*protocol.Done](), caseOf[*protocol.Model](), caseOf[*protocol.ModelError](),
	caseOf[*protocol.Loaded](), caseOf[*protocol.LoadError](), caseOf[*protocol.Crashed](),
	caseOf[*protocol.ShardConfig](), caseOf[*protocol.Shard](), caseOf[*protocol.Part](),
	caseOf[*protocol.DecodePoint](), caseOf[*protocol.Interpolate](), caseOf[*protocol.Decoded](),
	caseOf[*protocol.Interpolated](),
}

// TestEveryKindHasItsAction: a nil message's Kind is its type's, every kind
// the protocol names has a type here, and the action a handler registers
// under is the one the Client posts a decoded message of the kind under.
func TestEveryKindHasItsAction(t *testing.T) {
	seen := map[protocol.Kind]bool{}
	names := map[string]bool{}
	for _, c := range kindCases {
		k := c.nilMsg.Kind()
		decoded := reflect.New(reflect.TypeOf(c.nilMsg).Elem()).Interface().(protocol.Message)
		if decoded.Kind() != k {
			t.Errorf("%T: a nil one is a %s, a made one a %s", c.nilMsg, k, decoded.Kind())
		}
		if seen[k] {
			t.Errorf("%T: kind %s twice", c.nilMsg, k)
		}
		seen[k] = true
		if posted := actionOfKind(decoded.Kind()).Name(); c.action != posted || posted != "worker:"+k.String() {
			t.Errorf("%T: handled as %q, posted as %q", c.nilMsg, c.action, posted)
		}
		if names[c.action] || c.action == CompareProgress.Name() || c.action == Restarted.Name() {
			t.Errorf("%T: action %q is another's too", c.nilMsg, c.action)
		}
		names[c.action] = true
	}
	// Kinds are numbered from 1 with no gap; past the last, String says so.
	for k := protocol.Kind(1); !strings.HasPrefix(k.String(), "kind("); k++ {
		if !seen[k] {
			t.Errorf("kind %d (%s) has no message type in kindCases", k, k)
		}
	}
}

// workerProbe registers a handler of each sort for its test.
type workerProbe struct {
	app.Compo
	ctx      app.Context
	ready    []*protocol.Ready
	readyToo []*protocol.Ready // a second handler of the component for the same message
	progress []*protocol.Progress
	compared []*protocol.Progress
}

func (p *workerProbe) OnMount(ctx app.Context) {
	p.ctx = ctx
	On(ctx, func(_ app.Context, r *protocol.Ready) { p.ready = append(p.ready, r) })
	On(ctx, func(_ app.Context, r *protocol.Ready) { p.readyToo = append(p.readyToo, r) })
	OnQuiet(ctx, func(_ app.Context, m *protocol.Progress) { p.progress = append(p.progress, m) })
	CompareProgress.HandleQuiet(ctx, func(_ app.Context, m *protocol.Progress) { p.compared = append(p.compared, m) })
}

func (p *workerProbe) Render() app.UI { return app.Div() }

// TestOnWorkerPassesTheTypedMessage: handlers get the message posted under
// their type's action as that type, and a value of another type under it is
// ignored, not a panic.
func TestOnWorkerPassesTheTypedMessage(t *testing.T) {
	p := &workerProbe{}
	d := app.NewClientTester(p)
	defer d.Close()
	ready, progress, compared := &protocol.Ready{Train: 7}, &protocol.Progress{Epoch: 2}, &protocol.Progress{Model: 1}
	actionOfKind(ready.Kind()).Post(p.ctx, ready)
	actionOfKind(ready.Kind()).Post(p.ctx, progress) // not a Ready: ignored
	actionOfKind(progress.Kind()).Post(p.ctx, progress)
	actionOfKind(progress.Kind()).Post(p.ctx, ready) // not a Progress: ignored
	CompareProgress.Post(p.ctx, compared)
	d.Consume()
	if len(p.ready) != 1 || p.ready[0] != ready {
		t.Errorf("On got %v, want the one Ready posted", p.ready)
	}
	if len(p.readyToo) != 1 || p.readyToo[0] != ready {
		t.Errorf("the second On got %v, want the one Ready posted", p.readyToo)
	}
	if len(p.progress) != 1 || p.progress[0] != progress {
		t.Errorf("OnQuiet got %v, want the one Progress posted", p.progress)
	}
	if len(p.compared) != 1 || p.compared[0] != compared {
		t.Errorf("CompareProgress's handler got %v, want the compared model's Progress only", p.compared)
	}
}
