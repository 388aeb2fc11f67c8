/**
 * Which is closer to the exact Hessian: the chunked products of estimation rounds
 * (Σ_c n_c·H_c v over 8 chunks, float32 gradients per chunk, float64 sums) or the
 * whole-batch product of measureSharpness (one float32 gradient over the batch)? Both
 * are compared with the dense float64 Hessian from the independent PyTorch reference
 * (libs/sharpness/src/reference/hessian_reference.py): per product along seeded
 * directions, and for λ_max, tr∇²L and R(θ) of the same estimator (same seed and
 * budget) run on the exact products. The setting is distributed_sharpness.test.ts's.
 * Needs /usr/bin/python3 with torch (python3-torch).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@lnsgd/backend';
import { evalBatchIndices, gatherBatch } from '@lnsgd/data';
import { createFrozenKinkGradient, createLossAndGradient, createModel, type Model } from '@lnsgd/models';
import { estimateSharpness, explicitHvp, finiteDifferenceHvp, type Hvp } from '@lnsgd/sharpness';
import { batchLabels, createHvpExecutor, DEFAULT_RELATIVE_STEP, inProcessRounds, measureSharpness, measureSharpnessByRounds } from '@lnsgd/trainer';
import { HESSIAN_REFERENCE, teacherData } from '@lnsgd/trainer/sharpness-calibration';
import type { Suite, SuiteResult } from '../suite';

const SEED = 3;
const SAMPLES = 64;
const CHUNKS = 8;
const BUDGET = { lanczosSteps: 10, probes: 3, slqSteps: 6, samples: SAMPLES };
const MODELS = { mlp: { sizes: [12, 24, 3] }, 'cnn-small': { inputShape: [6, 6, 1], numClasses: 3 } } as const;

/** As distributed_sharpness.test.ts: off init a little so that ReLUs are mixed. */
function perturbed(model: Model): Float32Array {
  const theta = model.init(SEED);
  for (let i = 0; i < theta.length; i++) theta[i] += 0.05 * Math.sin(i * 1.3);
  return theta;
}

const norm = (a: ArrayLike<number>): number => Math.sqrt(Array.from(a).reduce((s, x) => s + x * x, 0));
const relErr = (a: ArrayLike<number>, b: ArrayLike<number>): number => norm(Array.from(a, (x, i) => x - b[i])) / norm(b);
const rel = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Math.abs(a - b) / Math.abs(b));

type Row = Record<string, string | number | null>;

/** Per-product and per-figure relative errors of both float32 pipelines against the exact float64 Hessian. */
function compare(name: keyof typeof MODELS): { products: Row[]; figures: Row[]; seconds: number; refErr: number } {
  const model = createModel(name, MODELS[name]);
  const theta = perturbed(model);
  const ds = teacherData(model, 200);
  const n = model.numParams;
  const b = gatherBatch(ds, evalBatchIndices({ seed: SEED, n: ds.n, size: SAMPLES }));
  const x = tf.tensor(b.x, [SAMPLES, ...ds.xShape]);
  const y = batchLabels(ds, b.y, SAMPLES);
  const at = createLossAndGradient(model)(theta, x, y);

  // The dense float64 Hessian of the mean loss over the same 64 samples.
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-truth-'));
  let H: Float64Array;
  let ref: { loss_rel_err: number; grad_rel_err: number; seconds: number };
  try {
    const bytes = (a: Float32Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    writeFileSync(join(dir, 'theta.f32'), bytes(theta));
    writeFileSync(join(dir, 'x.f32'), bytes(b.x));
    writeFileSync(join(dir, 'y.i32'), bytes(Int32Array.from(b.y)));
    writeFileSync(join(dir, 'grad.f32'), bytes(at.grad));
    writeFileSync(join(dir, 'want_hessian'), '');
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ model: name, options: MODELS[name], n: SAMPLES, loss: at.loss, eta: 0.05, beta: 0 }));
    ref = JSON.parse(execFileSync('/usr/bin/python3', [HESSIAN_REFERENCE, dir], { encoding: 'utf8', maxBuffer: 1 << 24 })) as typeof ref;
    const raw = readFileSync(join(dir, 'hessian.f64'));
    H = new Float64Array(n * n);
    new Uint8Array(H.buffer).set(raw);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const exact: Hvp = explicitHvp(H, n);

  // The two float32 products, built as measureSharpness and the rounds build them.
  const epsilon = DEFAULT_RELATIVE_STEP * Math.max(1, norm(theta));
  const frozen = createFrozenKinkGradient(model, { theta, x, y });
  const whole = finiteDifferenceHvp({ gradient: frozen.gradient, theta, epsilon });
  const executor = createHvpExecutor({ model, ds, seed: SEED, samples: SAMPLES, chunks: CHUNKS });
  const chunked: Hvp = (v) => executor.answer({ theta, epsilon, task: { lo: 0, hi: CHUNKS }, directions: Float64Array.from(v) }).map((s) => s / SAMPLES);
  let state = 12345;
  const gauss = (): number => {
    // Seeded Box–Muller on an LCG: directions only need to be reproducible.
    const u = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 1) / 4294967297;
    return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  };
  const products: Row[] = [];
  for (let k = 0; k < 8; k++) {
    const v = Float64Array.from({ length: n }, gauss);
    const hv = exact(v);
    const we = relErr(whole(v), hv);
    const ce = relErr(chunked(v), hv);
    products.push({ model: name, direction: k, whole_batch_rel_err: we, chunked_rel_err: ce, chunked_closer: ce < we ? 'yes' : 'no' });
  }
  executor.endRound();
  frozen.dispose();
  tf.dispose([x, y]);

  // λ_max, tr∇²L and R(θ): the same estimator (seed, budget) on the exact products is the truth for both.
  const truth = estimateSharpness({
    hvp: exact,
    dim: n,
    eta: 0.05,
    beta: 0,
    seed: SEED,
    lanczosSteps: BUDGET.lanczosSteps,
    probes: BUDGET.probes,
    slqSteps: BUDGET.slqSteps,
  });
  const w = measureSharpness({ model, theta, ds, seed: SEED, eta: 0.05, beta: 0, budget: BUDGET });
  const executors = [0, 1].map(() => createHvpExecutor({ model, ds, seed: SEED, samples: SAMPLES, chunks: CHUNKS }));
  const c = measureSharpnessByRounds({
    theta,
    seed: SEED,
    eta: 0.05,
    beta: 0,
    samples: SAMPLES,
    budget: BUDGET,
    runRound: inProcessRounds({ executors, theta, shards: 2 }).runRound,
  });
  for (const e of executors) e.endRound();
  const figures: Row[] = (
    [
      ['top_eigenvalue', truth.topEigenvalue, w.top_eigenvalue, c.top_eigenvalue],
      ['trace_hessian', truth.traceHessian, w.trace_hessian, c.trace_hessian],
      ['implicit_regularizer', truth.implicitRegularizer, w.implicit_regularizer, c.implicit_regularizer],
    ] as const
  ).map(([figure, t, wb, ch]) => ({
    model: name,
    figure,
    exact_products: t,
    whole_batch_rel_err: rel(wb, t),
    chunked_rel_err: rel(ch, t),
    chunked_vs_whole: rel(ch, wb),
  }));
  return { products, figures, seconds: ref.seconds, refErr: Math.max(ref.loss_rel_err, ref.grad_rel_err) };
}

/**
 * The chunked (estimation rounds) and whole-batch (measureSharpness) float32 products
 * against the exact float64 Hessian, on the distributed test's small mlp and cnn-small.
 */
export const hvpTruthSuite: Suite = {
  name: 'hvp-truth',
  description:
    'chunked (estimation rounds) vs whole-batch (measureSharpness) Hessian-vector products and figures against the dense float64 PyTorch Hessian (mlp 12-24-3, cnn-small 6×6×1; 64 samples)',
  async run({ log }): Promise<SuiteResult> {
    await initBackend({ request: 'wasm' });
    const products: Row[] = [];
    const figures: Row[] = [];
    const summary: Record<string, number> = {};
    for (const name of ['mlp', 'cnn-small'] as const) {
      const r = compare(name);
      log(`${name}: reference in ${r.seconds.toFixed(0)} s (loss/gradient agree to ${r.refErr.toExponential(1)})`);
      products.push(...r.products);
      figures.push(...r.figures);
      const key = name.replace('-', '_');
      const med = (k: string): number => {
        const xs = r.products.map((p) => Number(p[k])).sort((a, b) => a - b);
        return xs[Math.floor(xs.length / 2)];
      };
      summary[`hvp_truth_${key}_whole_batch_median_rel_err`] = med('whole_batch_rel_err');
      summary[`hvp_truth_${key}_chunked_median_rel_err`] = med('chunked_rel_err');
    }
    return {
      rows: figures,
      tables: { products },
      summary,
      notes: [
        'exact_products: λ_max, tr∇²L and R(θ) of the same estimator (seed 3; 10 Lanczos steps, 3 probes × 6 SLQ steps; η = 0.05) on the dense float64 Hessian of the mean loss over the same 64 samples.',
        'whole_batch: measureSharpness (one float32 frozen-kink gradient over the batch per side of the difference); chunked: estimation rounds over 8 chunks (a float32 gradient per chunk, float64 sums), 2 workers, 2 shards.',
        'products: ‖ours − Hv‖/‖Hv‖ along 8 seeded Gaussian directions.',
      ],
    };
  },
};
