package ae

import (
	"errors"
	"fmt"
)

// ErrCoupled is returned when a model's gradient cannot be split over the
// parts of a minibatch: the sparsity penalty depends on every digit of the
// batch through the mean activation ρ̂, so the batch trains in one piece.
var ErrCoupled = errors.New("the sparsity penalty needs the whole batch's mean activation: a sparse model trains on one worker")

// Separable reports whether the gradient of a minibatch is the sum of the
// gradients of its parts (Trainer.gradient), so that several workers can
// share a batch. It is, except for the sparsity penalty.
func (c Config) Separable() bool { return c.SparseBeta == 0 }

// A Shard computes the gradient of one part of a minibatch for a trainer
// elsewhere, such as in another Web Worker: the helper's half of
// data-parallel training. It holds a copy of the model, whose parameters
// each call replaces, and buffers for up to BatchSize digits. After
// NewShard, Gradient allocates nothing.
type Shard struct {
	workspace
}

// NewShard prepares to compute gradients for models of cfg. It refuses a
// config that does not validate, or whose batches cannot be split
// (ErrCoupled).
func NewShard(cfg Config) (*Shard, error) {
	if !cfg.Separable() {
		return nil, ErrCoupled
	}
	m, err := NewModel(cfg)
	if err != nil {
		return nil, err
	}
	return &Shard{newWorkspace(m)}, nil
}

// NumParams is the length of the parameter and gradient vectors.
func (s *Shard) NumParams() int { return len(s.grad) }

// Gradient computes, at parameters theta, the gradient of the share of a
// batch of batch digits that input and target (rows×Inputs each, the
// trainer's BeginBatch slices for those rows) hold. It returns the gradient
// (the shard's buffer, valid until the next call) and the part's share of
// the objective and of the data term, which Trainer.AddGradient takes.
func (s *Shard) Gradient(theta, input, target []float64, batch int) (grad []float64, loss, data float64, err error) {
	rows := len(input) / s.n
	switch {
	case len(theta) != len(s.model.theta):
		return nil, 0, 0, fmt.Errorf("%w: %d parameters for a model of %d", ErrConfig, len(theta), len(s.model.theta))
	case rows < 1 || len(input) != rows*s.n || len(target) != len(input):
		return nil, 0, 0, fmt.Errorf("%w: a part of %d input and %d target values for %d-pixel digits", ErrConfig, len(input), len(target), s.n)
	case rows > batch || batch > s.cfg.BatchSize:
		return nil, 0, 0, fmt.Errorf("%w: a part of %d digits of a batch of %d (batch size %d)", ErrConfig, rows, batch, s.cfg.BatchSize)
	}
	copy(s.model.theta, theta)
	copy(s.acts[0], input)
	copy(s.clean, target)
	clear(s.grad)
	loss, data = s.gradient(rows, batch)
	return s.grad, loss, data, nil
}
