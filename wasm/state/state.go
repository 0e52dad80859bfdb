// Package state keeps the playground's state in the URL fragment, so that a
// link reproduces a demo exactly: the preset, every model setting (the seed
// included), the chosen digit, and how the page is laid out.
//
// A fragment is a list of key=value pairs joined by '&', like a query string:
//
//	preset=linear-pca&k=32&lr=0.01&digit=test:123&embed=1&panels=pad,recon
//
// Encode writes the preset and only the settings that differ from the
// preset's, so links stay short; Parse accepts any setting whether or not it
// repeats the preset's value. Keys lists every key and what it accepts.
//
// Parse never trusts the fragment: every value is parsed into a typed field
// and checked against its range, and the model settings together must pass
// ae.Config.Validate. A value that fails is reported, naming the key and the
// value, and ignored; everything else still applies. The messages are plain
// text, meant to be shown with a text node: nothing from the fragment is ever
// inserted into the page as HTML, and the values are clipped and stripped of
// control characters in messages. The work is bounded for any input: the
// fragment is capped at MaxFragment bytes and MaxKeys keys.
//
// The package is pure Go: it builds and is tested natively and as
// WebAssembly, and the API's command parser (package api) reuses its model
// settings through ParseSetting and Apply, so a link and a script accept
// exactly the same settings.
package state

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"aeplayground/engine/ae"
	"aeplayground/engine/noise"
)

// DefaultPreset is the preset a fragment without preset= starts from.
const DefaultPreset = "survey"

// Bounds on what Parse reads.
const (
	MaxFragment = 8 << 10 // bytes; a drawn digit takes 535
	MaxKeys     = 64      // key=value pairs
	MaxOrigins  = 8       // entries of origins=
	maxOrigin   = 253 + len("https://") + len(":65535")
)

// Panels lists the names panels= accepts, in the order the page shows them:
// the settings, the training controls, the loss curves, the drawing pad, the
// reconstructions of the chosen digit, the held-out digits, the learned
// filters, the code space, and the comparison with PCA.
var Panels = []string{"settings", "train", "loss", "pad", "recon", "heldout", "filters", "code", "pca"}

// State is everything a link carries.
type State struct {
	// Preset names the preset the settings start from (ae.Presets).
	Preset string
	// Config is the model and its training. Its Inputs is always the
	// preset's; every other field has a key.
	Config ae.Config
	// Digit is the digit the page shows reconstructed.
	Digit Digit
	// Embed selects the compact layout for an iframe.
	Embed bool
	// Panels, if not empty, are the panels the page shows (names from
	// Panels, each once), in the order given; empty means the default.
	Panels []string
	// Origins, if not empty, are the only origins whose postMessage commands
	// the page accepts besides its own, each written as a browser writes
	// event.origin: "https://example.org", "http://localhost:8080".
	Origins []string
	// LargeType enlarges the text, for a projector.
	LargeType bool
	// Present shows a lesson step alone, filling the screen, for a
	// projector: type and charts scale with it, and the keys a presenter's
	// clicker sends move between steps.
	Present bool
	// Lesson is the lesson step the page opens (an id of package lesson,
	// which the page checks), empty for none; Autoplay starts its training
	// at once (for an embed).
	Lesson   string
	Autoplay bool
	// Corrupt is the corruption of the digits the page shows beside the
	// clean ones (a denoising model trains on Config.Noise). Zero: none.
	Corrupt noise.Spec
}

// Default returns the state of an empty fragment: the default preset.
func Default() State {
	c, _ := ae.Preset(DefaultPreset)
	return State{Preset: DefaultPreset, Config: c}
}

// pageKeys are the keys that are not model settings, documented for Keys.
var pageKeys = []KeyInfo{
	{Name: "digit", Field: "Digit", Values: fmt.Sprintf("test:<index in [0, %d)> or drawn:<%d characters of base64url>", TestDigits, drawnLen)},
	{Name: "embed", Field: "Embed", Values: "1 or 0"},
	{Name: "panels", Field: "Panels", Values: "comma-separated panel names, each once: " + strings.Join(Panels, ", ")},
	{Name: "origins", Field: "Origins", Values: fmt.Sprintf("up to %d comma-separated origins, http(s)://host[:port]", MaxOrigins)},
	{Name: "large", Field: "LargeType", Values: "1 or 0"},
	{Name: "present", Field: "Present", Values: "1 or 0: a lesson step filling the screen, for a projector"},
	{Name: "lesson", Field: "Lesson", Values: "a lesson step's id: intro, fg, loss, pca, nonlinear, l2tied, sparse, contractive or denoising"},
	{Name: "autoplay", Field: "Autoplay", Values: "1 or 0: start training at once (an embed: when its frame is first shown)"},
	{Name: "corrupt", Field: "Corrupt", Values: fmt.Sprintf("the corruption shown, kind:level, e.g. gaussian:0.2 (kinds %s; levels as for level)", names(noise.Kinds))},
}

// Encode writes s as a fragment, without the leading '#': the preset, then
// every model setting that differs from the preset's, then the page keys
// that are not at their zero value. An unknown preset is written as the
// default preset. Parse(Encode(s)) returns s for every state Parse can
// return; a drawn digit is carried quantised (see Quantize).
func Encode(s State) string {
	base, err := ae.Preset(s.Preset)
	if err != nil {
		s.Preset = DefaultPreset
		base, _ = ae.Preset(DefaultPreset)
	}
	var b strings.Builder
	put := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(escape(v))
	}
	put("preset", s.Preset)
	from, to := newDraft(base), newDraft(s.Config)
	for _, k := range configKeys {
		if v := k.show(&to); v != k.show(&from) {
			put(k.name, v)
		}
	}
	switch s.Digit.Kind {
	case DigitTest:
		put("digit", DigitTest+":"+strconv.Itoa(s.Digit.Index))
	case DigitDrawn:
		put("digit", DigitDrawn+":"+encodePixels(s.Digit.Pixels))
	}
	if s.Embed {
		put("embed", "1")
	}
	if len(s.Panels) > 0 {
		put("panels", strings.Join(s.Panels, ","))
	}
	if len(s.Origins) > 0 {
		put("origins", strings.Join(s.Origins, ","))
	}
	if s.LargeType {
		put("large", "1")
	}
	if s.Present {
		put("present", "1")
	}
	if s.Lesson != "" {
		put("lesson", s.Lesson)
	}
	if s.Autoplay {
		put("autoplay", "1")
	}
	if s.Corrupt.Active() {
		put("corrupt", string(s.Corrupt.Kind)+":"+formatFloat(s.Corrupt.Level))
	}
	return b.String()
}

// escape percent-encodes what may not stand in a fragment's value, keeping
// the characters the keys' values use (",", ":", "/", "+") readable.
func escape(v string) string {
	const keep = "-._~,:/+@!$'()*;"
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// Parse reads a fragment (with or without its leading '#'). It starts from
// the named preset, or DefaultPreset, and applies every key. A key that is
// unknown, repeated, malformed, out of range, or that makes the model
// settings fail ae.Config.Validate is reported in errs (each a *KeyError
// for a key) and ignored, keeping the preset's value; the rest still apply.
// The returned state is always valid. Parse never panics.
func Parse(fragment string) (s State, errs []error) {
	s = Default()
	fragment = strings.TrimPrefix(fragment, "#")
	if len(fragment) > MaxFragment {
		return s, []error{fmt.Errorf("the link's settings are %d bytes long, more than the limit of %d: all ignored", len(fragment), MaxFragment)}
	}
	type pair struct{ key, value string }
	var pairs []pair
	for piece := range strings.SplitSeq(fragment, "&") {
		if piece == "" {
			continue
		}
		if len(pairs) == MaxKeys {
			errs = append(errs, fmt.Errorf("more than %d settings in the link: the rest are ignored", MaxKeys))
			break
		}
		rawKey, rawValue, _ := strings.Cut(piece, "=")
		key, err1 := url.PathUnescape(rawKey)
		value, err2 := url.PathUnescape(rawValue)
		if err1 != nil || err2 != nil {
			errs = append(errs, &KeyError{rawKey, rawValue, errors.New("malformed %-escape")})
			continue
		}
		pairs = append(pairs, pair{key, value})
	}

	seen := make(map[string]bool)
	fresh := func(p pair) bool {
		if seen[p.key] {
			errs = append(errs, &KeyError{p.key, p.value, errors.New("given more than once: the first is used")})
			return false
		}
		seen[p.key] = true
		return true
	}
	// The preset first, wherever it stands: the other keys apply to it.
	for _, p := range pairs {
		if p.key != "preset" || !fresh(p) {
			continue
		}
		c, err := ae.Preset(p.value)
		if err != nil {
			errs = append(errs, &KeyError{p.key, p.value, fmt.Errorf("unknown preset (want %s)", presetNames())})
			continue
		}
		s.Preset, s.Config = p.value, c
	}
	var changes []Change
	for _, p := range pairs {
		if p.key == "preset" || !fresh(p) {
			continue
		}
		var err error
		switch p.key {
		case "digit":
			s.Digit, err = parseDigit(p.value, s.Digit)
		case "embed":
			s.Embed, err = parseBoolKeep(p.value, s.Embed)
		case "large":
			s.LargeType, err = parseBoolKeep(p.value, s.LargeType)
		case "present":
			s.Present, err = parseBoolKeep(p.value, s.Present)
		case "lesson":
			s.Lesson, err = parseLessonID(p.value, s.Lesson)
		case "autoplay":
			s.Autoplay, err = parseBoolKeep(p.value, s.Autoplay)
		case "corrupt":
			s.Corrupt, err = parseCorrupt(p.value, s.Corrupt)
		case "panels":
			s.Panels, err = parsePanels(p.value, s.Panels)
		case "origins":
			s.Origins, err = parseOrigins(p.value, s.Origins)
		default:
			if configKey(p.key) == nil {
				err = errors.New("unknown key")
				break
			}
			var ch Change
			if ch, err = ParseSetting(p.key, p.value); err == nil {
				changes = append(changes, ch)
			}
		}
		if err != nil {
			if _, ok := err.(*KeyError); !ok {
				err = &KeyError{p.key, p.value, err}
			}
			errs = append(errs, err)
		}
	}
	cfg, bad := applyEach(s.Config, changes)
	s.Config = cfg
	return s, append(errs, bad...)
}

// applyEach applies the changes to c, all at once if the result is valid.
// If not, it applies them one at a time, in passes, each change as soon as
// the config stays valid with it (so "g=linear&loss=mse" applies whichever
// order it comes in), and reports those that never fit.
func applyEach(c ae.Config, changes []Change) (ae.Config, []error) {
	if all, err := Apply(c, changes...); err == nil {
		return all, nil
	}
	pending := slices.Clone(changes)
	for progress := true; progress && len(pending) > 0; {
		progress = false
		pending = slices.DeleteFunc(pending, func(ch Change) bool {
			next, err := Apply(c, ch)
			if err != nil {
				return false
			}
			c, progress = next, true
			return true
		})
	}
	var errs []error
	for _, ch := range pending {
		_, err := Apply(c, ch)
		errs = append(errs, &KeyError{ch.Key, ch.Value, err})
	}
	return c, errs
}

// parseLessonID checks the form of a lesson id (lowercase letters and
// digits); which ids exist is the lesson package's to say.
func parseLessonID(v, old string) (string, error) {
	if v == "" || len(v) > 32 {
		return old, errors.New("not a lesson id")
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return old, errors.New("not a lesson id")
		}
	}
	return v, nil
}

// parseCorrupt parses kind:level ("none" alone is no corruption),
// returning old on an error.
func parseCorrupt(v string, old noise.Spec) (noise.Spec, error) {
	kind, level, _ := strings.Cut(v, ":")
	spec, err := ParseNoise(kind, level)
	if err != nil {
		return old, err
	}
	return spec, nil
}

// ParseNoise reads a corruption as the page's controls and the link's
// corrupt= give it: a kind of noise.Kinds and its level. A kind of none, or
// a level of 0, is no corruption (the zero Spec).
func ParseNoise(kind, level string) (noise.Spec, error) {
	k, err := oneOf(strings.TrimSpace(kind), noise.Kinds, "noise")
	if err != nil {
		return noise.Spec{}, err
	}
	if k == noise.None {
		return noise.Spec{}, nil
	}
	x, err := parseFloat(strings.TrimSpace(level), func(x float64) bool { return x >= 0 }, "the level must be ≥ 0")
	if err != nil {
		return noise.Spec{}, fmt.Errorf("level %q: %w", clip(level), err)
	}
	spec := noise.Spec{Kind: k, Level: x}
	if err := spec.Validate(); err != nil {
		return noise.Spec{}, errors.New(strings.TrimPrefix(err.Error(), "noise: "))
	}
	if !spec.Active() {
		return noise.Spec{}, nil
	}
	return spec, nil
}

// parseBoolKeep parses 1 or 0, returning old on an error.
func parseBoolKeep(v string, old bool) (bool, error) {
	b, err := parseBool(v)
	if err != nil {
		return old, err
	}
	return b, nil
}

func parsePanels(v string, old []string) ([]string, error) {
	if v == "" {
		return nil, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) > len(Panels) {
		return old, fmt.Errorf("%d panels: there are only %d", len(parts), len(Panels))
	}
	for i, p := range parts {
		if !slices.Contains(Panels, p) {
			return old, fmt.Errorf("unknown panel %q (want %s)", clip(p), strings.Join(Panels, ", "))
		}
		if slices.Contains(parts[:i], p) {
			return old, fmt.Errorf("panel %q listed twice", p)
		}
	}
	return parts, nil
}

func parseOrigins(v string, old []string) ([]string, error) {
	if v == "" {
		return nil, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) > MaxOrigins {
		return old, fmt.Errorf("%d origins: at most %d", len(parts), MaxOrigins)
	}
	out := make([]string, len(parts))
	for i, p := range parts {
		o, err := parseOrigin(p)
		if err != nil {
			return old, err
		}
		if slices.Contains(out[:i], o) {
			return old, fmt.Errorf("origin %q listed twice", o)
		}
		out[i] = o
	}
	return out, nil
}

// parseOrigin checks that v is a web origin, scheme://host[:port] with
// scheme http or https, and writes it as a browser writes event.origin:
// lowercase, without the scheme's default port.
func parseOrigin(v string) (string, error) {
	bad := fmt.Errorf("%q is not an origin like https://example.org or http://localhost:8080", clip(v))
	if len(v) > maxOrigin {
		return "", bad
	}
	v = strings.ToLower(v)
	scheme, hostport, ok := strings.Cut(v, "://")
	if !ok || (scheme != "http" && scheme != "https") || hostport == "" {
		return "", bad
	}
	for i := 0; i < len(hostport); i++ {
		c := hostport[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-.:[]", c) >= 0) {
			return "", bad
		}
	}
	u, err := url.Parse(v)
	if err != nil || u.Host != hostport || u.Hostname() == "" || u.Path != "" || u.User != nil {
		return "", bad
	}
	host, port := u.Hostname(), u.Port()
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || port[0] == '0' {
			return "", bad
		}
		if !(scheme == "http" && n == 80 || scheme == "https" && n == 443) {
			host += ":" + port
		}
	} else if strings.HasSuffix(hostport, ":") {
		return "", bad
	}
	return scheme + "://" + host, nil
}
