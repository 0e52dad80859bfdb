package ae

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"aeplayground/engine/noise"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite the seed corpus in testdata/fuzz/FuzzUnmarshalModel")

// mfConfigs are the architectures the model-file tests round-trip.
func mfConfigs() map[string]Config {
	return map[string]Config{
		"tiny": {
			Inputs: 4, Hidden: []int{2}, Activation: []Activation{Sigmoid}, Output: Sigmoid,
			Loss: MSE, Init: InitNormal, Optimizer: SGD, LR: 0.5, BatchSize: 1, Seed: 1,
		},
		"shallow": {
			Inputs: 784, Hidden: []int{32}, Activation: []Activation{LeakyReLU}, Output: Sigmoid,
			Loss: BCE, Init: InitSurvey, Optimizer: Adam, LR: 1e-3, BatchSize: 64, Seed: 42,
			Noise: noise.Spec{Kind: noise.Gaussian, Level: 0.3},
		},
		"deep": {
			Inputs: 30, Hidden: []int{16, 8, 3}, Activation: []Activation{ReLU, Tanh, Linear}, Output: Linear,
			Loss: MSE, Init: InitGlorot, Optimizer: Momentum, Momentum: 0.9, LR: 0.01, BatchSize: 32,
			Seed: math.MaxUint64, L2: 1e-4, Schedule: Schedule{Kind: StepDecay, Period: 3, Gamma: 0.5},
		},
		"tied": {
			Inputs: 9, Hidden: []int{6, 3}, Activation: []Activation{Sigmoid, Sigmoid}, Output: Sigmoid,
			Loss: BCE, Init: InitPyTorch, Optimizer: Adam, LR: 0.1, BatchSize: 8, Seed: 7,
			Tied: true, SparseRho: 0.05, SparseBeta: 3, Noise: noise.Spec{Kind: noise.Mask, Level: 0.25},
			Schedule: Schedule{Kind: Cosine, TMax: 20, Min: 0.001},
		},
		"contractive": {
			Inputs: 5, Hidden: []int{3}, Activation: []Activation{Tanh}, Output: Linear,
			Loss: MSE, Init: InitNormal, Optimizer: SGD, LR: 0.05, BatchSize: 4, Seed: 3, Contractive: 0.1,
		},
	}
}

// trainedModel is a model of cfg whose parameters are not the seed's, as
// after training, including a negative zero and subnormals whose bits must
// survive the round trip.
func trainedModel(t testing.TB, cfg Config) *Model {
	t.Helper()
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatalf("NewModel: %v", err)
	}
	p := m.Params()
	for i := range p {
		p[i] = math.Sin(float64(i)*0.7) * 3
	}
	p[0] = math.Copysign(0, -1)
	if len(p) > 2 {
		p[1] = math.SmallestNonzeroFloat64
		p[2] = -math.MaxFloat64
	}
	return m
}

func marshal(t testing.TB, m *Model) []byte {
	t.Helper()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatalf("MarshalBinary: %v", err)
	}
	return b
}

func TestModelFileRoundTrip(t *testing.T) {
	for name, cfg := range mfConfigs() {
		t.Run(name, func(t *testing.T) {
			m := trainedModel(t, cfg)
			b := marshal(t, m)
			got, err := UnmarshalModel(b)
			if err != nil {
				t.Fatalf("UnmarshalModel: %v", err)
			}
			if !reflect.DeepEqual(got.Config(), cfg) {
				t.Errorf("config\n got %+v\nwant %+v", got.Config(), cfg)
			}
			if got.NumParams() != m.NumParams() {
				t.Fatalf("%d parameters, want %d", got.NumParams(), m.NumParams())
			}
			for i, v := range got.Params() {
				if math.Float64bits(v) != math.Float64bits(m.Params()[i]) {
					t.Fatalf("parameter %d = %v, want %v", i, v, m.Params()[i])
				}
			}
			if again := marshal(t, got); !bytes.Equal(again, b) {
				t.Errorf("re-marshalled file differs from the original")
			}
			if got.String() != m.String() {
				t.Errorf("architecture %q, want %q", got.String(), m.String())
			}
			// The decoded model works: same reconstruction as the original.
			x := make([]float64, cfg.Inputs)
			for i := range x {
				x[i] = float64(i%3) / 2
			}
			want, have := make([]float64, cfg.Inputs), make([]float64, cfg.Inputs)
			m.Reconstruct(x, want)
			got.Reconstruct(x, have)
			if !reflect.DeepEqual(want, have) {
				t.Errorf("reconstruction differs: %v, want %v", have, want)
			}
		})
	}
}

// The fixed layout: a reader in another language relies on these offsets.
func TestModelFileLayout(t *testing.T) {
	m := trainedModel(t, mfConfigs()["tiny"])
	b := marshal(t, m)
	if string(b[:4]) != "AEMD" || binary.LittleEndian.Uint16(b[4:]) != 1 {
		t.Fatalf("starts % x, want AEMD and version 1", b[:6])
	}
	h := int(binary.LittleEndian.Uint32(b[6:]))
	if !bytes.HasPrefix(b[10:], []byte(`{"inputs":4,`)) {
		t.Errorf("header %q does not start with the config", b[10:10+h])
	}
	if n := binary.LittleEndian.Uint32(b[10+h:]); n != 22 || len(b) != 10+h+4+8*22+4 {
		t.Fatalf("%d parameters in a %d-byte file, want 22 (4-2-4) in %d", n, len(b), 10+h+4+8*22+4)
	}
	if v := math.Float64frombits(binary.LittleEndian.Uint64(b[14+h+8*5:])); v != m.Params()[5] {
		t.Errorf("parameter 5 reads %v, want %v", v, m.Params()[5])
	}
	if crc := binary.LittleEndian.Uint32(b[len(b)-4:]); crc != crc32.ChecksumIEEE(b[:len(b)-4]) {
		t.Errorf("checksum %08x is not the CRC-32 of the rest", crc)
	}
}

// rawModelFile assembles a file field by field, with a correct checksum, so
// that a test can damage one field and still get past the checksum.
func rawModelFile(version uint16, header string, count uint32, params []float64) []byte {
	b := []byte("AEMD")
	b = binary.LittleEndian.AppendUint16(b, version)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(header)))
	b = append(b, header...)
	b = binary.LittleEndian.AppendUint32(b, count)
	for _, v := range params {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// tinyHeader is the header MarshalBinary writes for mfConfigs()["tiny"].
const tinyHeader = `{"inputs":4,"hidden":[2],"activation":["sigmoid"],"output":"sigmoid","loss":"mse","init":"normal","optimizer":"sgd","lr":0.5,"batch":1,"seed":1,"noise":{"kind":"","level":0}}`

func tinyParams() []float64 {
	p := make([]float64, 22)
	for i := range p {
		p[i] = float64(i) / 8
	}
	return p
}

// modelFileDamage lists damaged files, the error each must give and a
// fragment of its message. The fuzz seed corpus is written from it too.
func modelFileDamage(valid []byte) []struct {
	name string
	data []byte
	kind error
	msg  string
} {
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(valid)) }
	p := tinyParams()
	withParam := func(i int, v float64) []float64 { q := append([]float64(nil), p...); q[i] = v; return q }
	swapHeader := func(old, new string) string {
		h := strings.Replace(tinyHeader, old, new, 1)
		if h == tinyHeader {
			panic("header edit " + old + " matched nothing")
		}
		return h
	}
	return []struct {
		name string
		data []byte
		kind error
		msg  string
	}{
		{"empty", nil, ErrModelTruncated, "model file: truncated: 0 bytes, shorter than the smallest model file (18)"},
		{"magic_prefix", []byte("AEM"), ErrModelTruncated, "truncated: 3 bytes"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"), ErrModelMagic, `not a model file (starts with "\x89PNG", want "AEMD")`},
		{"mnist_bundle", []byte("AEMN\x02\x00\x1c\x00\x1c\x00\x00\x00\x00\x00\x00\x00\x00\x00\xa9R~N"), ErrModelMagic, "not a model file"},
		{"header_only", valid[:30], ErrModelTruncated, "truncated: 30 bytes, a 174-byte header needs at least 192"},
		{"cut_params", valid[:len(valid)-5], ErrModelTruncated, "22 parameters need"},
		{"cut_checksum", valid[:len(valid)-1], ErrModelTruncated, "truncated"},
		{"trailing_byte", append(bytes.Clone(valid), 0), ErrModelTrailing, "trailing data: 1 bytes after the checksum"},
		{"two_files", append(bytes.Clone(valid), valid...), ErrModelTrailing, "trailing data"},
		{"version_7", rawModelFile(7, tinyHeader, 22, p), ErrModelVersion, "model file: version 7 is newer than this playground reads (1)"},
		{"version_0", rawModelFile(0, tinyHeader, 22, p), ErrModelVersion, "version 0 does not exist"},
		{"header_over_cap", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[6:], 64<<10+1); return b }), ErrModelHeader, "header of 65537 bytes exceeds the limit of 65536"},
		{"header_huge", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[6:], math.MaxUint32); return b }), ErrModelHeader, "exceeds the limit"},
		{"count_huge", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[10+len(tinyHeader):], math.MaxUint32); return b }), ErrModelTruncated, "4294967295 parameters need"},
		{"flipped_param_bit", edit(func(b []byte) []byte { b[len(b)-20] ^= 0x10; return b }), ErrModelChecksum, "model file: checksum mismatch (file damaged)"},
		{"flipped_header_bit", edit(func(b []byte) []byte { b[20] ^= 0x01; return b }), ErrModelChecksum, "checksum mismatch"},
		{"bad_checksum", edit(func(b []byte) []byte { b[len(b)-1] ^= 0xff; return b }), ErrModelChecksum, "checksum mismatch"},
		{"header_not_json", rawModelFile(1, "inputs=4", 22, p), ErrModelHeader, "header: invalid character"},
		{"header_unknown_field", rawModelFile(1, swapHeader(`"seed":1`, `"seed":1,"epochs":3`), 22, p), ErrModelHeader, `header: json: unknown field "epochs"`},
		{"header_wrong_type", rawModelFile(1, swapHeader(`"inputs":4`, `"inputs":"4"`), 22, p), ErrModelHeader, "header: json: cannot unmarshal"},
		{"header_two_values", rawModelFile(1, tinyHeader+"{}", 22, p), ErrModelHeader, "more data after the settings"},
		{"header_spaced", rawModelFile(1, swapHeader(`"inputs":4`, `"inputs": 4`), 22, p), ErrModelHeader, "not in the form this playground writes"},
		{"header_key_case", rawModelFile(1, swapHeader(`"inputs":4`, `"Inputs":4`), 22, p), ErrModelHeader, "not in the form"},
		{"header_null", rawModelFile(1, "null", 0, nil), ErrConfig, "model file: architecture: invalid setting: input size 0 must be between 1 and 4096"},
		{"too_wide", rawModelFile(1, swapHeader(`"hidden":[2]`, `"hidden":[2000]`), 22, p), ErrConfig, "architecture: invalid setting: code size k = 2000: must be between 1 and 1024"},
		{"too_deep", rawModelFile(1, swapHeader(`"hidden":[2],"activation":["sigmoid"]`, `"hidden":[2,2,2,2,2,2,2],"activation":["sigmoid","sigmoid","sigmoid","sigmoid","sigmoid","sigmoid","sigmoid"]`), 22, p), ErrConfig, "7 encoder layers"},
		{"too_many_params", rawModelFile(1, swapHeader(`"inputs":4,"hidden":[2],"activation":["sigmoid"]`, `"inputs":4096,"hidden":[1024,1024],"activation":["relu","relu"]`), 22, p), ErrConfig, "exceed the limit of 4194304"},
		{"bad_activation", rawModelFile(1, swapHeader(`["sigmoid"]`, `["swish"]`), 22, p), ErrConfig, `unknown activation "swish"`},
		{"fewer_params", rawModelFile(1, tinyHeader, 21, p[:21]), ErrModelParams, "model file: 21 parameters, the architecture 4-2-4 needs 22"},
		{"more_params", rawModelFile(1, tinyHeader, 23, append(p, 0)), ErrModelParams, "23 parameters, the architecture 4-2-4 needs 22"},
		{"untied_params_for_tied", rawModelFile(1, swapHeader(`"seed":1`, `"seed":1,"tied":true`), 22, p), ErrModelParams, "22 parameters, the architecture 4-2-4 tied needs 14"},
		{"nan_param", rawModelFile(1, tinyHeader, 22, withParam(3, math.NaN())), ErrModelParams, "parameter 3 of 22 is NaN"},
		{"inf_param", rawModelFile(1, tinyHeader, 22, withParam(21, math.Inf(-1))), ErrModelParams, "parameter 21 of 22 is -Inf"},
	}
}

func tinyFile(t testing.TB) []byte {
	m, err := NewModel(mfConfigs()["tiny"])
	if err != nil {
		t.Fatal(err)
	}
	copy(m.Params(), tinyParams())
	b := marshal(t, m)
	if want := rawModelFile(1, tinyHeader, 22, tinyParams()); !bytes.Equal(b, want) {
		t.Fatalf("tiny model file differs from the hand-built one: header %q", b[10:10+len(tinyHeader)])
	}
	return b
}

func TestUnmarshalModelDamage(t *testing.T) {
	valid := tinyFile(t)
	if _, err := UnmarshalModel(valid); err != nil {
		t.Fatalf("valid file: %v", err)
	}
	for _, tc := range modelFileDamage(valid) {
		t.Run(tc.name, func(t *testing.T) {
			m, err := UnmarshalModel(tc.data)
			if err == nil {
				t.Fatalf("accepted (%v)", m)
			}
			if m != nil {
				t.Errorf("returned a model along with the error %v", err)
			}
			if !errors.Is(err, ErrModelFile) || !errors.Is(err, tc.kind) {
				t.Errorf("error %q is not ErrModelFile and %q", err, tc.kind)
			}
			if !strings.HasPrefix(err.Error(), "model file: ") || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

func TestMarshalBinaryRefusesDivergedModel(t *testing.T) {
	for _, v := range []float64{math.NaN(), math.Inf(1)} {
		m := trainedModel(t, mfConfigs()["deep"])
		m.Params()[100] = v
		_, err := m.MarshalBinary()
		if !errors.Is(err, ErrModelParams) || !strings.Contains(err.Error(), fmt.Sprintf("parameter 100 of %d is %v", m.NumParams(), v)) {
			t.Errorf("parameter %v: error %v, want ErrModelParams naming parameter 100", v, err)
		}
	}
}

// reseal replaces the last four bytes of b by the CRC-32 of the rest, so that
// the fuzzer's mutations reach the header and parameters instead of stopping
// at the checksum.
func reseal(b []byte) []byte {
	if len(b) < 4 {
		return b
	}
	b = bytes.Clone(b)
	binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
	return b
}

// FuzzUnmarshalModel checks that no input makes UnmarshalModel panic or
// return anything but an ErrModelFile, and that whatever it accepts
// re-marshals to the very same bytes. The seeds are in
// testdata/fuzz/FuzzUnmarshalModel (regenerate with -update-corpus).
func FuzzUnmarshalModel(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, b := range [][]byte{data, reseal(data)} {
			m, err := UnmarshalModel(b)
			if err != nil {
				if m != nil || !errors.Is(err, ErrModelFile) {
					t.Fatalf("error %v (a %T) with model %v", err, err, m)
				}
				continue
			}
			again, err := m.MarshalBinary()
			if err != nil {
				t.Fatalf("accepted model does not marshal: %v", err)
			}
			if !bytes.Equal(again, b) {
				t.Fatalf("accepted %q\nre-marshals to %q", b, again)
			}
		}
	})
}

// TestFuzzCorpus writes the seed corpus with -update-corpus, and otherwise
// checks that each committed seed still gives what its name says: the
// valid_* files decode, the others fail.
func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzUnmarshalModel")
	if *updateCorpus {
		seeds := map[string][]byte{}
		valid := tinyFile(t)
		seeds["valid_4-2-4"] = valid
		for _, name := range []string{"tied", "contractive"} {
			seeds["valid_"+name] = marshal(t, trainedModel(t, mfConfigs()[name]))
		}
		for _, tc := range modelFileDamage(valid) {
			if len(tc.data) <= 4<<10 {
				seeds[tc.name] = tc.data
			}
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range seeds {
			if err := os.WriteFile(filepath.Join(dir, name), fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", b), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("seed corpus: %v (regenerate with -update-corpus)", err)
	}
	for _, e := range entries {
		src, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		body, ok := strings.CutPrefix(string(src), "go test fuzz v1\n[]byte(")
		body, ok2 := strings.CutSuffix(body, ")\n")
		if !ok || !ok2 {
			t.Errorf("%s: not a one-[]byte corpus file", e.Name())
			continue
		}
		var data string
		if _, err := fmt.Sscanf(body, "%q", &data); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		_, err = UnmarshalModel([]byte(data))
		if valid := strings.HasPrefix(e.Name(), "valid_"); valid != (err == nil) {
			t.Errorf("%s: error %v", e.Name(), err)
		}
	}
}
