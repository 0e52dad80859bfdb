// Package api parses the commands of the playground's scripting API and
// writes their replies. A page that embeds the playground drives it with
// window.postMessage:
//
//	{type: "aeplayground", id: 1, cmd: "setConfig", args: {lr: 0.01, k: 32}}
//
// and each command is answered, to the window that sent it, with
//
//	{type: "aeplayground", id: 1, ok: true, result: ...}
//	{type: "aeplayground", id: 1, ok: false, error: "setConfig: lr=abc: not a number"}
//
// The browser glue hands ParseCommand the message's data as JSON (what
// JSON.stringify makes of it). ParseCommand is strict: it accepts only the
// documented shape, and a malformed message is an error that changes
// nothing; the caller answers it with ErrorReply. Messages that are not for
// the playground at all (not an object, or another type) return an error
// wrapping ErrForeign, which the caller may ignore: other scripts share the
// message channel.
//
// The commands:
//
//	setConfig   {<key>: <value>, …}   model settings, the keys and values of a link (package state):
//	                                  {"lr": 0.01, "k": 32, "hidden": [128, 64], "f": "relu", "tied": true}
//	loadPreset  {"name": "<preset>"}  one of ae.Presets()
//	loadLesson  {"id": "<step>"}      one of lesson.IDs(): the step, its models and panels
//	train                             start training
//	pause                             stop training
//	step        {"n": 1..10000}       train n batches; n defaults to 1
//	reset                             new weights from the seed
//	setDigit    {"pixels": [784 numbers in [0, 1]]}
//	getState                          the training state and config
//
// Commands without arguments accept args absent, null or {}.
//
// The package is pure Go: it builds and is tested natively and as
// WebAssembly.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"aeplayground/engine/ae"
	"aeplayground/engine/mnist"
	"aeplayground/wasm/lesson"
	"aeplayground/wasm/state"
)

// Type is the type field of every command and reply.
const Type = "aeplayground"

// Limits on a command.
const (
	MaxMessage = 64 << 10 // bytes of JSON
	MaxSteps   = 10000    // batches one step command may ask for
	maxID      = 256      // bytes of a string id
)

// The commands.
const (
	SetConfig  = "setConfig"
	LoadPreset = "loadPreset"
	LoadLesson = "loadLesson"
	Train      = "train"
	Pause      = "pause"
	Step       = "step"
	Reset      = "reset"
	SetDigit   = "setDigit"
	GetState   = "getState"
)

// Commands lists every command, in the order the documentation gives them.
var Commands = []string{SetConfig, LoadPreset, LoadLesson, Train, Pause, Step, Reset, SetDigit, GetState}

// ErrForeign is wrapped by the error ParseCommand returns for a message that
// is not addressed to the playground: not a JSON object, or an object whose
// type is not "aeplayground".
var ErrForeign = errors.New("not an aeplayground message")

// Command is a parsed, validated command.
type Command struct {
	// ID is the command's id as sent, a JSON string or number, echoed in
	// the reply.
	ID json.RawMessage
	// Cmd is one of Commands.
	Cmd string

	Settings []state.Change // setConfig: the settings, each in range
	Preset   string         // loadPreset: the preset's name
	Lesson   string         // loadLesson: the step's id
	N        int            // step: batches, in [1, MaxSteps]
	Pixels   []float64      // setDigit: 784 pixels in [0, 1]
}

// Apply returns cfg with a setConfig command's settings applied all at once,
// or an error (wrapping ae.ErrConfig) naming what is wrong, in which case
// nothing should change.
func (c Command) Apply(cfg ae.Config) (ae.Config, error) {
	out, err := state.Apply(cfg, c.Settings...)
	if err != nil {
		return ae.Config{}, fmt.Errorf("%s: %w", c.Cmd, err)
	}
	return out, nil
}

// ParseCommand parses and validates one message. The error says what is
// wrong; it wraps ErrForeign if the message is not for the playground.
func ParseCommand(data []byte) (Command, error) {
	if len(data) > MaxMessage {
		return Command{}, fmt.Errorf("the message is %d bytes, more than the limit of %d", len(data), MaxMessage)
	}
	fields, err := object(data)
	if err != nil {
		return Command{}, fmt.Errorf("%w: %v", ErrForeign, err)
	}
	var typ string
	if raw, ok := fields["type"]; !ok || json.Unmarshal(raw, &typ) != nil || typ != Type {
		return Command{}, fmt.Errorf("%w: its type is not %q", ErrForeign, Type)
	}
	for k := range fields {
		switch k {
		case "type", "id", "cmd", "args":
		default:
			return Command{}, fmt.Errorf("unknown field %q (want type, id, cmd and args)", clip(k))
		}
	}
	var c Command
	if c.ID, err = parseID(fields["id"]); err != nil {
		return Command{}, err
	}
	raw, ok := fields["cmd"]
	if !ok || json.Unmarshal(raw, &c.Cmd) != nil {
		return Command{}, fmt.Errorf("cmd: missing or not a string (want one of %s)", strings.Join(Commands, ", "))
	}
	if !slices.Contains(Commands, c.Cmd) {
		return Command{}, fmt.Errorf("unknown cmd %q (want one of %s)", clip(c.Cmd), strings.Join(Commands, ", "))
	}
	if err := c.parseArgs(fields["args"]); err != nil {
		return Command{}, fmt.Errorf("%s: %w", c.Cmd, err)
	}
	return c, nil
}

// object decodes a JSON object into its fields, undecoded.
func object(data []byte) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil || fields == nil {
		return nil, errors.New("not a JSON object")
	}
	return fields, nil
}

// parseID checks that raw is a JSON string of at most maxID bytes or a
// JSON number.
func parseID(raw json.RawMessage) (json.RawMessage, error) {
	bad := errors.New("id: missing or not a string or a number")
	if len(raw) == 0 {
		return nil, bad
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, bad
		}
		if len(s) > maxID {
			return nil, fmt.Errorf("id: a string id may be at most %d bytes", maxID)
		}
		return json.Marshal(s) // canonical escapes: the reply carries the same string

	case c == '-' || '0' <= c && c <= '9':
		var n json.Number
		if json.Unmarshal(raw, &n) != nil {
			return nil, bad
		}
	default:
		return nil, bad
	}
	return bytes.Clone(raw), nil
}

// parseArgs validates the arguments of c.Cmd.
func (c *Command) parseArgs(raw json.RawMessage) error {
	var args map[string]json.RawMessage
	if len(raw) > 0 && string(raw) != "null" {
		if raw[0] != '{' || json.Unmarshal(raw, &args) != nil {
			return errors.New("args must be an object")
		}
	}
	only := func(names ...string) error {
		for k := range args {
			if !slices.Contains(names, k) {
				if len(names) == 0 {
					return fmt.Errorf("takes no args, got %q", clip(k))
				}
				return fmt.Errorf("unknown arg %q (want %s)", clip(k), strings.Join(names, ", "))
			}
		}
		return nil
	}
	switch c.Cmd {
	case SetConfig:
		if args == nil {
			return errors.New(`args must be an object of settings, for example {"lr": 0.01, "k": 32}`)
		}
		return c.parseSettings(args)
	case LoadPreset:
		if err := only("name"); err != nil {
			return err
		}
		var name string
		if raw, ok := args["name"]; !ok || json.Unmarshal(raw, &name) != nil {
			return errors.New(`args must be {"name": "<preset>"}`)
		}
		if _, err := ae.Preset(name); err != nil {
			var names []string
			for _, p := range ae.Presets() {
				names = append(names, p.Name)
			}
			return fmt.Errorf("unknown preset %q (want one of %s)", clip(name), strings.Join(names, ", "))
		}
		c.Preset = name
	case LoadLesson:
		if err := only("id"); err != nil {
			return err
		}
		var id string
		if raw, ok := args["id"]; !ok || json.Unmarshal(raw, &id) != nil {
			return errors.New(`args must be {"id": "<lesson step>"}`)
		}
		if _, _, ok := lesson.ByID(id); !ok {
			return fmt.Errorf("unknown lesson step %q (want one of %s)", clip(id), strings.Join(lesson.IDs(), ", "))
		}
		c.Lesson = id
	case Step:
		if err := only("n"); err != nil {
			return err
		}
		c.N = 1
		if raw, ok := args["n"]; ok {
			var n json.Number
			if raw[0] == '"' || json.Unmarshal(raw, &n) != nil {
				return fmt.Errorf("n must be a whole number between 1 and %d", MaxSteps)
			}
			x, err := strconv.Atoi(n.String())
			if err != nil || x < 1 || x > MaxSteps {
				return fmt.Errorf("n=%s: must be a whole number between 1 and %d", clip(n.String()), MaxSteps)
			}
			c.N = x
		}
	case SetDigit:
		if err := only("pixels"); err != nil {
			return err
		}
		raw, ok := args["pixels"]
		var px []float64
		if !ok || json.Unmarshal(raw, &px) != nil || len(px) != mnist.Pixels {
			return fmt.Errorf(`args must be {"pixels": [%d numbers in [0, 1]]}`, mnist.Pixels)
		}
		for i, p := range px {
			if !(p >= 0 && p <= 1) {
				return fmt.Errorf("pixel %d is %v: must be in [0, 1]", i, p)
			}
			px[i] = p + 0 // no -0
		}
		c.Pixels = px
	default: // train, pause, reset, getState
		return only()
	}
	return nil
}

// parseSettings reads setConfig's settings through package state, so that
// they accept exactly what a link accepts. Every bad setting is reported.
func (c *Command) parseSettings(args map[string]json.RawMessage) error {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var errs []string
	for _, k := range keys {
		v, err := text(args[k])
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", clip(k), err))
			continue
		}
		ch, err := state.ParseSetting(k, v)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		c.Settings = append(c.Settings, ch)
	}
	if errs != nil {
		c.Settings = nil
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// text turns a JSON value into a link's text for the same setting: a string
// as is, a number as written, true and false as 1 and 0, and a list of
// numbers or strings joined by commas.
func text(raw json.RawMessage) (string, error) {
	bad := errors.New("want a number, a string, true, false or a list of numbers or strings")
	if len(raw) == 0 {
		return "", bad
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", bad
		}
		return s, nil
	case c == '-' || '0' <= c && c <= '9':
		var n json.Number
		if json.Unmarshal(raw, &n) != nil {
			return "", bad
		}
		return n.String(), nil
	case c == 't' || c == 'f':
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			return "", bad
		}
		if b {
			return "1", nil
		}
		return "0", nil
	case c == '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return "", bad
		}
		parts := make([]string, len(items))
		for i, it := range items {
			if len(it) == 0 || it[0] == '[' || it[0] == 't' || it[0] == 'f' {
				return "", bad
			}
			s, err := text(it)
			if err != nil || strings.Contains(s, ",") {
				return "", bad
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), nil
	}
	return "", bad
}

// clip shortens a name from the message for an error and replaces what is
// not printable.
func clip(s string) string {
	const max = 40
	var b strings.Builder
	for i, r := range []rune(s) {
		if i == max {
			b.WriteString("…")
			break
		}
		if !strconv.IsPrint(r) {
			r = '\uFFFD'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Reply is the answer to one command.
type Reply struct {
	Type   string `json:"type"`             // always Type
	ID     any    `json:"id"`               // the command's id, null if it could not be read
	OK     bool   `json:"ok"`               // whether the command succeeded
	Result any    `json:"result,omitempty"` // what it returned, if OK
	Error  string `json:"error,omitempty"`  // what went wrong, if not OK
}

// ReplyTo answers cmd: OK with result if err is nil, else the error. A
// result that cannot be written as JSON (a NaN, say: use nil for a missing
// number) turns the reply into an error.
func ReplyTo(cmd Command, result any, err error) []byte {
	r := Reply{Type: Type, ID: rawID(cmd.ID)}
	if err != nil {
		r.Error = err.Error()
		return marshal(r)
	}
	r.OK, r.Result = true, result
	b, merr := json.Marshal(r)
	if merr != nil {
		r.OK, r.Result, r.Error = false, nil, fmt.Sprintf("%s: the result could not be written as JSON: %v", cmd.Cmd, merr)
		return marshal(r)
	}
	return b
}

// ErrorReply answers a message ParseCommand refused with err, echoing the
// message's id if it has a valid one, else null.
func ErrorReply(data []byte, err error) []byte {
	r := Reply{Type: Type, Error: err.Error()}
	if len(data) <= MaxMessage {
		if fields, e := object(data); e == nil {
			if id, e := parseID(fields["id"]); e == nil {
				r.ID = rawID(id)
			}
		}
	}
	return marshal(r)
}

// rawID makes an id a value that marshals as itself, or nil.
func rawID(id json.RawMessage) any {
	if len(id) == 0 {
		return nil
	}
	return id
}

// marshal writes a reply with no result, which cannot fail.
func marshal(r Reply) []byte {
	b, err := json.Marshal(r)
	if err != nil {
		return []byte(`{"type":"aeplayground","id":null,"ok":false,"error":"internal error"}`)
	}
	return b
}
