import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createModel } from '@lnsgd/models';
import { measureSharpness } from './measure_sharpness';
import { readParamsFile } from './params_file';
import { loadPresetData } from './preset_data';
import { resolveRunConfig } from './run_config';
import { trainInProcess } from './train_inprocess';

/**
 * ∇²L of quadratic-sparse, L = ¼·mean((⟨v⊙v, x_i⟩ − y_i)²), in closed form:
 * (1/n) Σ_i [2 (v⊙x_i)(v⊙x_i)ᵀ + r_i diag(x_i)], r_i = ⟨v⊙v, x_i⟩ − y_i (float64).
 */
function exactHessian(v: Float32Array, x: Float32Array, y: Float32Array | Int32Array, n: number): number[][] {
  const d = v.length;
  const h = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let j = 0; j < d; j++) f += v[j] * v[j] * x[i * d + j];
    const r = f - y[i];
    const a = Array.from({ length: d }, (_, j) => v[j] * x[i * d + j]);
    for (let j = 0; j < d; j++) {
      h[j][j] += (r * x[i * d + j]) / n;
      for (let k = 0; k < d; k++) h[j][k] += (2 * a[j] * a[k]) / n;
    }
  }
  return h;
}

// The issue this guards against: after 2000 label-noise steps the λ_max estimates
// scattered over probe seeds 150 times their reported error (a Ritz residual of 1e-15
// while float32 HVPs are good to ~1e-5). Needs /usr/bin/python3 with numpy for the
// eigenvalues of the closed-form Hessian.
void describe('quadratic-sparse after 2000 label-noise steps: the λ_max error bar over probe seeds', () => {
  void test('covers the closed-form λ_max in ≥ 90% of 60 seeds and is not smaller than the scatter', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lnsgd-qs-'));
    try {
      const file = path.join(dir, 'qs.bin');
      const config = resolveRunConfig('quadratic-sparse', { steps: 2000 });
      await trainInProcess({ config, backend: 'wasm', saveParams: file, sharpness: false });
      const saved = readParamsFile(file);
      const ds = loadPresetData(config.preset.data, saved.header.seed).train;
      const h = exactHessian(saved.theta, ds.x, ds.y, ds.n);
      const script = 'import json,sys,numpy as np; h=np.array(json.load(sys.stdin)); print(json.dumps(np.linalg.eigvalsh((h+h.T)/2).tolist()))';
      const eig = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(h), encoding: 'utf8' })) as number[];
      const truth = eig[eig.length - 1];
      const model = createModel('quadratic-sparse', {});
      const seeds = 60;
      const runs = Array.from({ length: seeds }, (_, seed) =>
        measureSharpness({ model, theta: saved.theta, ds, seed, dataSeed: saved.header.seed, eta: config.hyper.lr, beta: config.hyper.momentum }),
      );
      const values = runs.map((r) => r.top_eigenvalue);
      const mean = values.reduce((a, b) => a + b, 0) / seeds;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (seeds - 1));
      const meanError = runs.reduce((a, r) => a + r.top_eigenvalue_error, 0) / seeds;
      const covered = runs.filter((r) => Math.abs(r.top_eigenvalue - truth) <= r.top_eigenvalue_error).length / seeds;
      console.log(
        `quadratic-sparse λ_max ${truth} (next ${eig[eig.length - 2]}): mean ${mean}, sd ${sd.toExponential(2)}, mean error ${meanError.toExponential(2)}, covered ${covered}`,
      );
      // Measured: 100% covered, scatter 0.1–0.2 of the mean reported error.
      assert.ok(covered >= 0.9, `covered in ${covered} of seeds`);
      assert.ok(sd <= meanError, `scatter ${sd} against a mean reported error ${meanError}`);
      assert.ok(Math.abs(mean - truth) <= meanError, `bias ${mean - truth} against ${meanError}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
