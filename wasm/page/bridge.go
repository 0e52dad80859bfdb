package page

import (
	"encoding/json"
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"aeplayground/engine/ae"
	"aeplayground/wasm/api"
	"aeplayground/wasm/browser"
	"aeplayground/wasm/protocol"
	"aeplayground/wasm/state"
	"aeplayground/wasm/workerclient"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The scripting API (package api parses the commands and writes the
// replies): a page that embeds the playground drives it with postMessage,
// and scripts on the page itself call window.aePlayground.call(cmd, args),
// which returns a Promise. Commands are accepted only from the parent
// window (when framed) or this window, and, if the link has origins=, only
// from those origins and this page's own. A message that is not for the
// playground, or comes from anywhere else, is ignored without a word; a
// malformed one is answered with an error and changes nothing.

// progressEvery is the least time between two progress events posted to
// the parent: at most four a second.
const progressEvery = 250 * time.Millisecond

// Bridge is that scripting API's end in the page: it runs the commands on
// the demo, the worker and the digit, once the restore of the saved model
// lets it (the gate).
type Bridge struct {
	demo     *Demo
	worker   Worker
	digit    *Digit
	gate     *RestoreGate
	ready    func() bool // the worker has loaded its digits (an embed's: may be played)
	listener app.Func
	call     app.Func
	framed   bool

	nextReq uint64
	waiting map[uint64]func(errText string)
	nextID  int // ids of window.aePlayground.call

	// The latest progress; the figures and angles of the latest full
	// evaluation.
	progress  protocol.Progress
	have      bool
	eval      evalFigures
	angles    []float64
	lastEvent time.Time
	lastRun   bool
}

// NewBridge answers scripts for the demo, from now on.
func NewBridge(ctx app.Context, d *Demo, w Worker, dg *Digit, g *RestoreGate, ready func() bool) *Bridge {
	b := &Bridge{demo: d, worker: w, digit: dg, gate: g, ready: ready, waiting: map[uint64]func(string){}, eval: noFigures()}
	win := app.Window()
	b.framed = !win.Get("parent").Equal(win)
	b.listener = app.FuncOf(func(_ app.Value, args []app.Value) any {
		if len(args) == 0 {
			return nil
		}
		e := args[0]
		src, origin := e.Get("source"), e.Get("origin").String()
		if !b.trusted(src, origin) {
			return nil
		}
		data, ok := jsonOf(e.Get("data"))
		if !ok || notCommand(data) {
			return nil
		}
		b.whenRestored(ctx, func(ctx app.Context) {
			b.handle(ctx, data, func(reply []byte) { postReply(src, origin, reply) })
		})
		return nil
	})
	win.Call("addEventListener", "message", b.listener)
	b.postEvent(map[string]any{"type": api.Type, "event": "ready"})

	// window.aePlayground.call(cmd, args): the same commands, in the page.
	b.call = app.FuncOf(func(_ app.Value, args []app.Value) any {
		b.nextID++
		msg := app.Window().Get("Object").New()
		msg.Set("type", api.Type)
		msg.Set("id", "local-"+strconv.Itoa(b.nextID))
		if len(args) > 0 {
			msg.Set("cmd", args[0])
		}
		if len(args) > 1 && !args[1].IsUndefined() {
			msg.Set("args", args[1])
		}
		data, ok := jsonOf(msg)
		var executor app.Func
		executor = app.FuncOf(func(_ app.Value, pr []app.Value) any {
			resolve, reject := pr[0], pr[1]
			if !ok {
				reject.Call("call", nil, app.Window().Get("Error").New("aePlayground.call: the arguments could not be written as JSON"))
				return nil
			}
			b.whenRestored(ctx, func(ctx app.Context) {
				b.handle(ctx, data, func(reply []byte) {
					var r struct {
						OK     bool            `json:"ok"`
						Result json.RawMessage `json:"result"`
						Error  string          `json:"error"`
					}
					if json.Unmarshal(reply, &r) != nil || !r.OK {
						reject.Call("call", nil, app.Window().Get("Error").New(r.Error))
						return
					}
					if len(r.Result) == 0 {
						resolve.Call("call", nil, nil)
						return
					}
					resolve.Call("call", nil, app.Window().Get("JSON").Call("parse", string(r.Result)))
				})
			})
			return nil
		})
		promise := app.Window().Get("Promise").New(executor)
		executor.Release() // the Promise constructor runs it at once
		return browser.Return(promise)
	})
	obj := app.Window().Get("Object").New()
	obj.Set("call", b.call)
	obj.Set("commands", toJSArray(api.Commands))
	win.Set("aePlayground", obj)

	// Quiet (package bus): these handlers run on the playground's context and
	// change nothing it shows.
	workerclient.OnQuiet(ctx, b.onDone)
	workerclient.OnQuiet(ctx, b.onProgress)
	workerclient.OnQuiet(ctx, func(ctx app.Context, _ *protocol.NewModel) {
		b.have, b.eval, b.angles = false, noFigures(), nil
	})
	// A worker that stops takes the commands it had not answered with it:
	// they fail, so that no script waits forever (package workerclient restarts it).
	workerclient.Restarted.HandleQuiet(ctx, func(ctx app.Context, r workerclient.Restart) {
		b.failWaiting("the training worker stopped (" + r.Reason + ") before answering")
	})
	return b
}

// whenRestored runs f on go-app's goroutine once the restore of the saved
// model has happened or been decided against (gate.go), so that no
// restore undoes a command after it was answered. After a restore, f waits
// as well for the restored model's first progress (the worker answers a
// ping after it), so that its state is the restored model's.
func (b *Bridge) whenRestored(ctx app.Context, f func(app.Context)) {
	ctx.Dispatch(func(ctx app.Context) {
		if b.gate.Settled() {
			f(ctx)
			return
		}
		b.gate.Wait(func() {
			b.request(&protocol.Ping{}, func(string) { ctx.Dispatch(f) })
		})
	})
}

// failWaiting answers every command still waiting for the worker with an
// error, oldest first.
func (b *Bridge) failWaiting(text string) {
	reqs := slices.Sorted(maps.Keys(b.waiting))
	for _, req := range reqs {
		done := b.waiting[req]
		delete(b.waiting, req)
		done(text)
	}
}

// Close stops answering scripts.
func (b *Bridge) Close() {
	if b == nil {
		return
	}
	app.Window().Call("removeEventListener", "message", b.listener)
	app.Window().Delete("aePlayground")
	b.listener.Release()
	b.call.Release()
}

// trusted reports whether a message may command the page: it comes from
// this window or, when framed, from the parent, and from an origin the link
// allows (any, if it names none).
func (b *Bridge) trusted(src app.Value, origin string) bool {
	win := app.Window()
	if !src.Equal(win) && !(b.framed && src.Equal(win.Get("parent"))) {
		return false
	}
	allowed := b.demo.Link.Origins
	return len(allowed) == 0 || origin == win.Get("location").Get("origin").String() || slices.Contains(allowed, origin)
}

// jsonOf writes a message's data as JSON, as package api reads it.
func jsonOf(v app.Value) (data []byte, ok bool) {
	defer func() {
		if recover() != nil { // a cycle, a BigInt: not a command
			data, ok = nil, false
		}
	}()
	s := app.Window().Get("JSON").Call("stringify", v)
	if s.Type() != app.TypeString || len(s.String()) > api.MaxMessage+1 {
		return nil, false
	}
	return []byte(s.String()), true
}

// notCommand recognises the playground's own replies and events (when a
// script posts commands to its own window, the replies come back to the
// same listener): they are not commands and are not answered.
func notCommand(data []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return false
	}
	_, cmd := m["cmd"]
	_, ok := m["ok"]
	_, event := m["event"]
	return !cmd && (ok || event)
}

// postReply answers the window a command came from, to its origin only.
func postReply(src app.Value, origin string, reply []byte) {
	defer func() { recover() }() // the window has gone
	target := origin
	if origin == "null" || origin == "" { // a sandboxed or file: page has no origin to name
		target = "*"
	}
	src.Call("postMessage", app.Window().Get("JSON").Call("parse", string(reply)), target)
}

// handle runs one command and answers it with reply, once it has taken
// effect.
func (b *Bridge) handle(ctx app.Context, data []byte, reply func([]byte)) {
	cmd, err := api.ParseCommand(data)
	if errors.Is(err, api.ErrForeign) {
		ctx.PreventUpdate()
		return
	}
	if err != nil {
		ctx.PreventUpdate()
		reply(api.ErrorReply(data, err))
		return
	}
	d := b.demo
	answer := func(errText string) {
		if errText != "" {
			reply(api.ReplyTo(cmd, nil, errors.New(cmd.Cmd+": "+errText)))
			return
		}
		reply(api.ReplyTo(cmd, b.state(), nil))
	}
	switch cmd.Cmd {
	case api.GetState:
		ctx.PreventUpdate()
		answer("")
	case api.SetConfig:
		cfg, err := cmd.Apply(d.Applied)
		if err != nil {
			ctx.PreventUpdate()
			reply(api.ReplyTo(cmd, nil, err))
			return
		}
		d.UseConfig(ctx, "", cfg)
		b.waitForModel(answer)
	case api.LoadPreset:
		cfg, err := ae.Preset(cmd.Preset)
		if err != nil {
			reply(api.ReplyTo(cmd, nil, err))
			return
		}
		d.UseConfig(ctx, cmd.Preset, cfg)
		b.waitForModel(answer)
	case api.LoadLesson:
		d.EnterLesson(ctx, cmd.Lesson)
		b.waitForModel(answer)
	case api.Train:
		ctx.PreventUpdate()
		b.request(&protocol.Play{}, func(errText string) {
			if errText == "" && b.have {
				b.progress.Running = true // the worker's next progress says so too
			}
			answer(errText)
		})
	case api.Pause:
		ctx.PreventUpdate()
		b.request(&protocol.Pause{}, answer)
	case api.Step:
		ctx.PreventUpdate()
		b.request(&protocol.Step{N: cmd.N}, answer)
	case api.Reset:
		ctx.PreventUpdate()
		b.request(&protocol.Reset{}, answer)
	case api.SetDigit:
		ctx.PreventUpdate()
		b.digit.Set(ctx, cmd.Pixels, FromScript, "a script", state.Digit{})
		if v := b.digit.Current(); v != nil {
			d.Link.Digit = v.Link // the reply's state holds the digit it set, not the one before
		}
		answer("")
	}
}

// waitForModel answers once the worker has the model of the config just
// sent (its reply to a ping comes after it), or with its refusal.
func (b *Bridge) waitForModel(answer func(string)) {
	b.request(&protocol.Ping{}, func(errText string) {
		if errText == "" {
			errText = b.demo.Refused
		}
		answer(errText)
	})
}

// request sends the worker a message and calls done once it has been
// handled (the worker answers a message with a req by "done").
func (b *Bridge) request(m protocol.Message, done func(errText string)) {
	b.nextReq++
	b.waiting[b.nextReq] = done
	b.worker.Request(b.nextReq, m)
}

func (b *Bridge) onDone(ctx app.Context, d *protocol.Done) {
	if done := b.waiting[d.Req]; done != nil {
		delete(b.waiting, d.Req)
		done(d.Error)
	}
}

// onProgress keeps the latest progress for getState and, when framed,
// tells the parent (at most four times a second, and whenever training
// starts or stops).
func (b *Bridge) onProgress(ctx app.Context, m *protocol.Progress) {
	b.progress, b.have = *m, true // its slices are the decoder's: only the numbers are read
	if m.Full {
		b.eval, b.angles = evalFigures{m.TestLoss, m.TestMSE, m.PCATest, m.Ratio, m.TrainRatio}, nil
		if len(m.Angles) > 0 {
			b.angles = slices.Clone(m.Angles) // the decoder's buffer: a copy
		}
		if !m.Linear {
			b.angles = nil
		}
	}
	if !b.framed {
		return
	}
	now := time.Now()
	if now.Sub(b.lastEvent) < progressEvery && m.Running == b.lastRun {
		return
	}
	b.lastEvent, b.lastRun = now, m.Running
	b.postEvent(map[string]any{
		"type": api.Type, "event": "progress", "running": m.Running, "epoch": m.Epoch,
		"samplesSeen": float64(m.Samples), "trainLoss": orNil(m.Loss), "testLoss": orNil(b.eval.testLoss), "pcaFloor": orNil(m.Floor),
	})
}

// postEvent tells the parent window, if framed: any origin may hear it, or
// with origins= in the link only those.
func (b *Bridge) postEvent(ev map[string]any) {
	if !b.framed {
		return
	}
	raw, err := json.Marshal(ev)
	if err != nil {
		return
	}
	obj := app.Window().Get("JSON").Call("parse", string(raw))
	parent := app.Window().Get("parent")
	targets := b.demo.Link.Origins
	if len(targets) == 0 {
		targets = []string{"*"} // progress is no secret; with origins= only they hear it
	}
	for _, t := range targets {
		func() {
			defer func() { recover() }()
			parent.Call("postMessage", obj, t)
		}()
	}
}

func (b *Bridge) state() api.State {
	d, m := b.demo, b.progress
	st := api.State{
		Ready: b.ready(), Preset: d.Base, Config: d.Applied, Modified: ModifiedKeys(d.Base, d.Applied),
		Link: state.Encode(d.LinkState(d.Applied)), Digit: d.Link.Digit.Kind,
		Lesson: d.LessonState(),
	}
	if st.Modified == nil {
		st.Modified = []string{}
	}
	if d.Link.Digit.Kind == state.DigitTest {
		i := d.Link.Digit.Index
		st.DigitIndex = &i
	}
	if !b.have {
		return st
	}
	st.Running, st.Epoch, st.SamplesSeen, st.K, st.Workers = m.Running, m.Epoch, float64(m.Samples), m.K, m.Workers
	e := b.eval
	st.TrainLoss, st.TestLoss, st.PCAFloor, st.LR = api.Num(m.Loss), api.Num(e.testLoss), api.Num(m.Floor), m.LR
	st.LossOverFloor, st.TrainOverFloor = api.Num(e.ratio), api.Num(e.trainRatio)
	st.TestMSE, st.PCATestError = api.Num(e.testMSE), api.Num(e.pcaTest)
	if b.angles != nil {
		st.PrincipalAnglesDeg = make([]*float64, len(b.angles))
		for i, a := range b.angles {
			st.PrincipalAnglesDeg[i] = api.Num(a)
		}
	}
	return st
}

// orNil is x, or nil (null in JSON) for a NaN or an infinity.
func orNil(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return x
}

func toJSArray(ss []string) app.Value {
	arr := app.Window().Get("Array").New()
	for _, s := range ss {
		arr.Call("push", s)
	}
	return arr
}

// evalFigures are the numbers of a full evaluation that getState reports.
type evalFigures struct{ testLoss, testMSE, pcaTest, ratio, trainRatio float64 }

func noFigures() evalFigures {
	n := math.NaN()
	return evalFigures{n, n, n, n, n}
}
