package ae

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"aeplayground/engine/noise"
)

// ErrDiverged is wrapped by the error Step and TrainBatch return when a loss
// or a parameter stops being finite, or the data term exceeds MaxLoss. The
// trainer has then put back the parameters it had before the call.
var ErrDiverged = errors.New("training diverged")

// MaxLoss is the largest per-pixel data loss counted as training. On pixels
// in [0, 1] an untrained network scores below 1; past a thousand the
// weights have blown up (Adam with a huge learning rate saturates a sigmoid
// output so that the loss stays finite, but it never comes back).
const MaxLoss = 1e3

// Progress is where training stands after a call to Step.
type Progress struct {
	Loss        float64 // mean objective over the batches of the call: data term + penalties
	DataLoss    float64 // mean data term (per-pixel MSE or BCE) over those batches
	Epoch       int     // completed passes over the training digits
	EpochFrac   float64 // Epoch plus the fraction of the current pass done
	SamplesSeen int64
	Batches     int64
}

// A Trainer trains a Model on a set of digits with minibatches, reshuffled
// every epoch by a generator seeded from the config. After NewTrainer, a
// training step allocates nothing.
type Trainer struct {
	cfg   Config
	model *Model
	opt   *optimizer
	n     int // pixels per digit

	train, test []float64
	nTrain      int
	nTest       int

	shuffle, corrupt *rand.Rand
	evalSrc          *rand.PCG
	eval             *rand.Rand
	perm             []int
	pos              int
	progress         Progress

	// Batch buffers, BatchSize rows each.
	acts   [][]float64 // acts[0] is the network's input, acts[l+1] layer l's output
	deltas [][]float64 // deltas[l]: ∂L/∂ of layer l's output, then of its pre-activation
	clean  []float64   // the uncorrupted batch: the target
	grad   []float64   // ∂L/∂θ, laid out as Model.theta
	rhoHat []float64   // sparse: mean activation of each code unit over the batch
	rowSq  []float64   // contractive: ‖W_l‖² of each code unit's weights

	state [][]float64 // the optimizer's buffers
	ckpt  [][]float64 // θ and optimizer state at the start of Step
	ckT   int
}

// NewTrainer validates cfg, initialises a model, and prepares to train it
// on train and evaluate it on test: row-major digits of cfg.Inputs pixels
// in [0, 1]. The trainer keeps the slices; it does not modify them.
func NewTrainer(cfg Config, train, test []float64) (*Trainer, error) {
	m, err := NewModel(cfg)
	if err != nil {
		return nil, err
	}
	return newTrainer(m, train, test)
}

// NewTrainerFor prepares to go on training a model, such as one loaded from
// a file. Its optimizer starts afresh.
func NewTrainerFor(m *Model, train, test []float64) (*Trainer, error) {
	return newTrainer(m, train, test)
}

func newTrainer(m *Model, train, test []float64) (*Trainer, error) {
	cfg := m.cfg
	n := cfg.Inputs
	if len(train) == 0 || len(train)%n != 0 {
		return nil, fmt.Errorf("%w: %d training values are not a whole number of %d-pixel digits", ErrConfig, len(train), n)
	}
	if len(test)%n != 0 {
		return nil, fmt.Errorf("%w: %d held-out values are not a whole number of %d-pixel digits", ErrConfig, len(test), n)
	}
	t := &Trainer{
		cfg: cfg, model: m, n: n,
		train: train, test: test, nTrain: len(train) / n, nTest: len(test) / n,
		opt:     newOptimizer(&cfg, len(m.theta)),
		shuffle: rand.New(rand.NewPCG(cfg.Seed, streamShuffle)),
		corrupt: rand.New(rand.NewPCG(cfg.Seed, streamNoise)),
		evalSrc: rand.NewPCG(cfg.Seed, streamEval),
		grad:    make([]float64, len(m.theta)),
		clean:   make([]float64, cfg.BatchSize*n),
	}
	t.eval = rand.New(t.evalSrc)
	for _, w := range cfg.widths() {
		t.acts = append(t.acts, make([]float64, cfg.BatchSize*w))
	}
	for _, ly := range m.layers {
		t.deltas = append(t.deltas, make([]float64, cfg.BatchSize*ly.out))
	}
	k := cfg.K()
	t.rhoHat, t.rowSq = make([]float64, k), make([]float64, k)
	t.ckpt = append(t.ckpt, make([]float64, len(m.theta)))
	t.state = t.opt.state()
	for _, s := range t.state {
		t.ckpt = append(t.ckpt, make([]float64, len(s)))
	}
	t.perm = make([]int, t.nTrain)
	for i := range t.perm {
		t.perm[i] = i
	}
	t.reshuffle()
	return t, nil
}

// streamEval draws the corruption of held-out digits, the same at every
// evaluation so that noisy test losses are comparable over training.
const streamEval = streamNoise + 1

// Model returns the model being trained (not a copy).
func (t *Trainer) Model() *Model { return t.model }

// Progress returns the counters without training.
func (t *Trainer) Progress() Progress { return t.progress }

func (t *Trainer) reshuffle() {
	t.shuffle.Shuffle(len(t.perm), func(i, j int) { t.perm[i], t.perm[j] = t.perm[j], t.perm[i] })
}

// Step trains on the next n minibatches. A new epoch starts, reshuffled,
// when the training digits run out; its last batch may be shorter. If a
// loss or parameter becomes non-finite, Step puts back the parameters and
// optimizer state it started with and returns an error wrapping
// ErrDiverged.
func (t *Trainer) Step(n int) (Progress, error) {
	t.checkpoint()
	var loss, data float64
	for b := range n {
		if t.pos >= t.nTrain {
			t.pos = 0
			t.progress.Epoch++
			t.reshuffle()
		}
		rows := min(t.cfg.BatchSize, t.nTrain-t.pos)
		for r := range rows {
			copy(t.clean[r*t.n:(r+1)*t.n], t.train[t.perm[t.pos+r]*t.n:])
		}
		t.pos += rows
		t.cfg.Noise.Apply(t.corrupt, t.clean[:rows*t.n], t.acts[0])
		l, d, err := t.update(rows)
		if err != nil {
			return t.progress, fmt.Errorf("%w at batch %d of this call (epoch %d): %v", ErrDiverged, b+1, t.progress.Epoch+1, err)
		}
		loss += l
		data += d
	}
	if n > 0 {
		t.progress.Loss, t.progress.DataLoss = loss/float64(n), data/float64(n)
	}
	t.progress.EpochFrac = float64(t.progress.Epoch) + float64(t.pos)/float64(t.nTrain)
	return t.progress, nil
}

// TrainBatch takes one optimizer step on the given batch: the network sees
// input and is scored against target (equal for a plain autoencoder, the
// clean digits for a denoising one). Both hold the same number of rows, at
// most BatchSize. It returns the objective before the step.
func (t *Trainer) TrainBatch(input, target []float64) (loss float64, err error) {
	rows := len(input) / t.n
	if rows < 1 || rows > t.cfg.BatchSize || len(input) != rows*t.n || len(target) != len(input) {
		return 0, fmt.Errorf("%w: a batch of %d values for %d-pixel digits and batch size %d", ErrConfig, len(input), t.n, t.cfg.BatchSize)
	}
	t.checkpoint()
	copy(t.acts[0], input)
	copy(t.clean, target)
	loss, _, err = t.update(rows)
	if err != nil {
		return loss, fmt.Errorf("%w: %v", ErrDiverged, err)
	}
	return loss, nil
}

// update computes the gradient on the batch in acts[0] (target in clean)
// and takes one optimizer step. On a non-finite loss or parameter it
// restores the checkpoint.
func (t *Trainer) update(rows int) (loss, data float64, err error) {
	loss, data = t.lossAndGrad(rows)
	if math.IsNaN(loss) || math.IsInf(loss, 0) || !(data <= MaxLoss) {
		t.restore()
		return loss, data, fmt.Errorf("the loss became %.4g; the model was put back as it was, try a smaller learning rate (now %g)", loss, t.cfg.LR)
	}
	if s := t.opt.step(t.model.theta, t.grad); math.IsNaN(s) || math.IsInf(s, 0) {
		t.restore()
		return loss, data, fmt.Errorf("a weight became infinite or NaN; the model was put back as it was, try a smaller learning rate (now %g)", t.cfg.LR)
	}
	t.progress.SamplesSeen += int64(rows)
	t.progress.Batches++
	return loss, data, nil
}

func (t *Trainer) checkpoint() {
	copy(t.ckpt[0], t.model.theta)
	for i, s := range t.state {
		copy(t.ckpt[i+1], s)
	}
	t.ckT = t.opt.t
}

func (t *Trainer) restore() {
	copy(t.model.theta, t.ckpt[0])
	for i, s := range t.state {
		copy(s, t.ckpt[i+1])
	}
	t.opt.t = t.ckT
}

// lossAndGrad runs the batch of rows digits forward and backward: it
// returns the objective (data term plus penalties) and the data term alone,
// and leaves ∂objective/∂θ in t.grad.
func (t *Trainer) lossAndGrad(rows int) (loss, data float64) {
	m, cfg := t.model, &t.cfg
	layers, acts, deltas := m.layers, t.acts, t.deltas
	L, d := len(layers), len(cfg.Hidden)
	clear(t.grad)

	bce := cfg.Loss == BCE
	m.forward(acts, rows, bce)

	// Data term and its gradient with respect to the output layer's
	// pre-activation.
	out, dOut, clean := acts[L][:rows*t.n], deltas[L-1][:rows*t.n], t.clean[:rows*t.n]
	scale := 1 / float64(rows*t.n)
	if bce {
		data = bceLogits(out, clean, dOut, scale)
	} else {
		data = mseLoss(out, clean, dOut, scale)
		cfg.Output.backward(out, dOut)
	}
	loss = data
	if cfg.L2 > 0 {
		loss += t.l2()
	}
	if cfg.SparseBeta > 0 {
		loss += t.sparsity(acts[d][:rows*cfg.K()], rows)
	}

	for l := L - 1; l >= 0; l-- {
		ly := layers[l]
		x, dz := acts[l][:rows*ly.in], deltas[l][:rows*ly.out]
		w, gw, gb := ly.w.of(m.theta), ly.w.of(t.grad), ly.b.of(t.grad)
		if l == 0 && cfg.Contractive > 0 {
			loss += t.contractive(x, acts[1][:rows*ly.out], dz, rows)
		}
		if ly.tied {
			gemmTNAdd(gw, x, dz, rows, ly.in, ly.out) // ∂W(in×out) += Xᵀ dZ
		} else {
			gemmTNAdd(gw, dz, x, rows, ly.out, ly.in) // ∂W(out×in) += dZᵀ X
		}
		for i := range rows {
			axpy(gb, 1, dz[i*ly.out:(i+1)*ly.out])
		}
		if l == 0 {
			break
		}
		dx := deltas[l-1][:rows*ly.in]
		switch {
		case ly.tied:
			gemmNT(dx, dz, w, rows, ly.in, ly.out) // dX = dZ W*ᵀ = dZ W
		case m.transposed(l, rows): // forward left Wᵀ (in×out) in m.wT
			wt := m.wT[m.wTOff[l] : m.wTOff[l]+ly.in*ly.out]
			gemmNT(dx, dz, wt, rows, ly.in, ly.out) // dX = dZ (Wᵀ)ᵀ, sums over the long out
		default:
			gemmNN(dx, dz, w, rows, ly.in, ly.out) // dX = dZ W
		}
		if l == d && cfg.SparseBeta > 0 {
			t.sparsityGrad(dx, rows)
		}
		layers[l-1].act.backward(acts[l][:rows*ly.in], dx)
	}
	return loss, data
}

// l2 returns the weight decay λ Σ w² over weights (not biases) and adds its
// gradient 2λw to t.grad.
func (t *Trainer) l2() float64 {
	lambda := t.cfg.L2
	var sum float64
	for _, s := range t.model.wspans {
		w, g := s.of(t.model.theta), s.of(t.grad)
		sum += dot(w, w)
		axpy(g, 2*lambda, w)
	}
	return lambda * sum
}

// sparsity returns the KL sparsity penalty on the code h (rows×k),
//
//	Ω = β Σ_l [ρ log(ρ/ρ̂_l) + (1−ρ) log((1−ρ)/(1−ρ̂_l))],  ρ̂_l = (1/m) Σ_i h_il,
//
// and leaves ρ̂ in t.rhoHat for sparsityGrad.
func (t *Trainer) sparsity(h []float64, rows int) float64 {
	rho, beta := t.cfg.SparseRho, t.cfg.SparseBeta
	k := len(t.rhoHat)
	meanRows(t.rhoHat, h, rows, k)
	var kl float64
	for l, r := range t.rhoHat {
		r = clampOpen(r)
		t.rhoHat[l] = r
		kl += rho*math.Log(rho/r) + (1-rho)*math.Log((1-rho)/(1-r))
	}
	return beta * kl
}

// sparsityGrad adds ∂Ω/∂h_il = (β/m)(−ρ/ρ̂_l + (1−ρ)/(1−ρ̂_l)) to dh.
func (t *Trainer) sparsityGrad(dh []float64, rows int) {
	rho, beta := t.cfg.SparseRho, t.cfg.SparseBeta
	k := len(t.rhoHat)
	for l, r := range t.rhoHat {
		t.rowSq[l] = beta / float64(rows) * (-rho/r + (1-rho)/(1-r)) // reuse as scratch
	}
	for i := range rows {
		axpy(dh[i*k:(i+1)*k], 1, t.rowSq)
	}
}

// contractive returns the contractive penalty of a one-layer encoder
// h = f(Wx + b), averaged over the batch,
//
//	Ω = (λ/m) Σ_i ‖J(x_i)‖²_F,  ‖J‖²_F = Σ_l s_l² ‖W_l‖²,  s_l = f'(a_l),
//
// and adds its gradient: to dz (∂/∂a, which flows on into W and b as the
// data term's does) the term (λ/m) ‖W_l‖² · 2 s_l ∂s_l/∂a_l, where
// ∂s/∂a = s(1−2h) for the sigmoid and −2hs for tanh; and straight to W the
// term (λ/m) · 2 (Σ_i s_il²) W_l.
func (t *Trainer) contractive(x, h, dz []float64, rows int) float64 {
	ly := t.model.layers[0]
	lambda := t.cfg.Contractive / float64(rows)
	w, gw := ly.w.of(t.model.theta), ly.w.of(t.grad)
	k, n := ly.out, ly.in
	for l := range k {
		wl := w[l*n : (l+1)*n]
		t.rowSq[l] = dot(wl, wl)
	}
	sigmoidCode := ly.act == Sigmoid
	clear(t.rhoHat) // reused: Σ_i s_il²
	var pen float64
	for i := range rows {
		hi, dzi := h[i*k:(i+1)*k], dz[i*k:(i+1)*k]
		for l, v := range hi {
			var s, ds float64
			if sigmoidCode {
				s = v * (1 - v)
				ds = s * (1 - 2*v)
			} else {
				s = 1 - v*v
				ds = -2 * v * s
			}
			pen += s * s * t.rowSq[l]
			t.rhoHat[l] += s * s
			dzi[l] += lambda * t.rowSq[l] * 2 * s * ds
		}
	}
	for l := range k {
		axpy(gw[l*n:(l+1)*n], lambda*2*t.rhoHat[l], w[l*n:(l+1)*n])
	}
	return lambda * pen
}

// meanRows sets dst (k) to the mean of the rows of a (rows×k).
func meanRows(dst, a []float64, rows, k int) {
	clear(dst)
	for i := range rows {
		axpy(dst, 1, a[i*k:(i+1)*k])
	}
	for l := range dst {
		dst[l] /= float64(rows)
	}
}

// clampOpen keeps a mean sigmoid activation inside (0, 1), where the KL
// divergence is finite, when every unit saturates in float64.
func clampOpen(r float64) float64 { return math.Min(math.Max(r, 1e-12), 1-1e-12) }

// TestLoss is the data term on the held-out digits, reconstructed from
// their clean versions: the per-pixel MSE or BCE.
func (t *Trainer) TestLoss() float64 { return t.TestLossWith(noise.Spec{}) }

// TestLossWith is the data term on held-out digits corrupted by spec,
// scored against the clean digits: how well the model denoises. The
// corruption is the same at every call. It returns NaN without held-out
// digits.
func (t *Trainer) TestLossWith(spec noise.Spec) float64 {
	if t.nTest == 0 {
		return math.NaN()
	}
	t.evalSrc.Seed(t.cfg.Seed, streamEval)
	m, bs := t.model, t.cfg.BatchSize
	bce := t.cfg.Loss == BCE
	out := t.acts[len(t.acts)-1]
	var sum float64
	for start := 0; start < t.nTest; start += bs {
		rows := min(bs, t.nTest-start)
		clean := t.test[start*t.n : (start+rows)*t.n]
		spec.Apply(t.eval, clean, t.acts[0])
		m.forward(t.acts, rows, bce)
		if bce {
			sum += bceLogits(out[:rows*t.n], clean, nil, 0) * float64(rows)
		} else {
			sum += mseLoss(out[:rows*t.n], clean, nil, 0) * float64(rows)
		}
	}
	return sum / float64(t.nTest)
}
