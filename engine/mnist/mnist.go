// Package mnist encodes and decodes the playground's compact bundle of MNIST
// digits: a training set and a test set of 28x28 grey images with their labels,
// checked by a CRC-32 so a damaged download is refused rather than trained on.
//
// The package only turns bytes into digits and back: it does no file or
// network I/O, so it builds the same natively and for GOOS=js.
//
// # Format
//
// All integers are little-endian.
//
//	offset  size         field
//	0       4            magic "AEMN"
//	4       2            format version, uint16, = 2
//	6       2            rows, uint16, = 28
//	8       2            cols, uint16, = 28
//	10      4            train count T, uint32, <= MaxDigits
//	14      4            test count S, uint32, <= MaxDigits
//	18      L            the digits, range coded (codec.go): T train digits,
//	                     each 784 pixels row-major; T train labels, 0..9;
//	                     then S test digits and S test labels
//	18+L    4            CRC-32 (IEEE) of the 18 header bytes followed by the
//	                     decoded digits in that order (784*T pixels, T
//	                     labels, 784*S pixels, S labels), uint32
//
// The coding is lossless: Decode returns exactly the pixels Encode was
// given. Pixels keep MNIST's convention: 0 is background, 255 is full ink.
// (Version 1 stored the digits uncoded, 9.4 MB for the playground's 12,000
// digits where version 2 takes 1.44 MB.)
package mnist

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// Image geometry of every digit.
const (
	Rows   = 28
	Cols   = 28
	Pixels = Rows * Cols
)

// MaxDigits bounds the count of digits in each set. MNIST has 60,000 training
// and 10,000 test digits; the bound keeps a hostile header from asking for
// gigabytes before its length has been checked.
const MaxDigits = 70000

// Version is the format version this package writes and reads.
const Version = 2

// Magic opens every bundle.
const Magic = "AEMN"

const (
	headerLen   = 18
	checksumLen = 4
	recordLen   = Pixels + 1 // pixels and label of one digit
)

// Errors returned (wrapped, with details) by Decode and Encode. Test with
// errors.Is.
var (
	ErrTruncated = errors.New("mnist: bundle truncated")
	ErrTrailing  = errors.New("mnist: trailing bytes after bundle")
	ErrBadMagic  = errors.New("mnist: not a digit bundle (bad magic)")
	ErrVersion   = errors.New("mnist: unsupported bundle version")
	ErrSize      = errors.New("mnist: bad size")
	ErrLabel     = errors.New("mnist: label out of range 0..9")
	ErrChecksum  = errors.New("mnist: checksum mismatch (bundle corrupted)")
	ErrCorrupt   = errors.New("mnist: coded digits corrupted")
)

// Set is a list of digits: Images holds Len()*Pixels bytes, digit after
// digit, each row-major; Labels holds one label in 0..9 per digit.
type Set struct {
	Images []uint8
	Labels []uint8
}

// Len returns the number of digits in s.
func (s *Set) Len() int { return len(s.Labels) }

// Image returns the Pixels bytes of digit i, sharing storage with s.Images.
// Its capacity is capped so an append cannot overwrite digit i+1.
func (s *Set) Image(i int) []uint8 {
	return s.Images[i*Pixels : (i+1)*Pixels : (i+1)*Pixels]
}

// Float64 stores every pixel of s in dst scaled to [0,1] (v/255).
// It panics if len(dst) != s.Len()*Pixels, as a mismatched buffer is a
// programming error, not a data error.
func (s *Set) Float64(dst []float64) {
	if len(dst) != len(s.Images) {
		panic(fmt.Sprintf("mnist: Float64: len(dst) = %d, want %d", len(dst), len(s.Images)))
	}
	for i, v := range s.Images {
		dst[i] = float64(v) / 255
	}
}

// validate reports whether s is well formed, naming it in the error.
func (s *Set) validate(name string) error {
	n := len(s.Labels)
	if n > MaxDigits {
		return fmt.Errorf("%w: %s set has %d digits, more than MaxDigits = %d", ErrSize, name, n, MaxDigits)
	}
	if len(s.Images) != n*Pixels {
		return fmt.Errorf("%w: %s set has %d labels but %d image bytes, want %d", ErrSize, name, n, len(s.Images), n*Pixels)
	}
	for i, l := range s.Labels {
		if l > 9 {
			return fmt.Errorf("%w: %s digit %d has label %d", ErrLabel, name, i, l)
		}
	}
	return nil
}

// Bundle is the training and test digits shipped to the browser.
type Bundle struct {
	Train, Test Set
}

// Encode checks b (sizes, counts, labels) and returns it in the bundle format.
func Encode(b *Bundle) ([]byte, error) {
	if b == nil {
		return nil, errors.New("mnist: Encode of nil bundle")
	}
	if err := b.Train.validate("train"); err != nil {
		return nil, err
	}
	if err := b.Test.validate("test"); err != nil {
		return nil, err
	}
	return encode(b), nil
}

// encode writes a bundle of b without checking it (tests use it to make
// bundles Encode refuses).
func encode(b *Bundle) []byte {
	out := make([]byte, 0, headerLen)
	out = append(out, Magic...)
	out = binary.LittleEndian.AppendUint16(out, Version)
	out = binary.LittleEndian.AppendUint16(out, Rows)
	out = binary.LittleEndian.AppendUint16(out, Cols)
	out = binary.LittleEndian.AppendUint32(out, uint32(b.Train.Len()))
	out = binary.LittleEndian.AppendUint32(out, uint32(b.Test.Len()))
	sum := crc32.ChecksumIEEE(out)
	for _, s := range []*Set{&b.Train, &b.Test} {
		sum = crc32.Update(sum, crc32.IEEETable, s.Images)
		sum = crc32.Update(sum, crc32.IEEETable, s.Labels)
	}
	c, m := newEncoder(out), newModel()
	m.set(c, &b.Train)
	m.set(c, &b.Test)
	return binary.LittleEndian.AppendUint32(c.flush(), sum)
}

// Decode parses a bundle. It checks the header, then that the coded stream
// is long enough to hold what the header claims (at most maxExpansion
// decoded bytes per coded byte, so a short hostile stream cannot make it
// allocate or decode much), decodes the digits, then checks that the stream
// ended exactly where the coder did, the checksum over the decoded digits,
// and every label. The returned digits are new: data may be reused
// afterwards.
func Decode(data []byte) (*Bundle, error) {
	if len(data) < headerLen+streamMin+checksumLen {
		return nil, fmt.Errorf("%w: %d bytes, shorter than the %d-byte header, %d-byte stream and checksum", ErrTruncated, len(data), headerLen, streamMin+checksumLen)
	}
	if string(data[:4]) != Magic {
		return nil, fmt.Errorf("%w: starts with %q, want %q", ErrBadMagic, data[:4], Magic)
	}
	le := binary.LittleEndian
	if v := le.Uint16(data[4:]); v != Version {
		return nil, fmt.Errorf("%w: version %d, this reader knows %d (rebuild the bundle: make data)", ErrVersion, v, Version)
	}
	if r, c := le.Uint16(data[6:]), le.Uint16(data[8:]); r != Rows || c != Cols {
		return nil, fmt.Errorf("%w: digits are %dx%d, want %dx%d", ErrSize, r, c, Rows, Cols)
	}
	// Counts are compared with MaxDigits while still uint32, so no conversion
	// can wrap; the decoded size is then at most about 110 MB, which fits in
	// any int.
	nTrain, nTest := le.Uint32(data[10:]), le.Uint32(data[14:])
	if nTrain > MaxDigits {
		return nil, fmt.Errorf("%w: header claims %d train digits, more than MaxDigits = %d", ErrSize, nTrain, MaxDigits)
	}
	if nTest > MaxDigits {
		return nil, fmt.Errorf("%w: header claims %d test digits, more than MaxDigits = %d", ErrSize, nTest, MaxDigits)
	}
	stream := data[headerLen : len(data)-checksumLen]
	size := recordLen * (int(nTrain) + int(nTest))
	if size > maxExpansion*len(stream) {
		return nil, fmt.Errorf("%w: %d coded bytes cannot hold the %d train and %d test digits the header claims", ErrTruncated, len(stream), nTrain, nTest)
	}

	if stream[0] != 0 {
		// The coder's first byte is always 0 (codec.go's shiftLow); the
		// decoder would shift it out unread.
		return nil, fmt.Errorf("%w: the coded digits start with %#02x, not 0", ErrCorrupt, stream[0])
	}

	// One allocation for all the digits; the sets slice into it.
	payload := make([]byte, size)
	b := new(Bundle)
	split(&b.Test, split(&b.Train, payload, int(nTrain)), int(nTest))
	c, m := newDecoder(stream), newModel()
	canonical := m.set(c, &b.Train) && m.set(c, &b.Test)
	switch {
	case c.overrun:
		return nil, fmt.Errorf("%w: the coded digits end early (%d coded bytes)", ErrTruncated, len(stream))
	case !canonical:
		return nil, fmt.Errorf("%w: a grey pixel coded for a background or stroke one", ErrCorrupt)
	case c.pos != len(stream):
		return nil, fmt.Errorf("%w: %d coded bytes, the digits end after %d", ErrTrailing, len(stream), c.pos)
	}
	sum := crc32.Update(crc32.ChecksumIEEE(data[:headerLen]), crc32.IEEETable, payload)
	if stored := le.Uint32(data[len(data)-checksumLen:]); sum != stored {
		return nil, fmt.Errorf("%w: computed CRC-32 %08x, stored %08x", ErrChecksum, sum, stored)
	}
	if err := b.Train.validate("train"); err != nil {
		return nil, err
	}
	if err := b.Test.validate("test"); err != nil {
		return nil, err
	}
	return b, nil
}

// split fills s with the first n digits' pixels and labels of p and returns
// the rest. Capacities are capped so appending to one slice cannot overwrite
// the next.
func split(s *Set, p []byte, n int) []byte {
	s.Images = p[: n*Pixels : n*Pixels]
	p = p[n*Pixels:]
	s.Labels = p[:n:n]
	return p[n:]
}
