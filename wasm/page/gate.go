package page

import "aeplayground/wasm/protocol"

// The model saved on the last visit is read from IndexedDB and loaded into
// the worker while the page already answers its user and its scripts. The
// rule: once a command from a script or the user has taken effect, no later
// restore may override it; a restore happens before the page answers its
// first command, or not at all. RestoreGate orders the two:
//
//   - a script's command waits (wait) until the restore has happened or was
//     decided against (settle);
//   - a user's command that changes the model or its training, sent while
//     the saved model is still being read, cancels the restore; one sent
//     after the restore went to the worker (which handles it after the
//     restore) overtakes it: the page keeps the settings the user chose.
//
// Without a restore to wait for (an embed, a lesson) the gate is open from
// the start.
type RestoreGate struct {
	phase    gatePhase
	Overtook bool // the last restore was overtaken by a user's command
	armed    bool // the page's own first commands have gone: what follows is the user's
	own      bool // the restore's own Load is being sent
	waiting  []func()
}

type gatePhase uint8

const (
	gateOpen      gatePhase = iota // nothing to wait for
	gateReading                    // the saved model is being read
	gateCancelled                  // a user's command came while reading: the restore is dropped
	gateLoading                    // the saved model went to the worker; its Loaded is awaited
	gateOvertaken                  // and a user's command followed it
)

// NewRestoreGate is open when there is no restore to wait for.
func NewRestoreGate(restore bool) *RestoreGate {
	if restore {
		return &RestoreGate{phase: gateReading}
	}
	return &RestoreGate{}
}

// Begin starts another restore (a new worker replaced one that died):
// scripts wait for it again.
func (g *RestoreGate) Begin() { g.phase, g.Overtook = gateReading, false }

// Arm says the page's own start-up commands have gone: from now on a
// command is the user's.
func (g *RestoreGate) Arm() { g.armed = true }

// Wait runs f once the restore is settled: at once if it is.
func (g *RestoreGate) Wait(f func()) {
	if g.Settled() {
		f()
		return
	}
	g.waiting = append(g.waiting, f)
}

func (g *RestoreGate) Settled() bool { return g.phase == gateOpen }

// Restore calls send, which sends the saved model (now read) to the
// worker, unless a user's command has cancelled the restore meanwhile; it
// reports whether it did. The gate then waits for the model's Loaded.
func (g *RestoreGate) Restore(send func()) bool {
	if g.phase != gateReading {
		return false
	}
	g.phase, g.own = gateLoading, true
	send()
	g.own = false
	return true
}

// Settle opens the gate (the restore happened, failed or was decided
// against) and runs the commands that waited, in order. Once open it does
// nothing: every handler of the restore's outcome may call it. Overtook
// then says whether a user's command followed the restore to the worker.
func (g *RestoreGate) Settle() {
	if g.phase == gateOpen {
		return
	}
	g.Overtook = g.phase == gateOvertaken
	g.phase = gateOpen
	w := g.waiting
	g.waiting = nil
	for _, f := range w {
		f()
	}
}

// Command is told of each command the page sends the worker.
func (g *RestoreGate) Command(m protocol.Message) {
	if g == nil || !g.armed || g.own || !changesModel(m) {
		return
	}
	switch g.phase {
	case gateReading:
		g.phase = gateCancelled
	case gateLoading:
		g.phase = gateOvertaken
	}
}

// changesModel reports whether a command changes the model or its
// training: what a restore would otherwise undo.
func changesModel(m protocol.Message) bool {
	switch m.(type) {
	case *protocol.SetConfig, *protocol.Play, *protocol.Step, *protocol.Reset, *protocol.Load:
		return true
	}
	return false
}
