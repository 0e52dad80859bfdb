package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"aeplayground/engine/ae"
	"aeplayground/engine/mnist"
	"aeplayground/engine/noise"
	"aeplayground/engine/pca"
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

// A message is one postMessage payload: a plain object with a "type". Numbers
// are float64, pixel buffers []byte (Uint8Array) and vectors []float64
// (Float64Array), so the glue can convert both ways without knowing the
// protocol.
type message = map[string]any

// session is the worker's state and protocol, free of syscall/js so that it
// is tested natively. Its methods are called one at a time: in the browser
// every call comes from a JavaScript event (a message, a scheduled tick), and
// the worker's event loop runs one at a time.
type session struct {
	post     func(message) // to the page
	schedule func()        // asks for a call to tick after the event loop has run
	now      func() time.Time

	pending []message // messages that arrived before start finished
	data    *dataset

	cfg     ae.Config
	tr      *ae.Trainer
	base    ae.Progress // where a loaded model had reached: the counters go on from it
	running bool

	testHooks bool // accept the test-only "panic" command (the worker's URL has ?test=1)

	pool pool     // helper workers for data-parallel training (parallel.go); nil: none
	par  parallel // the batch shared with them

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

func newSession(post func(message), schedule func(), now func() time.Time) *session {
	cfg, err := ae.Preset("survey")
	if err != nil {
		panic(err) // the engine's own preset: a build error, not an input error
	}
	return &session{post: post, schedule: schedule, now: now, cfg: cfg, rng: rand.New(rand.NewPCG(1, 2))}
}

// status tells the page what the worker is doing before it is ready.
func (s *session) status(text string) { s.post(message{"type": "status", "text": text}) }

// fail tells the page the worker cannot go on.
func (s *session) fail(text string) { s.post(message{"type": "error", "text": text, "fatal": true}) }

// deliver handles a message from the page, or keeps it until start has
// finished: the page sends its settings and digit at once, long before the
// digits are loaded and PCA fitted.
func (s *session) deliver(m message) {
	if s.data == nil {
		s.pending = append(s.pending, m)
		return
	}
	s.handle(m)
}

// start decodes the digits, fits PCA, tells the page it is ready, then
// handles the messages that waited.
func (s *session) start(bundle []byte) error {
	b, err := mnist.Decode(bundle)
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
	t0 := s.now()
	k := min(maxPCA, d.nTrain, mnist.Pixels)
	if d.pca, err = pca.Fit(d.train, d.nTrain, mnist.Pixels, k); err != nil {
		return fmt.Errorf("fitting PCA failed: %v", err)
	}
	s.data = d
	s.post(s.readyMessage(s.now().Sub(t0)))
	s.newTrainer()
	pending := s.pending
	s.pending = nil
	for _, m := range pending {
		s.handle(m)
	}
	return nil
}

func (s *session) readyMessage(fit time.Duration) message {
	p := s.data.pca
	cum := make([]float64, len(p.Spectrum))
	var sum float64
	for i, l := range p.Spectrum {
		sum += l
		cum[i] = sum / p.TotalVariance
	}
	nf := min(maxFilters, p.K)
	return message{
		"type":     "ready",
		"train":    float64(s.data.nTrain),
		"test":     float64(len(s.data.testLabels)),
		"pcaK":     float64(p.K),
		"fitMs":    float64(fit.Milliseconds()),
		"scree":    cum,
		"eigen":    signedImages(p.Components[:nf*p.N], p.N),
		"nEigen":   float64(nf),
		"floorAll": floors(p),
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

func (s *session) handle(m message) {
	if s.deferWhileInFlight(m) {
		return
	}
	if req, ok := m["req"].(float64); ok {
		defer s.done(req)()
	}
	switch typ, _ := m["type"].(string); typ {
	case "ping":
		s.post(message{"type": "pong"})
	case "config":
		s.setConfig(m)
	case "play":
		if s.tr != nil && !s.running {
			s.running = true
			s.rateFrom, s.rateSeen = s.now(), s.progress().SamplesSeen
			s.schedule()
		}
	case "pause":
		s.running = false
		s.postProgress(true)
	case "step":
		s.running = false
		s.train(stepCount(m))
		s.postProgress(true)
	case "reset":
		s.newTrainer()
	case "noise":
		spec := noise.Spec{Kind: noise.Kind(str(m, "kind")), Level: num(m, "level")}
		if err := spec.Validate(); err != nil {
			s.post(message{"type": "error", "text": err.Error()})
			return
		}
		s.noise = spec
		s.postProgress(true)
	case "digit":
		px, _ := m["pixels"].([]byte)
		if len(px) != mnist.Pixels {
			s.post(message{"type": "error", "text": fmt.Sprintf("a digit has %d pixels, want %d", len(px), mnist.Pixels)})
			return
		}
		s.input = bytesToUnit(px, s.input)
		s.postRecon()
	case "sample":
		if i, ok := m["index"].(float64); ok {
			s.sampleAt(i)
			return
		}
		s.sample(int(num(m, "label")))
	case "workers":
		s.setWorkers(m)
	case "save":
		s.saveModel(m)
	case "load":
		s.loadModel(m)
	case "panic":
		s.crash()
	default:
		s.post(message{"type": "error", "text": fmt.Sprintf("unknown message type %q", typ), "request": typ})
	}
}

func str(m message, key string) string { v, _ := m[key].(string); return v }

func num(m message, key string) float64 {
	if v, ok := m[key].(float64); ok {
		return v
	}
	return math.NaN()
}

// setConfig replaces the model with a new one of the page's settings. An
// invalid config is named to the page and the current model kept.
func (s *session) setConfig(m message) {
	var cfg ae.Config
	if err := json.Unmarshal([]byte(str(m, "config")), &cfg); err != nil {
		s.post(message{"type": "config-error", "text": "the settings could not be read: " + err.Error()})
		return
	}
	if err := cfg.Validate(); err != nil {
		s.post(message{"type": "config-error", "text": err.Error()})
		return
	}
	s.cfg = cfg
	s.newTrainer()
}

func (s *session) newTrainer() {
	d := s.data
	if d == nil {
		return
	}
	tr, err := ae.NewTrainer(s.cfg, d.train, d.test[:d.nEval*mnist.Pixels])
	if err != nil {
		s.post(message{"type": "config-error", "text": err.Error()})
		return
	}
	s.useTrainer(tr, ae.Progress{})
}

// useTrainer makes tr the one trained and shown; base is where its model
// had got to before (zero for a new model).
func (s *session) useTrainer(tr *ae.Trainer, base ae.Progress) {
	s.tr, s.base = tr, base
	s.perBatch = 0
	s.par.gen++ // a reply still under way belongs to the old model
	s.par.inFlight, s.par.local, s.par.balance = false, nil, balance{}
	if s.pool != nil && s.par.helpers > 0 {
		s.pool.configure(tr.Model().Config())
	}
	s.rateFrom, s.rateSeen, s.rate = s.now(), s.progress().SamplesSeen, 0
	s.post(message{"type": "reset", "arch": tr.Model().String(), "params": float64(tr.Model().NumParams())})
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
		s.post(message{"type": "diverged", "text": fmt.Sprintf(
			"Training diverged (%v) and stopped; the model is back at its last finite state. Try a smaller learning rate than %g.", err, s.cfg.LR)})
	} else {
		s.post(message{"type": "error", "text": "training failed: " + err.Error()})
	}
	s.postProgress(true)
}

// postProgress reports counters and the training loss; with full it also
// evaluates the held-out digits: the held-out loss, principal angles, grid,
// filters, code scatter and diagnostics.
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
	model := s.tr.Model()
	k := model.K()
	pc := s.data.pca
	m := message{
		"type":    "progress",
		"running": s.running,
		"epoch":   p.EpochFrac,
		"samples": float64(p.SamplesSeen),
		"batches": float64(p.Batches),
		"rate":    s.rate,
		"loss":    p.DataLoss,
		"k":       float64(k),
		"mse":     s.cfg.Loss == ae.MSE,
		"linear":  s.cfg.Linear(),
		"workers": float64(s.workers()),
	}
	if p.Batches == 0 {
		m["loss"] = math.NaN() // nothing trained yet
	}
	if k <= len(pc.Spectrum) {
		m["floor"] = pc.Floor(k)
	}
	s.lastPost = now
	if full {
		s.lastEval = now
		s.evaluate(m)
		s.evalCost = s.now().Sub(now)
	}
	s.post(m)
	s.postRecon()
}

func (s *session) evaluate(m message) {
	model := s.tr.Model()
	k := model.K()
	pc := s.data.pca
	test := s.tr.TestLoss()
	m["testLoss"] = test
	if f, ok := m["floor"].(float64); ok && s.cfg.Loss == ae.MSE {
		m["ratio"] = pca.LossRatio(test, f)
	}
	if s.cfg.Linear() && k <= pc.K {
		_, _, dec := model.Decoder()
		if angles, err := pc.AnglesTo(dec, k); err == nil {
			deg := make([]float64, len(angles))
			for i, a := range angles {
				deg[i] = a * 180 / math.Pi
			}
			m["angles"] = deg
		}
	}
	m["grid"] = s.grid()
	dec, _ := model.Filters()
	nf := min(maxFilters, len(dec))
	flat := make([]float64, 0, nf*mnist.Pixels)
	for _, f := range dec[:nf] {
		flat = append(flat, f...)
	}
	m["filters"] = signedImages(flat, mnist.Pixels)
	m["nFilters"] = float64(nf)
	m["scatter"], m["scatterLabels"] = s.scatter()
	if len(s.cfg.Hidden) == 1 || s.cfg.SparseBeta > 0 {
		d := s.data
		diag := model.Diagnose(d.test[:min(diagDigits, d.nEval)*mnist.Pixels])
		m["rhoHat"] = diag.RhoHat
		m["jacobian"] = diag.JacobianNorm
		m["rho"] = s.cfg.SparseRho
		m["codeAct"] = string(s.cfg.Activation[len(s.cfg.Activation)-1])
	}
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
		unitToBytes(x, out[(0*cols+c)*n:])
		unitToBytes(noisy, out[(1*cols+c)*n:])
		s.tr.Model().Reconstruct(noisy, rec)
		unitToBytes(rec, out[(2*cols+c)*n:])
		s.pcaReconstruct(noisy, rec)
		unitToBytes(rec, out[(3*cols+c)*n:])
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
	aeImg := make([]byte, mnist.Pixels)
	unitToBytes(rec, aeImg)
	s.pcaReconstruct(s.input, rec)
	pcaImg := make([]byte, mnist.Pixels)
	unitToBytes(rec, pcaImg)
	s.post(message{"type": "recon", "ae": aeImg, "pca": pcaImg, "pcaK": float64(min(s.tr.Model().K(), s.data.pca.K))})
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
		s.post(message{"type": "error", "text": fmt.Sprintf("no held-out digit of class %d", label)})
		return
	}
	i := pick[s.rng.IntN(len(pick))]
	n := mnist.Pixels
	px := make([]byte, n)
	unitToBytes(d.test[i*n:(i+1)*n], px)
	s.post(message{"type": "sample", "pixels": px, "label": float64(d.testLabels[i]), "index": float64(i)})
}

// unitToBytes maps pixels in [0,1] (clamped) to 0..255.
func unitToBytes(x []float64, dst []byte) {
	for i, v := range x {
		dst[i] = byte(math.Round(255 * min(1, max(0, v))))
	}
}

func bytesToUnit(px []byte, dst []float64) []float64 {
	dst = append(dst[:0], make([]float64, len(px))...)
	for i, b := range px {
		dst[i] = float64(b) / 255
	}
	return dst
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
