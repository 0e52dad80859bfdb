package page

import "time"

// TrainClock adds up the time spent training, as the progress reports'
// Running flag tells it: the time a checkpoint or a proof is stated with.
type TrainClock struct {
	running bool
	since   time.Time     // when the running stretch began
	before  time.Duration // training time before it
}

// Observe takes a report's Running flag, seen at now.
func (c *TrainClock) Observe(running bool, now time.Time) {
	if running == c.running {
		return
	}
	if c.running {
		c.before += now.Sub(c.since)
	}
	c.running, c.since = running, now
}

// Seconds is the training time up to now.
func (c *TrainClock) Seconds(now time.Time) float64 {
	d := c.before
	if c.running {
		d += now.Sub(c.since)
	}
	return d.Seconds()
}

// Running reports whether the last report said training runs.
func (c *TrainClock) Running() bool { return c.running }
