package protocol

import (
	"errors"
	"fmt"
)

// A Message is one of the types of messages.go, always as a pointer.
type Message interface {
	Kind() Kind
	put(w *writer) // appends the fields
	get(r *reader) // sets every field, reusing the memory of slices it holds
}

// Kind is the first byte of a frame: which message follows.
type Kind uint8

// The kinds in wire order. A new message takes the next number; a number
// is never reused for another message while old pages may still run.
const (
	_ Kind = iota // 0 is no kind: a frame of zeros is refused
	kindPing
	kindSetConfig
	kindSetNoise
	kindSetDigit
	kindSetWorkers
	kindPlay
	kindPause
	kindStep
	kindReset
	kindSampleOfClass
	kindSampleAt
	kindSave
	kindLoad
	kindPanic
	kindStatus
	kindError
	kindConfigError
	kindDiverged
	kindPong
	kindReady
	kindNewModel
	kindProgress
	kindRecon
	kindSampled
	kindDone
	kindModel
	kindModelError
	kindLoaded
	kindLoadError
	kindCrashed
	kindShardConfig
	kindShard
	kindPart
	kindDecodePoint
	kindInterpolate
	kindDecoded
	kindInterpolated
	numKinds
)

// Rules says how a command is treated beyond its handling.
type Rules struct {
	// Replayed: the page keeps the latest copy, and a worker started to
	// replace one that died gets it, in the order of kinds.
	Replayed bool
	// Waits: a command that would change the model, or the counters it
	// reports, waits until the batch in flight on the helpers is finished.
	Waits bool
	// Reply is the message that answers it; 0 when none does. Any command
	// sent with a request number is also answered by Done.
	Reply Kind
}

// kinds is the one table of every message: its name (the page's action is
// "worker:" + name), a new value, whether the page decodes it into the
// memory of the last one (the messages that come several times a second),
// and, for a command, its Rules.
var kinds = [numKinds]struct {
	name   string
	new    func() Message
	reused bool
	Rules
}{
	kindPing:          {name: "ping", new: func() Message { return new(Ping) }, Rules: Rules{Reply: kindPong}},
	kindSetConfig:     {name: "set-config", new: func() Message { return new(SetConfig) }, Rules: Rules{Replayed: true, Waits: true}},
	kindSetNoise:      {name: "set-noise", new: func() Message { return new(SetNoise) }, Rules: Rules{Replayed: true}},
	kindSetDigit:      {name: "set-digit", new: func() Message { return new(SetDigit) }, Rules: Rules{Replayed: true, Reply: kindRecon}},
	kindSetWorkers:    {name: "set-workers", new: func() Message { return new(SetWorkers) }, Rules: Rules{Replayed: true, Waits: true}},
	kindPlay:          {name: "play", new: func() Message { return new(Play) }, Rules: Rules{Waits: true}},
	kindPause:         {name: "pause", new: func() Message { return new(Pause) }, Rules: Rules{Waits: true, Reply: kindProgress}},
	kindStep:          {name: "step", new: func() Message { return new(Step) }, Rules: Rules{Waits: true, Reply: kindProgress}},
	kindReset:         {name: "reset", new: func() Message { return new(Reset) }, Rules: Rules{Waits: true, Reply: kindNewModel}},
	kindSampleOfClass: {name: "sample-of-class", new: func() Message { return new(SampleOfClass) }, Rules: Rules{Reply: kindSampled}},
	kindSampleAt:      {name: "sample-at", new: func() Message { return new(SampleAt) }, Rules: Rules{Reply: kindSampled}},
	kindSave:          {name: "save", new: func() Message { return new(Save) }, Rules: Rules{Reply: kindModel}},
	kindLoad:          {name: "load", new: func() Message { return new(Load) }, Rules: Rules{Waits: true, Reply: kindLoaded}},
	kindPanic:         {name: "panic", new: func() Message { return new(Panic) }, Rules: Rules{Waits: true}},
	kindStatus:        {name: "status", new: func() Message { return new(Status) }},
	kindError:         {name: "error", new: func() Message { return new(Error) }},
	kindConfigError:   {name: "config-error", new: func() Message { return new(ConfigError) }},
	kindDiverged:      {name: "diverged", new: func() Message { return new(Diverged) }},
	kindPong:          {name: "pong", new: func() Message { return new(Pong) }},
	kindReady:         {name: "ready", new: func() Message { return new(Ready) }},
	kindNewModel:      {name: "new-model", new: func() Message { return new(NewModel) }},
	kindProgress:      {name: "progress", new: func() Message { return new(Progress) }, reused: true},
	kindRecon:         {name: "recon", new: func() Message { return new(Recon) }, reused: true},
	kindSampled:       {name: "sampled", new: func() Message { return new(Sampled) }},
	kindDone:          {name: "done", new: func() Message { return new(Done) }},
	kindModel:         {name: "model", new: func() Message { return new(Model) }, reused: true},
	kindModelError:    {name: "model-error", new: func() Message { return new(ModelError) }},
	kindLoaded:        {name: "loaded", new: func() Message { return new(Loaded) }},
	kindLoadError:     {name: "load-error", new: func() Message { return new(LoadError) }},
	kindCrashed:       {name: "crashed", new: func() Message { return new(Crashed) }},
	kindShardConfig:   {name: "shard-config", new: func() Message { return new(ShardConfig) }},
	kindShard:         {name: "shard", new: func() Message { return new(Shard) }, reused: true},
	kindPart:          {name: "part", new: func() Message { return new(Part) }, reused: true},
	kindDecodePoint:   {name: "decode-point", new: func() Message { return new(DecodePoint) }, Rules: Rules{Reply: kindDecoded}},
	kindInterpolate:   {name: "interpolate", new: func() Message { return new(Interpolate) }, Rules: Rules{Reply: kindInterpolated}},
	kindDecoded:       {name: "decoded", new: func() Message { return new(Decoded) }, reused: true},
	kindInterpolated:  {name: "interpolated", new: func() Message { return new(Interpolated) }},
}

func (k Kind) valid() bool { return k > 0 && k < numKinds }

// String is the kind's name, as the page's actions use it.
func (k Kind) String() string {
	if !k.valid() {
		return fmt.Sprintf("kind(%d)", k)
	}
	return kinds[k].name
}

// RulesOf is how the page treats command m (zero Rules for a reply).
func RulesOf(m Message) Rules { return kinds[m.Kind()].Rules }

// Replayed lists the kinds a replaced worker gets again, in the order it
// needs them.
func Replayed() []Kind {
	var out []Kind
	for k := Kind(1); k < numKinds; k++ {
		if kinds[k].Replayed {
			out = append(out, k)
		}
	}
	return out
}

// ErrUnknownKind is matched by the error of a frame whose kind this build
// does not know (a page and worker of different versions).
var ErrUnknownKind = errors.New("protocol: unknown message kind")

// Append appends m's frame to dst.
func Append(dst []byte, m Message) []byte { return AppendRequest(dst, 0, m) }

// AppendRequest appends the frame of command m sent with request number
// req, which Done will name once the worker has handled it.
func AppendRequest(dst []byte, req uint64, m Message) []byte {
	w := writer{b: append(dst, byte(m.Kind()))}
	w.uint(req)
	m.put(&w)
	return w.b
}

// Decode reads a frame into a new message, with its request number.
func Decode(frame []byte) (Message, uint64, error) { return decode(frame, nil) }

// A Decoder reads frames, the messages of reused kinds (progress,
// reconstructions, models, a helper's parts) into the memory of the last message
// of the kind: a decoded message of those kinds, and its slices, are valid
// until the next frame of its kind. The receiver that keeps one copies it.
type Decoder struct {
	last [numKinds]Message
	r    reader // here, not on the stack: passed to an interface method, it would escape to the heap each time
}

// Decode reads a frame.
func (d *Decoder) Decode(frame []byte) (Message, uint64, error) { return decode(frame, d) }

func decode(frame []byte, d *Decoder) (Message, uint64, error) {
	if len(frame) == 0 {
		return nil, 0, fmt.Errorf("%w: empty", ErrFrame)
	}
	k := Kind(frame[0])
	if !k.valid() {
		return nil, 0, fmt.Errorf("%w %d", ErrUnknownKind, frame[0])
	}
	var m Message
	var r *reader
	if d != nil {
		r = &d.r
	} else {
		r = new(reader)
	}
	if d != nil && kinds[k].reused {
		if d.last[k] == nil {
			d.last[k] = kinds[k].new()
		}
		m = d.last[k]
	} else {
		m = kinds[k].new()
	}
	*r = reader{b: frame[1:]}
	req := r.uint()
	m.get(r)
	if r.err == nil && len(r.b) > 0 {
		r.fail("%d bytes after a %s", len(r.b), k)
	}
	if r.err != nil {
		return nil, 0, fmt.Errorf("%s: %w", k, r.err)
	}
	return m, req, nil
}
