package ae

import (
	"errors"
	"fmt"
)

// Field names a setting of Config, as the page and links know it: the code
// size k is a field of its own although Config keeps it as Hidden's last
// entry.
type Field string

// The fields Validate can refuse.
const (
	FieldInputs      Field = "inputs"
	FieldHidden      Field = "hidden" // the layers before the code
	FieldK           Field = "k"      // the code size, Hidden's last width
	FieldActivation  Field = "f"
	FieldOutput      Field = "g"
	FieldLoss        Field = "loss"
	FieldInit        Field = "init"
	FieldOptimizer   Field = "opt"
	FieldLR          Field = "lr"
	FieldMomentum    Field = "mom"
	FieldBatch       Field = "batch"
	FieldTied        Field = "tied"
	FieldL2          Field = "l2"
	FieldSparseRho   Field = "rho"
	FieldSparseBeta  Field = "beta"
	FieldContractive Field = "cae"
	FieldNoise       Field = "noise"
	FieldSchedule    Field = "sched"
)

// FieldError is a setting that Validate refused: Field names it, Err says
// why in words meant for the person who set it. Every FieldError matches
// ErrConfig under errors.Is.
type FieldError struct {
	Field Field
	Err   error
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s: %v", ErrConfig, e.Err) }

// Unwrap gives Err and ErrConfig, so errors.Is finds either.
func (e *FieldError) Unwrap() []error { return []error{ErrConfig, e.Err} }

// FieldErrors returns every *FieldError in err (which may be a join of
// several, as Validate returns), in order.
func FieldErrors(err error) []*FieldError {
	var out []*FieldError
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		if fe, ok := err.(*FieldError); ok {
			out = append(out, fe)
			return
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}

// fieldErrors collects the errors of one validation, at most one per field
// (the first found), in the order they were found.
type fieldErrors []error

func (fs *fieldErrors) add(f Field, format string, args ...any) {
	for _, e := range *fs {
		if e.(*FieldError).Field == f {
			return
		}
	}
	*fs = append(*fs, &FieldError{Field: f, Err: fmt.Errorf(format, args...)})
}

func (fs *fieldErrors) has(f Field) bool {
	for _, e := range *fs {
		if e.(*FieldError).Field == f {
			return true
		}
	}
	return false
}

func (fs fieldErrors) err() error { return errors.Join(fs...) }
