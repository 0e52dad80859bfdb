package page

import (
	"strings"
	"testing"

	"aeplayground/wasm/pixels"
	"aeplayground/wasm/state"
)

// setDigit's reply names the digit the state holds: "drawn" for a drawing
// (the handler sets the link's digit before it answers), "" for a blank
// pad (nothing to reconstruct, nothing in the link), "test" with its index
// for a held-out digit (issue 15.4).
func TestSetDigitReplyNamesTheDigit(t *testing.T) {
	d := DefaultDemo()
	b := &Bridge{demo: d, ready: func() bool { return true }, eval: noFigures()}
	stroke := make([]float64, pixels.Len)
	for r := 5; r <= 22; r++ {
		for c := 12; c <= 15; c++ {
			stroke[r*28+c] = 1
		}
	}
	cases := []struct {
		name  string
		digit state.Digit
		want  string
	}{
		{"a drawing", state.Digit{Kind: state.DigitDrawn, Pixels: state.Quantize(stroke)}, state.DigitDrawn},
		{"a blank pad", state.Digit{}, ""},
		{"a held-out digit", state.Digit{Kind: state.DigitTest, Index: 7}, state.DigitTest},
	}
	for _, c := range cases {
		d.Link.Digit = c.digit
		st := b.state()
		if st.Digit != c.want {
			t.Errorf("%s: digit %q, want %q", c.name, st.Digit, c.want)
		}
		if (st.DigitIndex != nil) != (c.want == state.DigitTest) || st.DigitIndex != nil && *st.DigitIndex != 7 {
			t.Errorf("%s: digitIndex %v", c.name, st.DigitIndex)
		}
		if c.want == state.DigitDrawn && !strings.Contains(st.Link, "digit=drawn:") {
			t.Errorf("%s: the reply's link %q does not carry the drawing", c.name, st.Link)
		}
	}
}
