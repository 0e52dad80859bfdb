// Package pixels converts a digit's pixels between the grey levels that
// cross postMessage and are drawn (bytes 0..255) and the intensities the
// models compute with (float64 in [0, 1]). The page and the worker both
// use this one pair.
package pixels

import "math"

// ToUnit writes x_i = b_i / 255 into dst, reused when long enough, and
// returns it.
func ToUnit(dst []float64, px []byte) []float64 {
	if cap(dst) < len(px) {
		dst = make([]float64, len(px))
	}
	dst = dst[:len(px)]
	for i, b := range px {
		dst[i] = float64(b) / 255
	}
	return dst
}

// FromUnit writes b_i = round(255 · clamp(x_i, 0, 1)) into dst, reused
// when long enough, and returns it.
func FromUnit(dst []byte, x []float64) []byte {
	if cap(dst) < len(x) {
		dst = make([]byte, len(x))
	}
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = byte(math.Round(255 * min(1, max(0, v))))
	}
	return dst
}
