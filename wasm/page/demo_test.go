package page

import (
	"aeplayground/engine/ae"
	"aeplayground/wasm/state"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestModifiedKeys: the line under the presets names exactly the settings
// that differ from the preset, as a link names them.
func TestModifiedKeys(t *testing.T) {
	for _, p := range ae.Presets() {
		if got := ModifiedKeys(p.Name, p.Config); len(got) != 0 {
			t.Errorf("%s: its own config is modified in %v", p.Name, got)
		}
	}
	f := state.NewForm(ae.Presets()[0].Config)
	if !f.Set("hidden", "100", "k", "16", "f", "tanh,sigmoid", "opt", "momentum", "mom", "0.5") {
		t.Fatal(f.Errors())
	}
	got := ModifiedKeys("survey", f.Config)
	if want := []string{"k", "hidden", "f", "opt", "mom"}; !slices.Equal(got, want) {
		t.Errorf("modified %v, want %v", got, want)
	}
}

// TestReadmeKeyTable: the README's table of link keys lists every key the
// parser accepts, and no other.
func TestReadmeKeyTable(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, "| `preset` |")
	end := strings.Index(readme, "The table is `state.Keys()`")
	if start < 0 || end < start {
		t.Fatal("README.md has no key table starting with | `preset` |")
	}
	var listed []string
	for line := range strings.SplitSeq(readme[start:end], "\n") {
		if k, ok := strings.CutPrefix(line, "| `"); ok {
			k, _, _ = strings.Cut(k, "`")
			listed = append(listed, k)
		}
	}
	var keys []string
	for _, k := range state.Keys() {
		keys = append(keys, k.Name)
	}
	if !slices.Equal(listed, keys) {
		t.Errorf("README lists %v\nstate.Keys() has %v", listed, keys)
	}
}
