// Package protocol is what the page (wasm/workerclient, for wasm/ui and
// wasm/page) and the training worker (wasm/worker) say to each other, and
// what the worker says to its helpers: one Go type per message, one binary
// encoding, and one table (Rules) of how the page treats each command.
//
// A message crosses postMessage as a frame, one Uint8Array whose buffer is
// transferred, not copied (transport_js.go):
//
//	frame = kind (1 byte) · req (uvarint) · body
//
// kind says which message follows; req is the request number of a command
// the page's scripting API waits on (0: none), answered by Done once the
// command has been handled. The body is the message's fields in the order
// its put method writes them:
//
//	int        zig-zag varint          uint, count   uvarint
//	float64    8 bytes, little-endian  bool          1 byte, 0 or 1
//	string     count · UTF-8 bytes     []byte        count · bytes
//	[]float64  count · 8 bytes each    ae.Config     its fields in order (config.go)
//
// Why bytes and not a JavaScript object: a progress report carries images
// and vectors (about 50 KB with a held-out evaluation, ten times a second).
// As one frame it crosses as one transferred buffer, is copied into Go in
// one call, and decodes into the buffers of the previous report: the page
// allocates nothing per report, and makes no js.Value per field. Decoding
// is also testable natively, and the fuzz test covers all of it.
//
// A decoder never panics and allocates at most in proportion to the frame:
// every count is checked against the bytes left before anything is made.
package protocol
