package mnist

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"runtime"
	"testing"
)

// makeSet returns n synthetic digits whose pixels and labels depend on seed,
// so that any mix-up between digits or sets shows in a comparison.
func makeSet(n int, seed byte) Set {
	s := Set{Images: make([]uint8, n*Pixels), Labels: make([]uint8, n)}
	for i := range s.Images {
		s.Images[i] = byte(i*7) + seed
	}
	for i := range s.Labels {
		s.Labels[i] = byte(i+int(seed)) % 10
	}
	return s
}

func makeBundle(nTrain, nTest int) *Bundle {
	return &Bundle{Train: makeSet(nTrain, 1), Test: makeSet(nTest, 2)}
}

func mustEncode(t testing.TB, b *Bundle) []byte {
	t.Helper()
	data, err := Encode(b)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return data
}

func equalSet(a, b *Set) bool {
	return a.Len() == b.Len() && bytes.Equal(a.Images, b.Images) && bytes.Equal(a.Labels, b.Labels)
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct{ train, test int }{
		{0, 0}, {1, 0}, {0, 1}, {3, 2}, {10, 10}, {100, 17},
	} {
		b := makeBundle(tc.train, tc.test)
		if tc.train == 10 {
			b = &Bundle{Train: strokeSet(tc.train), Test: strokeSet(tc.test)}
		}
		data := mustEncode(t, b)
		got, err := Decode(data)
		if err != nil {
			t.Fatalf("%d/%d: Decode: %v", tc.train, tc.test, err)
		}
		if !equalSet(&got.Train, &b.Train) || !equalSet(&got.Test, &b.Test) {
			t.Errorf("%d/%d: decoded bundle differs from the encoded one", tc.train, tc.test)
		}
		// Decode must copy: damaging data afterwards leaves the digits alone.
		for i := range data {
			data[i] ^= 0xff
		}
		if !equalSet(&got.Train, &b.Train) || !equalSet(&got.Test, &b.Test) {
			t.Errorf("%d/%d: decoded bundle aliases its input", tc.train, tc.test)
		}
	}
}

func TestHeaderLayout(t *testing.T) {
	data := mustEncode(t, makeBundle(2, 1))
	want := []byte{'A', 'E', 'M', 'N', 2, 0, 28, 0, 28, 0, 2, 0, 0, 0, 1, 0, 0, 0}
	if !bytes.Equal(data[:headerLen], want) {
		t.Errorf("header = % x, want % x", data[:headerLen], want)
	}
}

func TestDecodeDamage(t *testing.T) {
	good := func() []byte { return mustEncode(t, makeBundle(3, 2)) }
	put16 := func(off int, v uint16) func([]byte) []byte {
		return func(d []byte) []byte { binary.LittleEndian.PutUint16(d[off:], v); return d }
	}
	put32 := func(off int, v uint32) func([]byte) []byte {
		return func(d []byte) []byte { binary.LittleEndian.PutUint32(d[off:], v); return d }
	}
	// The stream without its last byte, or with one more: the decoder reads
	// the same bytes up to there, so it runs out, or stops short.
	cutStream := func(d []byte) []byte {
		n := len(d) - checksumLen
		return append(d[:n-1:n-1], d[n:]...)
	}
	padStream := func(d []byte) []byte {
		n := len(d) - checksumLen
		return append(append(d[:n:n], 0), d[n:]...)
	}
	// The stream of a bundle with one pixel changed, under the good CRC.
	otherPixel := func(d []byte) []byte {
		b := makeBundle(3, 2)
		b.Train.Images[100] ^= 1
		other := mustEncode(t, b)
		copy(other[len(other)-checksumLen:], d[len(d)-checksumLen:])
		return other
	}
	badLabel := func(set int, v byte) func([]byte) []byte {
		return func([]byte) []byte {
			b := makeBundle(3, 2)
			[]*Set{&b.Train, &b.Test}[set].Labels[1] = v
			return encode(b)
		}
	}
	for _, tc := range []struct {
		name   string
		damage func([]byte) []byte
		want   error
	}{
		{"empty", func(d []byte) []byte { return nil }, ErrTruncated},
		{"header only", func(d []byte) []byte { return d[:headerLen] }, ErrTruncated},
		{"stream cut by a byte", cutStream, ErrTruncated},
		{"stream of 5 bytes", func(d []byte) []byte {
			return append(d[:headerLen+streamMin:headerLen+streamMin], d[len(d)-checksumLen:]...)
		}, ErrTruncated},
		{"stream one byte over", padStream, ErrTrailing},
		{"one byte over", func(d []byte) []byte { return append(d, 0) }, ErrTrailing},
		{"two bundles", func(d []byte) []byte { return append(d, d...) }, ErrTrailing},
		{"magic", func(d []byte) []byte { d[0] = 'X'; return d }, ErrBadMagic},
		{"version 0", put16(4, 0), ErrVersion},
		{"version 1 (uncoded)", put16(4, 1), ErrVersion},
		{"version 3", put16(4, 3), ErrVersion},
		{"rows", put16(6, 27), ErrSize},
		{"cols", put16(8, 0), ErrSize},
		{"train over max", put32(10, MaxDigits+1), ErrSize},
		{"test over max", put32(14, 1<<32-1), ErrSize},
		{"train count too big for the stream", put32(10, MaxDigits), ErrTruncated},
		{"other pixels", otherPixel, ErrChecksum},
		{"checksum flipped", func(d []byte) []byte { d[len(d)-1] ^= 0x80; return d }, ErrChecksum},
		{"train label 10", badLabel(0, 10), ErrLabel},
		{"test label 15", badLabel(1, 15), ErrLabel},
	} {
		b, err := Decode(tc.damage(good()))
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
			continue
		}
		if b != nil {
			t.Errorf("%s: non-nil bundle with error", tc.name)
		}
		t.Logf("%s: %v", tc.name, err)
	}
}

// TestDecodeAnyDamage flips each byte of a bundle's stream in turn: every
// flip is refused, with one of the errors Decode documents.
func TestDecodeAnyDamage(t *testing.T) {
	good := mustEncode(t, makeBundle(3, 2))
	for i := headerLen; i < len(good); i++ {
		d := append([]byte(nil), good...)
		d[i] ^= 0x10
		b, err := Decode(d)
		if err == nil || b != nil {
			t.Fatalf("byte %d flipped: err = %v, bundle %v", i, err, b != nil)
		}
		if !isSentinel(err) {
			t.Fatalf("byte %d flipped: error wraps no sentinel: %v", i, err)
		}
	}
}

// TestMostCompressible checks that the most compressible digits (all
// background) stay within maxExpansion, with room to spare, so Decode never
// refuses what Encode writes.
func TestMostCompressible(t *testing.T) {
	b := &Bundle{Train: Set{Images: make([]uint8, 5000*Pixels), Labels: make([]uint8, 5000)}}
	data := mustEncode(t, b)
	stream := len(data) - headerLen - checksumLen
	ratio := float64(recordLen*5000) / float64(stream)
	t.Logf("5000 blank digits: %d coded bytes, %.0f decoded bytes per coded byte (bound %d)", stream, ratio, maxExpansion)
	if ratio > maxExpansion*0.8 {
		t.Errorf("%.0f decoded bytes per coded byte, too near maxExpansion = %d", ratio, maxExpansion)
	}
	got, err := Decode(data)
	if err != nil || !equalSet(&got.Train, &b.Train) {
		t.Fatalf("Decode: %v", err)
	}
}

// TestPlaygroundBundle decodes the bundle the page loads (`make data`
// writes it) and codes it again to the same bytes; the coding is about a
// sixth of the digits' size.
func TestPlaygroundBundle(t *testing.T) {
	raw := readBundle(t)
	b, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if re := mustEncode(t, b); !bytes.Equal(re, raw) {
		t.Errorf("coding the decoded digits again gives %d bytes, not the bundle's %d", len(re), len(raw))
	}
	plain := recordLen * (b.Train.Len() + b.Test.Len())
	t.Logf("%d train and %d test digits: %d bytes coded, %d plain (%.1f%%)", b.Train.Len(), b.Test.Len(), len(raw), plain, 100*float64(len(raw))/float64(plain))
	if len(raw)*5 > plain {
		t.Errorf("bundle is %d bytes, more than a fifth of the %d bytes of its digits", len(raw), plain)
	}
}

func readBundle(t testing.TB) []byte {
	t.Helper()
	raw, err := os.ReadFile("../../web/mnist.bundle")
	if err != nil {
		t.Fatalf("the MNIST bundle is missing (%v): run `make data` first", err)
	}
	return raw
}

// TestDecodeNoEarlyAllocation checks that a short input whose header claims
// the largest allowed sets is refused without allocating for them.
func TestDecodeNoEarlyAllocation(t *testing.T) {
	data := mustEncode(t, makeBundle(0, 0)) // a 5-byte stream
	binary.LittleEndian.PutUint32(data[10:], MaxDigits)
	binary.LittleEndian.PutUint32(data[14:], MaxDigits)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Decode(data)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTruncated) {
		t.Fatalf("err = %v, want ErrTruncated", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
		t.Errorf("Decode allocated %d bytes before refusing a truncated bundle", n)
	}
}

func TestEncodeInvalid(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    *Bundle
		want error
	}{
		{"label 10", &Bundle{Train: Set{Images: make([]uint8, Pixels), Labels: []uint8{10}}}, ErrLabel},
		{"short images", &Bundle{Test: Set{Images: make([]uint8, Pixels-1), Labels: []uint8{1}}}, ErrSize},
		{"images without labels", &Bundle{Train: Set{Images: make([]uint8, Pixels)}}, ErrSize},
		{"over max", &Bundle{Train: Set{Labels: make([]uint8, MaxDigits+1)}}, ErrSize},
	} {
		if _, err := Encode(tc.b); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := Encode(nil); err == nil {
		t.Error("Encode(nil): no error")
	}
}

func TestSetAccessors(t *testing.T) {
	s := makeSet(3, 9)
	if s.Len() != 3 {
		t.Fatalf("Len = %d, want 3", s.Len())
	}
	img := s.Image(1)
	if len(img) != Pixels || cap(img) != Pixels || &img[0] != &s.Images[Pixels] {
		t.Errorf("Image(1): len %d cap %d, not digit 1's storage", len(img), cap(img))
	}
	dst := make([]float64, 3*Pixels)
	s.Float64(dst)
	for i, v := range s.Images {
		if dst[i] != float64(v)/255 || dst[i] < 0 || dst[i] > 1 {
			t.Fatalf("Float64: dst[%d] = %v for pixel %d", i, dst[i], v)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Float64 with a short dst did not panic")
		}
	}()
	s.Float64(dst[:1])
}

var sentinels = []error{ErrTruncated, ErrTrailing, ErrBadMagic, ErrVersion, ErrSize, ErrLabel, ErrChecksum, ErrCorrupt}

func isSentinel(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// strokeSet returns n digits drawn as MNIST's are: a ring of stroke-level
// pixels with grey edges on a background of 0.
func strokeSet(n int) Set {
	s := Set{Images: make([]uint8, n*Pixels), Labels: make([]uint8, n)}
	for i := range n {
		img := s.Images[i*Pixels:]
		for r := range Rows {
			for c := range Cols {
				d := (r-14)*(r-14) + (c-14)*(c-14) - 36 - i
				switch {
				case d*d < 400:
					img[r*Cols+c] = 253
				case d*d < 900:
					img[r*Cols+c] = byte(40 + 7*d + i)
				}
			}
		}
		s.Labels[i] = byte(i % 10)
	}
	return s
}

func FuzzDecode(f *testing.F) {
	for _, b := range []*Bundle{makeBundle(0, 0), makeBundle(1, 0), makeBundle(0, 1), makeBundle(2, 1), {Train: strokeSet(3), Test: strokeSet(1)}} {
		data := mustEncode(f, b)
		f.Add(data)
		f.Add(data[:len(data)-1])
		f.Add(append(data[:len(data):len(data)], 0))
		if b.Train.Len() > 0 {
			// A label out of range under a valid checksum.
			bad := &Bundle{Train: Set{Images: b.Train.Images, Labels: append([]byte(nil), b.Train.Labels...)}, Test: b.Test}
			bad.Train.Labels[0] = 10
			f.Add(encode(bad))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Decode(data)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("Decode error wraps no sentinel: %v", err)
			}
			return
		}
		// A stream's last bytes may differ from the coder's and decode the
		// same, so compare digits, not bytes.
		re, err := Encode(b)
		if err != nil {
			t.Fatalf("Encode of a decoded bundle: %v", err)
		}
		got, err := Decode(re)
		if err != nil {
			t.Fatalf("Decode of a re-encoded bundle: %v", err)
		}
		if !equalSet(&got.Train, &b.Train) || !equalSet(&got.Test, &b.Test) {
			t.Fatal("re-encoding changed the digits")
		}
	})
}

// BenchmarkDecode decodes the playground's bundle (`make data` writes it),
// as the training worker does once per page load.
func BenchmarkDecode(b *testing.B) {
	raw := readBundle(b)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(raw); err != nil {
			b.Fatal(err)
		}
	}
}
