package ae

import (
	"fmt"

	"aeplayground/engine/noise"
)

// PresetInfo is a named configuration the page offers as one button.
type PresetInfo struct {
	Name   string // used in links: #preset=linear-pca
	Title  string // on the button
	About  string // what it shows, in one line; every figure in it is measured by TestPresetClaims or TestLinearPresetsMeetPCA
	Config Config
}

// presets are ordered as the page shows them.
var presets = []PresetInfo{
	{
		Name: "survey", Title: "The survey's network",
		About: "784-32-784, leaky ReLU then sigmoid, binary cross-entropy, Adam lr 0.005, batch 256, seed 123: the survey's code. On these 10,000 digits its held-out BCE is about 0.13 after 5 epochs (the survey's 0.093 is after 5 epochs on all 60,000).",
		Config: Config{Inputs: 784, Hidden: []int{32}, Activation: []Activation{LeakyReLU}, Output: Sigmoid,
			Loss: BCE, Init: InitSurvey, Optimizer: Adam, LR: 0.005, BatchSize: 256, Seed: 123},
	},
	{
		Name: "linear-pca", Title: "Linear autoencoder = PCA",
		About: "Linear encoder and decoder, squared error, k = 16, Adam with lr falling along a cosine from 0.002 to 0.0001 over 14 epochs: after 15 epochs on these 10,000 digits the loss over them is within 0.2% of PCA's floor and all 16 principal angles to PCA's subspace are below 1°.",
		Config: Config{Inputs: 784, Hidden: []int{16}, Activation: []Activation{Linear}, Output: Linear,
			Loss: MSE, Init: InitGlorot, Optimizer: Adam, LR: 0.002, BatchSize: 32, Seed: 1,
			Schedule: linearSchedule},
	},
	{
		Name: "linear-tied", Title: "Tied linear autoencoder = PCA",
		About: "The same with the decoder tied to the encoder (W* = Wᵀ) and lr falling from 0.002 to 0.00002 over 18 epochs: after 19 epochs on these 10,000 digits the loss is within 0.2% of PCA's floor and all 16 principal angles are below 1°.",
		Config: Config{Inputs: 784, Hidden: []int{16}, Activation: []Activation{Linear}, Output: Linear,
			Loss: MSE, Init: InitGlorot, Optimizer: Adam, LR: 0.002, BatchSize: 32, Seed: 1, Tied: true,
			Schedule: Schedule{Kind: Cosine, TMax: 18, Min: 0.00002}},
	},
	{
		Name: "denoising", Title: "Denoising",
		About: "Half of every input's pixels are masked; the target is the clean digit. After 1 epoch on these 10,000 digits it restores held-out digits with half their pixels masked to a BCE of about 0.124 against the clean digits; the same network trained without noise scores about 0.186 on them.",
		Config: Config{Inputs: 784, Hidden: []int{256}, Activation: []Activation{Sigmoid}, Output: Sigmoid,
			Loss: BCE, Init: InitPyTorch, Optimizer: Adam, LR: 0.01, BatchSize: 32, Seed: 1,
			Noise: noise.Spec{Kind: noise.Mask, Level: 0.5}},
	},
	{
		Name: "sparse", Title: "Sparse",
		About: "A KL penalty pulls each sigmoid code unit's mean activation ρ̂ toward ρ = 0.05: after 1 epoch on these 10,000 digits the units' mean activation over held-out digits is about 0.058; without the penalty it is about 0.85.",
		Config: Config{Inputs: 784, Hidden: []int{64}, Activation: []Activation{Sigmoid}, Output: Sigmoid,
			Loss: BCE, Init: InitPyTorch, Optimizer: Adam, LR: 0.01, BatchSize: 32, Seed: 1,
			SparseRho: 0.05, SparseBeta: 0.5},
	},
	{
		Name: "contractive", Title: "Contractive",
		About: "Penalises ‖∂h/∂x‖²_F, so the code changes little when the input changes a little: after 1 epoch on these 10,000 digits the encoder's Jacobian norm ‖∂h/∂x‖_F on held-out digits is about 0.11; without the penalty it is about 2.4.",
		Config: Config{Inputs: 784, Hidden: []int{64}, Activation: []Activation{Sigmoid}, Output: Sigmoid,
			Loss: BCE, Init: InitPyTorch, Optimizer: Adam, LR: 0.01, BatchSize: 32, Seed: 1,
			Contractive: 0.3},
	},
	{
		Name: "deep", Title: "Deep",
		About: "784-128-64-32-64-128-784 with ReLU, trained with binary cross-entropy. Compared with PCA in squared error on held-out digits after 1 epoch on these 10,000 digits: MSE about 0.041, above PCA's 0.017 with the same k = 32. Depth can bend the code space, but it needs far more training than PCA needs arithmetic.",
		Config: Config{Inputs: 784, Hidden: []int{128, 64, 32}, Activation: []Activation{ReLU, ReLU, ReLU}, Output: Sigmoid,
			Loss: BCE, Init: InitGlorot, Optimizer: Adam, LR: 0.002, BatchSize: 64, Seed: 1},
	},
}

// linearSchedule lets the linear autoencoder settle into PCA's subspace.
// At a constant rate Adam moves every weight by about lr a step whatever
// its gradient, so along the flat directions (the 16th component's, whose
// eigenvalue is close to the 17th's) the decoder keeps wandering: the
// largest principal angle stalls at 3.5–4.3° with lr 0.002. A cosine decay
// keeps the rate high while the subspace is found and brings it down
// smoothly; measured on the 10,000 digits (batch 32): the largest angle is
// 0.8° after 13 epochs and 0.5° after 15. Dropping to lr/10 in one step at
// epoch 6 stalls at 1.1°, a cosine over 10 epochs at 1.9°: the slowest
// direction needs about a dozen epochs at a moderate rate.
var linearSchedule = Schedule{Kind: Cosine, TMax: 14, Min: 0.0001}

// Presets lists the presets, each with its own copy of its config.
func Presets() []PresetInfo {
	out := make([]PresetInfo, len(presets))
	for i, p := range presets {
		p.Config = p.Config.clone()
		out[i] = p
	}
	return out
}

// Preset returns the config of the named preset.
func Preset(name string) (Config, error) {
	for _, p := range presets {
		if p.Name == name {
			return p.Config.clone(), nil
		}
	}
	return Config{}, fmt.Errorf("%w: unknown preset %q", ErrConfig, name)
}

// clone copies c with slices of its own.
func (c Config) clone() Config {
	c.Hidden = append([]int(nil), c.Hidden...)
	c.Activation = append([]Activation(nil), c.Activation...)
	return c
}
