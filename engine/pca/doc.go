// Package pca computes principal component analysis (PCA) of a data set and
// compares a linear autoencoder with it.
//
// # PCA
//
// Let x_1, …, x_m ∈ ℝⁿ be the samples, μ = (1/m) Σ x_s their mean and
//
//	C = (1/m) Σ_s (x_s - μ)(x_s - μ)ᵀ
//
// their (population) covariance, with eigenvalues λ_1 ≥ … ≥ λ_n ≥ 0 and
// orthonormal eigenvectors v_1, …, v_n. The principal components are the
// v_i; λ_i is the variance of the data along v_i, and the total variance is
// tr C = Σ λ_i. With V_k = [v_1 … v_k] (n×k) the code of x is
// z = V_kᵀ (x - μ) and its reconstruction x̂ = μ + V_k z.
//
// # Eckart–Young and the rank-k floor
//
// Write the centred data as the m×n matrix X with rows (x_s - μ)ᵀ and its
// SVD X = U S Vᵀ; then Xᵀ X = m C, so the right singular vectors are the
// principal components and s_i² = m λ_i. By Eckart–Young, the best rank-k
// approximation of X in the Frobenius norm is X_k = U_k S_k V_kᵀ = X V_k V_kᵀ,
// with error ‖X - X_k‖² = Σ_{i>k} s_i². Allowing an offset (an affine map,
// as an autoencoder with biases has) does not help beyond centring by μ.
// So the least per-pixel mean squared error (PyTorch's "mean" reduction over
// all m·n entries) of any rank-k affine reconstruction is
//
//	floor(k) = (1/(m n)) Σ_{i>k} s_i² = (1/n) Σ_{i>k} λ_i = (tr C - Σ_{i≤k} λ_i) / n.
//
// This is the floor that a linear autoencoder x ↦ W* (W x + b) + c with a
// k-unit bottleneck, trained with MSE, approaches (see PCA.Floor).
//
// # Comparing an autoencoder with PCA
//
// The optimum of the linear autoencoder is not unique: W = A V_kᵀ,
// W* = V_k A⁻¹ for any invertible k×k A reconstruct equally well. So one
// compares subspaces, not weights: span(W*) should equal span(V_k). The
// principal angles 0 ≤ θ_1 ≤ … ≤ θ_k ≤ π/2 between two subspaces with
// orthonormal bases Q_a and Q_b are θ_i = arccos σ_i, where σ_i are the
// singular values of Q_aᵀ Q_b (see PrincipalAngles). They are all 0 if and
// only if the subspaces are equal, and tend to 0 as a linear autoencoder
// converges.
//
// # Like for like: digits PCA was not fitted to
//
// The floor bounds the error on the fitted digits only. On other digits
// x_1, …, x_h (held out), PCA's error with the training mean μ and V_k is
//
//	err = (1/(h n)) Σ_s ‖x_s − μ − V_k V_kᵀ (x_s − μ)‖²,
//
// which may lie above or below floor(k) (see PCA.ReconstructionError). A
// model's held-out loss is compared with that, and its loss over the
// training digits with floor(k): applied to PCA itself both ratios are 1.
//
// # Computing the principal angles
//
// Q_a comes from a Householder QR of the decoder's columns (the columns of
// W*), Q_b = V_k is orthonormal already; θ_i = arccos σ_i(Q_aᵀ Q_b), in
// ascending order. Since arccos is ill-conditioned near 1, an angle below
// π/4 is taken as arcsin of the singular value of Q_a⊥ᵀ Q_b instead, where
// Q_a⊥ completes Q_a to an orthogonal basis (see PrincipalAngles).
//
// # Computation
//
// All routines are plain Go on gonum, with no I/O, clock or global random
// state, so they run the same natively and as WebAssembly in a browser
// worker. Fit computes the covariance with its own cache-blocked kernels
// (a sparse one for mostly-zero data such as MNIST digits), then the
// eigenpairs: all of them with gonum's mat.EigenSym for up to 160
// non-constant features, else the top ones with Lanczos.
package pca
