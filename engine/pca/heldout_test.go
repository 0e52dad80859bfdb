package pca

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestReconstructionErrorOnFittedData: on the digits PCA was fitted to, the
// error of projecting them is the Eckart–Young floor, for every k; on
// other digits it is the mean squared distance to PCA's subspace, computed
// here the long way (Project, then Reconstruct).
func TestReconstructionErrorOnFittedData(t *testing.T) {
	const n = 784
	type set struct {
		name string
		data []float64
		m    int
	}
	sets := []set{{"mnist-like", mnistLike(rand.New(rand.NewPCG(3, 3)), 1500), 1500}}
	if d := mnistImages(3000); d != nil {
		sets = append(sets, set{"mnist", d, 3000})
	} else {
		t.Log("MNIST not in the module cache: synthetic digits only")
	}
	for _, s := range sets {
		fitM := s.m * 2 / 3
		train, held := s.data[:fitM*n], s.data[fitM*n:]
		p, err := Fit(train, fitM, n, 32)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []int{1, 2, 16, 32} {
			q := p.Truncate(k)
			got, err := q.ReconstructionError(train, fitM)
			if err != nil {
				t.Fatal(err)
			}
			if floor := p.Floor(k); math.Abs(got-floor) > 1e-12*floor {
				t.Errorf("%s k=%d: error on the fitted digits %.17g, floor %.17g (relative %.2g)", s.name, k, got, floor, math.Abs(got-floor)/floor)
			}
			heldM := s.m - fitM
			got, err = q.ReconstructionError(held, heldM)
			if err != nil {
				t.Fatal(err)
			}
			code, xhat := make([]float64, k), make([]float64, n)
			var want float64
			for i := range heldM {
				x := held[i*n : (i+1)*n]
				q.Project(x, code)
				q.Reconstruct(code, xhat)
				for j := range x {
					want += (xhat[j] - x[j]) * (xhat[j] - x[j])
				}
			}
			want /= float64(heldM * n)
			if math.Abs(got-want) > 1e-10*want {
				t.Errorf("%s k=%d: held-out error %.17g, reconstructed the long way %.17g", s.name, k, got, want)
			}
			t.Logf("%s k=%d: floor %.6f, held-out %.6f (ratio %.4f)", s.name, k, p.Floor(k), got, got/p.Floor(k))
		}
	}
	p, _ := Fit(sets[0].data[:100*n], 100, n, 4)
	if _, err := p.ReconstructionError(sets[0].data[:100*n-1], 100); err == nil {
		t.Error("a ragged data set was accepted")
	}
	bad := append([]float64(nil), sets[0].data[:n]...)
	bad[5] = math.NaN()
	if _, err := p.ReconstructionError(bad, 1); err == nil {
		t.Error("NaN was accepted")
	}
}
