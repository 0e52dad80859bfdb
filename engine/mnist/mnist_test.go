package mnist

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
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

// reseal recomputes the checksum of data in place, so a test can damage the
// body in a way only the later checks catch.
func reseal(data []byte) []byte {
	n := len(data) - checksumLen
	binary.LittleEndian.PutUint32(data[n:], crc32.ChecksumIEEE(data[:n]))
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
		data := mustEncode(t, b)
		if want := headerLen + recordLen*(tc.train+tc.test) + checksumLen; len(data) != want {
			t.Errorf("%d/%d: encoded %d bytes, want %d", tc.train, tc.test, len(data), want)
		}
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
	want := []byte{'A', 'E', 'M', 'N', 1, 0, 28, 0, 28, 0, 2, 0, 0, 0, 1, 0, 0, 0}
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
	for _, tc := range []struct {
		name   string
		damage func([]byte) []byte
		want   error
	}{
		{"empty", func(d []byte) []byte { return nil }, ErrTruncated},
		{"header only", func(d []byte) []byte { return d[:headerLen] }, ErrTruncated},
		{"one byte short", func(d []byte) []byte { return d[:len(d)-1] }, ErrTruncated},
		{"half", func(d []byte) []byte { return d[:len(d)/2] }, ErrTruncated},
		{"one byte over", func(d []byte) []byte { return append(d, 0) }, ErrTrailing},
		{"two bundles", func(d []byte) []byte { return append(d, d...) }, ErrTrailing},
		{"magic", func(d []byte) []byte { d[0] = 'X'; return d }, ErrBadMagic},
		{"version 0", put16(4, 0), ErrVersion},
		{"version 2", put16(4, 2), ErrVersion},
		{"rows", put16(6, 27), ErrSize},
		{"cols", put16(8, 0), ErrSize},
		{"train over max", put32(10, MaxDigits+1), ErrSize},
		{"test over max", put32(14, 1<<32-1), ErrSize},
		{"train count too big for length", put32(10, 4), ErrTruncated},
		{"test count too small for length", put32(14, 1), ErrTrailing},
		{"pixel flipped", func(d []byte) []byte { d[headerLen+5] ^= 1; return d }, ErrChecksum},
		{"label flipped", func(d []byte) []byte { d[headerLen+3*Pixels] ^= 0x40; return d }, ErrChecksum},
		{"checksum flipped", func(d []byte) []byte { d[len(d)-1] ^= 0x80; return d }, ErrChecksum},
		{"train label 10", func(d []byte) []byte { d[headerLen+3*Pixels+1] = 10; return reseal(d) }, ErrLabel},
		{"test label 255", func(d []byte) []byte { d[len(d)-checksumLen-1] = 255; return reseal(d) }, ErrLabel},
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

// TestDecodeNoEarlyAllocation checks that a short input whose header claims
// the largest allowed sets is refused without allocating for them.
func TestDecodeNoEarlyAllocation(t *testing.T) {
	data := mustEncode(t, makeBundle(0, 0))
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

var sentinels = []error{ErrTruncated, ErrTrailing, ErrBadMagic, ErrVersion, ErrSize, ErrLabel, ErrChecksum}

func FuzzDecode(f *testing.F) {
	for _, b := range []*Bundle{makeBundle(0, 0), makeBundle(1, 0), makeBundle(0, 1), makeBundle(2, 1)} {
		data := mustEncode(f, b)
		f.Add(data)
		f.Add(data[:len(data)-1])
		f.Add(append(data[:len(data):len(data)], 0))
		if b.Train.Len()+b.Test.Len() > 0 {
			// A label out of range under a valid checksum.
			bad := append([]byte(nil), data...)
			bad[len(bad)-checksumLen-1] = 10
			f.Add(reseal(bad))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Decode(data)
		if err != nil {
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("Decode error wraps no sentinel: %v", err)
		}
		re, err := Encode(b)
		if err != nil {
			t.Fatalf("Encode of a decoded bundle: %v", err)
		}
		if !bytes.Equal(re, data) {
			t.Fatalf("re-encoding differs: %d bytes in, %d out", len(data), len(re))
		}
	})
}
