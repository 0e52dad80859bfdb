package browser

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"

	"aeplayground/wasm/pixels"
	"aeplayground/wasm/protocol"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Nothing lost: the settings (the URL fragment) and the digit live in
// localStorage, small and read synchronously at start-up, so a tab opened
// again without a link starts where the last one was; the trained model
// lives in IndexedDB, which takes megabytes of bytes without base64.
//
// A model is saved atomically: one readwrite transaction puts the new copy
// under a new key, points the "current" record at it and deletes the copy
// it replaces. IndexedDB commits a transaction whole or not at all, so a
// reload or a closed tab in the middle of a save keeps the previous good
// copy; and a reader follows the pointer, so it never sees a half-written
// model. Storage that is full or denied (private browsing, blocked
// cookies/site data, a quota) comes back as an error in words; nothing
// here panics.

const (
	settingsKey = "aeplayground.v1.settings"
	dbName      = "aeplayground"
	dbStore     = "kv"
	currentKey  = "current"
)

// Settings is what localStorage keeps.
type Settings struct {
	Fragment string `json:"fragment"`
	Digit    string `json:"digit,omitempty"` // 784 bytes, base64
	Label    string `json:"label,omitempty"`
}

func (s Settings) DigitPixels() []byte {
	b, err := base64.StdEncoding.DecodeString(s.Digit)
	if err != nil || len(b) != pixels.Len {
		return nil
	}
	return b
}

// Try runs f and turns a JavaScript exception (a panic from syscall/js)
// into an error: a *JSError when the exception has a name.
func Try(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
			if je, ok := r.(error); ok {
				err = je
			}
			// A js.Error holds the exception: its name says what happened
			// (SecurityError, QuotaExceededError).
			if v := reflect.ValueOf(r); v.Kind() == reflect.Struct && v.FieldByName("Value").IsValid() {
				if get := v.FieldByName("Value").MethodByName("Get"); get.IsValid() {
					name := get.Call([]reflect.Value{reflect.ValueOf("name")})[0]
					if str := name.MethodByName("String"); str.IsValid() {
						err = &JSError{Name: str.Call(nil)[0].String(), Err: err}
					}
				}
			}
		}
	}()
	f()
	return nil
}

// JSError is a JavaScript exception with its name (a DOMException's:
// "QuotaExceededError", "SecurityError").
type JSError struct {
	Name string
	Err  error
}

func (e *JSError) Error() string { return e.Name + ": " + e.Err.Error() }
func (e *JSError) Unwrap() error { return e.Err }

// storageErr describes a failed storage call in words a visitor can act on.
func storageErr(name, msg string) error {
	switch name {
	case "QuotaExceededError":
		return errors.New("the browser's storage for this page is full")
	case "SecurityError", "InvalidStateError", "NotAllowedError", "UnknownError":
		return fmt.Errorf("the browser does not let this page store data (private browsing, or site data blocked: %s)", name)
	}
	if msg == "" {
		msg = name
	}
	return fmt.Errorf("the browser refused to store data (%s)", msg)
}

// jsErrOf reads a DOMException or Error value.
func jsErrOf(e app.Value) error {
	if e == nil || e.Type() != app.TypeObject {
		return storageErr("", "no reason given")
	}
	return storageErr(Str(e, "name"), Str(e, "message"))
}

// caught converts a Try error into words, by the exception's name.
func caught(err error) error {
	if je, ok := errors.AsType[*JSError](err); ok {
		return storageErr(je.Name, err.Error())
	}
	return storageErr("", err.Error())
}

func localStorage() (app.Value, error) {
	var ls app.Value
	err := Try(func() { ls = app.Window().Get("localStorage") })
	if err != nil {
		return nil, caught(err)
	}
	if ls == nil || ls.Type() != app.TypeObject {
		return nil, storageErr("SecurityError", "")
	}
	return ls, nil
}

func WriteSettings(s Settings) error {
	ls, err := localStorage()
	if err != nil {
		return err
	}
	b, _ := json.Marshal(s)
	if err := Try(func() { ls.Call("setItem", settingsKey, string(b)) }); err != nil {
		return caught(err)
	}
	return nil
}

func ReadSettings() (Settings, error) {
	var s Settings
	ls, err := localStorage()
	if err != nil {
		return s, err
	}
	var v app.Value
	if err := Try(func() { v = ls.Call("getItem", settingsKey) }); err != nil {
		return s, caught(err)
	}
	if v.Type() != app.TypeString {
		return s, nil
	}
	if json.Unmarshal([]byte(v.String()), &s) != nil {
		return Settings{}, nil // not ours or damaged: as if nothing were saved
	}
	return s, nil
}

func ClearSettings() {
	if ls, err := localStorage(); err == nil {
		Try(func() { ls.Call("removeItem", settingsKey) })
	}
}

// StartFragment is the fragment the page starts from: the link's, or when
// the link has none (a bookmark, a tab opened again), the last one saved.
func StartFragment() (frag string, fromStorage bool) {
	if f := app.Window().URL().Fragment; f != "" {
		return f, false
	}
	s, err := ReadSettings()
	if err != nil || s.Fragment == "" {
		return "", false
	}
	return s.Fragment, true
}

// ModelStore is the IndexedDB database that keeps the trained model.
type ModelStore struct {
	db      app.Value
	err     error // why the database cannot be used; final once set
	waiting []func(error)
	opening bool
	seq     int
}

// fn makes an event handler. Those of opening the database, once, are never
// released; a transaction's are released when it ends (tx).
func (s *ModelStore) fn(f func(args []app.Value)) app.Func {
	return app.FuncOf(func(_ app.Value, args []app.Value) any {
		f(args)
		return nil
	})
}

// open opens (once) the database, then calls done.
func (s *ModelStore) open(done func(error)) {
	if s.db != nil || s.err != nil {
		done(s.err)
		return
	}
	s.waiting = append(s.waiting, done)
	if s.opening {
		return
	}
	s.opening = true
	finish := func(err error) {
		s.opening, s.err = false, err
		w := s.waiting
		s.waiting = nil
		for _, f := range w {
			f(err)
		}
	}
	var req app.Value
	err := Try(func() {
		idb := app.Window().Get("indexedDB")
		if idb == nil || idb.Type() != app.TypeObject {
			panic("SecurityError: no indexedDB")
		}
		req = idb.Call("open", dbName, 1)
	})
	if err != nil {
		finish(caught(err))
		return
	}
	req.Set("onupgradeneeded", s.fn(func([]app.Value) {
		db := req.Get("result")
		if !db.Get("objectStoreNames").Call("contains", dbStore).Bool() {
			db.Call("createObjectStore", dbStore)
		}
	}))
	req.Set("onsuccess", s.fn(func([]app.Value) {
		s.db = req.Get("result")
		finish(nil)
	}))
	req.Set("onerror", s.fn(func(args []app.Value) {
		if len(args) > 0 {
			args[0].Call("preventDefault")
		}
		finish(jsErrOf(req.Get("error")))
	}))
	req.Set("onblocked", s.fn(func([]app.Value) {
		finish(errors.New("the stored data is held open by an older copy of this page in another tab; close it"))
	}))
}

// tx runs body in a transaction and calls done once it has committed or
// failed. body makes its requests' handlers with fn: they, and the
// transaction's own, are released when it ends (no event reaches a request
// of a transaction that has ended, and the transaction's handlers are taken
// off first). Unreleased, each save's handlers kept the saved model's bytes
// alive through syscall/js's table of functions: 10 MB of the page's heap
// after two minutes of training, growing by one model each save.
func (s *ModelStore) tx(mode string, body func(store app.Value, fn func(func([]app.Value)) app.Func), done func(error)) {
	s.open(func(err error) {
		if err != nil {
			done(err)
			return
		}
		var fns []app.Func
		fn := func(f func([]app.Value)) app.Func {
			g := s.fn(f)
			fns = append(fns, g)
			return g
		}
		release := func() {
			for _, g := range fns {
				g.Release()
			}
			fns = nil
		}
		var t app.Value
		if err := Try(func() {
			t = s.db.Call("transaction", dbStore, mode)
			body(t.Call("objectStore", dbStore), fn)
		}); err != nil {
			release()
			done(caught(err))
			return
		}
		called := false
		end := func(err error) {
			if called {
				return
			}
			called = true
			for _, h := range []string{"oncomplete", "onerror", "onabort"} {
				t.Set(h, nil)
			}
			release() // the handler running now included: it has been called
			done(err)
		}
		t.Set("oncomplete", fn(func([]app.Value) { end(nil) }))
		t.Set("onerror", fn(func(args []app.Value) {
			if len(args) > 0 {
				args[0].Call("preventDefault")
			}
			end(jsErrOf(t.Get("error")))
		}))
		t.Set("onabort", fn(func([]app.Value) { end(jsErrOf(t.Get("error"))) }))
	})
}

// SaveModel stores m as the current model, atomically (see the top of
// this file). The record is made at once: m is the decoder's, written over
// by the next model message (protocol.Decoder), before the store is open.
func (s *ModelStore) SaveModel(m *protocol.Model, done func(error)) {
	s.seq++
	key := "model-" + strconv.FormatInt(int64(app.Window().Get("Date").Call("now").Float()), 36) + "-" + strconv.Itoa(s.seq)
	rec := modelRecord(m)
	var refused error // a put the browser threw on: the reason the abort gets
	s.tx("readwrite", func(store app.Value, fn func(func([]app.Value)) app.Func) {
		get := store.Call("get", currentKey)
		get.Set("onsuccess", fn(func([]app.Value) {
			if err := Try(func() { putModel(store, get, rec, key) }); err != nil {
				// Nothing of it commits: the previous model stays current.
				refused = caught(err)
				Try(func() { store.Get("transaction").Call("abort") })
			}
		}))
	}, func(err error) {
		if refused != nil {
			err = refused
		}
		done(err)
	})
}

// modelRecord is m as the store keeps it, in JavaScript's memory.
func modelRecord(m *protocol.Model) app.Value {
	rec := app.Window().Get("Object").New()
	arr := app.Window().Get("Uint8Array").New(len(m.Bytes))
	app.CopyBytesToJS(arr, m.Bytes)
	rec.Set("bytes", arr)
	rec.Set("arch", m.Arch) // the counters and curves are in the bytes (protocol.History)
	return rec
}

// putModel writes rec (modelRecord) under key and points the current model
// at it, in the transaction of store, once get (of the pointer) has
// succeeded; the model it replaces goes.
func putModel(store, get, rec app.Value, key string) {
	old := ""
	if cur := get.Get("result"); cur.Type() == app.TypeObject {
		old = Str(cur, "model")
	}
	rec.Set("savedAt", app.Window().Get("Date").Call("now"))
	store.Call("put", rec, key)
	ptr := app.Window().Get("Object").New()
	ptr.Set("model", key)
	store.Call("put", ptr, currentKey)
	if old != "" && old != key {
		store.Call("delete", old)
	}
}

// ForgetModel drops the saved model (a new model replaced it), in one
// transaction as well.
func (s *ModelStore) ForgetModel(done func(error)) {
	s.tx("readwrite", func(store app.Value, fn func(func([]app.Value)) app.Func) {
		get := store.Call("get", currentKey)
		get.Set("onsuccess", fn(func([]app.Value) {
			if cur := get.Get("result"); cur.Type() == app.TypeObject {
				if old := Str(cur, "model"); old != "" {
					store.Call("delete", old)
				}
			}
			store.Call("delete", currentKey)
		}))
	}, done)
}

// LoadModel reads the current model; nil when none is saved.
func (s *ModelStore) LoadModel(done func(*protocol.Model, error)) {
	var got *protocol.Model
	s.tx("readonly", func(store app.Value, fn func(func([]app.Value)) app.Func) {
		get := store.Call("get", currentKey)
		get.Set("onsuccess", fn(func([]app.Value) {
			cur := get.Get("result")
			if cur.Type() != app.TypeObject || Str(cur, "model") == "" {
				return
			}
			rec := store.Call("get", Str(cur, "model"))
			rec.Set("onsuccess", fn(func([]app.Value) {
				r := rec.Get("result")
				if r.Type() != app.TypeObject {
					return
				}
				// A copy saved before the bytes held the counters kept them
				// beside the bytes: the worker takes them when the bytes have none.
				got = &protocol.Model{Bytes: Bytes(r, "bytes"), Arch: Str(r, "arch"), Epoch: Num(r, "epoch"),
					Samples: jsCount(r, "samples"), Batches: jsCount(r, "batches"), Loss: Num(r, "loss")}
			}))
		}))
	}, func(err error) { done(got, err) })
}

// jsCount is a count saved as a number; 0 when absent or not a count (the
// worker starts a restored model's counters from zero then).
func jsCount(v app.Value, k string) int64 {
	if n := Num(v, k); n >= 0 && n < 1<<53 {
		return int64(n)
	}
	return 0
}

// clear empties the database.
func (s *ModelStore) Clear(done func(error)) {
	s.tx("readwrite", func(store app.Value, _ func(func([]app.Value)) app.Func) { store.Call("clear") }, done)
}
