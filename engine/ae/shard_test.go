package ae

import (
	"errors"
	"math"
	"testing"
)

// shardedStep takes one step of tr with its batch split into the given
// number of parts: the first on the trainer, the others on shards, as the
// page's workers do.
func shardedStep(t testing.TB, tr *Trainer, shards []*Shard) (Progress, error) {
	t.Helper()
	input, target := tr.BeginBatch()
	n := tr.cfg.Inputs
	rows := len(input) / n
	parts := len(shards) + 1
	first := rows / parts
	if err := tr.AccumulateFirst(first); err != nil {
		t.Fatal(err)
	}
	lo := first
	for i, s := range shards {
		hi := lo + (rows-lo)/(len(shards)-i)
		if hi == lo {
			continue
		}
		g, loss, data, err := s.Gradient(tr.Model().Params(), input[lo*n:hi*n], target[lo*n:hi*n], rows)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.AddGradient(g, loss, data); err != nil {
			t.Fatal(err)
		}
		lo = hi
	}
	return tr.FinishBatch()
}

// TestShardedEqualsWhole: a batch trained in 1 to 4 parts gives the same
// losses and parameters as Step, up to rounding (the parts' gradients are
// summed in another order), for every separable variant, over enough steps
// to cross an epoch with a short last batch.
func TestShardedEqualsWhole(t *testing.T) {
	data := bundleDigits(t, 200, 0)
	for name, cfg := range variants(t) {
		if !cfg.Separable() {
			continue
		}
		cfg.BatchSize = 48 // 200 digits: four full batches and one of 8
		for _, parts := range []int{2, 3, 4} {
			whole, err := NewTrainer(cfg, data, nil)
			if err != nil {
				t.Fatal(err)
			}
			split, _ := NewTrainer(cfg, data, nil)
			shards := make([]*Shard, parts-1)
			for i := range shards {
				if shards[i], err = NewShard(cfg); err != nil {
					t.Fatal(err)
				}
			}
			var worst float64
			for step := range 12 {
				want, err := whole.Step(1)
				if err != nil {
					t.Fatal(err)
				}
				split.Checkpoint()
				got, err := shardedStep(t, split, shards)
				if err != nil {
					t.Fatal(err)
				}
				if got.SamplesSeen != want.SamplesSeen || got.Epoch != want.Epoch {
					t.Fatalf("%s, %d parts, step %d: progress %+v, want %+v", name, parts, step, got, want)
				}
				for _, p := range [][2]float64{{got.Loss, want.Loss}, {got.DataLoss, want.DataLoss}} {
					worst = max(worst, math.Abs(p[0]-p[1])/math.Abs(p[1]))
				}
			}
			var dθ float64
			for i, v := range split.Model().Params() {
				dθ = max(dθ, math.Abs(v-whole.Model().Params()[i]))
			}
			t.Logf("%s in %d parts: losses within %.2g, parameters within %.2g", name, parts, worst, dθ)
			if worst > 1e-12 || dθ > 1e-10 {
				t.Errorf("%s in %d parts: losses differ by %.2g (relative), parameters by %.2g", name, parts, worst, dθ)
			}
		}
	}
}

// TestShardedAllocatesNothing: the data-parallel step allocates nothing
// either.
func TestShardedAllocatesNothing(t *testing.T) {
	cfg, _ := Preset("survey")
	tr, err := NewTrainer(cfg, bundleDigits(t, 600, 0), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := NewShard(cfg)
	shards := []*Shard{s}
	shardedStep(t, tr, shards)
	if a := testing.AllocsPerRun(5, func() { shardedStep(t, tr, shards) }); a != 0 {
		t.Errorf("a sharded step allocates %v times", a)
	}
}

// TestShardRefuses: a sparse model's batch cannot be split, and parts that
// do not fit are named.
func TestShardRefuses(t *testing.T) {
	sparse, _ := Preset("sparse")
	if _, err := NewShard(sparse); !errors.Is(err, ErrCoupled) {
		t.Errorf("NewShard(sparse): %v, want ErrCoupled", err)
	}
	tr, err := NewTrainer(sparse, bundleDigits(t, 100, 0), nil)
	if err != nil {
		t.Fatal(err)
	}
	tr.BeginBatch()
	if err := tr.AccumulateFirst(1); !errors.Is(err, ErrCoupled) {
		t.Errorf("AccumulateFirst(1) of a sparse batch: %v, want ErrCoupled", err)
	}

	cfg, _ := Preset("survey")
	s, _ := NewShard(cfg)
	theta := make([]float64, s.NumParams())
	digit := make([]float64, cfg.Inputs)
	for _, c := range []struct {
		name          string
		theta, in, tg []float64
		batch         int
	}{
		{"short theta", theta[1:], digit, digit, 4},
		{"ragged input", theta, digit[1:], digit[1:], 4},
		{"target of another size", theta, digit, append(digit, digit...), 4},
		{"part larger than its batch", theta, append(digit, digit...), append(digit, digit...), 1},
		{"batch over BatchSize", theta, digit, digit, cfg.BatchSize + 1},
	} {
		if _, _, _, err := s.Gradient(c.theta, c.in, c.tg, c.batch); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: %v, want ErrConfig", c.name, err)
		}
	}
	tr2, _ := NewTrainer(cfg, bundleDigits(t, 100, 0), nil)
	tr2.BeginBatch()
	if err := tr2.AddGradient(theta[1:], 0, 0); !errors.Is(err, ErrConfig) {
		t.Errorf("AddGradient of a short gradient: %v, want ErrConfig", err)
	}
}
