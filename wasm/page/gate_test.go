package page

import (
	"slices"
	"testing"

	"aeplayground/wasm/protocol"
)

// A script's commands wait for the restore and then run in order; the
// restore goes to the worker before any of them.
func TestGateScriptsWaitForTheRestore(t *testing.T) {
	g := NewRestoreGate(true)
	g.Arm()
	var log []string
	g.Wait(func() { log = append(log, "loadPreset") })
	g.Wait(func() { log = append(log, "getState") })
	if len(log) != 0 {
		t.Fatalf("commands ran before the restore: %v", log)
	}
	if !g.Restore(func() { log = append(log, "restore") }) {
		t.Fatal("the restore was refused with no user's command before it")
	}
	if len(log) != 1 {
		t.Fatalf("commands ran before the restored model's Loaded: %v", log)
	}
	g.Settle() // its Loaded
	if want := []string{"restore", "loadPreset", "getState"}; !slices.Equal(log, want) {
		t.Errorf("order %v, want %v", log, want)
	}
	if g.Overtook {
		t.Error("overtaken with no user's command")
	}
	g.Wait(func() { log = append(log, "step") })
	if log[len(log)-1] != "step" {
		t.Error("a command after the restore waited")
	}
	g.Settle() // a second handler of the same Loaded: nothing happens
	if len(log) != 4 {
		t.Errorf("settling again ran commands again: %v", log)
	}
}

// A user's command while the saved model is read cancels the restore;
// the commands that waited run, and nothing is sent.
func TestGateUserCancelsTheRestore(t *testing.T) {
	for _, m := range []protocol.Message{&protocol.SetConfig{}, &protocol.Play{}, &protocol.Step{N: 1}, &protocol.Reset{}, &protocol.Load{}} {
		g := NewRestoreGate(true)
		g.Arm()
		ran := false
		g.Wait(func() { ran = true })
		g.Command(m)
		sent := g.Restore(func() { t.Errorf("%T: the restore was sent after the user's command", m) })
		if sent {
			t.Errorf("%T: restore reported sent", m)
		}
		g.Settle() // the page settles when restore refuses
		if !ran || !g.Settled() {
			t.Errorf("%T: the waiting command did not run once the restore was dropped", m)
		}
	}
}

// Commands that change neither the model nor its training, and the page's
// own commands before it is armed, leave the restore be.
func TestGateIgnoresOtherCommands(t *testing.T) {
	g := NewRestoreGate(true)
	g.Command(&protocol.SetConfig{}) // the page's start-up config: not armed yet
	g.Arm()
	for _, m := range []protocol.Message{&protocol.SetDigit{}, &protocol.SetNoise{}, &protocol.SetWorkers{N: 2}, &protocol.Ping{}, &protocol.SampleAt{}} {
		g.Command(m)
	}
	if !g.Restore(func() {}) {
		t.Fatal("the restore was cancelled by a command that changes no model")
	}
	// The restore's own Load, sent through the same client, is not a
	// user's command.
	g2 := NewRestoreGate(true)
	g2.Arm()
	g2.Restore(func() { g2.Command(&protocol.Load{Restored: true}) })
	if g2.Settle(); g2.Overtook {
		t.Error("the restore's own Load overtook it")
	}
}

// A user's command after the restore went to the worker overtakes it: the
// page keeps the user's settings when the restored model's Loaded comes.
func TestGateUserOvertakesTheRestore(t *testing.T) {
	g := NewRestoreGate(true)
	g.Arm()
	g.Restore(func() {})
	g.Command(&protocol.SetConfig{})
	if g.Settled() {
		t.Fatal("open before the restored model's Loaded")
	}
	if g.Settle(); !g.Overtook {
		t.Error("not overtaken")
	}
	// A later restore (a worker replaced) starts afresh.
	g.Begin()
	if g.Overtook || g.Settled() {
		t.Error("begin did not start a new restore")
	}
}

// Without a restore (an embed, a lesson) the gate is open from the start.
func TestGateOpenWithoutRestore(t *testing.T) {
	g := NewRestoreGate(false)
	g.Arm()
	ran := false
	g.Wait(func() { ran = true })
	if !ran {
		t.Error("a command waited with no restore")
	}
	if g.Restore(func() { t.Error("sent") }) {
		t.Error("a restore went out on a page that keeps nothing")
	}
	var nilGate *RestoreGate
	nilGate.Command(&protocol.Play{}) // a client without a gate (none set yet)
}
