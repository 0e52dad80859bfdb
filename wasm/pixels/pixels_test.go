package pixels

import (
	"math"
	"testing"
)

func TestFromUnit(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want byte
	}{
		{0, 0}, {1, 255}, {0.5, 128}, {0.499, 127}, {-3, 0}, {7, 255}, {math.Inf(-1), 0}, {math.Inf(1), 255},
	} {
		if got := FromUnit(nil, []float64{c.x}); got[0] != c.want {
			t.Errorf("FromUnit(%v) = %d, want %d", c.x, got[0], c.want)
		}
	}
}

// Every grey level survives the trip to [0, 1] and back, and the buffers
// passed in are the ones written.
func TestRoundTripInPlace(t *testing.T) {
	px := make([]byte, 256)
	for i := range px {
		px[i] = byte(i)
	}
	x := ToUnit(make([]float64, 0, 256), px)
	if x[0] != 0 || x[255] != 1 {
		t.Errorf("ends %v %v, want 0 and 1", x[0], x[255])
	}
	back := make([]byte, 300)
	got := FromUnit(back, x)
	if &got[0] != &back[0] || len(got) != 256 {
		t.Error("FromUnit did not write into the buffer given")
	}
	for i := range px {
		if got[i] != px[i] {
			t.Fatalf("grey %d came back %d", px[i], got[i])
		}
	}
	if n := testing.AllocsPerRun(10, func() { ToUnit(x, px); FromUnit(back, x) }); n != 0 {
		t.Errorf("%v allocations with buffers large enough", n)
	}
}
