package ae

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"strconv"
	"strings"
)

// A model file holds a trained model: its architecture and training settings
// (the Config) and its parameters. All integers are little-endian:
//
//	offset  size   field
//	0       4      magic "AEMD"
//	4       2      uint16 format version, 1
//	6       4      uint32 h, length of the header (at most MaxModelHeader)
//	10      h      header: the Config as JSON, exactly as MarshalBinary writes it
//	10+h    4      uint32 p, number of parameters
//	14+h    8p     the parameter vector (Model.Params), float64 IEEE 754
//	14+h+8p 4      CRC-32 (IEEE) of every byte before it
//
// The header is JSON so that a file says what it is to anyone who opens it,
// and so that settings can be added without a new version (see ModelVersion).
const (
	ModelMagic   = "AEMD"
	ModelVersion = 1
	// MaxModelHeader caps the JSON header; a real one is a few hundred bytes,
	// and the cap keeps a hostile file from making the decoder allocate much.
	MaxModelHeader = 64 << 10
)

// Sizes of the fixed fields.
const (
	mfMagicLen  = 4                  // len(ModelMagic), untyped so that it mixes with uint64 lengths
	mfFixed     = mfMagicLen + 2 + 4 // magic, version, header length
	mfCountLen  = 4
	mfCRCLen    = 4
	mfMinLength = mfFixed + mfCountLen + mfCRCLen // an empty header and no parameters
)

// Errors returned by UnmarshalModel and MarshalBinary. Every error matches
// ErrModelFile and at most one of the others, which says what is wrong; an
// invalid architecture also matches ErrConfig. Test with errors.Is.
var (
	ErrModelFile      = errors.New("model file")
	ErrModelMagic     = errors.New("model file: not a model file")
	ErrModelTruncated = errors.New("model file: truncated")
	ErrModelTrailing  = errors.New("model file: trailing bytes")
	ErrModelVersion   = errors.New("model file: unsupported version")
	ErrModelChecksum  = errors.New("model file: checksum mismatch (file damaged)")
	ErrModelHeader    = errors.New("model file: bad header")
	ErrModelParams    = errors.New("model file: bad parameters")
)

// A modelFileError reads "model file: " + msg and matches ErrModelFile and
// kind: the message can then be a sentence rather than a chain of sentinels.
type modelFileError struct {
	kind error
	msg  string
}

func (e *modelFileError) Error() string   { return "model file: " + e.msg }
func (e *modelFileError) Unwrap() []error { return []error{ErrModelFile, e.kind} }

func modelErr(kind error, format string, args ...any) error {
	return &modelFileError{kind, fmt.Sprintf(format, args...)}
}

// MarshalBinary encodes the model as a model file (see ModelMagic for the
// format). It fails only for a model whose parameters are not all finite: a
// diverged model is refused here rather than written as a file that
// UnmarshalModel would refuse.
func (m *Model) MarshalBinary() ([]byte, error) {
	header, err := json.Marshal(&m.cfg)
	if err != nil {
		return nil, modelErr(ErrModelHeader, "header: %v", err)
	}
	if len(header) > MaxModelHeader {
		return nil, modelErr(ErrModelHeader, "header of %d bytes exceeds the limit of %d", len(header), MaxModelHeader)
	}
	if err := checkFinite(m.theta); err != nil {
		return nil, err
	}
	b := make([]byte, 0, mfMinLength+len(header)+8*len(m.theta))
	b = append(b, ModelMagic...)
	b = binary.LittleEndian.AppendUint16(b, ModelVersion)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(header)))
	b = append(b, header...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(m.theta)))
	for _, v := range m.theta {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b)), nil
}

// UnmarshalModel decodes a model file written by MarshalBinary. It never
// panics, and it allocates no more than the model the header describes,
// which Config.Validate bounds (MaxParams): every length in the file is
// checked against the bytes actually present before it is used.
//
// Anything it accepts re-marshals to the same bytes: the header must be
// exactly the JSON MarshalBinary writes for its Config. A Config field added
// later must therefore be omitempty, with the zero value meaning the old
// behaviour, or come with a new version.
func UnmarshalModel(data []byte) (*Model, error) {
	// The fixed fields. A short prefix of the magic is a truncated model file;
	// anything else is some other kind of file.
	if n := min(len(data), mfMagicLen); string(data[:n]) != ModelMagic[:n] {
		return nil, modelErr(ErrModelMagic, "not a model file (starts with %q, want %q)", data[:n], ModelMagic)
	}
	if len(data) < mfMinLength {
		return nil, modelErr(ErrModelTruncated, "truncated: %d bytes, shorter than the smallest model file (%d)", len(data), mfMinLength)
	}
	switch v := binary.LittleEndian.Uint16(data[mfMagicLen:]); {
	case v > ModelVersion:
		return nil, modelErr(ErrModelVersion, "version %d is newer than this playground reads (%d)", v, ModelVersion)
	case v < 1:
		return nil, modelErr(ErrModelVersion, "version %d does not exist (versions start at 1)", v)
	}
	// Lengths are uint64 from here on so that no sum of them can overflow.
	hlen := uint64(binary.LittleEndian.Uint32(data[mfMagicLen+2:]))
	if hlen > MaxModelHeader {
		return nil, modelErr(ErrModelHeader, "header of %d bytes exceeds the limit of %d", hlen, MaxModelHeader)
	}
	size := uint64(len(data))
	if mfMinLength+hlen > size {
		return nil, modelErr(ErrModelTruncated, "truncated: %d bytes, a %d-byte header needs at least %d", size, hlen, mfMinLength+hlen)
	}
	countAt := mfFixed + int(hlen)
	count := uint64(binary.LittleEndian.Uint32(data[countAt:]))
	if want := mfMinLength + hlen + 8*count; size < want {
		return nil, modelErr(ErrModelTruncated, "truncated: %d bytes, %d parameters need %d", size, count, want)
	} else if size > want {
		return nil, modelErr(ErrModelTrailing, "trailing data: %d bytes after the checksum", size-want)
	}

	// Integrity before meaning: a damaged file is reported as damaged, not
	// as whatever its damaged header happens to say.
	body := data[:len(data)-mfCRCLen]
	if got, want := crc32.ChecksumIEEE(body), binary.LittleEndian.Uint32(data[len(body):]); got != want {
		return nil, modelErr(ErrModelChecksum, "checksum mismatch (file damaged): crc32 %08x, recorded %08x", got, want)
	}

	header := data[mfFixed:countAt]
	var cfg Config
	dec := json.NewDecoder(bytes.NewReader(header))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return nil, modelErr(ErrModelHeader, "header: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, modelErr(ErrModelHeader, "header: more data after the settings")
	}
	// Validate bounds every size before NewModel allocates anything.
	if err := cfg.Validate(); err != nil {
		return nil, &modelFileError{err, "architecture: " + err.Error()}
	}
	if canon, err := json.Marshal(&cfg); err != nil || !bytes.Equal(canon, header) {
		// encoding/json accepts keys in any case, repeated keys, spaces and
		// numbers such as 1e0; MarshalBinary writes none of them, so such a
		// header was edited and may not mean what it seems to.
		return nil, modelErr(ErrModelHeader, "header is not in the form this playground writes (edited by hand?)")
	}
	// Checked before NewModel, which would otherwise allocate and initialise
	// a model of up to MaxParams only to throw it away.
	if want := cfg.paramCount(); count != uint64(want) {
		return nil, modelErr(ErrModelParams, "%d parameters, the architecture %s needs %d", count, archString(&cfg), want)
	}

	m, err := NewModel(cfg)
	if err != nil { // cannot happen: cfg is valid
		return nil, &modelFileError{err, "architecture: " + err.Error()}
	}
	if m.NumParams() != int(count) { // paramCount and build disagree: a bug, not a damaged file
		return nil, modelErr(ErrModelParams, "%d parameters, but the model built for %s has %d", count, archString(&cfg), m.NumParams())
	}
	// NewModel initialised the parameters from the seed; the file's replace them.
	params := data[countAt+mfCountLen : len(body)]
	for i := range m.theta {
		m.theta[i] = math.Float64frombits(binary.LittleEndian.Uint64(params[8*i:]))
	}
	if err := checkFinite(m.theta); err != nil {
		return nil, err
	}
	return m, nil
}

// checkFinite reports the first parameter that is NaN or infinite: such a
// model reconstructs nothing and poisons any further training.
func checkFinite(theta []float64) error {
	for i, v := range theta {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return modelErr(ErrModelParams, "parameter %d of %d is %v (a diverged model)", i, len(theta), v)
		}
	}
	return nil
}

// archString describes the layer widths, e.g. "784-32-784" or "784-32-784 tied".
func archString(c *Config) string {
	var s strings.Builder
	for i, w := range c.widths() {
		if i > 0 {
			s.WriteByte('-')
		}
		s.WriteString(strconv.Itoa(w))
	}
	if c.Tied {
		s.WriteString(" tied")
	}
	return s.String()
}
