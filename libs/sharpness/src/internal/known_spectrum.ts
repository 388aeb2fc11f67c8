/** Test and bench fixtures: symmetric matrices with a known spectrum, in float64. */
import { ProbeStream, normalVector } from './rng';

/** Row-major diag(values). */
export function diagonalMatrix(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = values[i];
  return a;
}

/** The linreg-diag Hessian diag(k/d), k = 1…d: eigenvalues spaced 1/d up to 1. */
export function linregDiagEigenvalues(d: number): Float64Array {
  return Float64Array.from({ length: d }, (_, k) => (k + 1) / d);
}

/** Q Λ Qᵀ with Q a seeded random orthogonal matrix (Gram–Schmidt of a Gaussian matrix, twice). */
export function symmetricWithSpectrum(values: ArrayLike<number>, seed: number): Float64Array {
  const n = values.length;
  const q: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const v = normalVector({ seed, stream: ProbeStream.TEST, index: i }, n);
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let d = 0;
        for (let t = 0; t < n; t++) d += u[t] * v[t];
        for (let t = 0; t < n; t++) v[t] -= d * u[t];
      }
    }
    let nrm = 0;
    for (let t = 0; t < n; t++) nrm += v[t] * v[t];
    nrm = Math.sqrt(nrm);
    for (let t = 0; t < n; t++) v[t] /= nrm;
    q.push(v);
  }
  const a = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const u = q[k];
    const lam = values[k];
    for (let i = 0; i < n; i++) {
      const li = lam * u[i];
      for (let j = 0; j < n; j++) a[i * n + j] += li * u[j];
    }
  }
  // Exact symmetry (rounding can differ between (i, j) and (j, i)).
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j];
  return a;
}
