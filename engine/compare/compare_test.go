package compare

import (
	"math"
	"os"
	"testing"

	"aeplayground/engine/ae"
	"aeplayground/engine/mnist"
	"aeplayground/engine/noise"
	"aeplayground/engine/pca"
)

// digits returns the bundle's first train training and test held-out
// digits as pixels in [0, 1]; `make data` writes the bundle.
func digits(t *testing.T, train, test int) ([]float64, []float64) {
	t.Helper()
	raw, err := os.ReadFile("../../web/mnist.bundle")
	if err != nil {
		t.Fatalf("the MNIST bundle is missing (%v): run `make data` first", err)
	}
	b, err := mnist.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	all := make([]float64, b.Train.Len()*mnist.Pixels)
	b.Train.Float64(all)
	held := make([]float64, b.Test.Len()*mnist.Pixels)
	b.Test.Float64(held)
	return all[:train*mnist.Pixels], held[:test*mnist.Pixels]
}

// TestPCAReadsOne: a linear autoencoder whose weights are PCA's own
// projection (W = V_kᵀ, b = −V_kᵀμ, W* = V_k, c = μ) is PCA: both like-for-
// like ratios read 1 and every principal angle 0, at every k tried. Either
// ratio taken across two sets of digits would not (the held-out loss over
// the training floor is off by several percent), so this fails if Measure
// or TrainRatio mixes them.
func TestPCAReadsOne(t *testing.T) {
	const n = mnist.Pixels
	train, held := digits(t, 2000, 300)
	p, err := pca.Fit(train, 2000, n, 32)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{2, 16, 32} {
		cfg, _ := ae.Preset("linear-pca")
		cfg.Hidden = []int{k}
		tr, err := ae.NewTrainer(cfg, train, held)
		if err != nil {
			t.Fatal(err)
		}
		theta := tr.Model().Params()
		w, b := theta[:k*n], theta[k*n:k*n+k]
		ws, c := theta[k*n+k:2*k*n+k], theta[2*k*n+k:]
		for r := range k {
			v := p.Components[r*n : (r+1)*n]
			copy(w[r*n:(r+1)*n], v)
			var vm float64
			for j := range n {
				ws[j*k+r] = v[j]
				vm += v[j] * p.Mean[j]
			}
			b[r] = -vm
		}
		copy(c, p.Mean)

		rep := Measure(tr, p, held, 0, noise.Spec{})
		if r := rep.HeldOutRatio(); math.Abs(r-1) > 1e-9 {
			t.Errorf("k = %d: held-out ratio %v, want 1", k, r)
		}
		if r := TrainRatio(tr, p); math.Abs(r-1) > 1e-9 {
			t.Errorf("k = %d: training ratio %v, want 1", k, r)
		}
		if mixed := rep.TestMSE / p.Floor(k); math.Abs(mixed-1) < 1e-3 {
			t.Errorf("k = %d: held-out over the training floor is %v: the test cannot tell the ratios apart", k, mixed)
		}
		if len(rep.Angles) != k {
			t.Fatalf("k = %d: %d angles", k, len(rep.Angles))
		}
		for i, a := range rep.Angles {
			if a > 1e-4 {
				t.Errorf("k = %d: angle %d is %v°, want 0", k, i, a)
			}
		}
		if rep.Orthonormal > 1e-9 {
			t.Errorf("k = %d: PCA's components as decoder columns are %v from orthonormal, want 0", k, rep.Orthonormal)
		}
	}
}

// TestOrthonormalError: orthonormal columns read 0; a column scaled by s
// reads |s² − 1|; two columns at 60° read cos 60° = 0.5.
func TestOrthonormalError(t *testing.T) {
	c, s := math.Cos(math.Pi/3), math.Sin(math.Pi/3)
	for _, tc := range []struct {
		name string
		d    []float64 // 3×2, row-major
		want float64
	}{
		{"orthonormal", []float64{c, -s, s, c, 0, 0}, 0},
		{"a column scaled by 1.1", []float64{1.1, 0, 0, 1, 0, 0}, 0.21},
		{"columns at 60°", []float64{1, c, 0, s, 0, 0}, 0.5},
	} {
		if got := OrthonormalError(3, 2, tc.d); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestMeasureFigures: the figures that do not apply are NaN or nil, those
// that do are measured.
func TestMeasureFigures(t *testing.T) {
	train, held := digits(t, 500, 100)
	p, err := pca.Fit(train, 500, mnist.Pixels, 16)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := ae.Preset("sparse")
	tr, err := ae.NewTrainer(cfg, train, held)
	if err != nil {
		t.Fatal(err)
	}
	rep := Measure(tr, p, held, 50, noise.Spec{Kind: noise.Mask, Level: 0.5})
	if !math.IsNaN(rep.PCATest) || rep.Angles != nil {
		t.Errorf("k = 64 beyond PCA's 16 components: PCATest %v, angles %v", rep.PCATest, rep.Angles)
	}
	if len(rep.RhoHat) != 64 || math.IsNaN(rep.Jacobian) || rep.Rho != 0.05 || math.IsNaN(rep.NoisyLoss) {
		t.Errorf("sparse model: ρ̂ %d units, J %v, ρ %v, noisy %v", len(rep.RhoHat), rep.Jacobian, rep.Rho, rep.NoisyLoss)
	}
	if math.IsNaN(TrainRatio(tr, p)) != true {
		t.Error("a training ratio beyond PCA's components")
	}
}

// TestProofHolds: the bounds are strict on the angle and inclusive on the
// ratio, and either one alone failing fails the proof.
func TestProofHolds(t *testing.T) {
	for _, tc := range []struct {
		angle, ratio float64
		want         bool
	}{
		{0.95, 1.0003, true},
		{0.999, ProofRatio, true},
		{ProofAngle, 1.0, false},
		{4.1, 1.0003, false}, // the constant-rate Adam run: loss fine, subspace not
		{0.5, 1.009, false},
		{math.NaN(), 1, false},
		{0.5, math.NaN(), false},
	} {
		if got := ProofHolds(tc.angle, tc.ratio); got != tc.want {
			t.Errorf("ProofHolds(%v°, %v) = %v, want %v", tc.angle, tc.ratio, got, tc.want)
		}
	}
}
