package state

import (
	"errors"
	"maps"
	"strings"

	"aeplayground/engine/ae"
)

// Form is the model settings as the page's controls show them: the config
// in force, and for each control whose text could not be applied, the text
// as typed and why. It is the page's one model of the settings: a control
// edits it with Set, a link or a script replaces its Config, and the worker
// receives its Config; there is no second copy as text.
//
// The zero Form is empty; start from NewForm.
type Form struct {
	// Config is the last valid settings: what the worker trains.
	Config ae.Config
	typed  map[string]string // key → text that is not (yet) in Config
	errs   map[string]string // key → why it was refused
}

// NewForm returns a form showing c, with nothing pending.
func NewForm(c ae.Config) Form { return Form{Config: c} }

// Value is the text the control of key shows: what was typed if it is
// pending, else Config's value written as a link writes it.
func (f *Form) Value(key string) string {
	if v, ok := f.typed[key]; ok {
		return v
	}
	k := configKey(key)
	if k == nil {
		return ""
	}
	d := newDraft(f.Config)
	return k.show(&d)
}

// Error is why the control of key was refused, or "".
func (f *Form) Error(key string) string { return f.errs[key] }

// Errors returns every refused control's message, by key.
func (f *Form) Errors() map[string]string { return maps.Clone(f.errs) }

// Pending reports whether some control holds text that is not in Config.
func (f *Form) Pending() bool { return len(f.typed) > 0 }

// Set takes the text of one or more controls (key, value, key, value, …)
// and applies every pending text together. If they all parse and the
// result passes ae.Config.Validate, Config becomes the result, nothing is
// pending, and Set returns true. Otherwise Config is kept, every text stays
// pending, and each refused control has its message, all at once: one per
// key whose text does not parse, else one per field Validate names.
func (f *Form) Set(kv ...string) bool {
	if f.typed == nil {
		f.typed = map[string]string{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		f.typed[kv[i]] = kv[i+1]
	}
	f.errs = map[string]string{}
	var changes []Change
	for key, v := range f.typed {
		ch, err := ParseSetting(key, tidy(v))
		if err != nil {
			f.errs[key] = reason(err)
			continue
		}
		changes = append(changes, ch)
	}
	if len(f.errs) > 0 {
		return false
	}
	c, err := Apply(f.Config, changes...)
	if err != nil {
		fes := ae.FieldErrors(err)
		for _, fe := range fes {
			key := string(fe.Field)
			if configKey(key) == nil { // a field no control edits: name it at the first change
				key = kv[0]
			}
			if _, ok := f.errs[key]; !ok {
				f.errs[key] = fe.Err.Error()
			}
		}
		if len(fes) == 0 {
			f.errs[kv[0]] = reason(err)
		}
		return false
	}
	f.Config, f.typed, f.errs = c, nil, nil
	return true
}

// tidy trims what a person types around a value and around the commas of a
// list ("128, 64" is "128,64"); nothing else is changed, so a minus sign or
// a letter is still refused by the key's parser.
func tidy(v string) string {
	parts := strings.Split(strings.TrimSpace(v), ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return strings.Join(parts, ",")
}

// reason is an error's message without the key=value prefix of a KeyError
// or the "invalid setting" prefix of ae.ErrConfig: the control it stands
// next to already names the setting.
func reason(err error) string {
	var ke *KeyError
	if errors.As(err, &ke) {
		err = ke.Err
	}
	if fes := ae.FieldErrors(err); len(fes) > 0 {
		msgs := make([]string, len(fes))
		for i, fe := range fes {
			msgs[i] = fe.Err.Error()
		}
		return strings.Join(msgs, "; ")
	}
	return strings.TrimPrefix(err.Error(), ae.ErrConfig.Error()+": ")
}
