package mnist

// The digits are coded losslessly with a binary range coder (the LZMA
// coder's arithmetic: 11-bit probabilities, adapted by 1/32 of the error
// after each bit) driven by a context model of MNIST's pixels: most pixels
// are background (0), the strokes' cores share one near-white level per
// digit (mostly 252..255) and the anti-aliased edges take any grey. Each
// pixel is coded from the pixels already coded above it and to its left:
//
//  1. is it 0? in the context of its five causal neighbours (W, N, NW, NE,
//     WW), each quantized to 6 levels;
//  2. else, is it the stroke level (the brightest of W, N, NW, NE if that is
//     at least 240, else the digit's last pixel of at least 240)? same
//     context;
//  3. else its 8 bits, most significant first, each in the context of the
//     bits above it, the median edge detector's prediction (LOCO-I's, from
//     W, N and NW) in 32 levels and the sum of W, N, NW and NE in 16.
//
// A label is its 4 bits, each in the context of the bits above it. On the
// playground's 12,000 digits this takes 1.44 MB (1,438,069 bytes) where gzip -9 takes 1.92
// and brotli at its best quality 1.61 (wasm/server/compress.go's settings).

const (
	probBits  = 11
	probOne   = 1 << probBits
	adaptBits = 5
	rangeTop  = 1 << 24

	strokeMin   = 240 // a pixel this bright counts as the stroke level
	strokeStart = 253 // the stroke level before a digit has shown one

	levels    = 6 // quantization of a neighbour for the zero and stroke contexts
	nbrCtx    = levels * levels * levels * levels * levels
	greyCtx   = 32 * 16
	labelBits = 4
)

// maxExpansion bounds the decoded bytes per coded byte that Decode accepts.
// Every pixel costs at least one bit decision, and a decision at the most
// certain probability (probOne-31 of probOne) costs 0.022 bits, so the coder
// cannot exceed about 364 decoded bytes per coded byte; Decode refuses a
// header that claims more before it allocates (TestMostCompressible checks
// the margin on all-background digits).
const maxExpansion = 512

// streamMin is the shortest coded stream: the coder's five flush bytes.
const streamMin = 5

// quant maps a pixel to its level for the zero and stroke contexts.
var quant = func() (q [256]uint8) {
	for v := 1; v < 256; v++ {
		switch {
		case v < 64:
			q[v] = 1
		case v < 128:
			q[v] = 2
		case v < 192:
			q[v] = 3
		case v < 255:
			q[v] = 4
		default:
			q[v] = 5
		}
	}
	return q
}()

// coder is the range coder, encoding (out) or decoding (in); the model
// drives both with the same calls, so the two cannot disagree on a context.
type coder struct {
	decoding bool
	rng      uint32

	// encoding
	low     uint64
	cache   byte
	pending int
	out     []byte

	// decoding
	code    uint32
	in      []byte
	pos     int
	overrun bool // read past the end of in
}

func newEncoder(out []byte) *coder {
	return &coder{rng: 0xFFFFFFFF, pending: 1, out: out}
}

func newDecoder(in []byte) *coder {
	c := &coder{decoding: true, rng: 0xFFFFFFFF, in: in}
	for range streamMin {
		c.code = c.code<<8 | uint32(c.next())
	}
	return c
}

func (c *coder) next() byte {
	if c.pos >= len(c.in) {
		c.overrun = true
		return 0
	}
	b := c.in[c.pos]
	c.pos++
	return b
}

// bit codes b (encoding) or returns the decoded bit (decoding; b is then
// ignored) under the probability *p of a 0, and adapts *p.
func (c *coder) bit(p *uint16, b int) int {
	bound := (c.rng >> probBits) * uint32(*p)
	if c.decoding {
		b = int((uint64(c.code)-uint64(bound))>>63) ^ 1 // code >= bound
	}
	// Without branches on the bit, which no predictor can guess: one is
	// all ones for a 1, zero for a 0.
	one := -uint32(b)
	c.rng = bound&^one | (c.rng-bound)&one
	c.code -= bound & one
	c.low += uint64(bound & one)
	q := uint32(*p)
	*p = uint16(q + ((probOne-q)>>adaptBits)&^one - (q>>adaptBits)&one)
	for c.rng < rangeTop {
		c.rng <<= 8
		if c.decoding {
			c.code = c.code<<8 | uint32(c.next())
		} else {
			c.shiftLow()
		}
	}
	return b
}

// shiftLow moves the top byte of low out, holding back 0xFF bytes until it
// is known whether a carry reaches them.
func (c *coder) shiftLow() {
	if uint32(c.low) < 0xFF000000 || c.low >= 1<<32 {
		carry := byte(c.low >> 32)
		b := c.cache
		for ; c.pending > 0; c.pending-- {
			c.out = append(c.out, b+carry)
			b = 0xFF
		}
		c.cache = byte(c.low >> 24)
	}
	c.pending++
	c.low = (c.low & 0x00FFFFFF) << 8
}

// flush ends an encoding and returns the stream.
func (c *coder) flush() []byte {
	for range streamMin {
		c.shiftLow()
	}
	return c.out
}

// model holds the adaptive probabilities, all starting at one half.
type model struct {
	zero   [nbrCtx]uint16
	stroke [nbrCtx]uint16
	grey   [greyCtx][256]uint16
	label  [1 << labelBits]uint16
}

func newModel() *model {
	m := new(model)
	for i := range m.zero {
		m.zero[i], m.stroke[i] = probOne/2, probOne/2
	}
	for i := range m.grey {
		for j := range m.grey[i] {
			m.grey[i][j] = probOne / 2
		}
	}
	for i := range m.label {
		m.label[i] = probOne / 2
	}
	return m
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// digit codes one digit's Pixels bytes in img: encoding reads them,
// decoding writes them into img, which must be zeroed. It reports false if a decoded digit is not in the
// form the encoder writes (a grey coded for a 0 or the stroke level), so
// that every accepted stream is the one Encode makes of its digits.
func (m *model) digit(c *coder, img []byte) bool {
	img = img[:Pixels]
	last := byte(strokeStart)
	// The row above, with a zero on each side, so no neighbour needs a
	// bounds test: up[col+1] is the pixel above col.
	var up, cur [Cols + 2]byte
	for r := range Rows {
		row := img[r*Cols : (r+1)*Cols]
		var w, ww byte
		nw, n := up[0], up[1]
		for col := range Cols {
			ne := up[col+2]
			ctx := (((int(quant[w])*levels+int(quant[n]))*levels+int(quant[nw]))*levels+int(quant[ne]))*levels + int(quant[ww])
			v := row[col]
			if c.bit(&m.zero[ctx], b2i(v == 0)) == 1 {
				v = 0
			} else {
				hi := max(w, n, nw, ne)
				if hi < strokeMin {
					hi = last
				}
				if c.bit(&m.stroke[ctx], b2i(v == hi)) == 1 {
					v = hi
				} else {
					// LOCO-I's median edge detector.
					pred := int(w) + int(n) - int(nw)
					if lo, hi := min(w, n), max(w, n); nw >= hi {
						pred = int(lo)
					} else if nw <= lo {
						pred = int(hi)
					}
					probs := &m.grey[(pred>>3)*16+(int(w)+int(n)+int(nw)+int(ne))>>6]
					node := 1
					for k := 7; k >= 0; k-- {
						node = node<<1 | c.bit(&probs[node], int(v>>k)&1)
					}
					v = byte(node)
					if v == 0 || v == hi {
						return false
					}
				}
				if c.decoding {
					row[col] = v
				}
				if v >= strokeMin {
					last = v
				}
			}
			cur[col+1] = v
			ww, w = w, v
			nw, n = n, ne
		}
		up = cur
	}
	return true
}

// labels codes the labels in ls: encoding reads them, decoding writes them.
func (m *model) labels(c *coder, ls []byte) {
	for i, l := range ls {
		node := 1
		for k := labelBits - 1; k >= 0; k-- {
			node = node<<1 | c.bit(&m.label[node], int(l>>k)&1)
		}
		if c.decoding {
			ls[i] = byte(node - 1<<labelBits)
		}
	}
}

// set codes a set's digits, then its labels. It reports false as digit does.
func (m *model) set(c *coder, s *Set) bool {
	for i := range s.Len() {
		if !m.digit(c, s.Images[i*Pixels:]) {
			return false
		}
	}
	m.labels(c, s.Labels)
	return true
}
