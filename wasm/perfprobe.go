package main

import (
	"bytes"
	"encoding/base64"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The page's garbage-collector figures, for the browser tests: with
// ?aetest=1, window.__aeGC() returns [collections so far, mark time in ms,
// live heap bytes, bytes allocated so far, globals and stacks scanned in
// bytes]. A collection's mark phase runs on the main thread (Go's wasm port
// has no other), so the tests use it to tell a collection from the page's
// own work inside a long task (wasm/e2e_longtask_test.go).
//
// window.__aeHeap() collects and returns the page's heap profile (pprof's
// gzipped protocol buffer, base64), to find what the page retains: the soak
// test writes it out (wasm/soak_test.go).
var gcProbe, heapProbe app.Func

func installGCProbe() {
	if !testMode() || gcProbe != nil {
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
	out := make([]any, 5)
	gcProbe = app.FuncOf(func(app.Value, []app.Value) any {
		metrics.Read(samples)
		out[0] = num(samples[0])
		out[1] = 1000 * (num(samples[1]) + num(samples[2]) + num(samples[3]))
		out[2] = num(samples[4])
		out[3] = num(samples[5])
		out[4] = num(samples[6]) + num(samples[7])
		return out
	})
	app.Window().Set("__aeGC", gcProbe)
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
