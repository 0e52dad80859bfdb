package plot

import (
	"math"
	"slices"
	"sort"
)

// maxPoints bounds a curve: older points are thinned out to keep each
// re-render cheap however long the run.
const maxPoints = 300

// Series is a curve that thins itself to at most maxPoints points. X (the
// epoch) never decreases.
type Series struct{ X, Y []float64 }

// Add appends the point (x, y); a non-finite y is left out.
func (s *Series) Add(x, y float64) {
	if !Finite(y) {
		return
	}
	s.X, s.Y = append(s.X, x), append(s.Y, y)
	if len(s.X) > maxPoints {
		n := 0
		for i := 0; i < len(s.X); i += 2 {
			s.X[n], s.Y[n] = s.X[i], s.Y[i]
			n++
		}
		s.X, s.Y = s.X[:n], s.Y[:n]
	}
}

// Max is the largest y, and 0 for an empty series (the curves are losses).
func (s *Series) Max() float64 {
	m := 0.0
	for _, v := range s.Y {
		m = max(m, v)
	}
	return m
}

// nearest is the index of the point whose epoch is closest to x (the
// earlier one on a tie), or -1 for an empty Series.
func (s *Series) Nearest(x float64) int {
	n := len(s.X)
	if n == 0 || math.IsNaN(x) {
		return -1
	}
	i := sort.SearchFloat64s(s.X, x) // first X[i] >= x
	switch {
	case i == n:
		return n - 1
	case i > 0 && x-s.X[i-1] <= s.X[i]-x:
		return i - 1
	}
	return i
}

// RobustTop is the largest value of the curves that is not a spike
// (greater than SpikeFactor times their 90th percentile; non-Finite values
// are left out). The loss axis ends there, so one diverging step of loss
// 1,682 does not flatten a curve of 0.03s into its floor. The values are
// sorted in all's memory, returned for the next call: the chart asks at
// every redraw.
func RobustTop(all []float64, curves ...[]float64) (top float64, scratch []float64) {
	all = all[:0]
	for _, c := range curves {
		for _, v := range c {
			if Finite(v) {
				all = append(all, v)
			}
		}
	}
	if len(all) == 0 {
		return 0, all
	}
	slices.Sort(all)
	limit := SpikeFactor * all[(len(all)-1)*9/10]
	i := len(all) - 1
	for i > 0 && all[i] > limit {
		i--
	}
	return all[i], all
}

// SpikeFactor says when a loss is off the scale: more than this many times
// the 90th percentile of the curves. A run's loss falls by a factor of a few
// from its start (an untrained model's 0.1 to 0.02 per pixel), so only a
// blow-up goes that far above the bulk of the curve; and the percentile,
// unlike the maximum, is not moved by a handful of such points.
const SpikeFactor = 10
