import type { Dataset } from '@lnsgd/data';

/**
 * ‖v⊙v − w*‖²: how far the learned linear predictor w = v⊙v is from the teacher
 * (the test error of HaoChen et al. 2020; for x ~ N(0, I) it is the excess test MSE).
 *
 * @param v the parameters.
 * @param wStar the sparse teacher.
 */
export function sparseTestError(v: ArrayLike<number>, wStar: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) {
    const e = v[j] * v[j] - wStar[j];
    s += e * e;
  }
  return s;
}

/**
 * The clean training loss ¼·mean(r_i²) and the exact Hessian trace of the
 * quadratic-sparse model f(x) = ⟨v⊙v, x⟩, from
 *
 *     ∇²L = (2/n) Σ_i (x_i⊙v)(x_i⊙v)ᵀ + diag((1/n) Σ_i r_i x_i),   r_i = f(x_i) − y_i
 *
 * so tr∇²L = (2/n) Σ_i Σ_j x_ij² v_j² + Σ_j (1/n) Σ_i r_i x_ij.
 *
 * @param v the parameters.
 * @param ds the training set (y = clean labels).
 */
export function sparseLossAndTrace(v: ArrayLike<number>, ds: Dataset): { loss: number; trace: number } {
  const d = v.length;
  const { n, x, y } = ds;
  let loss = 0;
  let trace = 0;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    let f = 0;
    let a2 = 0;
    let xs = 0;
    for (let j = 0; j < d; j++) {
      const xv = x[row + j] * v[j];
      f += xv * v[j];
      a2 += xv * xv;
      xs += x[row + j];
    }
    const r = f - y[i];
    loss += 0.25 * r * r;
    trace += 2 * a2 + r * xs;
  }
  return { loss: loss / n, trace: trace / n };
}
