package ae

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"aeplayground/engine/internal/vec"
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
	Loss        float64 // mean objective over the batches since the last checkpoint (of the last Step call): data term + penalties
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
	workspace
	opt *optimizer

	train, test []float64
	nTrain      int
	nTest       int

	// The schedule's epoch is firstEpoch + Progress.Epoch (ScheduleFrom).
	firstEpoch int

	shuffle, corrupt *rand.Rand
	evalSrc          *rand.PCG
	eval             *rand.Rand
	perm             []int
	pos              int
	progress         Progress

	// The minibatch being trained (BeginBatch to FinishBatch): its rows and
	// the sums of its parts' objective and data term.
	rows               int
	partLoss, partData float64
	// Since the last checkpoint: batches and the sums of their losses.
	runBatches       int
	runLoss, runData float64

	state [][]float64 // the optimizer's buffers
	ckpt  [][]float64 // θ and optimizer state at the last checkpoint
	ckT   int
}

// A workspace holds what one gradient computation needs: the model, and
// buffers for a minibatch of up to BatchSize digits. The Trainer has one;
// so does each Shard of data-parallel training.
type workspace struct {
	cfg   Config
	model *Model
	n     int // pixels per digit

	acts   [][]float64 // acts[0] is the network's input, acts[l+1] layer l's output
	deltas [][]float64 // deltas[l]: ∂L/∂ of layer l's output, then of its pre-activation
	clean  []float64   // the uncorrupted batch: the target
	grad   []float64   // ∂L/∂θ, laid out as Model.theta
	// Per code unit, for the regularizers (regularize.go).
	rhoHat []float64 // sparse: ρ̂_l, the mean activation over the batch
	klGrad []float64 // sparse: ∂Ω/∂h_il, the same for every digit i
	rowSq  []float64 // contractive: ‖W_l‖², the squared norm of the unit's weights
	sumSq  []float64 // contractive: Σ_i s_il², the batch's squared slopes
}

func newWorkspace(m *Model) workspace {
	cfg := m.cfg
	w := workspace{
		cfg: cfg, model: m, n: cfg.Inputs,
		grad:  make([]float64, len(m.theta)),
		clean: make([]float64, cfg.BatchSize*cfg.Inputs),
	}
	for _, width := range cfg.widths() {
		w.acts = append(w.acts, make([]float64, cfg.BatchSize*width))
	}
	for _, ly := range m.layers {
		w.deltas = append(w.deltas, make([]float64, cfg.BatchSize*ly.out))
	}
	k := cfg.K()
	w.rhoHat, w.klGrad = make([]float64, k), make([]float64, k)
	w.rowSq, w.sumSq = make([]float64, k), make([]float64, k)
	return w
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
		workspace: newWorkspace(m),
		train:     train, test: test, nTrain: len(train) / n, nTest: len(test) / n,
		opt:     newOptimizer(&cfg, len(m.theta)),
		shuffle: rand.New(rand.NewPCG(cfg.Seed, streamShuffle)),
		corrupt: rand.New(rand.NewPCG(cfg.Seed, streamNoise)),
		evalSrc: rand.NewPCG(cfg.Seed, streamEval),
	}
	t.eval = rand.New(t.evalSrc)
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

// LR is the learning rate the next step uses: the schedule's rate for its
// epoch (the next one when this epoch's digits are used up).
func (t *Trainer) LR() float64 {
	if t.pos >= t.nTrain {
		return t.rate(t.progress.Epoch + 1)
	}
	return t.opt.lr
}

// rate is the schedule's learning rate for this trainer's epoch e.
func (t *Trainer) rate(e int) float64 { return t.cfg.Schedule.Rate(t.cfg.LR, t.firstEpoch+e) }

// ScheduleFrom makes the schedule count this trainer's epochs from epoch
// rather than 0: a model loaded from a file after e epochs goes on at the
// rate of epoch e instead of climbing back to LR. Progress still counts
// this trainer's own epochs.
func (t *Trainer) ScheduleFrom(epoch int) {
	t.firstEpoch = max(epoch, 0)
	t.opt.lr = t.rate(t.progress.Epoch)
}

// nextEpoch starts the next pass over the training digits: a new order,
// and the schedule's learning rate for it. The optimizer's state is kept.
func (t *Trainer) nextEpoch() {
	t.pos = 0
	t.progress.Epoch++
	t.opt.lr = t.rate(t.progress.Epoch)
	t.reshuffle()
}

func (t *Trainer) reshuffle() {
	t.shuffle.Shuffle(len(t.perm), func(i, j int) { t.perm[i], t.perm[j] = t.perm[j], t.perm[i] })
}

// Step trains on the next n minibatches. A new epoch starts, reshuffled,
// when the training digits run out; its last batch may be shorter. If a
// loss or parameter becomes non-finite, Step puts back the parameters and
// optimizer state it started with and returns an error wrapping
// ErrDiverged.
func (t *Trainer) Step(n int) (Progress, error) {
	t.Checkpoint()
	for range n {
		t.BeginBatch()
		t.accumulate(t.rows)
		if _, err := t.FinishBatch(); err != nil {
			return t.progress, fmt.Errorf("%w in epoch %d: %v", ErrDiverged, t.progress.Epoch+1, err)
		}
	}
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
	t.Checkpoint()
	copy(t.acts[0], input)
	copy(t.clean, target)
	t.startBatch(rows)
	t.accumulate(rows)
	if _, err := t.FinishBatch(); err != nil {
		return t.partLoss, fmt.Errorf("%w: %v", ErrDiverged, err)
	}
	return t.partLoss, nil
}

// Checkpoint remembers θ and the optimizer's state: a diverging batch puts
// them back. It also starts the run of batches whose mean losses Progress
// reports. Step calls it; data-parallel callers call it once per slice of
// batches, since the copy costs about as much as a small batch.
func (t *Trainer) Checkpoint() {
	copy(t.ckpt[0], t.model.theta)
	for i, s := range t.state {
		copy(t.ckpt[i+1], s)
	}
	t.ckT = t.opt.t
	t.runBatches, t.runLoss, t.runData = 0, 0, 0
}

func (t *Trainer) restore() {
	copy(t.model.theta, t.ckpt[0])
	for i, s := range t.state {
		copy(s, t.ckpt[i+1])
	}
	t.opt.t = t.ckT
}

// BeginBatch draws the next minibatch, as Step would: the next digits of
// the shuffled epoch (a new epoch starts, reshuffled, when they run out),
// corrupted for a denoising model. It returns the network's input and the
// target, rows×Inputs each; they stay valid until the next BeginBatch.
//
// BeginBatch, then the gradient of the batch's parts (AccumulateFirst here,
// a Shard per other part, AddGradient), then FinishBatch is one step of
// Step, taken by several workers.
func (t *Trainer) BeginBatch() (input, target []float64) {
	if t.pos >= t.nTrain {
		t.nextEpoch()
	}
	rows := min(t.cfg.BatchSize, t.nTrain-t.pos)
	for r := range rows {
		copy(t.clean[r*t.n:(r+1)*t.n], t.train[t.perm[t.pos+r]*t.n:])
	}
	t.pos += rows
	t.cfg.Noise.Apply(t.corrupt, t.clean[:rows*t.n], t.acts[0])
	t.startBatch(rows)
	return t.acts[0][:rows*t.n], t.clean[:rows*t.n]
}

func (t *Trainer) startBatch(rows int) {
	t.rows = rows
	t.partLoss, t.partData = 0, 0
	clear(t.grad)
}

// AccumulateFirst adds the gradient of the first rows digits of the
// current batch (their share of the batch's objective) to the batch's
// gradient. Rows must be all of the batch for a sparse model: its penalty
// depends on the whole batch's mean activations (ErrCoupled).
func (t *Trainer) AccumulateFirst(rows int) error {
	if rows < 0 || rows > t.rows {
		return fmt.Errorf("%w: %d rows of a batch of %d", ErrConfig, rows, t.rows)
	}
	if rows < t.rows && !t.cfg.Separable() {
		return ErrCoupled
	}
	if rows > 0 {
		t.accumulate(rows)
	}
	return nil
}

// accumulate adds the gradient and the shares of the first rows digits.
func (t *Trainer) accumulate(rows int) {
	loss, data := t.gradient(rows, t.rows)
	t.partLoss += loss
	t.partData += data
}

// AddGradient adds a part of the current batch's gradient computed
// elsewhere (Shard.Gradient), with that part's share of the objective and
// of the data term.
func (t *Trainer) AddGradient(g []float64, loss, data float64) error {
	if len(g) != len(t.grad) {
		return fmt.Errorf("%w: a gradient of %d values for %d parameters", ErrConfig, len(g), len(t.grad))
	}
	vec.Axpy(t.grad, 1, g)
	t.partLoss += loss
	t.partData += data
	return nil
}

// FinishBatch adds weight decay to the batch's gradient and takes one
// optimizer step. On a non-finite loss or parameter, or a data term over
// MaxLoss, it puts back the last checkpoint and returns the reason.
func (t *Trainer) FinishBatch() (Progress, error) {
	loss, data := t.partLoss, t.partData
	if t.cfg.L2 > 0 {
		loss += t.l2()
	}
	t.partLoss = loss
	if math.IsNaN(loss) || math.IsInf(loss, 0) || !(data <= MaxLoss) {
		t.restore()
		return t.progress, fmt.Errorf("the loss became %.4g", loss)
	}
	if s := t.opt.step(t.model.theta, t.grad); math.IsNaN(s) || math.IsInf(s, 0) {
		t.restore()
		return t.progress, errors.New("a weight became infinite or NaN")
	}
	t.progress.SamplesSeen += int64(t.rows)
	t.progress.Batches++
	t.runBatches++
	t.runLoss += loss
	t.runData += data
	t.progress.Loss, t.progress.DataLoss = t.runLoss/float64(t.runBatches), t.runData/float64(t.runBatches)
	t.progress.EpochFrac = float64(t.progress.Epoch) + float64(t.pos)/float64(t.nTrain)
	return t.progress, nil
}

// gradient runs the first rows digits of the batch buffers (input in
// acts[0], target in clean) forward and backward as part of a minibatch of
// batch digits. It adds the gradient of the part's share of the objective
// to w.grad and returns that share, data term and penalties, and the data
// term's share alone. The shares of a batch's parts sum to the batch's
//
//	(1/m) Σ_{i<m} ℓ_i = Σ_parts (1/m) Σ_{i∈part} ℓ_i,
//
// and so do their gradients: why the parts can be computed by different
// workers. The sparsity penalty is the exception (it needs the batch's
// mean activation), and weight decay, a function of θ alone, is the
// trainer's to add once (FinishBatch).
func (w *workspace) gradient(rows, batch int) (loss, data float64) {
	m, cfg := w.model, &w.cfg
	layers, acts, deltas := m.layers, w.acts, w.deltas
	L, d := len(layers), len(cfg.Hidden)

	bce := cfg.Loss == BCE
	m.forward(acts, rows, bce)

	// Data term and its gradient with respect to the output layer's
	// pre-activation.
	out, dOut, clean := acts[L][:rows*w.n], deltas[L-1][:rows*w.n], w.clean[:rows*w.n]
	share := float64(rows) / float64(batch)
	scale := 1 / float64(batch*w.n)
	if bce {
		data = bceLogits(out, clean, dOut, scale) * share
	} else {
		data = mseLoss(out, clean, dOut, scale) * share
		cfg.Output.backward(out, dOut)
	}
	loss = data
	if cfg.SparseBeta > 0 {
		loss += w.sparsity(acts[d][:rows*cfg.K()], rows)
	}

	for l := L - 1; l >= 0; l-- {
		ly := layers[l]
		x, dz := acts[l][:rows*ly.in], deltas[l][:rows*ly.out]
		wl, gw, gb := ly.w.of(m.theta), ly.w.of(w.grad), ly.b.of(w.grad)
		if l == 0 && cfg.Contractive > 0 {
			loss += w.contractive(x, acts[1][:rows*ly.out], dz, rows, batch)
		}
		if ly.tied {
			gemmTNAdd(gw, x, dz, rows, ly.in, ly.out) // ∂W(in×out) += Xᵀ dZ
		} else {
			gemmTNAdd(gw, dz, x, rows, ly.out, ly.in) // ∂W(out×in) += dZᵀ X
		}
		for i := range rows {
			vec.Axpy(gb, 1, dz[i*ly.out:(i+1)*ly.out])
		}
		if l == 0 {
			break
		}
		dx := deltas[l-1][:rows*ly.in]
		switch {
		case ly.tied:
			gemmNT(dx, dz, wl, rows, ly.in, ly.out) // dX = dZ W*ᵀ = dZ W
		case m.transposed(l, rows): // forward left Wᵀ (in×out) in m.wT
			wt := m.wT[m.wTOff[l] : m.wTOff[l]+ly.in*ly.out]
			gemmNT(dx, dz, wt, rows, ly.in, ly.out) // dX = dZ (Wᵀ)ᵀ, sums over the long out
		default:
			gemmNN(dx, dz, wl, rows, ly.in, ly.out) // dX = dZ W
		}
		if l == d && cfg.SparseBeta > 0 {
			w.sparsityGrad(dx, rows)
		}
		layers[l-1].act.backward(acts[l][:rows*ly.in], dx)
	}
	return loss, data
}

// TestLoss is the data term on the held-out digits, reconstructed from
// their clean versions: the per-pixel MSE or BCE.
func (t *Trainer) TestLoss() float64 { return t.TestLossWith(noise.Spec{}) }

// TestLossWith is the data term on held-out digits corrupted by spec,
// scored against the clean digits: how well the model denoises. The
// corruption is the same at every call. It returns NaN without held-out
// digits.
func (t *Trainer) TestLossWith(spec noise.Spec) float64 {
	return t.evaluate(t.test, t.nTest, spec).Loss
}
