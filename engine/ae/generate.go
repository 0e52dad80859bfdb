package ae

import "fmt"

// Decode writes the decoder's output at the code point z into xhat: the
// decoder layers applied to z, mirroring the encoder,
//
//	x̂ = g(W*_D · f(… f(W*_1 z + c_1) …) + c_D),
//
// which for one hidden layer is x̂ = g(W* z + c). Any point of the code
// space may be decoded, not only the code of a digit: the decoder is then
// a generator, and with k = 2 the whole code plane can be explored. It is a
// pure function of the parameters and z, and Decode(Encode(x)) is
// Reconstruct(x) exactly: the same sums in the same order.
//
// len(z) must be K and len(xhat) Inputs. It allocates nothing after the
// first call of Decode, Encode or Reconstruct, whose buffers it shares; a
// Model is not safe for concurrent use.
func (m *Model) Decode(z, xhat []float64) error {
	if len(z) != m.K() || len(xhat) != m.cfg.Inputs {
		return fmt.Errorf("decode: a code of %d and an image of %d values, want %d and %d", len(z), len(xhat), m.K(), m.cfg.Inputs)
	}
	acts := m.singleActs()
	d := len(m.cfg.Hidden)
	copy(acts[d], z)
	m.forwardFrom(d, acts, 1, false)
	copy(xhat, acts[len(acts)-1])
	return nil
}
