//go:build js && wasm

// Command worker is the playground's training engine, run in a Web Worker
// (web/worker.js loads it): it holds the digits, fits PCA, trains the
// autoencoder in short slices and reports to the page by postMessage.
package main

import (
	"fmt"
	"syscall/js"
	"time"

	"aeplayground/wasm/protocol"
)

func main() {
	self := js.Global()
	if self.Get("name").String() == "helper" {
		runHelper(self)
		return
	}
	ticking := false
	var s *session
	// A MessageChannel message runs as soon as the worker's event loop has
	// handled what came before it, without setTimeout's 4 ms clamp: the way
	// to yield between training slices.
	channel := self.Get("MessageChannel").New()
	port := channel.Get("port2")
	channel.Get("port1").Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any {
		ticking = false
		defer reportPanic(self, s)
		s.tick()
		return nil
	}))
	schedule := func() {
		if !ticking {
			ticking = true
			port.Call("postMessage", nil)
		}
	}
	page := protocol.NewPort(self)
	s = newSession(page.Post, schedule, time.Now)
	s.testHooks = testHooks(self)
	s.pool = newJSPool(self, s)

	// Every handler call comes from the worker's event loop, one at a time,
	// so the session needs no lock.
	handler := js.FuncOf(func(_ js.Value, args []js.Value) any {
		defer reportPanic(self, s)
		if len(args) == 0 {
			return nil
		}
		switch m, req, ok, err := page.Receive(args[0]); {
		case !ok:
			s.refuse("a message that is not a protocol frame was ignored")
		case err != nil:
			s.refuse("a message could not be read (%v); is the page of another version than the worker? Reload it", err)
		default:
			s.deliver(m, req)
		}
		return nil
	})
	self.Call("goWorkerReady", handler)

	s.status("Loading the digits…")
	data, err := fetchBytes(self, "mnist.bundle")
	if err == nil {
		err = s.start(data)
	}
	if err != nil {
		s.fail(err.Error())
	}
	select {} // the handlers live on
}

// fetchBytes fetches a URL relative to the worker script.
func fetchBytes(self js.Value, url string) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	var onBody, onResponse, onError js.Func
	onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- result{err: fmt.Errorf("fetching %s failed: %s", url, args[0].Call("toString").String())}
		return nil
	})
	onBody = js.FuncOf(func(_ js.Value, args []js.Value) any {
		arr := self.Get("Uint8Array").New(args[0])
		b := make([]byte, arr.Length())
		js.CopyBytesToGo(b, arr)
		done <- result{data: b}
		return nil
	})
	onResponse = js.FuncOf(func(_ js.Value, args []js.Value) any {
		resp := args[0]
		if !resp.Get("ok").Bool() {
			done <- result{err: fmt.Errorf("fetching %s failed: HTTP %d", url, resp.Get("status").Int())}
			return nil
		}
		resp.Call("arrayBuffer").Call("then", onBody, onError)
		return nil
	})
	self.Call("fetch", url).Call("then", onResponse, onError)
	r := <-done
	onBody.Release()
	onResponse.Release()
	onError.Release()
	return r.data, r.err
}
