import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
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
/** The float64 PyTorch reference script (run with /usr/bin/python3). */
export const HESSIAN_REFERENCE = path.resolve(__dirname, '../../sharpness/src/reference/hessian_reference.py');

/** What the reference prints. */
export interface Reference {
  readonly dim: number;
  readonly loss_rel_err: number;
  readonly grad_rel_err: number;
  readonly top_eigenvalue: number;
  readonly trace_hessian: number;
  readonly implicit_regularizer: number | null;
  readonly eta: number;
}

/** A zoo model at a size whose dense Hessian fits, and how long to train it. */
export interface Case {
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
export function teacherData(model: Model, n: number): Dataset {
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
export function trained(model: Model, ds: Dataset, a: { steps: number; lr: number }): { theta: Float32Array; loss: number; grad: Float32Array } {
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

/** Runs the PyTorch reference on θ and the data set's samples. */
export function reference(c: Case, ds: Dataset, at: { theta: Float32Array; loss: number; grad: Float32Array; etaTimesTop: number }): Reference {
  const dir = mkdtempSync(path.join(tmpdir(), 'lnsgd-hessian-'));
  try {
    const bytes = (a: Float32Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    writeFileSync(path.join(dir, 'theta.f32'), bytes(at.theta));
    writeFileSync(path.join(dir, 'x.f32'), bytes(ds.x));
    writeFileSync(path.join(dir, 'y.i32'), bytes(ds.y));
    writeFileSync(path.join(dir, 'grad.f32'), bytes(at.grad));
    writeFileSync(
      path.join(dir, 'meta.json'),
      JSON.stringify({ model: c.model, options: c.options, n: ds.n, loss: at.loss, eta_times_top: at.etaTimesTop, beta: 0 }),
    );
    return JSON.parse(execFileSync('/usr/bin/python3', [HESSIAN_REFERENCE, dir], { encoding: 'utf8' })) as Reference;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Estimates over probe seeds against the truth. */
export interface Spread {
  readonly within1: number;
  readonly within2: number;
  readonly within3: number;
  readonly meanError: number;
  readonly sd: number;
  readonly bias: number;
}

/** Coverage within 1, 2 and 3 reported errors, mean reported error, spread and bias. */
export function spread(values: number[], errors: number[], truth: number): Spread {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / Math.max(1, values.length - 1));
  const frac = (k: number): number => values.filter((v, i) => Math.abs(v - truth) <= k * errors[i]).length / values.length;
  return { within1: frac(1), within2: frac(2), within3: frac(3), meanError: errors.reduce((a, b) => a + b, 0) / errors.length, sd, bias: m - truth };
}

/**
 * For θ at init(1) and after `c.steps` gradient steps: the reference (checked to
 * reproduce our loss and gradient to 1e-6) and measureSharpness over `seeds` probe seeds
 * on the same samples, η = 1/λ_max.
 */
export function runCase(
  c: Case,
  a: {
    seeds: number;
    sampleParts?: number;
    /** Training steps to estimate at (default [0, c.steps]). */
    states?: readonly number[];
    onRun?: (steps: number, seed: number, r: SharpnessFields) => void;
  },
): { steps: number; ref: Reference; runs: SharpnessFields[] }[] {
  const model = createModel(c.model, c.options as never);
  const ds = teacherData(model, c.samples);
  const out: { steps: number; ref: Reference; runs: SharpnessFields[] }[] = [];
  for (const steps of a.states ?? [0, c.steps]) {
    const at = trained(model, ds, { steps, lr: 0.2 });
    // η with η·λ_max/2 = 0.5: R(θ) well defined and visibly non-linear in the spectrum.
    const ref = reference(c, ds, { ...at, etaTimesTop: 1 });
    const eta = ref.eta;
    if (!(ref.loss_rel_err <= 1e-6 && ref.grad_rel_err <= 1e-6)) {
      throw new Error(`runCase: the reference reproduces ${c.model}'s loss/gradient at step ${steps} only to ${ref.loss_rel_err}/${ref.grad_rel_err}`);
    }
    const runs = Array.from({ length: a.seeds }, (_, seed) => {
      const r = measureSharpness({ model, theta: at.theta, ds, seed, dataSeed: 0, eta, beta: 0, budget: { samples: c.samples, sampleParts: a.sampleParts } });
      a.onRun?.(steps, seed, r);
      return r;
    });
    out.push({ steps, ref, runs });
  }
  return out;
}
