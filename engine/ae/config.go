package ae

import (
	"errors"

	"aeplayground/engine/noise"
)

// Init names a weight initialisation scheme.
type Init string

const (
	// InitNormal draws weights from N(0, 0.1²), biases 0: the survey's encoder.
	InitNormal Init = "normal"
	// InitPyTorch is PyTorch's default for nn.Linear: weights and biases from
	// U(−1/√fan_in, +1/√fan_in).
	InitPyTorch Init = "pytorch"
	// InitGlorot is Glorot (Xavier) uniform: weights from U(−a, a) with
	// a = √(6/(fan_in+fan_out)), biases 0.
	InitGlorot Init = "glorot"
	// InitSurvey is exactly what the survey's code does: the encoder is
	// re-initialised with N(0, 0.1²) and zero bias, and the decoder keeps
	// PyTorch's default (its own re-initialisation line was a copy-paste slip).
	InitSurvey Init = "survey"
)

// Inits lists every initialisation, in the order the page offers them.
var Inits = []Init{InitNormal, InitPyTorch, InitGlorot, InitSurvey}

// Optimizer names an update rule (package doc, "Optimizers").
type Optimizer string

const (
	SGD      Optimizer = "sgd"      // θ −= lr·g
	Momentum Optimizer = "momentum" // v = μv + g; θ −= lr·v
	Adam     Optimizer = "adam"     // PyTorch defaults β1 0.9, β2 0.999, ε 1e-8
)

// Optimizers lists every optimizer, in the order the page offers them.
var Optimizers = []Optimizer{SGD, Momentum, Adam}

// Limits keep every setting within what a browser tab can hold: a request
// beyond them is refused by Validate with the limit named.
const (
	MaxDepth     = 6       // encoder layers (the decoder mirrors them)
	MaxWidth     = 1024    // units in any hidden layer, the code included
	MaxBatch     = 1024    // digits per minibatch
	MaxParams    = 4 << 20 // weights and biases; with gradients and Adam's moments ×4 float64s = 128 MiB
	MaxInputs    = 4096    // pixels per input
	MaxLR        = 100     // anything larger diverges at once
	maxPenalties = 1e6     // λ, β beyond this only drown the data term
)

// Config is everything that defines a model and its training. The zero value
// is not usable; start from a Preset or fill every field and call Validate.
type Config struct {
	Inputs     int          `json:"inputs"`     // n, pixels per digit (784)
	Hidden     []int        `json:"hidden"`     // encoder widths; the last is the code size k
	Activation []Activation `json:"activation"` // f of each encoder layer; the decoder mirrors them
	Output     Activation   `json:"output"`     // g, the output activation: sigmoid or linear
	Loss       Loss         `json:"loss"`
	Init       Init         `json:"init"`
	Optimizer  Optimizer    `json:"optimizer"`
	LR         float64      `json:"lr"`
	Momentum   float64      `json:"momentum,omitempty"` // μ, for the momentum optimizer
	Schedule   Schedule     `json:"schedule,omitzero"`  // the learning rate of each epoch from LR; the zero value keeps LR
	BatchSize  int          `json:"batch"`
	Seed       uint64       `json:"seed"`

	// Regularizers (package doc, "Regularizers"). Their weights are relative to the
	// per-pixel data loss.
	Tied        bool       `json:"tied,omitempty"`        // W* = Wᵀ
	L2          float64    `json:"l2,omitempty"`          // λ in λ‖W‖² over weights, not biases
	SparseRho   float64    `json:"sparseRho,omitempty"`   // target mean activation ρ of each code unit
	SparseBeta  float64    `json:"sparseBeta,omitempty"`  // β, weight of the KL penalty (0: off)
	Contractive float64    `json:"contractive,omitempty"` // λ, weight of ‖J‖²_F (0: off)
	Noise       noise.Spec `json:"noise"`                 // corruption for a denoising autoencoder
}

// K is the code size, the width of the last encoder layer.
func (c *Config) K() int {
	if len(c.Hidden) == 0 {
		return 0
	}
	return c.Hidden[len(c.Hidden)-1]
}

// Linear reports whether every layer is linear: the case where the
// autoencoder's optimum is PCA's subspace (package doc, "Linear
// autoencoder and PCA").
func (c *Config) Linear() bool {
	for _, a := range c.Activation {
		if a != Linear {
			return false
		}
	}
	return c.Output == Linear
}

// ErrConfig is matched (errors.Is) by every error Validate returns.
var ErrConfig = errors.New("invalid setting")

// Validate checks every field. It returns nil, or a join of one *FieldError
// for each field that is wrong (FieldErrors lists them), each naming the
// setting and, for a limit, the limit.
func (c *Config) Validate() error {
	var errs fieldErrors
	if c.Inputs < 1 || c.Inputs > MaxInputs {
		errs.add(FieldInputs, "input size %d must be between 1 and %d", c.Inputs, MaxInputs)
	}
	if len(c.Hidden) < 1 || len(c.Hidden) > MaxDepth {
		errs.add(FieldHidden, "%d encoder layers: must be between 1 and %d", len(c.Hidden), MaxDepth)
	}
	if len(c.Activation) != len(c.Hidden) {
		errs.add(FieldActivation, "%d activations for %d encoder layers: give one per layer", len(c.Activation), len(c.Hidden))
	}
	for i, w := range c.Hidden {
		f := FieldHidden
		if i == len(c.Hidden)-1 {
			f = FieldK
		}
		if w < 1 || w > MaxWidth {
			if f == FieldK {
				errs.add(f, "code size k = %d: must be between 1 and %d", w, MaxWidth)
			} else {
				errs.add(f, "layer %d has %d units: must be between 1 and %d", i+1, w, MaxWidth)
			}
		}
		if i < len(c.Activation) {
			if err := c.Activation[i].valid(); err != nil {
				errs.add(FieldActivation, "layer %d: %v", i+1, err)
			}
		}
	}
	if !errs.has(FieldHidden) && !errs.has(FieldK) && !errs.has(FieldInputs) {
		if p := c.paramCount(); p > MaxParams {
			errs.add(FieldHidden, "%d parameters exceed the limit of %d: use fewer or narrower layers", p, MaxParams)
		}
	}
	switch c.Output {
	case Sigmoid, Linear:
	default:
		errs.add(FieldOutput, "output activation %q: must be sigmoid or linear", c.Output)
	}
	if err := c.Loss.valid(); err != nil {
		errs.add(FieldLoss, "%v", err)
	} else if c.Loss == BCE && c.Output == Linear {
		errs.add(FieldLoss, "binary cross-entropy needs a sigmoid output (x̂ must lie in (0,1))")
	}
	switch c.Init {
	case InitNormal, InitPyTorch, InitGlorot, InitSurvey:
	default:
		errs.add(FieldInit, "unknown initialisation %q (want normal, pytorch, glorot or survey)", c.Init)
	}
	switch c.Optimizer {
	case SGD, Adam:
	case Momentum:
		if !(c.Momentum >= 0 && c.Momentum < 1) {
			errs.add(FieldMomentum, "momentum %v must be in [0, 1)", c.Momentum)
		}
	default:
		errs.add(FieldOptimizer, "unknown optimizer %q (want sgd, momentum or adam)", c.Optimizer)
	}
	if !(c.LR > 0 && c.LR <= MaxLR) {
		errs.add(FieldLR, "learning rate %v must be > 0 and at most %d", c.LR, MaxLR)
	}
	c.Schedule.validate(c.LR, &errs)
	if c.BatchSize < 1 || c.BatchSize > MaxBatch {
		errs.add(FieldBatch, "batch size %d must be between 1 and %d", c.BatchSize, MaxBatch)
	}
	if !(c.L2 >= 0 && c.L2 <= maxPenalties) {
		errs.add(FieldL2, "L2 weight %v must be in [0, %g]", c.L2, maxPenalties)
	}
	if !(c.SparseBeta >= 0 && c.SparseBeta <= maxPenalties) {
		errs.add(FieldSparseBeta, "sparsity weight β %v must be in [0, %g]", c.SparseBeta, maxPenalties)
	}
	// ρ is checked whether or not the penalty is on: a ρ of 1 kept while
	// β = 0 would be refused only later, when β is raised.
	if !(c.SparseRho >= 0 && c.SparseRho < 1) || (c.SparseBeta > 0 && c.SparseRho == 0) {
		errs.add(FieldSparseRho, "sparsity target ρ %v must be in (0, 1)", c.SparseRho)
	}
	if c.SparseBeta > 0 && len(c.Activation) > 0 {
		if a := c.Activation[len(c.Activation)-1]; a != Sigmoid {
			errs.add(FieldSparseBeta, "the sparsity penalty needs a sigmoid code layer (ρ̂ must lie in (0,1)); the code layer is %s", a)
		}
	}
	if !(c.Contractive >= 0 && c.Contractive <= maxPenalties) {
		errs.add(FieldContractive, "contractive weight λ %v must be in [0, %g]", c.Contractive, maxPenalties)
	}
	if c.Contractive > 0 {
		if len(c.Hidden) != 1 {
			errs.add(FieldContractive, "the contractive penalty is computed exactly for a single encoder layer; this encoder has %d", len(c.Hidden))
		} else if len(c.Activation) == 1 && c.Activation[0] != Sigmoid && c.Activation[0] != Tanh {
			errs.add(FieldContractive, "the contractive penalty needs a sigmoid or tanh code layer; it is %s", c.Activation[0])
		}
	}
	if err := c.Noise.Validate(); err != nil {
		errs.add(FieldNoise, "%v", err)
	}
	return errs.err()
}

// widths returns the sizes of every layer boundary, input to output:
// n, h1, …, k, …, h1, n.
func (c *Config) widths() []int {
	d := len(c.Hidden)
	w := make([]int, 0, 2*d+1)
	w = append(w, c.Inputs)
	w = append(w, c.Hidden...)
	for i := d - 2; i >= 0; i-- {
		w = append(w, c.Hidden[i])
	}
	return append(w, c.Inputs)
}

// paramCount is the number of weights and biases the config defines.
func (c *Config) paramCount() int {
	w := c.widths()
	p := 0
	for l := 0; l+1 < len(w); l++ {
		if !c.Tied || l < len(c.Hidden) {
			p += w[l] * w[l+1]
		}
		p += w[l+1]
	}
	return p
}
