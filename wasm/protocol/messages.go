package protocol

import (
	"aeplayground/engine/ae"
	"aeplayground/engine/noise"
)

// Commands: the page to the worker.

// Ping asks for a Pong: the page's heartbeat, and how it learns that the
// commands sent before it have been handled.
type Ping struct{}

// SetConfig replaces the model by a new one of these settings. With
// Compare, a second model of those settings trains beside it on the same
// batches (a lesson's comparison); its progress comes as Model 1.
type SetConfig struct {
	Config  ae.Config
	Compare []ae.Config // none, or one
}

// Play starts training in slices; Pause stops it; Step trains N batches
// (1 to the worker's maximum) while paused; Reset starts a new model of the
// same settings.
type (
	Play  struct{}
	Pause struct{}
	Step  struct{ N int }
	Reset struct{}
)

// SetNoise is the page's corruption of the digits shown (the held-out
// grid's second row).
type SetNoise struct{ Noise noise.Spec }

// SetDigit is the page's current digit, already corrupted: the worker
// answers with its Recon, and again after each change of the model.
type SetDigit struct{ Pixels []byte }

// SampleOfClass asks for a random held-out digit of class Label (any class
// outside 0 to 9); SampleAt for the held-out digit Index (a link's
// digit=test:i). Both are answered by Sampled or an Error.
type (
	SampleOfClass struct{ Label int }
	SampleAt      struct{ Index int }
)

// SetWorkers trains on N Web Workers from the next batch on.
type SetWorkers struct{ N int }

// Save asks for the model as a file; Reason comes back in Model or
// ModelError, so the page knows what it asked it for.
type Save struct{ Reason string }

// The reasons the page saves a model for.
const (
	ReasonStore    = "store"    // kept in the browser across reloads
	ReasonDownload = "download" // offered as a file
)

// Load replaces the model by the one in a model file. Restored says it is
// the page's saved copy; then Epoch, Samples, Batches and Loss (NaN: none)
// are where its training had got to, as the page kept them beside a copy
// saved before files held their History: a file's own History wins.
type Load struct {
	Bytes            []byte
	Restored         bool
	Epoch            float64
	Samples, Batches int64
	Loss             float64
}

// Panic makes the worker panic, if it was started with ?test=1: the
// browser tests' way to prove the page recovers from a dead worker.
type Panic struct{}

// DecodePoint asks for the decoder's image at the code point Z (k values):
// the decoder as a generator, anywhere in the code plane. Answered by
// Decoded.
type DecodePoint struct{ Z []float64 }

// Interpolate asks for Steps images along the line from held-out digit A
// to held-out digit B: the decoder's at the points between their codes,
// and PCA's at the points between their PCA coefficients. Answered by
// Interpolated.
type Interpolate struct{ A, B, Steps int }

// Replies: the worker to the page.

// Status says what the worker is doing before it is ready.
type Status struct{ Text string }

// Error is a failure in words; Fatal says the worker cannot go on, and
// Refused names the command it refused, if it refused one (a link's
// held-out digit the bundle does not have is a refused SampleAt).
type Error struct {
	Text    string
	Fatal   bool
	Refused Kind // 0 for none
}

// ConfigError says the worker refused a SetConfig (or could not make a
// model of it): Fields names each refused setting, as ae.FieldError does,
// and Text is the whole refusal in words.
type ConfigError struct {
	Text   string
	Fields []FieldError
}

// FieldError is one refused setting: Field is an ae.Field ("lr", "k"…).
type FieldError struct {
	Field ae.Field
	Text  string
}

// Diverged says training stopped on a non-finite loss, and what to try.
type Diverged struct{ Text string }

// Pong answers Ping.
type Pong struct{}

// Ready says the digits are loaded and PCA fitted: its spectrum, floors
// and eigen-digits, which never change.
type Ready struct {
	Train, Test, PCAK int
	DecodeMs          float64 // the digit bundle's decoding (engine/mnist)
	FitMs             float64
	Scree             []float64 // cumulative explained variance for k = 1, 2, …
	Eigen             []byte    // NEigen eigen-digits, signed images (128 is zero)
	NEigen            int
	Floors            []float64 // PCA's floor for k = 0, 1, …
}

// NewModel says a new model replaced the last (new settings, a reset, a
// load): the counters start again.
type NewModel struct {
	Arch   string
	Params int
	// History is a loaded model's curves so far (its file's history);
	// empty for a new model.
	History []HistoryPoint
}

// Progress reports the counters and the training loss; with Full it also
// carries a held-out evaluation. Numbers not measured are NaN.
type Progress struct {
	Running          bool
	Epoch            float64
	Samples, Batches int64
	Rate             float64 // samples per second
	Loss             float64 // training loss, per pixel
	Floor            float64 // PCA's floor at the model's k
	K, Workers       int
	MSE, Linear      bool
	Model            int     // 0: the model; 1: the compared one (SetConfig.Compare)
	LR               float64 // the learning rate of the current epoch (its schedule's)
	Params           int
	Full             bool // the fields below are measured
	TestLoss         float64
	// Like for like (package compare): the held-out squared error, PCA's on
	// the same held-out digits at the same k, and their Ratio; TrainRatio
	// is the squared error over all training digits over PCA's floor on
	// them, measured when training pauses (NaN while it runs).
	TestMSE, PCATest float64
	Ratio            float64
	TrainRatio       float64
	NoisyLoss        float64   // held-out loss on digits corrupted as the page shows them, against the clean ones
	OutMin, OutMax   float64   // range of the held-out reconstructions
	Angles           []float64 // principal angles to PCA's subspace, degrees; linear models only
	Grid             []byte    // held-out digits: clean, corrupted, autoencoder, PCA rows
	Filters          []byte    // NFilters decoder filters, signed images
	NFilters         int
	Scatter          []float64 // 2-D positions of the evaluation digits' codes
	ScatterLabels    []byte
	RhoHat           []float64 // mean activation of each code unit; empty unless diagnosed
	Rho, Jacobian    float64
	Orthonormal      float64 // largest |DᵀD − I| of the decoder's weights; linear models
	CodeAct          string  // the code layer's activation
}

// Recon is the autoencoder's and PCA's (of rank PCAK) reconstructions of
// the page's digit.
type Recon struct {
	AE, PCA []byte
	PCAK    int
}

// Sampled is a held-out digit the page asked for.
type Sampled struct {
	Pixels       []byte
	Label, Index int
}

// Done says the command sent with request number Req has been handled;
// Error is the first error its handling reported.
type Done struct {
	Req   uint64
	Error string
}

// Model is the model as a file: the engine's model file followed by its
// History (history.go); the counters are also given apart, for the page to
// show.
type Model struct {
	Reason           string
	Bytes            []byte
	Arch             string
	Config           ae.Config
	Epoch            float64
	Samples, Batches int64
	Loss             float64 // NaN before the first batch
}

// ModelError says why Save could not.
type ModelError struct{ Reason, Text string }

// Loaded says a Load took: the worker trains the model with its own
// settings, which the page takes as its own. A NewModel follows.
type Loaded struct {
	Config   ae.Config
	Arch     string
	Params   int
	Epoch    float64
	Restored bool
}

// LoadError says why a Load changed nothing.
type LoadError struct {
	Text     string
	Restored bool
}

// Crashed is a worker's last word after a Go panic.
type Crashed struct{ Text string }

// Helpers: data-parallel training (wasm/worker/parallel.go).

// ShardConfig prepares a helper for models of these settings.
type ShardConfig struct{ Config ae.Config }

// Shard is a helper's part of batch Gen (of Batch rows in all): the
// parameters θ and its rows of input and target (Target empty: the input
// is the target).
type Shard struct {
	Gen, Batch           int
	Theta, Input, Target []float64
}

// Part is a helper's gradient of its part of batch Gen, with the part's
// loss and data loss.
type Part struct {
	Gen        int
	Grad       []float64
	Loss, Data float64
}

// Decoded is the decoder's image at the code point Z of a DecodePoint.
type Decoded struct {
	Z  []float64
	AE []byte
}

// Interpolated answers Interpolate: Steps images each, from digit A's to
// digit B's, along the line between their codes (AE) and between their
// PCA coefficients of rank PCAK (PCA).
type Interpolated struct {
	A, B, Steps int
	AE, PCA     []byte
	PCAK        int
}
