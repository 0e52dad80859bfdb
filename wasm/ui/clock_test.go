package ui

import (
	"testing"
	"time"
)

func TestTrainClock(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	var c trainClock
	c.observe(false, at(0))
	c.observe(true, at(1))  // Play
	c.observe(true, at(2))  // a report while running
	c.observe(false, at(4)) // Pause: 3 s
	c.observe(true, at(10)) // Play again
	if got := c.seconds(at(12.5)); got != 5.5 {
		t.Errorf("seconds %v, want 5.5 (paused time is not counted)", got)
	}
}
