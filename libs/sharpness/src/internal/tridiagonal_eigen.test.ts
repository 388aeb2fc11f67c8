import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { tridiagonalEigen } from './tridiagonal_eigen';

void describe('tridiagonalEigen', () => {
  void test('Toeplitz tridiagonal matches the closed form a + 2b·cos(πj/(m+1)) and sin eigenvectors', () => {
    const m = 40;
    const a = 0.3;
    const b = -1.7;
    const all = Array.from({ length: m }, (_, i) => i);
    const { values, rows } = tridiagonalEigen(new Float64Array(m).fill(a), new Float64Array(m - 1).fill(b), all);
    const exact = Array.from({ length: m }, (_, j) => a + 2 * b * Math.cos((Math.PI * (j + 1)) / (m + 1))).sort((x, y) => y - x);
    for (let j = 0; j < m; j++) assert.ok(Math.abs(values[j] - exact[j]) < 1e-12, `eig ${j}: ${values[j]} vs ${exact[j]}`);
    // Check T z = λ z and unit norm for each eigenvector.
    for (let j = 0; j < m; j++) {
      let nrm = 0;
      for (let r = 0; r < m; r++) {
        const tz = a * rows[r][j] + (r > 0 ? b * rows[r - 1][j] : 0) + (r < m - 1 ? b * rows[r + 1][j] : 0);
        assert.ok(Math.abs(tz - values[j] * rows[r][j]) < 1e-12);
        nrm += rows[r][j] ** 2;
      }
      assert.ok(Math.abs(nrm - 1) < 1e-12);
    }
  });

  void test('tracking a subset of rows gives the same rows as tracking all', () => {
    const diag = [4, -1, 2, 7, 0.5, 3];
    const off = [1, 0.2, -3, 0.7, 1e-3];
    const all = tridiagonalEigen(diag, off, [0, 1, 2, 3, 4, 5]);
    const some = tridiagonalEigen(diag, off, [0, 5]);
    for (let j = 0; j < 6; j++) {
      assert.ok(Math.abs(all.values[j] - some.values[j]) < 1e-14);
      assert.ok(Math.abs(all.rows[0][j] - some.rows[0][j]) < 1e-13);
      assert.ok(Math.abs(all.rows[5][j] - some.rows[1][j]) < 1e-13);
    }
  });

  void test('handles 1×1, zero off-diagonals and repeated eigenvalues', () => {
    assert.deepEqual(Array.from(tridiagonalEigen([2.5], [], [0]).values), [2.5]);
    const split = tridiagonalEigen([1, 3, 3, 2], [0, 0, 0], [0, 1, 2, 3]);
    assert.deepEqual(Array.from(split.values), [3, 3, 2, 1]);
  });

  void test('rejects a short offDiag and bad row indices', () => {
    assert.throws(() => tridiagonalEigen([1, 2, 3], [1], [0]), /tridiagonalEigen: offDiag has length 1/);
    assert.throws(() => tridiagonalEigen([1, 2], [1], [2]), /row index 2 out of range/);
  });
});
