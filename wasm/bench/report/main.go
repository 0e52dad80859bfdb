// Command report prints the summary table of `make bench` from the output of
// its `go test -bench` runs: the engine natively and as wasm under Node, and
// the page benchmarks in headless Chromium with the TF.js peer
// (wasm/e2e/bench_page_test.go). Each figure is the median of the runs in the output.
//
//	go run ./wasm/bench/report -native native.txt -wasm wasm.txt -page page.txt
//
// A file that is missing or empty leaves its rows out.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"aeplayground/engine/ae"
)

// results maps a benchmark's name (without its -GOMAXPROCS suffix) and a
// unit to the values of every run.
type results map[string]map[string][]float64

var procs = regexp.MustCompile(`-\d+$`)

func parse(path string) results {
	r := results{}
	if path == "" {
		return r
	}
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "report: %v\n", err)
		return r
	}
	defer f.Close()
	return parseFrom(f)
}

func parseFrom(rd io.Reader) results {
	r := results{}
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := procs.ReplaceAllString(f[0], "")
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			if r[name] == nil {
				r[name] = map[string][]float64{}
			}
			r[name][f[i+1]] = append(r[name][f[i+1]], v)
		}
	}
	return r
}

// get returns the median of a benchmark's metric and whether there was one.
func (r results) get(name, unit string) (float64, bool) {
	v := r[name][unit]
	if len(v) == 0 {
		return 0, false
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2, true
	}
	return s[len(s)/2], true
}

// num formats a figure with thousands separators above 1,000 and the given
// decimals below; "–" if it is missing.
func num(v float64, ok bool, decimals int) string {
	if !ok {
		return "–"
	}
	if v >= 1000 {
		s := strconv.FormatFloat(v, 'f', 0, 64)
		for i := len(s) - 3; i > 0; i -= 3 {
			s = s[:i] + "," + s[i:]
		}
		return s
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

func main() {
	native := flag.String("native", "", "go test -bench output of the engine, native")
	wasm := flag.String("wasm", "", "go test -bench output of the engine, as wasm under Node")
	page := flag.String("page", "", "go test -bench output of the page benchmarks (./wasm)")
	flag.Parse()
	nat, was, pg := parse(*native), parse(*wasm), parse(*page)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.Debug)
	defer w.Flush()
	workloads := []struct{ short, engine, about string }{
		{"W1", "BenchmarkTrain/W1-784-32-784-leaky-sigmoid-b256", "784-32-784 leaky ReLU/sigmoid, MSE, Adam 0.005, batch 256"},
		{"W2", "BenchmarkTrain/W2-784-64-784-sigmoid-sigmoid-b32", "784-64-784 sigmoid/sigmoid, MSE, Adam 0.001, batch 32"},
	}

	fmt.Println()
	fmt.Println("== make bench: medians (first 10,000 MNIST digits; this machine; noisy if it is shared) ==")
	fmt.Println()
	if len(nat)+len(was) > 0 {
		fmt.Fprintln(w, "engine training\tnative samples/s\tnative GFLOP/s\twasm (Node) samples/s\twasm GFLOP/s\t")
		for _, wl := range workloads {
			s1, ok1 := nat.get(wl.engine, "samples/s")
			g1, okg1 := nat.get(wl.engine, "GFLOP/s")
			s2, ok2 := was.get(wl.engine, "samples/s")
			g2, okg2 := was.get(wl.engine, "GFLOP/s")
			fmt.Fprintf(w, "%s %s\t%s\t%s\t%s\t%s\t\n", wl.short, wl.about, num(s1, ok1, 0), num(g1, okg1, 2), num(s2, ok2, 0), num(g2, okg2, 2))
		}
		for _, b := range []string{"BenchmarkFit10000x784k64", "BenchmarkFit10000x784k64Dense"} {
			n1, ok1 := nat.get(b, "ns/op")
			n2, ok2 := was.get(b, "ns/op")
			fmt.Fprintf(w, "PCA %s (ms)\t%s\t\t%s\t\t\n", strings.TrimPrefix(b, "Benchmark"), num(n1/1e6, ok1, 0), num(n2/1e6, ok2, 0))
		}
		w.Flush()
		fmt.Println()
	}
	if len(pg) == 0 {
		return
	}
	const cold = "BenchmarkPageColdLoad"
	if _, ok := pg[cold]; ok {
		get := func(unit string, d int) string { v, ok := pg.get(cold, unit); return num(v, ok, d) }
		fmt.Fprintln(w, "cold load on localhost (fresh profile)\t\t")
		fmt.Fprintf(w, "bytes transferred (bodies, as served)\t%s MB\t\n", get("MB-total", 2))
		fmt.Fprintf(w, "  of which until ready to train\t%s MB\t\n", get("MB-until-ready", 2))
		fmt.Fprintf(w, "requests\t%s\t\n", get("requests", 0))
		fmt.Fprintf(w, "pad accepts input (a stroke changes the 28x28 input)\t%s ms\t\n", get("ms-to-pad-input", 0))
		fmt.Fprintf(w, "ready to train (worker has the digits and PCA)\t%s ms\t\n", get("ms-to-ready-to-train", 0))
		fmt.Fprintf(w, "longest main-thread task during the load\t%s ms\t\n", get("ms-longest-task", 0))
		w.Flush()
		fmt.Println()
	}
	const first = "BenchmarkPageFirstVisit/"
	if _, ok := pg[first+"go-server"]; ok {
		fmt.Fprintln(w, "first visit, fresh profile (bytes on the wire)\t\ttarget\t")
		for _, h := range []struct{ name, about, target string }{
			{"go-server", "make run (brotli)", "4.8 MB"},
			{"python-subpath", "make static, python3 -m http.server, sub-path", "6 MB"},
			{"python-subpath-40Mbit", "  the same at 40 Mbit/s", "6 MB"},
		} {
			v, ok := pg.get(first+h.name, "MB-wire")
			fmt.Fprintf(w, "%s\t%s MB\t%s\t\n", h.about, num(v, ok, 2), h.target)
		}
		w.Flush()
		fmt.Println()
	}
	const lh = "BenchmarkPageLighthouse/"
	if _, ok := pg[lh+"mobile"]; ok {
		fmt.Fprintln(w, "Lighthouse 12.8.2 on make run	performance	target	FCP	LCP	TBT	CLS	accessibility, best practices, SEO (least)	")
		for _, f := range []struct{ form, target string }{{"mobile", "70"}, {"desktop", "90"}} {
			get := func(unit string, d int) string { v, ok := pg.get(lh+f.form, unit); return num(v, ok, d) }
			fmt.Fprintf(w, "%s	%s	%s	%s ms	%s ms	%s ms	%s	%s, %s, %s	\n", f.form, get("performance", 0), f.target,
				get("ms-FCP", 0), get("ms-LCP", 0), get("ms-TBT", 0), get("CLS", 3),
				get("accessibility-least", 0), get("best-practices-least", 0), get("seo-least", 0))
		}
		w.Flush()
		fmt.Println()
	}
	const proof = "BenchmarkPageTimeToProof/"
	if _, ok := pg[proof+"linear-pca"]; ok {
		fmt.Fprintln(w, "time to proof (Play to every angle < 1° and loss/PCA ≤ 1.002)\tseconds\tepochs\ttarget\t")
		for _, preset := range []string{"linear-pca", "linear-tied"} {
			s, ok1 := pg.get(proof+preset, "s-to-proof")
			e, ok2 := pg.get(proof+preset, "epochs-to-proof")
			fmt.Fprintf(w, "%s\t%s\t%s\t20 s\t\n", preset, num(s, ok1, 1), num(e, ok2, 1))
		}
		w.Flush()
		fmt.Println()
	}
	const lt = "BenchmarkPageLongTasks/"
	if _, ok := pg[lt+"survey/quiet"]; ok {
		fmt.Fprintln(w, "60 s of training, main thread\tlong tasks/min quiet\tlongest\tGCs/min\tlongest GC entry\tlong tasks/min, second core busy\tlongest\tGCs/min\tlongest GC entry\ttarget\t")
		for _, preset := range ae.Presets() {
			row := preset.Name
			for _, load := range []string{"quiet", "loaded"} {
				get := func(unit string, d int) string { v, ok := pg.get(lt+preset.Name+"/"+load, unit); return num(v, ok, d) }
				row += fmt.Sprintf("\t%s\t%s ms\t%s\t%s ms", get("long-tasks/min", 1), get("ms-longest-task", 0), get("GCs/min", 1), get("ms-longest-GC-entry", 0))
			}
			fmt.Fprintln(w, row+"\tno task > 50 ms\t")
		}
		w.Flush()
		fmt.Println()
	}
	const lecture = "BenchmarkPageLecture"
	if _, ok := pg[lecture]; ok {
		get := func(unit string, d int) string { v, ok := pg.get(lecture, unit); return num(v, ok, d) }
		fmt.Fprintln(w, "lecture page, nine embeds, every section visited and trained 2 s\tChromium renderers' RSS\ttarget\t")
		fmt.Fprintf(w, "peak\t%s MB\t1000 MB\t\n", get("MB-renderer-RSS-peak", 0))
		fmt.Fprintf(w, "with the last section in view\t%s MB\t\t\n", get("MB-renderer-RSS-end", 0))
		fmt.Fprintf(w, "frames loaded at once, at most\t%s of 9\t\t\n", get("frames-loaded-max", 0))
		w.Flush()
		fmt.Println()
	}
	fmt.Fprintln(w, "training in the page\tplayground samples/s (1 worker)\tGFLOP/s\tTF.js wasm-SIMD samples/s\tplayground/TF.js\tplayground, a worker per core\tTF.js threaded build samples/s\tplayground per core/TF.js threaded\tMSE playground\tMSE TF.js\tlongest task\tlongest task drawing\tdraw-to-reconstruction\t")
	for _, wl := range workloads {
		name := "BenchmarkPageTraining/" + wl.short
		if _, ok := pg[name]; !ok {
			continue
		}
		get := func(unit string, d int) string { v, ok := pg.get(name, unit); return num(v, ok, d) }
		ms := func(unit string) string {
			if v, ok := pg.get(name, unit); ok {
				return num(v, ok, 0) + " ms"
			}
			return "–"
		}
		fmt.Fprintf(w, "%s %s\t%s\t%s\t%s\t%s\t%s (%s cores)\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", wl.short, wl.about,
			get("samples/s", 0), get("GFLOP/s", 2), get("peer-samples/s", 0), get("page/peer", 2),
			get("samples/s-all-cores", 0), get("cores", 0), get("peer-threads-samples/s", 0), get("page-all-cores/peer-threads", 2),
			get("MSE", 4), get("peer-MSE", 4),
			ms("ms-longest-task"), ms("ms-longest-task-drawing"), ms("ms-draw-to-recon"))
	}
	w.Flush()
	fmt.Println()
	if _, ok := pg["BenchmarkPageWorkers/W1"]; ok {
		fmt.Fprintln(w, "data-parallel training in the page\t1 worker\t2 workers\t3 workers\t4 workers\t")
		for _, wl := range workloads {
			name := "BenchmarkPageWorkers/" + wl.short
			row := wl.short + " samples/s (speed-up)"
			for n := 1; n <= 4; n++ {
				r, ok := pg.get(name, fmt.Sprintf("samples/s-%dw", n))
				x, okx := pg.get(name, fmt.Sprintf("speedup-%dw", n))
				row += fmt.Sprintf("\t%s (%s×)", num(r, ok, 0), num(x, okx, 2))
			}
			fmt.Fprintln(w, row+"\t")
		}
		w.Flush()
		fmt.Println()
	}
	fmt.Println("MSE: held-out per-pixel MSE on the first 500 test digits after warm-up + the timed 10 s (TF.js: single-threaded run).")
	fmt.Println("Longest task: main thread, while training (timed window) and while drawing during training; 0 = none over 50 ms.")
	fmt.Println("TF.js threaded build: cross-origin isolated, setThreadsCount(cores); it reports 1 pool thread on 2 cores.")
}
