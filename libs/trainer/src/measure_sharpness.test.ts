import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@lnsgd/backend';
import type { Dataset } from '@lnsgd/data';
import { createLossAndGradient, createModel, type Model, type ModelName } from '@lnsgd/models';
import { measureSharpness, type SharpnessFields } from './measure_sharpness';

/**
 * Calibration against an independent float64 reference: PyTorch rebuilds each zoo
 * model's loss from θ and the same samples (libs/sharpness/src/reference/
 * hessian_reference.py, /usr/bin/python3 with python3-torch), checks it reproduces
 * our loss and gradient, and diagonalises the dense double-backward Hessian. Sizes
 * are small so that the dense Hessian fits a CI machine.
 */
const REFERENCE = path.resolve(__dirname, '../../sharpness/src/reference/hessian_reference.py');

interface Reference {
  readonly loss_rel_err: number;
  readonly grad_rel_err: number;
  readonly top_eigenvalue: number;
  readonly trace_hessian: number;
  readonly implicit_regularizer: number | null;
  readonly eta: number;
}

interface Case {
  readonly model: ModelName;
  readonly options: Record<string, unknown>;
  readonly samples: number;
  readonly steps: number;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** Inputs uniform in [−1, 1), labels from a random linear teacher (so that training lowers the loss). */
function teacherData(model: Model, n: number): Dataset {
  const d = model.inputShape.reduce((a, b) => a * b, 1);
  const rnd = lcg(17);
  const x = Float32Array.from({ length: n * d }, () => 2 * rnd());
  const teacher = Float64Array.from({ length: d * model.numClasses }, rnd);
  const y = Int32Array.from({ length: n }, (_, i) => {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < model.numClasses; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += x[i * d + j] * teacher[j * model.numClasses + c];
      if (s > bestScore) [best, bestScore] = [c, s];
    }
    return best;
  });
  return { name: 'teacher', n, xShape: model.inputShape, x, y, yDim: 1, task: 'classification', numClasses: model.numClasses };
}

/** θ after `steps` full-batch gradient steps of size `lr` from init(1), and the loss/gradient there. */
function trained(model: Model, ds: Dataset, a: { steps: number; lr: number }): { theta: Float32Array; loss: number; grad: Float32Array } {
  const x = tf.tensor(ds.x, [ds.n, ...ds.xShape]);
  const y = tf.tensor1d(ds.y, 'int32');
  const lg = createLossAndGradient(model);
  const theta = model.init(1);
  try {
    for (let s = 0; s < a.steps; s++) {
      const { grad } = lg(theta, x, y);
      for (let i = 0; i < theta.length; i++) theta[i] -= a.lr * grad[i];
    }
    const r = lg(theta, x, y);
    return { theta, loss: r.loss, grad: Float32Array.from(r.grad) };
  } finally {
    tf.dispose([x, y]);
  }
}

function reference(c: Case, ds: Dataset, at: { theta: Float32Array; loss: number; grad: Float32Array; etaTimesTop: number }): Reference {
  const dir = mkdtempSync(path.join(tmpdir(), 'lnsgd-hessian-'));
  try {
    const bytes = (a: Float32Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    writeFileSync(path.join(dir, 'theta.f32'), bytes(at.theta));
    writeFileSync(path.join(dir, 'x.f32'), bytes(ds.x));
    writeFileSync(path.join(dir, 'y.i32'), bytes(ds.y));
    writeFileSync(path.join(dir, 'grad.f32'), bytes(at.grad));
    writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ model: c.model, options: c.options, n: ds.n, loss: at.loss, eta_times_top: at.etaTimesTop, beta: 0 }));
    return JSON.parse(execFileSync('/usr/bin/python3', [REFERENCE, dir], { encoding: 'utf8' })) as Reference;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Spread {
  readonly within1: number;
  readonly within2: number;
  readonly meanError: number;
  readonly sd: number;
  readonly bias: number;
}

function spread(values: number[], errors: number[], truth: number): Spread {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / Math.max(1, values.length - 1));
  const frac = (k: number): number => values.filter((v, i) => Math.abs(v - truth) <= k * errors[i]).length / values.length;
  return { within1: frac(1), within2: frac(2), meanError: errors.reduce((a, b) => a + b, 0) / errors.length, sd, bias: m - truth };
}

function runCase(c: Case, a: { seeds: number; sampleParts?: number }): { ref: Reference; runs: SharpnessFields[] }[] {
  const model = createModel(c.model, c.options as never);
  const ds = teacherData(model, c.samples);
  const out: { ref: Reference; runs: SharpnessFields[] }[] = [];
  for (const steps of [0, c.steps]) {
    const at = trained(model, ds, { steps, lr: 0.2 });
    // η with η·λ_max/2 = 0.5: R(θ) well defined and visibly non-linear in the spectrum.
    const ref = reference(c, ds, { ...at, etaTimesTop: 1 });
    const eta = ref.eta;
    assert.ok(ref.loss_rel_err <= 1e-6 && ref.grad_rel_err <= 1e-6, `${c.model} step ${steps}: torch reproduces loss/grad to ${ref.loss_rel_err}/${ref.grad_rel_err}`);
    const runs = Array.from({ length: a.seeds }, (_, seed) =>
      measureSharpness({ model, theta: at.theta, ds, seed, dataSeed: 0, eta, beta: 0, budget: { samples: c.samples, sampleParts: a.sampleParts } }),
    );
    out.push({ ref, runs });
  }
  return out;
}

void describe('measureSharpness against a float64 PyTorch Hessian', () => {
  void test('mlp at init and after training: within max(3 errors, 2%), coverage 68/95 ± 10 over probe seeds', async () => {
    await initBackend({ request: 'wasm' });
    const c: Case = { model: 'mlp', options: { sizes: [12, 24, 3] }, samples: 64, steps: 40 };
    // 80 probe seeds: the binomial standard deviation of a 68% coverage is then 5 points.
    // One part (no sample-stderr HVPs) keeps it fast; the probe and HVP error bars do not depend on it.
    for (const { ref, runs } of runCase(c, { seeds: 80, sampleParts: 1 })) {
      const lam = spread(runs.map((r) => r.top_eigenvalue), runs.map((r) => r.top_eigenvalue_error), ref.top_eigenvalue);
      const tr = spread(runs.map((r) => r.trace_hessian), runs.map((r) => r.trace_hessian_stderr), ref.trace_hessian);
      const reg = spread(runs.map((r) => r.implicit_regularizer ?? NaN), runs.map((r) => r.implicit_regularizer_stderr ?? NaN), ref.implicit_regularizer ?? NaN);
      console.log(JSON.stringify({ ref, lam, tr, reg, hvp_relative_error: runs[0].hvp_relative_error }));
      assert.ok(lam.within1 >= 0.9, `λ_max bar covers the truth in ${lam.within1}`);
      assert.ok(lam.meanError <= 3 * Math.hypot(lam.sd, lam.bias), `λ_max: reported ${lam.meanError} against an actual error of ${Math.hypot(lam.sd, lam.bias)}`);
      for (const [name, s] of [['trace', tr], ['R', reg]] as const) {
        assert.ok(Math.abs(s.within1 - 0.68) <= 0.1, `${name}: ${s.within1} within 1 error`);
        assert.ok(Math.abs(s.within2 - 0.95) <= 0.1, `${name}: ${s.within2} within 2 errors`);
        assert.ok(s.meanError <= 3 * s.sd, `${name}: reported ${s.meanError} against a spread of ${s.sd}`);
      }
    }
  });

  for (const c of [
    { model: 'cnn-small', options: { inputShape: [4, 4, 1], numClasses: 3 }, samples: 8, steps: 20 },
    { model: 'resnet18', options: { width: 1, inputShape: [8, 8, 3], numClasses: 3, groups: 1 }, samples: 4, steps: 20 },
  ] as const satisfies readonly Case[]) {
    void test(`${c.model} at init and after training: λ_max, tr∇²L and R(θ) within max(3 errors, 2%)`, async () => {
      await initBackend({ request: 'wasm' });
      for (const { ref, runs } of runCase(c, { seeds: 2 })) {
        for (const r of runs) {
          console.log(JSON.stringify({ model: c.model, ref, r }));
          const near = (v: number, err: number, truth: number): boolean => Math.abs(v - truth) <= Math.max(3 * err, 0.02 * Math.abs(truth));
          assert.ok(near(r.top_eigenvalue, r.top_eigenvalue_error, ref.top_eigenvalue), `λ_max ${r.top_eigenvalue} ± ${r.top_eigenvalue_error} vs ${ref.top_eigenvalue}`);
          assert.ok(near(r.trace_hessian, r.trace_hessian_stderr, ref.trace_hessian), `tr ${r.trace_hessian} ± ${r.trace_hessian_stderr} vs ${ref.trace_hessian}`);
          assert.ok(r.implicit_regularizer !== null && ref.implicit_regularizer !== null);
          assert.ok(near(r.implicit_regularizer, r.implicit_regularizer_stderr ?? Infinity, ref.implicit_regularizer), `R ${r.implicit_regularizer} vs ${ref.implicit_regularizer}`);
        }
      }
    });
  }
});
