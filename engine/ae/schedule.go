package ae

import "math"

// ScheduleKind names a learning-rate schedule.
type ScheduleKind string

const (
	// Constant keeps lr0 throughout; the zero value "" means the same.
	Constant ScheduleKind = "constant"
	// StepDecay multiplies the rate by Gamma every Period epochs
	// (PyTorch's StepLR).
	StepDecay ScheduleKind = "step"
	// Cosine follows half a cosine from lr0 down to Min over TMax epochs
	// (PyTorch's CosineAnnealingLR), then stays at Min.
	Cosine ScheduleKind = "cosine"
)

// ScheduleKinds lists every schedule, in the order the page offers them.
var ScheduleKinds = []ScheduleKind{Constant, StepDecay, Cosine}

// A Schedule sets the learning rate of each epoch from the base rate lr0
// (Config.LR). The trainer applies it at every epoch boundary and keeps the
// optimizer's state (the momentum buffer; Adam's m, v and step count t), as
// PyTorch does when a scheduler changes a parameter group's lr: only the
// step size changes, the averages carry on.
type Schedule struct {
	Kind   ScheduleKind `json:"kind,omitempty"`
	Period int          `json:"period,omitempty"` // step: epochs between decays (≥ 1)
	Gamma  float64      `json:"gamma,omitempty"`  // step: the factor of each decay, in (0, 1]
	TMax   int          `json:"tmax,omitempty"`   // cosine: epochs from lr0 down to Min (≥ 1)
	Min    float64      `json:"min,omitempty"`    // cosine: the final rate, in [0, lr0]
}

// Rate is the learning rate during epoch e (completed passes over the
// training digits, counted from 0) for base rate lr0:
//
//	constant:  lr = lr0
//	step:      lr = lr0 · γ^⌊e / Period⌋
//	cosine:    lr = Min + (lr0 − Min) · (1 + cos(π e / TMax)) / 2   for e ≤ TMax,
//	           lr = Min                                              for e > TMax.
//
// Up to e = TMax these are PyTorch's StepLR and CosineAnnealingLR. Past
// TMax PyTorch's cosine climbs back towards lr0 (its formula is periodic);
// here it stays at Min, because a schedule is chosen to let training settle
// and a rising rate would undo what the decay reached. Restarts are a
// different schedule (SGDR), not this one.
func (s Schedule) Rate(lr0 float64, e int) float64 {
	switch s.Kind {
	case StepDecay:
		return lr0 * math.Pow(s.Gamma, float64(e/s.Period))
	case Cosine:
		if e >= s.TMax {
			return s.Min
		}
		return s.Min + (lr0-s.Min)*(1+math.Cos(math.Pi*float64(e)/float64(s.TMax)))/2
	}
	return lr0
}

// validate adds to errs what is wrong with s for base rate lr0. Fields the
// kind does not use are ignored, so that the page can keep them while the
// kind is switched.
func (s Schedule) validate(lr0 float64, errs *fieldErrors) {
	switch s.Kind {
	case "", Constant:
	case StepDecay:
		if s.Period < 1 {
			errs.add(FieldSchedule, "step decay period %d must be at least 1 epoch", s.Period)
		}
		if !(s.Gamma > 0 && s.Gamma <= 1) {
			errs.add(FieldSchedule, "step decay factor γ %v must be in (0, 1]", s.Gamma)
		}
	case Cosine:
		if s.TMax < 1 {
			errs.add(FieldSchedule, "cosine schedule tmax %d must be at least 1 epoch", s.TMax)
		}
		if !(s.Min >= 0 && s.Min <= lr0) {
			errs.add(FieldSchedule, "cosine schedule's final rate %v must be in [0, lr = %v]", s.Min, lr0)
		}
	default:
		errs.add(FieldSchedule, "unknown schedule %q (want constant, step or cosine)", s.Kind)
	}
}
