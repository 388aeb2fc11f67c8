/** A small quadratic ½θᵀAθ for the optimizer tests: A, its gradient, and helpers. */

/** A symmetric, diagonally dominant (hence positive definite) 4×4 matrix. */
export const A: readonly (readonly number[])[] = [
  [2, 0.5, 0, 0],
  [0.5, 1.5, 0.25, 0],
  [0, 0.25, 1, 0.1],
  [0, 0, 0.1, 0.5],
];

/** ∇(½θᵀAθ) = Aθ, in double, stored float32. */
export function quadraticGrad(theta: Float32Array): Float32Array {
  const g = new Float32Array(theta.length);
  for (let i = 0; i < A.length; i++) {
    let s = 0;
    for (let j = 0; j < A.length; j++) s += A[i][j] * theta[j];
    g[i] = s;
  }
  return g;
}

/** ‖x‖₂. */
export function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}
