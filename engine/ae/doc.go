// Package ae trains autoencoders on digits, in pure Go, the same natively
// and as WebAssembly in a browser worker. These are the formulas its code
// implements; comments elsewhere refer to the sections by name.
//
// Notation: a minibatch of m digits x_i ∈ [0, 1]ⁿ (n = 784 pixels), code
// h_i ∈ ℝᵏ, reconstruction x̂_i ∈ ℝⁿ.
//
// # The model
//
//	h = f(W x + b)      encoder, W: k×n
//	x̂ = g(W* h + c)     decoder, W*: n×k
//
// A deep autoencoder stacks encoder layers (Config.Hidden gives their
// widths, the last being k) and mirrors them in the decoder, each decoder
// layer using the activation of the encoder layer that made its input
// width. f is sigmoid, tanh, ReLU, leaky ReLU (slope 0.01) or linear; g is
// sigmoid (x̂ ∈ (0, 1)) or linear. With tied weights the decoder uses the
// encoder's weights transposed, W* = Wᵀ, which then receives the gradient
// of both uses; its bias c is a parameter of its own, starting at 0.
//
// # Initialisation
//
//   - normal: W ~ N(0, 0.1²), b = 0.
//   - pytorch: W, b ~ U(−1/√fan_in, +1/√fan_in) (PyTorch's nn.Linear).
//   - glorot: W ~ U(−a, a), a = √(6/(fan_in + fan_out)), b = 0.
//   - survey: the encoder as normal, the decoder as pytorch (what the
//     survey's code does).
//
// # Losses
//
// Both are PyTorch's "mean" reduction, a per-pixel mean over all m·n
// entries, so that a run reproduces PyTorch's losses:
//
//	MSE = (1/(m n)) Σ_i Σ_j (x̂_ij − x_ij)²
//	BCE = −(1/(m n)) Σ_i Σ_j [x_ij log x̂_ij + (1 − x_ij) log(1 − x̂_ij)]
//
// With a sigmoid output, BCE is computed from the logits z (x̂ = σ(z)) as
// max(z, 0) − x z + log(1 + e^−|z|), whose gradient is ∂BCE/∂z = (x̂ − x)/(m n):
// never through log σ(z), which overflows.
//
// # Gradients
//
// Backpropagation, layer by layer from the output: with δ = ∂L/∂z for a
// layer's pre-activation z = W a + b (a the layer's input),
//
//	∂L/∂W = δᵀ a (summed over the batch),  ∂L/∂b = Σ_i δ_i,  ∂L/∂a = δ W,
//
// and ∂L/∂z = ∂L/∂a' ⊙ f'(z) for the layer below, where a' = f(z). A
// batch's gradient is the sum of its parts' gradients (each part's share
// of (1/m) Σ ℓ_i), which is what lets data-parallel training split a batch.
//
// # Regularizers
//
// Their weights are relative to the per-pixel data loss.
//
//   - L2 weight decay, on weights only: Ω = λ Σ ‖W‖², ∂Ω/∂W = 2λW.
//   - Sparse (sigmoid code): with ρ̂_l = (1/m) Σ_i h_il the mean activation
//     of code unit l over the batch and target ρ,
//     Ω = β Σ_l [ρ log(ρ/ρ̂_l) + (1 − ρ) log((1 − ρ)/(1 − ρ̂_l))],
//     ∂Ω/∂h_il = (β/m)(−ρ/ρ̂_l + (1 − ρ)/(1 − ρ̂_l)).
//   - Contractive (one sigmoid or tanh encoder layer): Ω = (λ/m) Σ_i ‖J(x_i)‖²_F
//     with J = ∂h/∂x; for h = f(Wx + b), s_l = f'(a_l) (s = h(1 − h) for the
//     sigmoid, 1 − h² for tanh), ‖J‖²_F = Σ_l s_l² ‖W_l‖² (W_l row l of W), so
//     per digit ∂/∂W_lj = 2 s_l² W_lj + 2‖W_l‖² s_l (∂s_l/∂a_l) x_j and
//     ∂/∂b_l = 2‖W_l‖² s_l ∂s_l/∂a_l, with ∂s/∂a = s(1 − 2h) for the
//     sigmoid and −2hs for tanh.
//
// # Denoising
//
// The network sees a corrupted x̃ ~ q(x̃ | x) (package noise) and is scored
// against the clean x: L(x, g(f(x̃))). A fresh corruption is drawn for
// every batch.
//
// # Optimizers
//
//	SGD:       θ −= lr · g
//	momentum:  v = μ v + g;  θ −= lr · v                  (v starts at 0)
//	Adam:      m = β1 m + (1 − β1) g;  v = β2 v + (1 − β2) g²;
//	           θ −= (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
//
// with PyTorch's defaults β1 = 0.9, β2 = 0.999, ε = 1e-8 and t the number
// of steps taken (from 1).
//
// # Learning-rate schedules
//
// The rate of epoch e (completed passes over the training digits, from 0)
// for base rate lr0:
//
//	constant:  lr = lr0
//	step:      lr = lr0 · γ^⌊e / period⌋
//	cosine:    lr = min + (lr0 − min)(1 + cos(π e / tmax))/2 for e ≤ tmax, then min
//
// (PyTorch's StepLR and CosineAnnealingLR; see Schedule.Rate for why the
// cosine stays at min). A change of rate keeps the optimizer's state.
//
// # Linear autoencoder and PCA
//
// With f and g linear and MSE, the best rank-k reconstruction is PCA's
// (Eckart–Young): the loss cannot go below PCA's floor on the same digits,
// (1/n) Σ_{i>k} λ_i, and at the optimum the decoder's columns span PCA's
// top-k subspace, W = A V_kᵀ, W* = V_k A⁻¹ for some invertible A. The
// biases absorb the mean. So a trained linear autoencoder is compared with
// PCA by its loss over the floor and by the principal angles between
// span(W*) and span(V_k) (package pca). Adam at a constant rate keeps the
// weights wandering along the flattest directions of the loss, so the
// linear presets decay the rate (a schedule) to let the angles close.
package ae
