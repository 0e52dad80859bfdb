//go:build !wasm

package main

import (
	"bufio"
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The house: the module's packages in layers, whose imports run one way,
// down. A package may import a package of a lower layer, and of its own
// layer only where the layer says so (the engine's packages and the pure
// data packages build on each other). The README's "Layout" draws it.
var layers = []struct {
	name     string
	pkgs     []string // import paths; a trailing "/..." takes the subtree
	withinOK bool     // its packages may import each other
}{
	{"engine", []string{"aeplayground/engine/..."}, true},
	{"data", []string{"aeplayground/wasm/pixels", "aeplayground/wasm/protocol", "aeplayground/wasm/state", "aeplayground/wasm/lesson", "aeplayground/wasm/api"}, true},
	{"adapters", []string{"aeplayground/wasm/bus", "aeplayground/wasm/browser"}, false},
	{"worker", []string{"aeplayground/wasm/workerclient", "aeplayground/wasm/worker", "aeplayground/wasm/server"}, false},
	{"page", []string{"aeplayground/wasm/page"}, false},
	{"widgets", []string{"aeplayground/wasm/ui/plot"}, false},
	{"ui", []string{"aeplayground/wasm/ui"}, false},
	{"commands", []string{"aeplayground/wasm", "aeplayground/wasm/bench/report", "aeplayground/wasm/e2e"}, false},
}

// onlyFrom are packages that only the named packages may import: the
// worker runs in its own Web Worker, and the server never goes into a .wasm.
var onlyFrom = map[string][]string{
	"aeplayground/wasm/worker": nil,
	"aeplayground/wasm/server": {"aeplayground/wasm", "aeplayground/wasm/e2e"},
}

// browserOnly are imports the engine never has: it builds and tests natively.
var browserOnly = []string{"syscall/js", "github.com/maxence-charriere/go-app"}

func layerOf(pkg string) int {
	for i, l := range layers {
		for _, p := range l.pkgs {
			if p == pkg || strings.HasSuffix(p, "/...") && strings.HasPrefix(pkg, strings.TrimSuffix(p, "...")) {
				return i
			}
		}
	}
	return -1
}

// imports lists each package's non-test imports, as the build for env sees
// them (the browser's build and the native one differ by build tags).
func imports(t *testing.T, env ...string) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "aeplayground/...")
	cmd.Env = append(cmd.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v", env, err)
	}
	m := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		m[f[0]] = f[1:]
	}
	return m
}

// TestImportsRunDown keeps the house as built: no import runs up a layer or
// across one that does not allow it, nobody reaches into the worker or the
// server, and the engine stays free of the browser.
func TestImportsRunDown(t *testing.T) {
	for _, env := range [][]string{nil, {"GOOS=js", "GOARCH=wasm"}} {
		for pkg, imps := range imports(t, env...) {
			from := layerOf(pkg)
			if from < 0 {
				t.Errorf("%v: %s is in no layer: add it to layers", env, pkg)
				continue
			}
			for _, imp := range imps {
				if from == 0 {
					for _, b := range browserOnly {
						if strings.HasPrefix(imp, b) {
							t.Errorf("%v: the engine's %s imports %s", env, pkg, imp)
						}
					}
				}
				if !strings.HasPrefix(imp, "aeplayground/") {
					continue
				}
				if allowed, ok := onlyFrom[imp]; ok && !slices.Contains(allowed, pkg) {
					t.Errorf("%v: %s imports %s, which only %v may", env, pkg, imp, allowed)
				}
				to := layerOf(imp)
				if to > from || to == from && !layers[from].withinOK {
					t.Errorf("%v: %s (%s) imports %s (%s): against the layers", env, pkg, layers[from].name, imp, layers[max(to, 0)].name)
				}
			}
		}
	}
}
