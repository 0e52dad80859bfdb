//go:build js && wasm

package main

import (
	"fmt"
	"runtime/debug"
	"strings"
	"syscall/js"

	"aeplayground/wasm/protocol"
)

// reportPanic, deferred in every callback from JavaScript, turns a Go panic
// into a last message to the page (protocol.Crashed) and closes the
// worker: after a panic the session's state cannot be trusted, and the page
// starts a new worker and restores the last saved model into it. Without
// this the Go runtime would print the panic to the worker's console and
// exit, and the page would only notice by the heartbeat going quiet.
func reportPanic(self js.Value, s *session) {
	r := recover()
	if r == nil {
		return
	}
	stack := string(debug.Stack())
	if len(stack) > 4000 {
		stack = stack[:4000]
	}
	self.Get("console").Call("error", fmt.Sprintf("worker: panic: %v\n%s", r, stack))
	if s != nil { // nil in a helper (helper_js.go)
		s.running = false
	}
	protocol.NewPort(self).Post(&protocol.Crashed{Text: fmt.Sprint(r)})
	self.Call("close")
}

// testHooks reports whether the worker was started with ?test=1, which
// allows the test-only "panic" command. The page adds it only when its own
// URL has ?aetest=1 (a query, not the fragment, so links never carry it by
// accident); a build tag would have needed a second worker.wasm for tests.
func testHooks(self js.Value) bool {
	search := self.Get("location").Get("search").String()
	for _, kv := range strings.Split(strings.TrimPrefix(search, "?"), "&") {
		if kv == "test=1" {
			return true
		}
	}
	return false
}
