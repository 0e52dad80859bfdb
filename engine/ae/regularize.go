package ae

import (
	"math"

	"aeplayground/engine/internal/vec"
)

// The regularizers: terms added to the data loss that depend on the
// weights (L2) or on the code (sparse KL, contractive), each with its
// gradient. Their weights λ, β are relative to the per-pixel data loss.

// l2 returns the weight decay λ Σ w² over weights (not biases) and adds its
// gradient 2λw to t.grad.
func (t *Trainer) l2() float64 {
	lambda := t.cfg.L2
	var sum float64
	for _, s := range t.model.wspans {
		w, g := s.of(t.model.theta), s.of(t.grad)
		sum += vec.Dot(w, w)
		vec.Axpy(g, 2*lambda, w)
	}
	return lambda * sum
}

// sparsity returns the KL sparsity penalty on the code h (rows×k),
//
//	Ω = β Σ_l [ρ log(ρ/ρ̂_l) + (1−ρ) log((1−ρ)/(1−ρ̂_l))],  ρ̂_l = (1/m) Σ_i h_il,
//
// and leaves ρ̂ in w.rhoHat for sparsityGrad.
func (w *workspace) sparsity(h []float64, rows int) float64 {
	rho, beta := w.cfg.SparseRho, w.cfg.SparseBeta
	k := len(w.rhoHat)
	meanRows(w.rhoHat, h, rows, k)
	var kl float64
	for l, r := range w.rhoHat {
		r = clampOpen(r)
		w.rhoHat[l] = r
		kl += rho*math.Log(rho/r) + (1-rho)*math.Log((1-rho)/(1-r))
	}
	return beta * kl
}

// sparsityGrad adds ∂Ω/∂h_il = (β/m)(−ρ/ρ̂_l + (1−ρ)/(1−ρ̂_l)) to dh.
func (w *workspace) sparsityGrad(dh []float64, rows int) {
	rho, beta := w.cfg.SparseRho, w.cfg.SparseBeta
	k := len(w.rhoHat)
	for l, r := range w.rhoHat {
		w.klGrad[l] = beta / float64(rows) * (-rho/r + (1-rho)/(1-r))
	}
	for i := range rows {
		vec.Axpy(dh[i*k:(i+1)*k], 1, w.klGrad)
	}
}

// contractive returns the contractive penalty of a one-layer encoder
// h = f(Wx + b), averaged over the batch of m digits (the first rows of
// which are here),
//
//	Ω = (λ/m) Σ_i ‖J(x_i)‖²_F,  ‖J‖²_F = Σ_l s_l² ‖W_l‖²,  s_l = f'(a_l),
//
// and adds its gradient: to dz (∂/∂a, which flows on into W and b as the
// data term's does) the term (λ/m) ‖W_l‖² · 2 s_l ∂s_l/∂a_l, where
// ∂s/∂a = s(1−2h) for the sigmoid and −2hs for tanh; and straight to W the
// term (λ/m) · 2 (Σ_i s_il²) W_l.
func (ws *workspace) contractive(x, h, dz []float64, rows, batch int) float64 {
	ly := ws.model.layers[0]
	lambda := ws.cfg.Contractive / float64(batch)
	w, gw := ly.w.of(ws.model.theta), ly.w.of(ws.grad)
	k, n := ly.out, ly.in
	for l := range k {
		wl := w[l*n : (l+1)*n]
		ws.rowSq[l] = vec.Dot(wl, wl)
	}
	sigmoidCode := ly.act == Sigmoid
	clear(ws.sumSq)
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
			pen += s * s * ws.rowSq[l]
			ws.sumSq[l] += s * s
			dzi[l] += lambda * ws.rowSq[l] * 2 * s * ds
		}
	}
	for l := range k {
		vec.Axpy(gw[l*n:(l+1)*n], lambda*2*ws.sumSq[l], w[l*n:(l+1)*n])
	}
	return lambda * pen
}

// meanRows sets dst (k) to the mean of the rows of a (rows×k).
func meanRows(dst, a []float64, rows, k int) {
	clear(dst)
	for i := range rows {
		vec.Axpy(dst, 1, a[i*k:(i+1)*k])
	}
	for l := range dst {
		dst[l] /= float64(rows)
	}
}

// clampOpen keeps a mean sigmoid activation inside (0, 1), where the KL
// divergence is finite, when every unit saturates in float64.
func clampOpen(r float64) float64 { return math.Min(math.Max(r, 1e-12), 1-1e-12) }
