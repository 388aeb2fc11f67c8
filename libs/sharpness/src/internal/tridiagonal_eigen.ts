/**
 * Eigen-decomposition of a real symmetric tridiagonal matrix by the implicit QL
 * method with Wilkinson shifts, in float64. Eigenvectors are accumulated only for the
 * rows asked for: Lanczos needs the last row (Ritz residuals), SLQ the first row
 * (quadrature weights), and Ritz vectors need all rows. Each row of the eigenvector
 * matrix Z transforms independently under the QL rotations (Z ← Z·G), so tracking r
 * rows costs O(r·m) per sweep instead of O(m²).
 */

/** Eigenvalues sorted descending, and the requested rows of the eigenvector matrix. */
export interface TridiagonalEigen {
  /** Eigenvalues, largest first. */
  readonly values: Float64Array;
  /** rows[r][i] = component `rowIndices[r]` of the unit eigenvector of values[i]. */
  readonly rows: Float64Array[];
}

const MAX_SWEEPS_PER_EIGENVALUE = 60;

/**
 * @param diag the m diagonal entries α.
 * @param offDiag the m − 1 off-diagonal entries β (extra entries are ignored).
 * @param rowIndices which rows of the eigenvector matrix to return.
 */
export function tridiagonalEigen(diag: ArrayLike<number>, offDiag: ArrayLike<number>, rowIndices: readonly number[]): TridiagonalEigen {
  const m = diag.length;
  if (offDiag.length < m - 1) {
    throw new RangeError(`tridiagonalEigen: offDiag has length ${offDiag.length}, need ${m - 1} for m = ${m}`);
  }
  const d = Float64Array.from(diag);
  const e = new Float64Array(m);
  for (let i = 0; i < m - 1; i++) e[i] = offDiag[i];
  const z = rowIndices.map((r) => {
    if (!Number.isInteger(r) || r < 0 || r >= m) {
      throw new RangeError(`tridiagonalEigen: row index ${r} out of range [0, ${m})`);
    }
    const row = new Float64Array(m);
    row[r] = 1;
    return row;
  });

  for (let l = 0; l < m; l++) {
    let sweeps = 0;
    for (;;) {
      // Find the first negligible off-diagonal at or after l: the block [l, mm] splits off.
      let mm = l;
      for (; mm < m - 1; mm++) {
        const dd = Math.abs(d[mm]) + Math.abs(d[mm + 1]);
        if (Math.abs(e[mm]) <= Number.EPSILON * dd) break;
      }
      if (mm === l) break;
      if (++sweeps > MAX_SWEEPS_PER_EIGENVALUE) {
        throw new Error(`tridiagonalEigen: no convergence after ${MAX_SWEEPS_PER_EIGENVALUE} sweeps (m = ${m})`);
      }
      // Wilkinson shift from the leading 2×2 block.
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[mm] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = mm - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Recover from underflow: deflate and restart this eigenvalue.
          d[i + 1] -= p;
          e[mm] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        for (const row of z) {
          const t = row[i + 1];
          row[i + 1] = s * row[i] + c * t;
          row[i] = c * row[i] - s * t;
        }
      }
      if (underflow) continue;
      d[l] -= p;
      e[l] = g;
      e[mm] = 0;
    }
  }

  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => d[b] - d[a]);
  const values = Float64Array.from(order, (i) => d[i]);
  const rows = z.map((row) => Float64Array.from(order, (i) => row[i]));
  return { values, rows };
}
