package ui

import (
	"aeplayground/wasm/page"
	"reflect"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

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
		p := &playground{demo: page.NewDemo(tc.fragment)}
		if got := panelsOf(p); !reflect.DeepEqual(got, tc.first) {
			t.Errorf("#%s: first mount %v, want %v", tc.fragment, got, tc.first)
		}
		p.mountedAll = true
		if got := panelsOf(p); !reflect.DeepEqual(got, tc.rest) {
			t.Errorf("#%s: once all are mounted %v, want %v", tc.fragment, got, tc.rest)
		}
	}
}
