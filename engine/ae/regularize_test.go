package ae

import (
	"math"
	"testing"

	"aeplayground/engine/internal/vec"
	"aeplayground/engine/noise"
	"aeplayground/engine/pca"
)

// Behaviour of the regularized variants on real digits (package doc, "Regularizers" and "Denoising").
// Each trains 784-64-784 sigmoid networks on 2,000 digits and scores them
// on 500 held-out ones; the margins measured when the tests were written
// are in their comments, and each test fails if its effect disappears.

const (
	regTrain, regTest = 2000, 500
)

func regData(t *testing.T) (train, test []float64) {
	all := bundleDigits(t, regTrain, regTest)
	return all[:regTrain*784], all[regTrain*784:]
}

func trainEpochs(t *testing.T, cfg Config, train, test []float64, epochs int) *Trainer {
	t.Helper()
	tr, err := NewTrainer(cfg, train, test)
	if err != nil {
		t.Fatal(err)
	}
	batches := (len(train)/784 + cfg.BatchSize - 1) / cfg.BatchSize
	if _, err := tr.Step(epochs * batches); err != nil {
		t.Fatal(err)
	}
	return tr
}

func meanOf(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// TestSparsityReachesRho: the KL penalty drives the mean activation of the
// code units to ρ = 0.05, where the same network without it stays far
// above. Measured (6 epochs): mean ρ̂ 0.065 with β = 0.5, 0.80 without.
func TestSparsityReachesRho(t *testing.T) {
	train, test := regData(t)
	cfg, _ := Preset("sparse")
	sparse := trainEpochs(t, cfg, train, test, 6)
	cfg.SparseBeta = 0
	plain := trainEpochs(t, cfg, train, test, 6)
	rs := meanOf(sparse.Model().Diagnose(test).RhoHat)
	rp := meanOf(plain.Model().Diagnose(test).RhoHat)
	t.Logf("mean ρ̂ on held-out digits: %.4f with β = %v, %.4f without (ρ = %v)", rs, sparse.cfg.SparseBeta, rp, cfg.SparseRho)
	if math.Abs(rs-cfg.SparseRho) > 0.02 {
		t.Errorf("mean ρ̂ %.4f is not within 0.02 of ρ = %v", rs, cfg.SparseRho)
	}
	if rp < 4*cfg.SparseRho {
		t.Errorf("without the penalty mean ρ̂ is %.4f: not far above ρ, so the test shows nothing", rp)
	}
}

// TestContractiveLowersJacobian: at comparable reconstruction error, the
// contractive autoencoder's ‖∂h/∂x‖_F is far lower than a plain one's.
// The plain network is trained until its held-out loss is as low as the
// contractive one's, then their Jacobian norms are compared.
// Measured: ‖J‖ 0.12 with λ = 0.3 against 1.15, at held-out losses 0.248
// and 0.247.
func TestContractiveLowersJacobian(t *testing.T) {
	train, test := regData(t)
	cfg, _ := Preset("contractive")
	cae := trainEpochs(t, cfg, train, test, 6)
	target := cae.TestLoss()
	jc := cae.Model().Diagnose(test).JacobianNorm

	cfg.Contractive = 0
	plain, err := NewTrainer(cfg, train, test)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40 && plain.TestLoss() > target; i++ {
		plain.Step(16)
	}
	lp := plain.TestLoss()
	jp := plain.Model().Diagnose(test).JacobianNorm
	t.Logf("contractive λ=%v: loss %.4f, ‖J‖ %.4f; plain: loss %.4f, ‖J‖ %.4f", cae.cfg.Contractive, target, jc, lp, jp)
	if math.Abs(lp-target) > 0.05*target {
		t.Fatalf("could not bring the plain network to a comparable loss (%.4f vs %.4f)", lp, target)
	}
	if jc > jp/3 {
		t.Errorf("contractive ‖J‖ %.4f is not clearly below the plain network's %.4f", jc, jp)
	}
}

// TestDenoisingBeatsPlainOnNoisyDigits: on held-out digits with half their
// pixels masked, the denoising autoencoder's error against the clean digits
// is clearly lower than a plain autoencoder's of the same size and budget.
// Measured (256 sigmoid units, 4 epochs): 0.132 against 0.174, ratio 0.76;
// the gap widens with training as the plain network nears the identity.
func TestDenoisingBeatsPlainOnNoisyDigits(t *testing.T) {
	train, test := regData(t)
	cfg, _ := Preset("denoising")
	masked := noise.Spec{Kind: noise.Mask, Level: 0.5}
	if cfg.Noise != masked {
		t.Fatalf("the denoising preset's noise is %+v", cfg.Noise)
	}
	dae := trainEpochs(t, cfg, train, test, 4)
	cfg.Noise = noise.Spec{}
	plain := trainEpochs(t, cfg, train, test, 4)
	ld, lp := dae.TestLossWith(masked), plain.TestLossWith(masked)
	t.Logf("held-out digits with half the pixels masked: denoising %.4f, plain %.4f (ratio %.3f)", ld, lp, ld/lp)
	if ld > 0.85*lp {
		t.Errorf("denoising autoencoder %.4f is not clearly below the plain one's %.4f", ld, lp)
	}
}

// TestTiedLinearIsOrthonormalPCA: with W* = Wᵀ the linear autoencoder still
// reaches PCA's floor, and the optimum has orthonormal rows: W Wᵀ = I_k.
// Measured: 1.02× the floor, max |W Wᵀ − I| 0.007 after 15 epochs.
func TestTiedLinearIsOrthonormalPCA(t *testing.T) {
	train, _ := regData(t)
	cfg, _ := Preset("linear-pca")
	cfg.Tied = true
	p, err := pca.Fit(train, regTrain, 784, cfg.K())
	if err != nil {
		t.Fatal(err)
	}
	tr := trainEpochs(t, cfg, train, train, 15)
	ratio := tr.TestLoss() / p.Floor(cfg.K())
	m, k := tr.Model(), cfg.K()
	w := m.layers[0].w.of(m.theta)
	var dev float64
	for i := range k {
		for j := range k {
			v := vec.Dot(w[i*784:(i+1)*784], w[j*784:(j+1)*784])
			if i == j {
				v--
			}
			dev = math.Max(dev, math.Abs(v))
		}
	}
	t.Logf("tied linear: loss %.4f× the floor, max |W Wᵀ − I| = %.4f", ratio, dev)
	if ratio > 1.03 {
		t.Errorf("loss %.4f× PCA's floor, want ≤ 1.03", ratio)
	}
	if dev > 0.03 {
		t.Errorf("W Wᵀ is %.4f from the identity, want < 0.03", dev)
	}
}

// TestL2ShrinksWeights: the weight norm falls as λ grows.
// Measured (3 epochs): ‖W₁‖ 18.9, 10.8, 5.2, 2.3 for λ = 0, 1e-4, 1e-3, 1e-2.
func TestL2ShrinksWeights(t *testing.T) {
	train, test := regData(t)
	prev := math.Inf(1)
	for _, lambda := range []float64{0, 1e-4, 1e-3, 1e-2} {
		cfg, _ := Preset("survey")
		cfg.L2, cfg.BatchSize = lambda, 64
		tr := trainEpochs(t, cfg, train, test, 3)
		norms := tr.Model().WeightNorms()
		total := math.Hypot(norms[0], norms[1])
		t.Logf("λ = %g: ‖W‖ %.3f (encoder %.3f, decoder %.3f), held-out loss %.4f", lambda, total, norms[0], norms[1], tr.TestLoss())
		if total >= 0.8*prev {
			t.Errorf("λ = %g: weight norm %.3f did not fall clearly below %.3f", lambda, total, prev)
		}
		prev = total
	}
}
