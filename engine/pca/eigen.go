package pca

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/gonum"
	"gonum.org/v1/gonum/mat"

	"aeplayground/engine/internal/vec"
)

// denseEigenMax is the largest covariance (number of non-constant features)
// that Fit decomposes fully with gonum's mat.EigenSym. Above it, Fit finds
// only the top eigenpairs with Lanczos: EigenSym on 784×784 took 1.7 s
// natively and 8.3 s as wasm under Node, Lanczos for the top 64 a small
// fraction of that.
const denseEigenMax = 160

// lanczosTol is the residual ‖C v - θ v‖ relative to the largest eigenvalue
// below which a Ritz pair counts as converged. The eigenvalue is then
// accurate to about tol²·λ₁/gap and the subspace to about tol·λ₁/gap.
const lanczosTol = 1e-11

// eigenDense returns all eigenvalues of the na×na symmetric matrix c in
// descending order and the eigenvectors of the top k as the rows of a k×na
// matrix.
func eigenDense(c []float64, na, k int) (vals, vecs []float64, ok bool) {
	var e mat.EigenSym
	if !e.Factorize(mat.NewSymDense(na, c), true) {
		return nil, nil, false
	}
	asc := e.Values(nil)
	var v mat.Dense
	e.VectorsTo(&v)
	vals = make([]float64, na)
	for i := range vals {
		vals[i] = asc[na-1-i]
	}
	vecs = make([]float64, k*na)
	for r := 0; r < k; r++ {
		col := na - 1 - r
		for j := 0; j < na; j++ {
			vecs[r*na+j] = v.At(j, col)
		}
	}
	return vals, vecs, true
}

// eigenLanczos returns the top eigenpairs of the na×na symmetric positive
// semi-definite matrix c: the converged Ritz values in descending order (at
// least k of them) and the top k Ritz vectors as rows of a k×na matrix.
//
// Lanczos builds an orthonormal basis Q_s = [q₀ … q_{s-1}] of the Krylov
// space span{q₀, C q₀, …, C^{s-1} q₀} in which C is tridiagonal,
// T_s = Q_sᵀ C Q_s, with C Q_s = Q_s T_s + β_s q_s e_sᵀ. The extreme
// eigenvalues of T_s (Ritz values) converge fast to those of C; a Ritz pair
// (θ, Q_s y) has residual ‖C Q_s y - θ Q_s y‖ = |β_s y_s|, read off the last
// component of T_s's eigenvector. Every new vector is re-orthogonalised
// against all previous ones (twice, "twice is enough"), so no spurious copies
// appear. If the Krylov space becomes invariant (β ≈ 0, e.g. for low-rank
// data), the iteration restarts with a new random vector orthogonal to Q.
// The start vector comes from a fixed seed, so the result is deterministic.
//
// A known limit of single-vector Lanczos: an eigenvalue of exact
// multiplicity > 1 among the top k is found once, its copies only by
// rounding or restart. Sample covariances of real data do not have them.
func eigenLanczos(c []float64, na, k int) (vals, vecs []float64, ok bool) {
	rng := rand.New(rand.NewPCG(0x5eed, 0xca7))
	var trace float64
	for i := 0; i < na; i++ {
		trace += c[i*na+i]
	}
	if !(trace > 0) {
		// C = 0: every vector is an eigenvector.
		vals = make([]float64, k)
		vecs = make([]float64, k*na)
		for r := 0; r < k; r++ {
			vecs[r*na+r] = 1
		}
		return vals, vecs, true
	}
	q := make([]float64, 0, na*na) // rows q_j
	alpha := make([]float64, 0, na)
	beta := make([]float64, 0, na)
	w := make([]float64, na)

	newStart := func() {
		for {
			for i := range w {
				w[i] = rng.NormFloat64()
			}
			reorth(q, na, w)
			reorth(q, na, w)
			if nrm := norm(w); nrm > 1e-8 {
				for i := range w {
					w[i] /= nrm
				}
				q = append(q, w...)
				return
			}
		}
	}
	newStart()

	var (
		d, z   []float64
		work   []float64
		next   = min(na, k+k/2+8)
		steps  int
		nconv  int
		impl   gonum.Implementation
		lambda float64
	)
	for {
		j := steps
		qj := q[j*na : (j+1)*na]
		symMatVec(c, qj, w) // w = C q_j
		a := vec.Dot(w, qj)
		vec.Axpy(w, -a, qj)
		if j > 0 {
			vec.Axpy(w, -beta[j-1], q[(j-1)*na:j*na])
		}
		reorth(q, na, w)
		reorth(q, na, w)
		b := norm(w)
		alpha = append(alpha, a)
		steps++
		last := steps == na
		if !last {
			if b <= 1e-12*trace {
				// Invariant subspace: restart, decoupled in T.
				b = 0
				newStart()
			} else {
				for i := range w {
					w[i] /= b
				}
				q = append(q, w...)
			}
		}
		beta = append(beta, b)
		if steps < next && !last {
			continue
		}
		// Ritz values and vectors of T_s.
		s := steps
		d = append(d[:0], alpha...)
		e := append([]float64(nil), beta[:s-1]...)
		z = make([]float64, s*s)
		if cap(work) < 2*s {
			work = make([]float64, 2*s)
		}
		if !impl.Dsteqr(lapack.EVTridiag, s, d, e, z, s, work[:max(1, 2*s-2)]) {
			return nil, nil, false
		}
		lambda = math.Max(d[s-1], 0)
		tol := lanczosTol * lambda
		bs := beta[s-1]
		if last {
			bs = 0
		}
		nconv = 0
		for r := 0; r < s; r++ {
			i := s - 1 - r
			if math.Abs(bs*z[(s-1)*s+i]) > tol {
				break
			}
			nconv++
		}
		if nconv >= k || last {
			break
		}
		next = min(na, steps+max(8, steps/4))
	}
	s := steps
	if nconv < k {
		nconv = k // only when last: then all are exact anyway
	}
	vals = make([]float64, nconv)
	for r := range vals {
		vals[r] = d[s-1-r]
	}
	vecs = make([]float64, k*na)
	for r := 0; r < k; r++ {
		i := s - 1 - r
		v := vecs[r*na : (r+1)*na]
		for t := 0; t < s; t++ {
			vec.Axpy(v, z[t*s+i], q[t*na:(t+1)*na])
		}
	}
	return vals, vecs, true
}

// symMatVec sets w = C q for the n×n row-major C.
//
//go:noinline
func symMatVec(c, q, w []float64) {
	n := len(q)
	for i := range w[:n] {
		w[i] = vec.Dot(c[i*n:(i+1)*n], q)
	}
}

// reorth removes from w its components along the rows of q (one Gram–Schmidt
// pass). Like the other kernels it is a function of its own, so that V8
// tiers it up early (see addOuterSparse).
//
//go:noinline
func reorth(q []float64, n int, w []float64) {
	for t := 0; t+n <= len(q); t += n {
		qt := q[t : t+n]
		vec.Axpy(w, -vec.Dot(qt, w), qt)
	}
}

func norm(x []float64) float64 { return math.Sqrt(vec.Dot(x, x)) }
