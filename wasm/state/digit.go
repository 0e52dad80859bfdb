package state

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"aeplayground/engine/mnist"
)

// Digit kinds.
const (
	DigitNone  = ""      // no digit chosen
	DigitTest  = "test"  // a held-out MNIST digit, by index
	DigitDrawn = "drawn" // a digit drawn on the pad
)

// TestDigits is the size of the held-out set: a test digit's index is in
// [0, TestDigits).
const TestDigits = 10000

// Levels is the number of grey levels a link keeps of a drawn digit: each
// pixel is carried in 4 bits as round(15·p), and read back as that over 15.
const Levels = 16

// drawnLen is the length of a drawn digit in a link: 784 pixels of 4 bits
// are 392 bytes, 523 characters of unpadded base64url.
var drawnLen = base64.RawURLEncoding.EncodedLen(mnist.Pixels / 2)

// Digit is the digit the page shows reconstructed.
type Digit struct {
	// Kind is DigitNone, DigitTest or DigitDrawn.
	Kind string
	// Index is a test digit's index in the held-out set; 0 otherwise.
	Index int
	// Pixels are a drawn digit's 784 pixels in [0, 1], row by row, each a
	// multiple of 1/15 (see Quantize); nil otherwise.
	Pixels []float64
}

// Quantize returns the pixels a link carries for pixels: each clamped to
// [0, 1] (NaN as 0) and rounded to the nearest of the Levels grey levels
// k/15. Only the first 784 are kept, and missing ones are 0.
func Quantize(pixels []float64) []float64 {
	out := make([]float64, mnist.Pixels)
	for i, q := range quantize(pixels) {
		out[i] = float64(q) / (Levels - 1)
	}
	return out
}

func quantize(pixels []float64) []byte {
	q := make([]byte, mnist.Pixels)
	for i := range q {
		if i >= len(pixels) {
			break
		}
		p := pixels[i]
		if !(p > 0) { // NaN too
			continue
		}
		q[i] = byte(math.Round(math.Min(p, 1) * (Levels - 1)))
	}
	return q
}

// encodePixels packs two pixels into each byte, the first in the high
// nibble, and writes the bytes as unpadded base64url.
func encodePixels(pixels []float64) string {
	q := quantize(pixels)
	b := make([]byte, len(q)/2)
	for i := range b {
		b[i] = q[2*i]<<4 | q[2*i+1]
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// parseDigit reads "test:<index>" or "drawn:<pixels>", returning old on an
// error. The empty value chooses no digit.
func parseDigit(v string, old Digit) (Digit, error) {
	if v == "" {
		return Digit{}, nil
	}
	kind, arg, ok := strings.Cut(v, ":")
	switch {
	case ok && kind == DigitTest:
		n, err := strconv.Atoi(arg)
		if err != nil && !allDigits(arg) {
			return old, errors.New("the test digit's index is not a whole number")
		}
		if err != nil || n < 0 || n >= TestDigits {
			return old, fmt.Errorf("the test digit's index must be between 0 and %d", TestDigits-1)
		}
		return Digit{Kind: DigitTest, Index: n}, nil
	case ok && kind == DigitDrawn:
		if len(arg) != drawnLen {
			return old, fmt.Errorf("a drawn digit is %d characters of base64url, not %d", drawnLen, len(arg))
		}
		b, err := base64.RawURLEncoding.Strict().DecodeString(arg)
		if err != nil || len(b) != mnist.Pixels/2 {
			return old, errors.New("the drawn digit is not valid base64url")
		}
		px := make([]float64, mnist.Pixels)
		for i, x := range b {
			px[2*i] = float64(x>>4) / (Levels - 1)
			px[2*i+1] = float64(x&15) / (Levels - 1)
		}
		return Digit{Kind: DigitDrawn, Pixels: px}, nil
	}
	return old, errors.New("want test:<index> or drawn:<pixels>")
}
