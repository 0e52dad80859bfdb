//go:build js && wasm

package protocol

import "syscall/js"

// A Port is one end of a postMessage channel (a Worker, or a worker's
// self) that speaks in frames. A frame crosses as a Uint8Array over an
// ArrayBuffer that is transferred, not copied. A buffer that arrives is
// kept and written over by the next frame sent when large enough: a
// coordinator and its helper pass one buffer to and fro, and the page
// sends its commands in the worker's spent buffers. A Port is used from
// one goroutine (its event handlers).
type Port struct {
	target js.Value
	spare  js.Value // an ArrayBuffer of ours to write the next frame into; undefined when none
	out    []byte   // the frame being sent
	in     []byte   // the frame received, copied out of JavaScript
	dec    Decoder
}

var uint8Array = js.Global().Get("Uint8Array")

// NewPort posts to target.
func NewPort(target js.Value) *Port { return &Port{target: target, spare: js.Undefined()} }

// Post sends m.
func (p *Port) Post(m Message) { p.PostRequest(0, m) }

// PostRequest sends command m with request number req.
func (p *Port) PostRequest(req uint64, m Message) {
	p.out = AppendRequest(p.out[:0], req, m)
	p.PostFrame(p.out)
}

// PostFrame sends a frame encoded earlier (Append).
func (p *Port) PostFrame(frame []byte) {
	var arr js.Value
	if !p.spare.IsUndefined() && p.spare.Get("byteLength").Int() >= len(frame) {
		arr = uint8Array.New(p.spare, 0, len(frame))
	} else {
		arr = uint8Array.New(len(frame))
	}
	p.spare = js.Undefined() // it travels with the frame
	js.CopyBytesToJS(arr, frame)
	p.target.Call("postMessage", arr, []any{arr.Get("buffer")})
}

// Receive decodes a message event's data. The frame's buffer is kept for
// the next Post. Messages of reused kinds are valid until the next of
// their kind (Decoder). ok is false when data is not a frame at all (a
// script's own message, which the caller may read otherwise).
func (p *Port) Receive(data js.Value) (m Message, req uint64, ok bool, err error) {
	if data.Type() != js.TypeObject || !data.InstanceOf(uint8Array) {
		return nil, 0, false, nil
	}
	p.in = grow(p.in, data.Length())
	js.CopyBytesToGo(p.in, data)
	p.spare = data.Get("buffer")
	m, req, err = p.dec.Decode(p.in)
	return m, req, true, err
}
