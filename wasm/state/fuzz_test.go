package state

import (
	"reflect"
	"testing"
)

// FuzzParse checks that Parse never panics, always returns a valid config,
// and that whatever it accepts survives Encode and Parse unchanged.
func FuzzParse(f *testing.F) {
	for _, s := range states(f) {
		f.Add(Encode(s))
		f.Add(encodeFull(s))
	}
	f.Add("lr=abc&k=5000&f=relu,relu&g=linear&loss=mse&beta=0.5&rho=0.1&f=sigmoid")
	f.Fuzz(func(t *testing.T, fragment string) {
		s, _ := Parse(fragment)
		if err := s.Config.Validate(); err != nil {
			t.Fatalf("Parse(%q) returned an invalid config: %v", fragment, err)
		}
		enc := Encode(s)
		again, errs := Parse(enc)
		if len(errs) > 0 {
			t.Fatalf("Parse(Encode(Parse(%q))) = Parse(%q): %v", fragment, enc, errs)
		}
		if !reflect.DeepEqual(again, s) {
			t.Fatalf("Parse(%q) =\n%+v\nbut Parse(Encode) = Parse(%q) =\n%+v", fragment, s, enc, again)
		}
		if enc2 := Encode(again); enc2 != enc {
			t.Fatalf("Encode is not stable: %q then %q", enc, enc2)
		}
	})
}
