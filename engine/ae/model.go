package ae

import (
	"fmt"
	"math"
	"math/rand/v2"

	"aeplayground/engine/internal/vec"
)

// A Model is an autoencoder's layers and parameters:
//
//	h = f(W x + b)      encoder (one or more layers)
//	x̂ = g(W* h + c)     decoder, mirroring the encoder
//
// All weights and biases live in one flat vector, so that an optimizer
// step, a checkpoint and a model file are each a single loop or copy.
type Model struct {
	cfg    Config
	layers []layer
	theta  []float64 // every parameter, layer by layer: weights then bias
	wspans []span    // where the weights are in theta (L2 applies to these only)

	one []([]float64) // activations of a single digit, for Encode and Reconstruct

	// wT holds, after forward on a batch, the transpose of each expanding
	// untied layer's weight (in < out, stored out×in) as in×out, at wTOff[l]
	// (-1 for other layers): see transposed.
	wT    []float64
	wTOff []int
}

// A span is a range of theta.
type span struct{ off, len int }

func (s span) of(v []float64) []float64 { return v[s.off : s.off+s.len : s.off+s.len] }

// A layer maps in units to out units: y = act(W x + b).
//
// W is stored out×in, except for a tied decoder layer, which reuses an
// encoder layer's weight, stored in×out: W* = Wᵀ (package doc, "The model"). Both
// layers then add their gradient into the same span.
type layer struct {
	in, out int
	w, b    span
	tied    bool
	act     Activation
}

// NewModel validates cfg and initialises a model's parameters with the
// scheme cfg.Init, drawing from a generator seeded with cfg.Seed.
func NewModel(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg.clone()} // the caller keeps its slices
	m.build()
	m.initialise(rand.New(rand.NewPCG(cfg.Seed, streamInit)))
	return m, nil
}

// Streams of the PCG generator: one per use, so that, say, turning on noise
// does not change the initial weights or the order of the digits.
const (
	streamInit = iota + 1
	streamShuffle
	streamNoise
)

// build lays out the layers and the parameter vector.
func (m *Model) build() {
	c := &m.cfg
	w := c.widths()
	d := len(c.Hidden)
	off := 0
	next := func(n int) span { s := span{off, n}; off += n; return s }
	for l := 0; l+1 < len(w); l++ {
		ly := layer{in: w[l], out: w[l+1]}
		switch {
		case l < d:
			ly.act = c.Activation[l]
		case l < 2*d-1:
			ly.act = c.Activation[2*d-2-l] // mirror: the layer that made this width upstream
		default:
			ly.act = c.Output
		}
		if c.Tied && l >= d {
			ly.tied = true
			ly.w = m.layers[2*d-1-l].w
		} else {
			ly.w = next(ly.in * ly.out)
			m.wspans = append(m.wspans, ly.w)
		}
		ly.b = next(ly.out)
		m.layers = append(m.layers, ly)
	}
	m.theta = make([]float64, off)
	n := 0
	for _, ly := range m.layers {
		m.wTOff = append(m.wTOff, -1)
		if !ly.tied && ly.in < ly.out {
			m.wTOff[len(m.wTOff)-1] = n
			n += ly.in * ly.out
		}
	}
	m.wT = make([]float64, n)
}

func (m *Model) initialise(rng *rand.Rand) {
	d := len(m.cfg.Hidden)
	for l, ly := range m.layers {
		if ly.tied {
			continue // its weight is the encoder's; its bias starts at 0
		}
		scheme := m.cfg.Init
		if scheme == InitSurvey {
			scheme = InitNormal
			if l >= d {
				scheme = InitPyTorch
			}
		}
		w, b := ly.w.of(m.theta), ly.b.of(m.theta)
		switch scheme {
		case InitNormal:
			for i := range w {
				w[i] = 0.1 * rng.NormFloat64()
			}
		case InitPyTorch:
			a := 1 / math.Sqrt(float64(ly.in))
			for i := range w {
				w[i] = a * (2*rng.Float64() - 1)
			}
			for i := range b {
				b[i] = a * (2*rng.Float64() - 1)
			}
		case InitGlorot:
			a := math.Sqrt(6 / float64(ly.in+ly.out))
			for i := range w {
				w[i] = a * (2*rng.Float64() - 1)
			}
		}
	}
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg.clone() }

// K is the code size.
func (m *Model) K() int { return m.cfg.K() }

// NumParams is the number of weights and biases.
func (m *Model) NumParams() int { return len(m.theta) }

// Params returns the parameter vector itself (not a copy), layer by layer,
// each layer's weight then its bias.
func (m *Model) Params() []float64 { return m.theta }

// forward runs rows digits through the network: acts[0] holds the input,
// acts[l+1] receives layer l's output. If logits is true the last layer's
// activation is not applied (binary cross-entropy is computed from logits).
func (m *Model) forward(acts [][]float64, rows int, logits bool) {
	m.forwardFrom(0, acts, rows, logits)
}

// forwardFrom is forward from layer from on: acts[from] holds its input.
// Decode starts at the first decoder layer, with a code as input.
func (m *Model) forwardFrom(from int, acts [][]float64, rows int, logits bool) {
	for l := from; l < len(m.layers); l++ {
		ly := m.layers[l]
		x, z := acts[l][:rows*ly.in], acts[l+1][:rows*ly.out]
		w, b := ly.w.of(m.theta), ly.b.of(m.theta)
		switch {
		case ly.tied:
			gemmNN(z, x, w, rows, ly.out, ly.in)
		case m.transposed(l, rows):
			wt := m.wT[m.wTOff[l] : m.wTOff[l]+ly.in*ly.out]
			transpose(wt, w, ly.out, ly.in)
			gemmNN(z, x, wt, rows, ly.out, ly.in)
		default:
			gemmNT(z, x, w, rows, ly.out, ly.in)
		}
		for i := range rows {
			vec.Axpy(z[i*ly.out:(i+1)*ly.out], 1, b)
		}
		if l < len(m.layers)-1 || !logits {
			ly.act.forward(z)
		}
	}
}

// transposed reports whether forward multiplies layer l by its transposed
// weight (left in m.wT for the backward pass): for an expanding untied
// layer such as a decoder (784×32 stored out×in), Z = X Wᵀ as dot products
// runs over the short in dimension, which under wasm costs a call per 8
// short sums; X (Wᵀ) as row updates runs over the long out dimension and
// is about twice as fast. The sums are the same, in the same order. For a
// digit or a few the transposition would cost more than it saves.
func (m *Model) transposed(l, rows int) bool { return m.wTOff[l] >= 0 && rows >= 8 }

// singleActs returns activation buffers for one digit, made once.
func (m *Model) singleActs() [][]float64 {
	if m.one == nil {
		for _, w := range m.cfg.widths() {
			m.one = append(m.one, make([]float64, w))
		}
	}
	return m.one
}

// Reconstruct writes the autoencoder's reconstruction x̂ = g(W* f(Wx+b) + c)
// of one digit x into xhat. It allocates nothing after its first call; a
// Model is not safe for concurrent use.
func (m *Model) Reconstruct(x, xhat []float64) {
	acts := m.singleActs()
	copy(acts[0], x)
	m.forward(acts, 1, false)
	copy(xhat, acts[len(acts)-1])
}

// Encode writes the code h of one digit x into code (length K).
func (m *Model) Encode(x, code []float64) {
	acts := m.encode(x)
	copy(code, acts[len(m.cfg.Hidden)])
}

// encode runs one digit through the encoder only and returns the
// single-digit activations, the code in acts[depth].
func (m *Model) encode(x []float64) [][]float64 {
	acts := m.singleActs()
	copy(acts[0], x)
	for l := range len(m.cfg.Hidden) {
		ly := m.layers[l]
		z := acts[l+1]
		gemmNT(z, acts[l], ly.w.of(m.theta), 1, ly.out, ly.in)
		vec.Axpy(z, 1, ly.b.of(m.theta))
		ly.act.forward(z)
	}
	return acts
}

// Decoder returns the last decoder layer's weight as an n×h matrix
// (row-major), whose columns span the space the reconstructions lie in (for
// a linear autoencoder, the subspace compared with PCA's). It is a copy.
func (m *Model) Decoder() (n, h int, w []float64) {
	ly := m.layers[len(m.layers)-1]
	n, h = ly.out, ly.in
	w = make([]float64, n*h)
	src := ly.w.of(m.theta)
	if !ly.tied {
		copy(w, src)
		return n, h, w
	}
	for i := range h { // stored h×n: transpose
		for j := range n {
			w[j*h+i] = src[i*n+j]
		}
	}
	return n, h, w
}

// Filters returns the decoder's last-layer columns and the encoder's
// first-layer rows, each as one image of Inputs pixels (28×28 for digits):
// what each unit writes into, and what each unit looks for, in the input.
func (m *Model) Filters() (decoder, encoder [][]float64) {
	n, h, w := m.Decoder()
	for i := range h {
		col := make([]float64, n)
		for j := range n {
			col[j] = w[j*h+i]
		}
		decoder = append(decoder, col)
	}
	first := m.layers[0]
	enc := first.w.of(m.theta)
	for i := range first.out {
		encoder = append(encoder, append([]float64(nil), enc[i*first.in:(i+1)*first.in]...))
	}
	return decoder, encoder
}

// WeightNorms returns the Frobenius norm ‖W‖_F of each weight matrix, in
// parameter order (a tied decoder shares its encoder's).
func (m *Model) WeightNorms() []float64 {
	norms := make([]float64, len(m.wspans))
	for i, s := range m.wspans {
		w := s.of(m.theta)
		norms[i] = math.Sqrt(vec.Dot(w, w))
	}
	return norms
}

// String describes the architecture, e.g. "784-32-784 leakyrelu/sigmoid".
func (m *Model) String() string { return m.cfg.Arch() }

// Arch describes the architecture c builds, as Model.String does: a page
// names the model it asked for before the model exists.
func (c *Config) Arch() string {
	s := ""
	for i, w := range c.widths() {
		if i > 0 {
			s += "-"
		}
		s += fmt.Sprint(w)
	}
	for i, a := range c.Activation {
		if i == 0 {
			s += " "
		} else {
			s += ","
		}
		s += string(a)
	}
	s += "/" + string(c.Output)
	if c.Tied {
		s += " tied"
	}
	return s
}
