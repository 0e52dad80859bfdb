package protocol

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"unicode/utf8"
)

// ErrFrame is matched (errors.Is) by every error of a frame that does not
// decode.
var ErrFrame = errors.New("protocol: bad frame")

// writer appends a message's fields to a frame.
type writer struct{ b []byte }

func (w *writer) uint(v uint64)   { w.b = binary.AppendUvarint(w.b, v) }
func (w *writer) int(v int)       { w.b = binary.AppendVarint(w.b, int64(v)) }
func (w *writer) int64(v int64)   { w.b = binary.AppendVarint(w.b, v) }
func (w *writer) float(v float64) { w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(v)) }
func (w *writer) string(s string) { w.uint(uint64(len(s))); w.b = append(w.b, s...) }
func (w *writer) bytes(b []byte)  { w.uint(uint64(len(b))); w.b = append(w.b, b...) }
func (w *writer) floats(f []float64) {
	w.uint(uint64(len(f)))
	for _, v := range f {
		w.float(v)
	}
}

func (w *writer) bool(v bool) {
	var b byte
	if v {
		b = 1
	}
	w.b = append(w.b, b)
}

// reader takes a message's fields from a frame. The first error sticks:
// every later read returns a zero value, so a message's get method reads
// straight through and the caller checks err once.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: "+format, append([]any{ErrFrame}, args...)...)
	}
	r.b = nil
}

func (r *reader) uint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("a number is cut short or too long")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) int64() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("a number is cut short or too long")
		return 0
	}
	r.b = r.b[n:]
	return v
}

// int reads an int that fits in 32 bits, the range every count and index
// of the protocol lies in, on any platform.
func (r *reader) int() int {
	v := r.int64()
	if v < math.MinInt32 || v > math.MaxInt32 {
		r.fail("%d is out of range", v)
		return 0
	}
	return int(v)
}

func (r *reader) float() float64 {
	if len(r.b) < 8 {
		r.fail("a number is cut short")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return v
}

func (r *reader) bool() bool {
	if len(r.b) < 1 || r.b[0] > 1 {
		r.fail("a boolean is missing or not 0 or 1")
		return false
	}
	v := r.b[0] == 1
	r.b = r.b[1:]
	return v
}

// count reads a length of items of size bytes each, refused unless that
// many bytes are left: what a frame makes is bounded by its own length.
func (r *reader) count(size int) int {
	n := r.uint()
	if n > uint64(len(r.b)/size) {
		r.fail("%d items of %d bytes, %d bytes left", n, size, len(r.b))
		return 0
	}
	return int(n)
}

func (r *reader) string() string { return r.stringLike("") }

// stringLike reads a string; one equal to old is old, not a new copy (a
// progress report's activation is the same each time).
func (r *reader) stringLike(old string) string {
	n := r.count(1)
	b := r.b[:n]
	if !utf8.Valid(b) {
		r.fail("a text is not UTF-8")
		return ""
	}
	r.b = r.b[n:]
	if string(b) == old {
		return old
	}
	return string(b)
}

// bytesInto reads a byte slice into buf's memory, grown when too small.
func (r *reader) bytesInto(buf []byte) []byte {
	n := r.count(1)
	buf = grow(buf, n)
	copy(buf, r.b[:n])
	r.b = r.b[n:]
	return buf
}

// floatsInto reads a []float64 into buf's memory, grown when too small.
func (r *reader) floatsInto(buf []float64) []float64 {
	n := r.count(8)
	buf = grow(buf, n)
	for i := range buf {
		buf[i] = math.Float64frombits(binary.LittleEndian.Uint64(r.b[8*i:]))
	}
	r.b = r.b[8*n:]
	return buf
}

// grow returns buf with length n, in its own memory when it has room, else
// in new memory with append's headroom: a saved model grows by its history
// at every evaluation, and without the headroom each model message would
// take a new buffer the size of the model (twice: the frame and its bytes).
func grow[T any](buf []T, n int) []T {
	return slices.Grow(buf[:0], n)[:n]
}
