package pca

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"aeplayground/engine/internal/vec"
)

// planted returns m samples of mean + U z + noise·ε in ℝⁿ, U an n×r
// orthonormal basis (row-major n×r), z_i ~ N(0, sd_i²), ε ~ N(0, I).
func planted(rng *rand.Rand, m, n int, sd []float64, noise float64) (data, u []float64) {
	r := len(sd)
	u = randOrtho(rng, n, r)
	mean := make([]float64, n)
	for j := range mean {
		mean[j] = 6*rng.Float64() - 3
	}
	data = make([]float64, m*n)
	z := make([]float64, r)
	for s := 0; s < m; s++ {
		for i := range z {
			z[i] = sd[i] * rng.NormFloat64()
		}
		row := data[s*n : (s+1)*n]
		for j := range row {
			v := mean[j] + noise*rng.NormFloat64()
			for i, zi := range z {
				v += u[j*r+i] * zi
			}
			row[j] = v
		}
	}
	return data, u
}

// randOrtho returns an n×r (row-major) matrix with orthonormal columns.
func randOrtho(rng *rand.Rand, n, r int) []float64 {
	a := make([]float64, n*r)
	for i := range a {
		a[i] = rng.NormFloat64()
	}
	at, err := transposeChecked(a, n, r)
	if err != nil {
		panic(err)
	}
	tau, err := householderQR(at, n, r)
	if err != nil {
		panic(err)
	}
	qt := make([]float64, r*n)
	for c := 0; c < r; c++ {
		qt[c*n+c] = 1
	}
	applyQ(at, tau, n, qt)
	q := make([]float64, n*r)
	for c := 0; c < r; c++ {
		for j := 0; j < n; j++ {
			q[j*r+c] = qt[c*n+j]
		}
	}
	return q
}

// mnistLike returns m sparse digit-like images of 28×28 pixels: a blob of
// random intensities around a random centre (about 19 % non-zero pixels,
// like MNIST), with the border always 0.
func mnistLike(rng *rand.Rand, m int) []float64 {
	const side = 28
	n := side * side
	d := make([]float64, m*n)
	for s := 0; s < m; s++ {
		cx, cy := 10+8*rng.Float64(), 10+8*rng.Float64()
		rx, ry := 3+4*rng.Float64(), 4+5*rng.Float64()
		for p := 0; p < n; p++ {
			x, y := float64(p%side), float64(p/side)
			dd := (x-cx)*(x-cx)/(rx*rx) + (y-cy)*(y-cy)/(ry*ry)
			if dd < 1 && rng.Float64() < 0.9 {
				d[s*n+p] = math.Min(1, 1.2-dd+0.2*rng.Float64())
			}
		}
	}
	return d
}

// naiveCov returns the n×n population covariance and the mean, computed the
// slow obvious way.
func naiveCov(data []float64, m, n int) (c, mean []float64) {
	mean = make([]float64, n)
	for s := 0; s < m; s++ {
		for j := 0; j < n; j++ {
			mean[j] += data[s*n+j]
		}
	}
	for j := range mean {
		mean[j] /= float64(m)
	}
	c = make([]float64, n*n)
	for s := 0; s < m; s++ {
		for i := 0; i < n; i++ {
			di := data[s*n+i] - mean[i]
			for j := 0; j < n; j++ {
				c[i*n+j] += di * (data[s*n+j] - mean[j])
			}
		}
	}
	for i := range c {
		c[i] /= float64(m)
	}
	return c, mean
}

// refSpectrum returns the eigenvalues (descending) and eigenvectors (columns
// of the n×n row-major result, same order) of the covariance of data.
func refSpectrum(t *testing.T, data []float64, m, n int) (vals, vecs []float64) {
	c, _ := naiveCov(data, m, n)
	var e mat.EigenSym
	if !e.Factorize(mat.NewSymDense(n, c), true) {
		t.Fatal("reference EigenSym failed")
	}
	asc := e.Values(nil)
	var v mat.Dense
	e.VectorsTo(&v)
	vals = make([]float64, n)
	vecs = make([]float64, n*n)
	for i := 0; i < n; i++ {
		vals[i] = asc[n-1-i]
		for j := 0; j < n; j++ {
			vecs[j*n+i] = v.At(j, n-1-i)
		}
	}
	return vals, vecs
}

// columns returns the first k columns of the n×c row-major matrix a as an
// n×k row-major matrix.
func columns(a []float64, n, c, k int) []float64 {
	out := make([]float64, n*k)
	for j := 0; j < n; j++ {
		copy(out[j*k:(j+1)*k], a[j*c:j*c+k])
	}
	return out
}

// componentsAsColumns returns the top k components of p as an n×k matrix.
func componentsAsColumns(p *PCA, k int) []float64 {
	n := p.N
	out := make([]float64, n*k)
	for r := 0; r < k; r++ {
		for j := 0; j < n; j++ {
			out[j*k+r] = p.Components[r*n+j]
		}
	}
	return out
}

// reconMSE returns the per-pixel MSE of Reconstruct(Project(x)) over the data.
func reconMSE(p *PCA, data []float64, m int) float64 {
	n := p.N
	code := make([]float64, p.K)
	xhat := make([]float64, n)
	var s float64
	for r := 0; r < m; r++ {
		x := data[r*n : (r+1)*n]
		p.Project(x, code)
		p.Reconstruct(code, xhat)
		for j := range x {
			d := x[j] - xhat[j]
			s += d * d
		}
	}
	return s / float64(m*n)
}

func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Max(math.Abs(want), 1e-300)
}

func TestFitPlanted(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name  string
		m, n  int
		sd    []float64
		noise float64
		k     int
		meth  method
	}{
		{name: "dense n=40", m: 400, n: 40, sd: []float64{5, 4, 3, 2, 1.5}, noise: 0.05, k: 8, meth: methodAuto},
		{name: "odd shape", m: 131, n: 23, sd: []float64{3, 1}, noise: 0.02, k: 23, meth: methodAuto},
		{name: "lanczos n=40", m: 400, n: 40, sd: []float64{5, 4, 3, 2, 1.5}, noise: 0.05, k: 8, meth: methodLanczos},
		{name: "lanczos n=300", m: 500, n: 300, sd: []float64{5, 4, 3, 2.5, 2, 1.5, 1}, noise: 0.05, k: 12, meth: methodAuto},
		{name: "sparse cov", m: 300, n: 37, sd: []float64{2, 1}, noise: 0.1, k: 4, meth: methodSparseCov},
		{name: "sparse cov lanczos", m: 300, n: 37, sd: []float64{2, 1}, noise: 0.1, k: 4, meth: methodSparseBoth},
		{name: "m<n", m: 30, n: 200, sd: []float64{4, 2}, noise: 0.01, k: 30, meth: methodAuto},
	} {
		t.Run(test.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(test.m*1000+test.n)))
			data, u := planted(rng, test.m, test.n, test.sd, test.noise)
			p, err := fit(data, test.m, test.n, test.k, test.meth)
			if err != nil {
				t.Fatal(err)
			}
			n, k, r := test.n, test.k, len(test.sd)
			if p.N != n || p.K != k || len(p.Mean) != n || len(p.Components) != k*n || len(p.Variance) != k || len(p.Spectrum) < k {
				t.Fatalf("bad shapes: N=%d K=%d len(Mean)=%d len(Components)=%d len(Variance)=%d len(Spectrum)=%d",
					p.N, p.K, len(p.Mean), len(p.Components), len(p.Variance), len(p.Spectrum))
			}

			// The planted subspace is found.
			ang, err := PrincipalAngles(componentsAsColumns(p, r), r, u, r, n)
			if err != nil {
				t.Fatal(err)
			}
			for i, a := range ang {
				if a > 0.05 {
					t.Errorf("angle %d to planted subspace = %g rad, want ≈ 0", i, a)
				}
			}

			// Orthonormal rows: V Vᵀ = I.
			for a := 0; a < k; a++ {
				for b := 0; b < k; b++ {
					want := 0.0
					if a == b {
						want = 1
					}
					got := vec.Dot(p.Components[a*n:(a+1)*n], p.Components[b*n:(b+1)*n])
					if math.Abs(got-want) > 1e-10 {
						t.Errorf("(V Vᵀ)[%d,%d] = %g, want %g", a, b, got, want)
					}
				}
			}

			// Variances sorted, equal to the reference eigenvalues.
			refVals, refVecs := refSpectrum(t, data, test.m, n)
			for i := range p.Spectrum {
				if i > 0 && p.Spectrum[i] > p.Spectrum[i-1] {
					t.Errorf("Spectrum not descending at %d: %g > %g", i, p.Spectrum[i], p.Spectrum[i-1])
				}
				if math.Abs(p.Spectrum[i]-math.Max(refVals[i], 0)) > 1e-9*refVals[0] {
					t.Errorf("Spectrum[%d] = %.15g, want %.15g", i, p.Spectrum[i], refVals[i])
				}
			}
			for i, v := range p.Variance {
				if v != p.Spectrum[i] {
					t.Errorf("Variance[%d] = %g != Spectrum[%d] = %g", i, v, i, p.Spectrum[i])
				}
			}
			var tr float64
			for _, v := range refVals {
				tr += v
			}
			if relErr(p.TotalVariance, tr) > 1e-10 {
				t.Errorf("TotalVariance = %.15g, want %.15g", p.TotalVariance, tr)
			}
			// The top-r components are the reference eigenvectors (the
			// planted directions are well separated from the noise).
			ang, err = PrincipalAngles(componentsAsColumns(p, r), r, columns(refVecs, n, n, r), r, n)
			if err != nil {
				t.Fatal(err)
			}
			for i, a := range ang {
				if a > 1e-7 {
					t.Errorf("angle %d to reference eigenvectors = %g", i, a)
				}
			}

			// Floor(k) = Σ_{i>k} λ_i / n = measured MSE of the rank-k
			// reconstruction.
			for kk := 0; kk <= k; kk++ {
				var tail float64
				for _, v := range refVals[kk:] {
					tail += math.Max(v, 0)
				}
				tail /= float64(n)
				got := p.Floor(kk)
				var mse float64
				if kk == 0 {
					mse = p.TotalVariance / float64(n)
				} else {
					mse = reconMSE(p.Truncate(kk), data, test.m)
				}
				tol := 1e-10
				if tail < 1e-12*tr/float64(n) {
					// Nothing left but rounding: compare absolutely.
					if got > 1e-12*tr || mse > 1e-12*tr {
						t.Errorf("Floor(%d) = %g, MSE %g, want ≈ 0", kk, got, mse)
					}
					continue
				}
				// Without the full spectrum Floor is tr C - Σ_{i≤k} λ_i,
				// whose rounding error is about ε·tr C however small
				// the floor.
				abs := 1e-14 * tr / float64(n)
				if math.Abs(got-tail) > tol*tail+abs {
					t.Errorf("Floor(%d) = %.15g, Σ discarded λ / n = %.15g", kk, got, tail)
				}
				if math.Abs(got-mse) > tol*mse+abs {
					t.Errorf("Floor(%d) = %.15g, measured MSE = %.15g", kk, got, mse)
				}
			}
		})
	}
}

func TestCovKernels(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		m, n     int
		constant []int // features set to a constant
		zeros    float64
	}{
		{m: 1, n: 1},
		{m: 5, n: 3},
		{m: 127, n: 9, constant: []int{0, 4}},
		{m: 128, n: 8},
		{m: 300, n: 30, constant: []int{29}, zeros: 0.8},
		{m: 257, n: 17, zeros: 0.5},
	} {
		rng := rand.New(rand.NewPCG(2, uint64(test.m*100+test.n)))
		data := make([]float64, test.m*test.n)
		for i := range data {
			if rng.Float64() >= test.zeros {
				data[i] = rng.NormFloat64() + 0.5
			}
		}
		for s := 0; s < test.m; s++ {
			for _, j := range test.constant {
				data[s*test.n+j] = 0.25
			}
		}
		want, mean := naiveCov(data, test.m, test.n)
		act := make([]int, test.n)
		for j := range act {
			act[j] = j
		}
		var scale float64
		for j := 0; j < test.n; j++ {
			scale = math.Max(scale, want[j*test.n+j])
		}
		for name, got := range map[string][]float64{
			"dense":  covDense(data, test.m, test.n, mean, act),
			"sparse": covSparse(data, test.m, test.n, mean, act),
		} {
			for i := range want {
				if math.Abs(got[i]-want[i]) > 1e-13*math.Max(scale, 1) {
					t.Errorf("%d×%d %s: c[%d] = %g, want %g", test.m, test.n, name, i, got[i], want[i])
					break
				}
			}
		}
	}
}

// TestFitMethodsAgree fits sparse digit-like data with every combination of
// covariance kernel and eigensolver.
func TestFitMethodsAgree(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 3))
	const m, n, k = 400, 784, 20
	data := mnistLike(rng, m)
	ref, err := fit(data, m, n, k, methodDenseBoth)
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Spectrum) != n {
		t.Fatalf("dense fit has %d eigenvalues, want %d", len(ref.Spectrum), n)
	}
	for _, meth := range []method{methodAuto, methodSparseBoth, methodLanczos, methodSparseCov} {
		p, err := fit(data, m, n, k, meth)
		if err != nil {
			t.Fatal(err)
		}
		if relErr(p.TotalVariance, ref.TotalVariance) > 1e-12 {
			t.Errorf("method %d: TotalVariance %g, want %g", meth, p.TotalVariance, ref.TotalVariance)
		}
		for i, v := range p.Variance {
			if math.Abs(v-ref.Variance[i]) > 1e-10*ref.Variance[0] {
				t.Errorf("method %d: Variance[%d] = %.15g, want %.15g", meth, i, v, ref.Variance[i])
			}
		}
		for kk := 0; kk <= k; kk++ {
			if relErr(p.Floor(kk), ref.Floor(kk)) > 1e-9 {
				t.Errorf("method %d: Floor(%d) = %.15g, want %.15g", meth, kk, p.Floor(kk), ref.Floor(kk))
			}
		}
		ang, err := PrincipalAngles(componentsAsColumns(p, k), k, componentsAsColumns(ref, k), k, n)
		if err != nil {
			t.Fatal(err)
		}
		if ang[k-1] > 1e-5 {
			t.Errorf("method %d: largest angle to the dense fit's subspace %g", meth, ang[k-1])
		}
	}
}

func TestFitRankDeficient(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name string
		m, n int
		k    int
		meth method
		gen  func(rng *rand.Rand, s, j int) float64
	}{
		{name: "constant", m: 10, n: 6, k: 6, gen: func(_ *rand.Rand, _, j int) float64 { return float64(j) }},
		{name: "constant lanczos", m: 10, n: 6, k: 6, meth: methodLanczos, gen: func(_ *rand.Rand, _, j int) float64 { return float64(j) }},
		{name: "few samples", m: 4, n: 50, k: 4, gen: func(rng *rand.Rand, _, _ int) float64 { return rng.NormFloat64() }},
		{name: "few samples lanczos", m: 4, n: 50, k: 4, meth: methodLanczos, gen: func(rng *rand.Rand, _, _ int) float64 { return rng.NormFloat64() }},
		{name: "one sample", m: 1, n: 5, k: 1, gen: func(rng *rand.Rand, _, _ int) float64 { return rng.NormFloat64() }},
		{name: "half constant", m: 40, n: 10, k: 9, gen: func(rng *rand.Rand, _, j int) float64 {
			if j%2 == 0 {
				return 7
			}
			return rng.NormFloat64()
		}},
	} {
		t.Run(test.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(4, 4))
			data := make([]float64, test.m*test.n)
			for s := 0; s < test.m; s++ {
				for j := 0; j < test.n; j++ {
					data[s*test.n+j] = test.gen(rng, s, j)
				}
			}
			p, err := fit(data, test.m, test.n, test.k, test.meth)
			if err != nil {
				t.Fatal(err)
			}
			n, k := test.n, test.k
			for a := 0; a < k; a++ {
				for b := 0; b < k; b++ {
					want := 0.0
					if a == b {
						want = 1
					}
					if got := vec.Dot(p.Components[a*n:(a+1)*n], p.Components[b*n:(b+1)*n]); math.Abs(got-want) > 1e-10 {
						t.Errorf("(V Vᵀ)[%d,%d] = %g, want %g", a, b, got, want)
					}
				}
			}
			refVals, _ := refSpectrum(t, data, test.m, n)
			for i, v := range p.Variance {
				if math.Abs(v-math.Max(refVals[i], 0)) > 1e-10*math.Max(refVals[0], 1) {
					t.Errorf("Variance[%d] = %g, want %g", i, v, refVals[i])
				}
			}
			if mse := reconMSE(p, data, test.m); math.Abs(mse-p.Floor(k)) > 1e-12*math.Max(p.TotalVariance, 1) {
				t.Errorf("MSE %g, Floor(%d) = %g", mse, k, p.Floor(k))
			}
		})
	}
}

func TestFitErrors(t *testing.T) {
	t.Parallel()
	good := make([]float64, 12)
	for i := range good {
		good[i] = float64(i * i % 5)
	}
	nan := append([]float64(nil), good...)
	nan[7] = math.NaN()
	inf := append([]float64(nil), good...)
	inf[0] = math.Inf(-1)
	for _, test := range []struct {
		name    string
		data    []float64
		m, n, k int
		is      error
	}{
		{name: "k=0", data: good, m: 4, n: 3, k: 0},
		{name: "k<0", data: good, m: 4, n: 3, k: -1},
		{name: "k>n", data: good, m: 4, n: 3, k: 4},
		{name: "k>m", data: good, m: 2, n: 6, k: 3},
		{name: "short", data: good[:11], m: 4, n: 3, k: 1},
		{name: "long", data: good, m: 3, n: 3, k: 1},
		{name: "m=0", data: nil, m: 0, n: 3, k: 1},
		{name: "n=0", data: nil, m: 3, n: 0, k: 1},
		{name: "NaN", data: nan, m: 4, n: 3, k: 1, is: ErrNotFinite},
		{name: "Inf", data: inf, m: 4, n: 3, k: 1, is: ErrNotFinite},
	} {
		p, err := Fit(test.data, test.m, test.n, test.k)
		if err == nil || p != nil {
			t.Errorf("%s: Fit returned %v, %v; want an error", test.name, p, err)
			continue
		}
		if test.is != nil && !errors.Is(err, test.is) {
			t.Errorf("%s: error %v, want %v", test.name, err, test.is)
		}
	}
	if _, err := Fit(good, 4, 3, 3); err != nil {
		t.Errorf("valid input: %v", err)
	}
}

func TestProjectReconstructAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	data, _ := planted(rng, 100, 30, []float64{3, 2, 1}, 0.1)
	p, err := Fit(data, 100, 30, 5)
	if err != nil {
		t.Fatal(err)
	}
	x := data[:30]
	code := make([]float64, 5)
	xhat := make([]float64, 30)
	if a := testing.AllocsPerRun(100, func() { p.Project(x, code) }); a != 0 {
		t.Errorf("Project allocates %v times", a)
	}
	if a := testing.AllocsPerRun(100, func() { p.Reconstruct(code, xhat) }); a != 0 {
		t.Errorf("Reconstruct allocates %v times", a)
	}
	// Project of a reconstruction gives the code back (V_kᵀ V_k = I).
	p.Project(x, code)
	p.Reconstruct(code, xhat)
	code2 := make([]float64, 5)
	p.Project(xhat, code2)
	for i := range code {
		if math.Abs(code[i]-code2[i]) > 1e-12*math.Max(1, math.Abs(code[i])) {
			t.Errorf("Project(Reconstruct(z))[%d] = %g, want %g", i, code2[i], code[i])
		}
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(6, 6))
	data, _ := planted(rng, 200, 20, []float64{3, 2, 1}, 0.1)
	p, err := Fit(data, 200, 20, 6)
	if err != nil {
		t.Fatal(err)
	}
	q := p.Truncate(2)
	if q.K != 2 || len(q.Components) != 2*20 || len(q.Variance) != 2 {
		t.Fatalf("Truncate(2): K=%d len(Components)=%d len(Variance)=%d", q.K, len(q.Components), len(q.Variance))
	}
	for kk := 0; kk <= 6; kk++ {
		if q.Floor(kk) != p.Floor(kk) {
			t.Errorf("Floor(%d): %g after Truncate, %g before", kk, q.Floor(kk), p.Floor(kk))
		}
	}
	want := append([]float64(nil), q.Components...)
	wantMean := append([]float64(nil), q.Mean...)
	for i := range p.Components {
		p.Components[i] = 0
	}
	for i := range p.Mean {
		p.Mean[i] = 0
	}
	p.Variance[0], p.Spectrum[0] = 0, 0
	for i := range want {
		if q.Components[i] != want[i] {
			t.Fatal("Truncate shares Components")
		}
	}
	for i := range wantMean {
		if q.Mean[i] != wantMean[i] {
			t.Fatal("Truncate shares Mean")
		}
	}
	if q.Variance[0] == 0 || q.Spectrum[0] == 0 {
		t.Fatal("Truncate shares Variance or Spectrum")
	}
}

func TestExplainedRatio(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 7))
	data, _ := planted(rng, 300, 10, []float64{3, 1}, 0.2)
	p, err := Fit(data, 300, 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for i, r := range p.ExplainedRatio() {
		if relErr(r, p.Variance[i]/p.TotalVariance) > 1e-15 {
			t.Errorf("ratio %d = %g", i, r)
		}
		sum += r
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("ratios over all components sum to %.15g, want 1", sum)
	}
	if p.Floor(10) > 1e-12 {
		t.Errorf("Floor(n) = %g, want 0", p.Floor(10))
	}
}

func TestFitDeterministic(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(8, 8))
	data, _ := planted(rng, 300, 200, []float64{3, 2, 1}, 0.1)
	p1, err := Fit(data, 300, 200, 5)
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := Fit(data, 300, 200, 5)
	for i := range p1.Components {
		if p1.Components[i] != p2.Components[i] {
			t.Fatal("two fits of the same data differ")
		}
	}
	for r := 0; r < 5; r++ {
		v := p1.Components[r*200 : (r+1)*200]
		var big float64
		for _, x := range v {
			if math.Abs(x) > math.Abs(big) {
				big = x
			}
		}
		if big < 0 {
			t.Errorf("component %d: largest entry %g is negative", r, big)
		}
	}
}

func TestFitSample(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 9))
	data, u := planted(rng, 2000, 30, []float64{4, 3}, 0.05)
	p, err := FitSample(data, 2000, 30, 2, 300, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	ang, err := PrincipalAngles(componentsAsColumns(p, 2), 2, u, 2, 30)
	if err != nil {
		t.Fatal(err)
	}
	if ang[1] > 0.05 {
		t.Errorf("FitSample: angles to planted subspace %v", ang)
	}
	if _, err := FitSample(data, 2000, 30, 2, 0, rng); err == nil {
		t.Error("FitSample with s=0: no error")
	}
}
