package ui

import "testing"

// TestAngleTextAgreesWithTheCheckpoint: an angle just below 1° does not
// read as 1.0° beside the checkpoint's "every angle below 1°".
func TestAngleTextAgreesWithTheCheckpoint(t *testing.T) {
	for _, c := range []struct {
		angle float64
		want  string
	}{{0.96, "0.96°"}, {1.04, "1.04°"}, {37.25, "37.2°"}} {
		var p pcaPanel
		p.largest.Add(1, c.angle)
		if got := p.angleText(); got != c.want {
			t.Errorf("%v°: %q, want %q", c.angle, got, c.want)
		}
	}
}
