package ui

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"aeplayground/engine/ae"
	"aeplayground/wasm/state"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// TestModifiedKeys: the line under the presets names exactly the settings
// that differ from the preset, as a link names them.
func TestModifiedKeys(t *testing.T) {
	for _, p := range ae.Presets() {
		if got := modifiedKeys(p.Name, p.Config); len(got) != 0 {
			t.Errorf("%s: its own config is modified in %v", p.Name, got)
		}
	}
	f := state.NewForm(ae.Presets()[0].Config)
	if !f.Set("hidden", "100", "k", "16", "f", "tanh,sigmoid", "opt", "momentum", "mom", "0.5") {
		t.Fatal(f.Errors())
	}
	got := modifiedKeys("survey", f.Config)
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

// TestFirstMount: the first mount holds what is in view (the full layout's
// panels above the fold, or a link's chosen panels) and every panel once
// the rest are mounted; a slot never changes place.
func TestFirstMount(t *testing.T) {
	panelsOf := func(p *playground) []string {
		html := app.HTMLString(p.Render())
		var in []string
		for _, c := range []string{"pad-card", "train-card", "pca-card", "export-card", "codeplane-card"} {
			if strings.Contains(html, c) {
				in = append(in, c)
			}
		}
		return in
	}
	for _, tc := range []struct {
		fragment    string
		first, rest []string
	}{
		{"", []string{"pad-card", "train-card"}, []string{"pad-card", "train-card", "pca-card", "export-card", "codeplane-card"}},
		{"embed=1&panels=pca", []string{"pca-card"}, []string{"pad-card", "train-card", "pca-card", "export-card", "codeplane-card"}},
		{"embed=1&panels=pad,code", []string{"pad-card", "codeplane-card"}, []string{"pad-card", "train-card", "pca-card", "export-card", "codeplane-card"}},
	} {
		p := &playground{}
		p.link, _ = state.Parse(tc.fragment)
		if p.link.Embed && len(p.link.Panels) == 0 {
			p.link.Panels = defaultEmbedPanels
		}
		p.form = state.NewForm(p.link.Config)
		if got := panelsOf(p); !reflect.DeepEqual(got, tc.first) {
			t.Errorf("#%s: first mount %v, want %v", tc.fragment, got, tc.first)
		}
		p.mountedAll = true
		if got := panelsOf(p); !reflect.DeepEqual(got, tc.rest) {
			t.Errorf("#%s: once all are mounted %v, want %v", tc.fragment, got, tc.rest)
		}
	}
}
