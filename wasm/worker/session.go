package main

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"aeplayground/engine/ae"
	"aeplayground/engine/compare"
	"aeplayground/engine/mnist"
	"aeplayground/engine/noise"
	"aeplayground/engine/pca"
	"aeplayground/wasm/pixels"
	"aeplayground/wasm/protocol"
)

// What the worker computes and how often.
const (
	maxPCA      = 64                    // components fitted at start-up: PCA panels compare codes up to this k
	evalDigits  = 500                   // held-out digits for the held-out loss and the code scatter
	diagDigits  = 200                   // held-out digits for rho_hat and the Jacobian norm
	gridCols    = 10                    // held-out grid: one digit of each class
	maxFilters  = 16                    // decoder filters and eigen-digits shown
	sliceBudget = 10 * time.Millisecond // training per slice before yielding to the event loop
	postEvery   = 100 * time.Millisecond
	// The evaluation (held-out loss, grid, scatter, filters) comes at most
	// every evalEvery, and evalSpacing times its own cost apart: at most a
	// tenth of the worker's time, which would otherwise train.
	evalEvery   = 500 * time.Millisecond
	evalSpacing = 10
)

// A command is a message from the page with its request number (0: none),
// as it waits in a queue.
type command struct {
	msg protocol.Message
	req uint64
}

// session is the worker's state and protocol, free of syscall/js so that it
// is tested natively. Its methods are called one at a time: in the browser
// every call comes from a JavaScript event (a message, a scheduled tick), and
// the worker's event loop runs one at a time.
type session struct {
	post     func(protocol.Message) // to the page
	schedule func()                 // asks for a call to tick after the event loop has run
	now      func() time.Time

	pending []command // commands that arrived before start finished
	data    *dataset

	cfg ae.Config
	tr  *ae.Trainer
	// A second model trained beside the first on the same batches (a
	// lesson's comparison): same seed and batch size, so the same digits in
	// the same order. Nil when there is none.
	cmp     *ae.Trainer
	cmpCfg  []ae.Config
	base    ae.Progress      // where a loaded model had reached: the counters go on from it
	hist    protocol.History // the model's curves so far (Points only: the counters are base's and the trainer's), kept in its file
	running bool

	testHooks bool // accept the test-only "panic" command (the worker's URL has ?test=1)

	pool pool     // helper workers for data-parallel training (parallel.go); nil: none
	par  parallel // the batch shared with them

	trainPass bool // the next evaluation also measures the training digits (after Pause or Step)

	noise noise.Spec // the page's corruption, for the held-out grid
	input []float64  // the page's digit (already corrupted), reconstructed after each change
	rng   *rand.Rand

	perBatch time.Duration // measured cost of one minibatch, to size slices
	lastPost time.Time
	lastEval time.Time
	evalCost time.Duration // the last evaluation's: held-out loss, grid, scatter (~100 ms for W2 in a browser)
	rateFrom time.Time     // start of the window samples/s is measured over
	rateSeen int64
	rate     float64
}

// dataset is the decoded bundle as the trainer and the panels use it.
type dataset struct {
	train      []float64
	nTrain     int
	test       []float64 // all held-out digits, row-major
	testLabels []uint8
	nEval      int   // the first nEval held-out digits are the evaluation subset
	grid       []int // held-out digits of the grid, one per class
	pca        *pca.PCA
}

func newSession(post func(protocol.Message), schedule func(), now func() time.Time) *session {
	cfg, err := ae.Preset("survey")
	if err != nil {
		panic(err) // the engine's own preset: a build error, not an input error
	}
	return &session{post: post, schedule: schedule, now: now, cfg: cfg, rng: rand.New(rand.NewPCG(1, 2))}
}

// status tells the page what the worker is doing before it is ready.
func (s *session) status(text string) { s.post(&protocol.Status{Text: text}) }

// fail tells the page the worker cannot go on.
func (s *session) fail(text string) { s.post(&protocol.Error{Text: text, Fatal: true}) }

// refuse names an error in words to the page.
func (s *session) refuse(format string, args ...any) {
	s.post(&protocol.Error{Text: fmt.Sprintf(format, args...)})
}

// deliver handles a message from the page, or keeps it until start has
// finished: the page sends its settings and digit at once, long before the
// digits are loaded and PCA fitted.
func (s *session) deliver(m protocol.Message, req uint64) {
	c := command{m, req}
	if s.data == nil {
		s.pending = append(s.pending, c)
		return
	}
	s.handle(c)
}

// start decodes the digits, fits PCA, tells the page it is ready, then
// handles the messages that waited.
func (s *session) start(bundle []byte) error {
	t0 := s.now()
	b, err := mnist.Decode(bundle)
	decode := s.now().Sub(t0)
	if err != nil {
		return fmt.Errorf("the digit bundle could not be read (%v): reload the page to fetch it again", err)
	}
	if b.Train.Len() == 0 || b.Test.Len() == 0 {
		return errors.New("the digit bundle has no training or no held-out digits")
	}
	d := &dataset{nTrain: b.Train.Len(), testLabels: b.Test.Labels}
	d.train = make([]float64, d.nTrain*mnist.Pixels)
	b.Train.Float64(d.train)
	d.test = make([]float64, b.Test.Len()*mnist.Pixels)
	b.Test.Float64(d.test)
	d.nEval = min(evalDigits, b.Test.Len())
	seen := map[uint8]bool{}
	for i, l := range d.testLabels {
		if !seen[l] && len(d.grid) < gridCols {
			seen[l] = true
			d.grid = append(d.grid, i)
		}
	}

	s.status(fmt.Sprintf("Fitting PCA to %d digits…", d.nTrain))
	t0 = s.now()
	k := min(maxPCA, d.nTrain, mnist.Pixels)
	if d.pca, err = pca.Fit(d.train, d.nTrain, mnist.Pixels, k); err != nil {
		return fmt.Errorf("fitting PCA failed: %v", err)
	}
	s.data = d
	s.post(s.readyMessage(decode, s.now().Sub(t0)))
	s.newTrainer()
	pending := s.pending
	s.pending = nil
	for _, c := range pending {
		s.handle(c)
	}
	return nil
}

func (s *session) readyMessage(decode, fit time.Duration) *protocol.Ready {
	p := s.data.pca
	cum := make([]float64, len(p.Spectrum))
	var sum float64
	for i, l := range p.Spectrum {
		sum += l
		cum[i] = sum / p.TotalVariance
	}
	nf := min(maxFilters, p.K)
	return &protocol.Ready{
		Train: s.data.nTrain, Test: len(s.data.testLabels), PCAK: p.K,
		DecodeMs: float64(decode.Milliseconds()), FitMs: float64(fit.Milliseconds()), Scree: cum,
		Eigen: signedImages(p.Components[:nf*p.N], p.N), NEigen: nf,
		Floors: floors(p),
	}
}

// floors is PCA's floor for every k it knows, so the page can show it for
// any setting without asking.
func floors(p *pca.PCA) []float64 {
	f := make([]float64, len(p.Spectrum)+1)
	for k := range f {
		f[k] = p.Floor(k)
	}
	return f
}

// handle runs one command. What each does, and which wait for a batch in
// flight, is the table in package protocol.
func (s *session) handle(c command) {
	if s.deferWhileInFlight(c) {
		return
	}
	if c.req != 0 {
		defer s.done(c.req)()
	}
	switch m := c.msg.(type) {
	case *protocol.Ping:
		s.post(&protocol.Pong{})
	case *protocol.SetConfig:
		s.setConfig(m.Config, m.Compare)
	case *protocol.Play:
		if s.tr != nil && !s.running {
			s.running = true
			s.rateFrom, s.rateSeen = s.now(), s.progress().SamplesSeen
			s.schedule()
		}
	case *protocol.Pause:
		s.running, s.trainPass = false, true
		s.postProgress(true)
	case *protocol.Step:
		s.running, s.trainPass = false, true
		s.train(stepCount(m.N))
		s.postProgress(true)
	case *protocol.Reset:
		s.newTrainer()
	case *protocol.SetNoise:
		if err := m.Noise.Validate(); err != nil {
			s.refuse("%v", err)
			return
		}
		s.noise = m.Noise
		s.postProgress(true)
	case *protocol.SetDigit:
		if len(m.Pixels) != mnist.Pixels {
			s.refuse("a digit has %d pixels, want %d", len(m.Pixels), mnist.Pixels)
			return
		}
		s.input = pixels.ToUnit(s.input, m.Pixels)
		s.postRecon()
	case *protocol.SampleOfClass:
		s.sample(m.Label)
	case *protocol.SampleAt:
		s.sampleAt(m.Index)
	case *protocol.SetWorkers:
		s.setWorkers(m.N)
	case *protocol.Save:
		s.saveModel(m.Reason)
	case *protocol.Load:
		s.loadModel(m)
	case *protocol.DecodePoint:
		s.decodePoint(m.Z) // generate.go
	case *protocol.Interpolate:
		s.interpolate(m.A, m.B, m.Steps)
	case *protocol.Panic:
		s.crash()
	default:
		s.refuse("%s is not a command the worker takes", c.msg.Kind())
	}
}

// setConfig replaces the model with a new one of the page's settings, and
// a compared one if the page sends one. An invalid config is named to the
// page and the current models kept.
func (s *session) setConfig(cfg ae.Config, compare []ae.Config) {
	for _, c := range append([]ae.Config{cfg}, compare...) {
		if err := c.Validate(); err != nil {
			s.post(configError(err))
			return
		}
	}
	if len(compare) > 1 {
		s.refuse("%d models to compare: one at most", len(compare))
		return
	}
	s.cfg, s.cmpCfg = cfg, compare
	s.newTrainer()
}

// configError is a refused config for the page: each refused field by
// name (ae.FieldError), and the whole refusal in words.
func configError(err error) *protocol.ConfigError {
	m := &protocol.ConfigError{Text: err.Error()}
	for _, fe := range ae.FieldErrors(err) {
		m.Fields = append(m.Fields, protocol.FieldError{Field: fe.Field, Text: fe.Err.Error()})
	}
	return m
}

func (s *session) newTrainer() {
	d := s.data
	if d == nil {
		return
	}
	tr, err := ae.NewTrainer(s.cfg, d.train, d.test[:d.nEval*mnist.Pixels])
	if err != nil {
		s.post(configError(err))
		return
	}
	s.cmp = nil
	for _, c := range s.cmpCfg {
		if s.cmp, err = ae.NewTrainer(c, d.train, d.test[:d.nEval*mnist.Pixels]); err != nil {
			s.post(configError(err))
			return
		}
	}
	s.useTrainer(tr, ae.Progress{}, nil)
}

// useTrainer makes tr the one trained and shown; base is where its model
// had got to before (zero for a new model), and points its curves so far.
func (s *session) useTrainer(tr *ae.Trainer, base ae.Progress, points []protocol.HistoryPoint) {
	s.tr, s.base, s.hist.Points = tr, base, slices.Clone(points) // Add thins in place: not the message's memory
	s.perBatch = 0
	s.par.gen++ // a reply still under way belongs to the old model
	s.par.inFlight, s.par.local, s.par.balance = false, nil, balance{}
	if s.pool != nil && s.par.helpers > 0 {
		s.pool.configure(tr.Model().Config())
	}
	s.rateFrom, s.rateSeen, s.rate = s.now(), s.progress().SamplesSeen, 0
	s.post(&protocol.NewModel{Arch: tr.Model().String(), Params: tr.Model().NumParams(), History: points})
	s.postProgress(true)
	s.postRecon()
	if s.running {
		s.schedule()
	}
}

// tick trains for one slice, reports, and asks for the next slice while
// running. Between slices the worker's event loop answers the page.
func (s *session) tick() {
	if !s.running || s.tr == nil || s.par.inFlight {
		return
	}
	if s.workers() > 1 {
		s.tickParallel()
		return
	}
	n := 1
	if s.perBatch > 0 {
		n = max(1, min(1000, int(sliceBudget/s.perBatch)))
	}
	t0 := s.now()
	if !s.train(n) {
		return
	}
	s.perBatch = s.now().Sub(t0) / time.Duration(n)
	s.endSlice()
	if s.running {
		s.schedule()
	}
}

// endSlice reports progress when it is due.
func (s *session) endSlice() {
	now := s.now()
	if now.Sub(s.lastPost) >= postEvery {
		s.postProgress(s.evalDue(now))
	}
}

// evalDue says whether the next progress report should carry an evaluation.
func (s *session) evalDue(now time.Time) bool {
	return now.Sub(s.lastEval) >= max(evalEvery, evalSpacing*s.evalCost)
}

// train runs n minibatches. A diverging run stops: the trainer has put back
// its last finite state, and the page is told why and what to try.
func (s *session) train(n int) bool {
	if s.tr == nil {
		return false
	}
	_, err := s.tr.Step(n)
	if err == nil && s.cmp != nil {
		_, err = s.cmp.Step(n)
	}
	if err == nil {
		return true
	}
	s.stop(err)
	return false
}

// stop ends a run that failed: a diverging one has been put back to its
// last finite state; the page is told why and what to try.
func (s *session) stop(err error) {
	s.running = false
	if errors.Is(err, ae.ErrDiverged) {
		s.post(&protocol.Diverged{Text: fmt.Sprintf(
			"Training stopped: %v. The model is back at its last finite state; try a smaller learning rate than %g.", err, s.cfg.LR)})
	} else {
		s.refuse("training failed: %v", err)
	}
	s.postProgress(true)
}

// postProgress reports counters and the training loss; with full it also
// evaluates the held-out digits: the held-out loss and its comparison with
// PCA, principal angles, grid, filters, code scatter and diagnostics. A
// compared model gets a report of its own (Model 1), without the pictures.
func (s *session) postProgress(full bool) {
	if s.tr == nil {
		return
	}
	now := s.now()
	p := s.progress()
	if dt := now.Sub(s.rateFrom).Seconds(); s.running && dt >= 0.5 {
		s.rate = float64(p.SamplesSeen-s.rateSeen) / dt
		s.rateFrom, s.rateSeen = now, p.SamplesSeen
	}
	if !s.running {
		s.rate = 0
	}
	s.lastPost = now
	m := s.report(s.tr, p, 0, full)
	if full {
		s.lastEval = now
		s.pictures(m)
	}
	s.hist.Add(historyPoint(m))
	var second *protocol.Progress
	if s.cmp != nil {
		second = s.report(s.cmp, s.cmp.Progress(), 1, full)
	}
	if full {
		s.evalCost = s.now().Sub(now)
		// After the timing: a pass over all training digits is made only
		// when the page has paused or stepped (it costs a tenth of an
		// epoch), and must not space out the evaluations of the next run.
		if s.trainPass && !s.running {
			s.trainPass = false
			m.TrainRatio = compare.TrainRatio(s.tr, s.data.pca)
			if second != nil {
				second.TrainRatio = compare.TrainRatio(s.cmp, s.data.pca)
			}
		}
	}
	s.post(m)
	if second != nil {
		s.post(second)
	}
	s.postRecon()
}

// report is one model's progress: its counters and, with full, its
// held-out figures measured against PCA on the same digits (package
// compare). The training digits' ratio is postProgress's to add.
func (s *session) report(tr *ae.Trainer, p ae.Progress, model int, full bool) *protocol.Progress {
	cfg := tr.Model().Config()
	k := cfg.K()
	pc := s.data.pca
	m := &protocol.Progress{
		Running: s.running, Epoch: p.EpochFrac, Samples: p.SamplesSeen, Batches: p.Batches,
		Rate: s.rate, Loss: p.DataLoss, Floor: math.NaN(), K: k, Workers: s.workers(),
		MSE: cfg.Loss == ae.MSE, Linear: cfg.Linear(), Model: model, LR: tr.LR(), Params: tr.Model().NumParams(),
		TestLoss: math.NaN(), TestMSE: math.NaN(), PCATest: math.NaN(), Ratio: math.NaN(), TrainRatio: math.NaN(),
		NoisyLoss: math.NaN(), OutMin: math.NaN(), OutMax: math.NaN(), Rho: math.NaN(), Jacobian: math.NaN(),
		Orthonormal: math.NaN(), CodeAct: string(cfg.Activation[len(cfg.Activation)-1]),
	}
	if p.Batches == 0 {
		m.Loss = math.NaN() // nothing trained yet
	}
	if k <= len(pc.Spectrum) {
		m.Floor = pc.Floor(k)
	}
	if !full {
		return m
	}
	d := s.data
	r := compare.Measure(tr, pc, d.test[:d.nEval*mnist.Pixels], diagDigits, s.noise)
	m.Full = true
	m.TestLoss, m.TestMSE, m.PCATest, m.Ratio = r.TestLoss, r.TestMSE, r.PCATest, r.HeldOutRatio()
	m.NoisyLoss, m.OutMin, m.OutMax = r.NoisyLoss, r.OutMin, r.OutMax
	m.Angles, m.RhoHat, m.Jacobian, m.Orthonormal = r.Angles, r.RhoHat, r.Jacobian, r.Orthonormal
	if r.RhoHat != nil {
		m.Rho = r.Rho
	}
	return m
}

// pictures adds the first model's pictures to its report: the held-out
// grid, the decoder's filters and the code scatter.
func (s *session) pictures(m *protocol.Progress) {
	model := s.tr.Model()
	m.Grid = s.grid()
	dec, _ := model.Filters()
	nf := min(maxFilters, len(dec))
	flat := make([]float64, 0, nf*mnist.Pixels)
	for _, f := range dec[:nf] {
		flat = append(flat, f...)
	}
	m.Filters, m.NFilters = signedImages(flat, mnist.Pixels), nf
	m.Scatter, m.ScatterLabels = s.scatter()
}

// grid returns four rows of the held-out digits: clean, corrupted with the
// page's noise, and the autoencoder's and PCA's reconstructions of the
// corrupted digit. The corruption is drawn from the same seed each time, so
// the grid changes only as the model learns.
func (s *session) grid() []byte {
	d := s.data
	n := mnist.Pixels
	cols := len(d.grid)
	out := make([]byte, 4*cols*n)
	rng := rand.New(rand.NewPCG(7, 7))
	noisy := make([]float64, n)
	rec := make([]float64, n)
	for c, i := range d.grid {
		x := d.test[i*n : (i+1)*n]
		s.noise.Apply(rng, x, noisy)
		pixels.FromUnit(out[(0*cols+c)*n:], x)
		pixels.FromUnit(out[(1*cols+c)*n:], noisy)
		s.tr.Model().Reconstruct(noisy, rec)
		pixels.FromUnit(out[(2*cols+c)*n:], rec)
		s.pcaReconstruct(noisy, rec)
		pixels.FromUnit(out[(3*cols+c)*n:], rec)
	}
	return out
}

// pcaReconstruct writes PCA's reconstruction of x of the model's rank (or
// the largest fitted, for a wider code).
func (s *session) pcaReconstruct(x, xhat []float64) {
	pc := s.data.pca
	k := min(s.tr.Model().K(), pc.K)
	code := make([]float64, pc.K)
	pc.Project(x, code)
	clear(code[k:])
	pc.Reconstruct(code, xhat)
}

// scatter places the evaluation digits in 2-D: the code itself when k = 2,
// otherwise its first two principal components.
func (s *session) scatter() ([]float64, []byte) {
	d := s.data
	model := s.tr.Model()
	k := model.K()
	n := mnist.Pixels
	codes := make([]float64, d.nEval*k)
	for i := range d.nEval {
		model.Encode(d.test[i*n:(i+1)*n], codes[i*k:(i+1)*k])
	}
	pts := make([]float64, 2*d.nEval)
	switch {
	case k == 1:
		for i := range d.nEval {
			pts[2*i] = codes[i]
		}
	case k == 2:
		copy(pts, codes)
	default:
		p, err := pca.Fit(codes, d.nEval, k, 2)
		if err != nil { // codes without variance (a dead layer): all at the origin
			break
		}
		for i := range d.nEval {
			p.Project(codes[i*k:(i+1)*k], pts[2*i:2*i+2])
		}
	}
	return pts, append([]byte(nil), d.testLabels[:d.nEval]...)
}

// postRecon sends the autoencoder's and PCA's reconstructions of the page's
// digit.
func (s *session) postRecon() {
	if s.tr == nil || s.input == nil {
		return
	}
	rec := make([]float64, mnist.Pixels)
	s.tr.Model().Reconstruct(s.input, rec)
	m := &protocol.Recon{AE: pixels.FromUnit(nil, rec), PCAK: min(s.tr.Model().K(), s.data.pca.K)}
	s.pcaReconstruct(s.input, rec)
	m.PCA = pixels.FromUnit(nil, rec)
	s.post(m)
}

// sample sends the page a random held-out digit, of the given class if it
// is 0 to 9.
func (s *session) sample(label int) {
	d := s.data
	var pick []int
	for i, l := range d.testLabels {
		if label < 0 || label > 9 || int(l) == label {
			pick = append(pick, i)
		}
	}
	if len(pick) == 0 {
		s.refuse("no held-out digit of class %d", label)
		return
	}
	s.postSample(pick[s.rng.IntN(len(pick))])
}

// postSample sends the page held-out digit i.
func (s *session) postSample(i int) {
	n := mnist.Pixels
	px := pixels.FromUnit(nil, s.data.test[i*n:(i+1)*n])
	s.post(&protocol.Sampled{Pixels: px, Label: int(s.data.testLabels[i]), Index: i})
}

// signedImages maps each image of a flat list (weights of either sign) to
// 0..255 with 128 for zero, scaled by the image's largest magnitude.
func signedImages(flat []float64, size int) []byte {
	out := make([]byte, len(flat))
	for off := 0; off+size <= len(flat); off += size {
		img := flat[off : off+size]
		var big float64
		for _, v := range img {
			big = max(big, math.Abs(v))
		}
		for i, v := range img {
			if big > 0 {
				v /= big
			}
			out[off+i] = byte(math.Round(127.5 + 127.5*v))
		}
	}
	return out
}
