package browser

import (
	"bytes"
	"encoding/base64"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"unsafe"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The page's garbage-collector figures, for the browser tests: with
// ?aetest=1, window.__aeGC() returns [collections so far, mark time in ms,
// live heap bytes, bytes allocated so far, globals and stacks scanned in
// bytes, the heap goal in bytes, finalizers run so far]. A collection's mark
// phase runs on the main thread (Go's wasm port has no other), so the tests
// use it to tell a collection from the page's own work inside a long task
// (wasm/e2e/longtask_test.go).
//
// Nearly every finalizer is syscall/js's, one per JavaScript object or
// string Go received (js.Value keeps a reference in JavaScript until it is
// collected): the count is how many the page let go of.
//
// window.__aeGCFill() puts the same figures into window.__aeGCFigures, a
// Float64Array, without allocating: for callers around every entry into Go.
//
// window.__aeCollect() runs a full collection (the tests start measuring
// from a clean heap).
//
// window.__aeHeap() collects and returns the page's heap profile (pprof's
// gzipped protocol buffer, base64), to find what the page retains: the soak
// test writes it out (wasm/e2e/soak_test.go).
var gcProbe, gcFill, heapProbe, collect app.Func

func InstallGCProbe() {
	if !TestMode() || gcProbe != nil {
		return
	}
	names := []string{
		"/gc/cycles/total:gc-cycles",
		"/cpu/classes/gc/mark/assist:cpu-seconds",
		"/cpu/classes/gc/mark/dedicated:cpu-seconds",
		"/cpu/classes/gc/mark/idle:cpu-seconds",
		"/gc/heap/live:bytes",
		"/gc/heap/allocs:bytes",
		"/gc/scan/globals:bytes",
		"/gc/scan/stack:bytes",
		"/gc/heap/goal:bytes",
		"/gc/finalizers/executed:finalizers",
	}
	samples := make([]metrics.Sample, len(names))
	for i, n := range names {
		samples[i].Name = n
	}
	num := func(s metrics.Sample) float64 {
		switch s.Value.Kind() {
		case metrics.KindUint64:
			return float64(s.Value.Uint64())
		case metrics.KindFloat64:
			return s.Value.Float64()
		}
		return 0
	}
	// The figures go into a Float64Array through its bytes: no boxed
	// numbers and no new js.Value per call (the tests call __aeGCFill around
	// every entry into Go, so its own garbage would distort what it counts).
	var figs [7]float64
	raw := unsafe.Slice((*byte)(unsafe.Pointer(&figs[0])), 8*len(figs))
	buf := app.Window().Get("Float64Array").New(len(figs))
	bytesView := app.Window().Get("Uint8Array").New(buf.Get("buffer"))
	fill := func() {
		metrics.Read(samples)
		figs = [7]float64{
			num(samples[0]),
			1000 * (num(samples[1]) + num(samples[2]) + num(samples[3])),
			num(samples[4]), num(samples[5]), num(samples[6]) + num(samples[7]),
			num(samples[8]), num(samples[9]),
		}
		app.CopyBytesToJS(bytesView, raw)
	}
	gcFill = app.FuncOf(func(app.Value, []app.Value) any { fill(); return nil })
	app.Window().Set("__aeGCFigures", buf)
	app.Window().Set("__aeGCFill", gcFill)
	gcProbe = app.FuncOf(func(app.Value, []app.Value) any {
		fill()
		out := make([]any, len(figs))
		for i, v := range figs {
			out[i] = v
		}
		return out
	})
	app.Window().Set("__aeGC", gcProbe)
	collect = app.FuncOf(func(app.Value, []app.Value) any { runtime.GC(); return nil })
	app.Window().Set("__aeCollect", collect)
	runtime.MemProfileRate = 64 << 10 // finer than the default 512 KiB, for __aeHeap
	heapProbe = app.FuncOf(func(app.Value, []app.Value) any {
		runtime.GC()
		var b bytes.Buffer
		if err := pprof.Lookup("heap").WriteTo(&b, 0); err != nil {
			return err.Error()
		}
		return base64.StdEncoding.EncodeToString(b.Bytes())
	})
	app.Window().Set("__aeHeap", heapProbe)
}
