package browser

import (
	"slices"
	"testing"
)

func TestWrapText(t *testing.T) {
	// Every character is one unit wide.
	measure := func(s string) float64 { return float64(len([]rune(s))) }
	for _, c := range []struct {
		text  string
		width float64
		want  []string
	}{
		{"Principal angles to PCA's subspace", 40, []string{"Principal angles to PCA's subspace"}},
		{"Principal angles to PCA's subspace", 20, []string{"Principal angles to", "PCA's subspace"}},
		{"Principal angles to PCA's subspace", 19, []string{"Principal angles to", "PCA's subspace"}},
		{"Principal angles to PCA's subspace", 18, []string{"Principal angles", "to PCA's subspace"}},
		{"  spaced \n  out  ", 40, []string{"spaced out"}},
		{"a verylongword b", 5, []string{"a", "verylongword", "b"}},
		{"", 10, []string{""}},
	} {
		if got := wrapText(c.text, c.width, measure); !slices.Equal(got, c.want) {
			t.Errorf("wrapText(%q, %g) = %q, want %q", c.text, c.width, got, c.want)
		}
	}
}

func TestCSSPx(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
	}{
		{"18px", 18}, {" 6px ", 6}, {"14.25px", 14.25}, {"", 0}, {"auto", 0}, {"50%", 0}, {"3", 0},
	} {
		if got := cssPx(c.in); got != c.want {
			t.Errorf("cssPx(%q) = %g, want %g", c.in, got, c.want)
		}
	}
}
