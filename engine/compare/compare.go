// Package compare measures an autoencoder against PCA like for like: on
// the same digits, with PCA fitted on the training digits.
//
// PCA's floor (the error of its rank-k reconstruction) is a lower bound
// only on the digits PCA was fitted to (Eckart–Young). A model's held-out
// error is therefore compared with PCA's error on the same held-out digits,
// projected with the training mean μ and components V_k,
//
//	PCA(X_h) = (1/(m n)) Σ_s ‖x_s − μ − V_k V_kᵀ (x_s − μ)‖²,
//
// and a training error over all the training digits (not a minibatch) with
// the floor itself. Applied to PCA's own reconstruction both ratios are
// exactly 1; a held-out loss over the training floor is not (it reads 0.967
// at k = 2 on these digits), which is why the two are never mixed.
package compare

import (
	"math"

	"aeplayground/engine/ae"
	"aeplayground/engine/noise"
	"aeplayground/engine/pca"
)

// Report is one evaluation of a model. A figure that does not apply (or was
// not asked for) is NaN, or nil for a slice.
type Report struct {
	Epoch       float64
	K           int
	Parameters  int
	TestLoss    float64   // held-out data term in the model's own loss
	TestMSE     float64   // held-out per-pixel squared error, whatever the loss
	PCATest     float64   // PCA's squared error on the same held-out digits at the same k
	NoisyLoss   float64   // held-out loss on corrupted digits against the clean ones
	OutMin      float64   // the smallest reconstructed pixel of the held-out digits
	OutMax      float64   // and the largest
	Angles      []float64 // principal angles between the decoder's and PCA's subspaces, degrees; linear models
	RhoHat      []float64 // mean activation of each code unit over the diagnosed digits
	Rho         float64   // the sparsity target
	Jacobian    float64   // mean ‖J_x(h)‖_F over the diagnosed digits; single-layer encoders
	Orthonormal float64   // largest |(DᵀD − I)_ij| of the decoder's weights D; linear models
}

// HeldOutRatio is the held-out squared error over PCA's on the same digits.
func (r Report) HeldOutRatio() float64 { return r.TestMSE / r.PCATest }

// The page's proof that a linear autoencoder has found PCA: every principal
// angle between the two subspaces below ProofAngle degrees, and the held-out
// error within ProofRatio of PCA's on the same digits. A seeded run of the
// linear presets meets both within a minute (engine/ae's
// TestLinearPresetsMeetPCA holds the training loss to the same bounds).
const (
	ProofAngle = 1.0
	ProofRatio = 1.002
)

// ProofHolds reports whether the largest principal angle (degrees) and the
// held-out ratio meet the proof's bounds.
func ProofHolds(largestAngle, heldOutRatio float64) bool {
	return largestAngle < ProofAngle && heldOutRatio <= ProofRatio
}

// Measure evaluates the trainer's model on its held-out digits against p
// (fitted on the training digits, with at least k components where the
// PCA figures are wanted). heldout are the same held-out digits the trainer
// was given, diag how many of them to diagnose (ρ̂, Jacobian), corrupt the
// corruption NoisyLoss is measured with (none: NaN).
func Measure(tr *ae.Trainer, p *pca.PCA, heldout []float64, diag int, corrupt noise.Spec) Report {
	m := tr.Model()
	cfg := m.Config()
	k := m.K()
	e := tr.Evaluate(corrupt)
	r := Report{
		Epoch: tr.Progress().EpochFrac, K: k, Parameters: m.NumParams(),
		TestLoss: e.Loss, TestMSE: e.MSE, NoisyLoss: e.NoisyLoss, OutMin: e.OutMin, OutMax: e.OutMax,
		PCATest: math.NaN(), Rho: cfg.SparseRho, Jacobian: math.NaN(), Orthonormal: math.NaN(),
	}
	if cfg.Linear() {
		n, h, dec := m.Decoder()
		r.Orthonormal = OrthonormalError(n, h, dec)
	}
	n := cfg.Inputs
	if p != nil && k <= p.K && len(heldout) >= n {
		if err, fail := p.Truncate(k).ReconstructionError(heldout, len(heldout)/n); fail == nil {
			r.PCATest = err
		}
		if cfg.Linear() {
			_, _, dec := m.Decoder()
			if angles, err := p.AnglesTo(dec, k); err == nil {
				r.Angles = make([]float64, len(angles))
				for i, a := range angles {
					r.Angles[i] = a * 180 / math.Pi
				}
			}
		}
	}
	if diag > 0 && (len(cfg.Hidden) == 1 || cfg.SparseBeta > 0) {
		d := m.Diagnose(heldout[:min(diag, len(heldout)/n)*n])
		r.RhoHat = d.RhoHat
		if len(cfg.Hidden) == 1 {
			r.Jacobian = d.JacobianNorm
		}
	}
	return r
}

// OrthonormalError is how far the h columns of the n×h matrix d (row-major)
// are from orthonormal: the largest entry of |DᵀD − I|. A tied linear
// autoencoder's optimum has orthonormal decoder columns (W* = Wᵀ with
// WWᵀ = I); an untied one's need not be, any invertible mix of PCA's
// directions reconstructing as well.
func OrthonormalError(n, h int, d []float64) float64 {
	var worst float64
	for a := range h {
		for b := a; b < h; b++ {
			var g float64
			for i := range n {
				g += d[i*h+a] * d[i*h+b]
			}
			if a == b {
				g--
			}
			worst = max(worst, math.Abs(g))
		}
	}
	return worst
}

// TrainRatio is the model's squared error over all its training digits
// over PCA's floor on them, at the model's k; NaN where PCA has fewer
// components.
func TrainRatio(tr *ae.Trainer, p *pca.PCA) float64 {
	k := tr.Model().K()
	if p == nil || k > len(p.Spectrum) {
		return math.NaN()
	}
	return tr.TrainEvaluation().MSE / p.Floor(k)
}
