package page

import (
	"testing"
	"time"
)

func TestTrainClock(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	var c TrainClock
	c.Observe(false, at(0))
	c.Observe(true, at(1))  // Play
	c.Observe(true, at(2))  // a report while running
	c.Observe(false, at(4)) // Pause: 3 s
	c.Observe(true, at(10)) // Play again
	if got := c.Seconds(at(12.5)); got != 5.5 {
		t.Errorf("seconds %v, want 5.5 (paused time is not counted)", got)
	}
}
