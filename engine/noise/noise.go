package noise

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Kind names a corruption process.
type Kind string

const (
	None       Kind = "none"       // x̃ = x
	Mask       Kind = "mask"       // each pixel set to 0 with probability q
	Gaussian   Kind = "gaussian"   // x̃ = clip(x + N(0, σ²), 0, 1)
	SaltPepper Kind = "saltpepper" // each pixel with probability q set to 0 or 1, evenly
)

// Kinds lists every corruption, in the order the page offers them.
var Kinds = []Kind{None, Mask, Gaussian, SaltPepper}

// MaxSigma bounds the Gaussian noise level: beyond it the clipped digit is
// indistinguishable from uniform noise.
const MaxSigma = 2.0

// Spec is a corruption and its level: the probability q for Mask and
// SaltPepper, the standard deviation σ for Gaussian. The zero value is no
// corruption.
type Spec struct {
	Kind  Kind    `json:"kind"`
	Level float64 `json:"level"`
}

// Active reports whether s changes its input.
func (s Spec) Active() bool { return s.Kind != "" && s.Kind != None && s.Level > 0 }

// Validate reports an unknown kind or a level outside its range.
func (s Spec) Validate() error {
	switch s.Kind {
	case "", None:
		return nil
	case Mask, SaltPepper:
		if !(s.Level >= 0 && s.Level <= 1) {
			return fmt.Errorf("noise: %s probability %v is outside [0, 1]", s.Kind, s.Level)
		}
	case Gaussian:
		if !(s.Level >= 0 && s.Level <= MaxSigma) {
			return fmt.Errorf("noise: gaussian sigma %v is outside [0, %v]", s.Level, MaxSigma)
		}
	default:
		return fmt.Errorf("noise: unknown kind %q (want none, mask, gaussian or saltpepper)", s.Kind)
	}
	return nil
}

// Apply writes a corrupted copy of x into dst (len(dst) >= len(x); dst may
// be x itself). It allocates nothing. An invalid Spec copies x unchanged;
// call Validate first to report it.
func (s Spec) Apply(rng *rand.Rand, x, dst []float64) {
	dst = dst[:len(x)]
	if !s.Active() || s.Validate() != nil {
		copy(dst, x)
		return
	}
	q := s.Level
	switch s.Kind {
	case Mask:
		for i, v := range x {
			if rng.Float64() < q {
				v = 0
			}
			dst[i] = v
		}
	case Gaussian:
		for i, v := range x {
			dst[i] = math.Min(1, math.Max(0, v+q*rng.NormFloat64()))
		}
	case SaltPepper:
		for i, v := range x {
			if rng.Float64() < q {
				v = 0
				if rng.Float64() < 0.5 {
					v = 1
				}
			}
			dst[i] = v
		}
	}
}
