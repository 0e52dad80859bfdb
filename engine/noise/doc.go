// Package noise corrupts digits for denoising autoencoders: the network sees
// x̃ ~ q(x̃ | x) and is trained to reconstruct the clean x. For each pixel
// x_j ∈ [0, 1], independently:
//
//	mask:            x̃_j = 0 with probability q, else x_j
//	gaussian:        x̃_j = clip(x_j + ε_j, 0, 1),  ε_j ~ N(0, σ²)
//	salt-and-pepper: x̃_j = 0 with probability q/2, 1 with probability q/2,
//	                 else x_j
//
// A fresh corruption is drawn for every batch. Every function draws from a
// *rand.Rand the caller passes, so a seed reproduces the same corruption
// natively and in the browser.
package noise
