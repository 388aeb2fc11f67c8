import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@lnsgd/backend';
import { evalBatchIndices, gatherBatch } from '@lnsgd/data';
import { createFrozenKinkGradient, createModel, type Model } from '@lnsgd/models';
import { estimateSharpness, finiteDifferenceHvp, type Hvp } from '@lnsgd/sharpness';
import { inProcessRounds, measureSharpnessByRounds } from './distributed_sharpness';
import { createHvpExecutor } from './hvp_executor';
import { batchLabels } from './evaluate';
import { measureSharpness, type SharpnessBudget, type SharpnessFields } from './measure_sharpness';
import { teacherData } from './sharpness_calibration';

// The CI form of "distributed equals single-process": λ_max, tr∇²L and R(θ) from
// estimation rounds over 1, 2 and 4 workers and 2 shards (and 4 workers losing one
// mid-estimate) against measureSharpness on the same θ, seed and evaluation samples.
// The single-process reference is written here independently of the executor and the
// rounds: Σ_c w_c·H_c v over the same fixed chunks, each H_c a frozen-kink central
// difference. measureSharpness itself takes one gradient over the whole batch: its
// float32 sums are grouped differently, which moves the figures by ~1e-5 (checked
// against a looser bound, 2e-4, below its own reported HVP error).

const SAMPLES = 64;
const BUDGET: SharpnessBudget = { lanczosSteps: 10, probes: 3, slqSteps: 6, samples: SAMPLES };
const SEED = 3;
const CHUNKS = 8;

/** λ_max, tr and R on Σ_c w_c·H_c v, one process, no rounds (shares no code with the executor). */
function singleProcess(model: Model, theta: Float32Array): { top: number; trace: number; reg: number | null } {
  const ds = teacherData(model, 200);
  const idx = evalBatchIndices({ seed: SEED, n: ds.n, size: SAMPLES });
  const parts: { hvp: Hvp; w: number; dispose: () => void }[] = [];
  let norm = 0;
  for (const t of theta) norm += t * t;
  const epsilon = 1e-3 * Math.max(1, Math.sqrt(norm));
  try {
    for (let c = 0; c < CHUNKS; c++) {
      const lo = Math.floor((c * SAMPLES) / CHUNKS);
      const hi = Math.floor(((c + 1) * SAMPLES) / CHUNKS);
      const b = gatherBatch(ds, idx.subarray(lo, hi));
      const x = tf.tensor(b.x, [hi - lo, ...ds.xShape]);
      const y = batchLabels(ds, b.y, hi - lo);
      const f = createFrozenKinkGradient(model, { theta, x, y });
      parts.push({
        hvp: finiteDifferenceHvp({ gradient: f.gradient, theta, epsilon }),
        w: (hi - lo) / SAMPLES,
        dispose: () => (f.dispose(), tf.dispose([x, y])),
      });
    }
    const hvp: Hvp = (v) => {
      const out = new Float64Array(v.length);
      for (const p of parts) {
        const hv = p.hvp(v);
        for (let i = 0; i < v.length; i++) out[i] += p.w * hv[i];
      }
      return out;
    };
    const r = estimateSharpness({ hvp, dim: theta.length, eta: 0.05, beta: 0, seed: SEED, lanczosSteps: 10, probes: 3, slqSteps: 6 });
    return { top: r.topEigenvalue, trace: r.traceHessian, reg: r.implicitRegularizer };
  } finally {
    for (const p of parts) p.dispose();
  }
}

function relDiff(a: number | null, b: number | null): number {
  assert.ok(a !== null && b !== null, `R defined on both sides (${a}, ${b})`);
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
}

function perturbed(model: Model): Float32Array {
  // Off init a little so that ReLUs are mixed and the Hessian is not degenerate.
  const theta = model.init(SEED);
  for (let i = 0; i < theta.length; i++) theta[i] += 0.05 * Math.sin(i * 1.3);
  return theta;
}

function byRounds(
  model: Model,
  theta: Float32Array,
  workers: number,
  lose?: (round: number) => readonly number[],
  blockProbes = true,
): { fields: SharpnessFields; reassigned: number; rounds: number } {
  const ds = teacherData(model, 200);
  const executors = Array.from({ length: workers }, () => createHvpExecutor({ model, ds, seed: SEED, samples: SAMPLES, chunks: CHUNKS }));
  try {
    const cluster = inProcessRounds({ executors, theta, shards: 2, lose });
    const fields = measureSharpnessByRounds({
      theta,
      seed: SEED,
      eta: 0.05,
      beta: 0,
      samples: SAMPLES,
      budget: BUDGET,
      runRound: cluster.runRound,
      blockProbes,
    });
    return { fields, reassigned: cluster.reassigned(), rounds: cluster.rounds() };
  } finally {
    for (const e of executors) e.endRound();
  }
}

for (const [name, options] of [
  ['mlp', { sizes: [12, 24, 3] }],
  ['cnn-small', { inputShape: [6, 6, 1], numClasses: 3 }],
] as const) {
  void describe(`estimation rounds on ${name}`, () => {
    void test('1, 2, 4 workers over 2 shards, and a worker lost mid-estimate, equal the single-process estimate to 1e-5', async () => {
      await initBackend({ request: 'wasm' });
      const model = createModel(name, options);
      const theta = perturbed(model);
      const ds = teacherData(model, 200);
      const whole = measureSharpness({ model, theta, ds, seed: SEED, eta: 0.05, beta: 0, budget: BUDGET });
      const ref = singleProcess(model, theta);
      const before = tf.memory().numTensors;
      const runs = [1, 2, 4].map((w) => ({ label: `${w} workers`, ...byRounds(model, theta, w) }));
      // Rank 1 of 4 is lost in rounds 3 to 5 (before answering): its chunks go to the others.
      runs.push({ label: '4 workers, rank 1 lost', ...byRounds(model, theta, 4, (r) => (r >= 3 && r <= 5 ? [1] : [])) });
      // Rank 2 of 4 lost in a block round (the SLQ probes' first lockstep round).
      const firstBlock = BUDGET.lanczosSteps! + 1;
      runs.push({ label: '4 workers, rank 2 lost in a block', ...byRounds(model, theta, 4, (r) => (r === firstBlock ? [2] : [])) });
      const single = byRounds(model, theta, 2, undefined, false);
      assert.equal(tf.memory().numTensors, before, 'the rounds leave no tensors behind');
      assert.ok(runs[3].reassigned > 0 && runs[4].reassigned > 0, 'the losses reassigned tasks');
      // One direction per round gives the same figures as blocks, in one round per product.
      const { sharpness_wall_s: _a, ...oneByOne } = single.fields;
      const { sharpness_wall_s: _b, ...blocked } = runs[1].fields;
      assert.deepEqual(blocked, oneByOne);
      assert.equal(single.rounds, single.fields.hvp_count);
      // Blocks: the top Lanczos run one round per step, SLQ one per step, the HVP check two.
      assert.equal(runs[1].rounds, BUDGET.lanczosSteps! + BUDGET.slqSteps! + 2);
      console.log(`${name}: ${single.rounds} rounds one direction at a time, ${runs[1].rounds} with block probes`);
      for (const r of runs) {
        const d = [relDiff(r.fields.top_eigenvalue, ref.top), relDiff(r.fields.trace_hessian, ref.trace), relDiff(r.fields.implicit_regularizer, ref.reg)];
        const w = [
          relDiff(r.fields.top_eigenvalue, whole.top_eigenvalue),
          relDiff(r.fields.trace_hessian, whole.trace_hessian),
          relDiff(r.fields.implicit_regularizer, whole.implicit_regularizer),
        ];
        assert.ok(
          w.every((x) => x <= 2e-4),
          `${name}, ${r.label} vs measureSharpness: λ ${w[0]}, tr ${w[1]}, R ${w[2]} (its HVP error ${whole.hvp_relative_error})`,
        );
        assert.ok(
          d.every((x) => x <= 1e-5),
          `${name}, ${r.label}: relative differences λ ${d[0]}, tr ${d[1]}, R ${d[2]}`,
        );
        console.log(
          `${name}, ${r.label}: rel diff λ ${d[0].toExponential(2)} tr ${d[1].toExponential(2)} R ${d[2].toExponential(2)}; vs whole-batch ${w.map((x) => x.toExponential(2)).join(' ')}`,
        );
      }
      // A distinct θ must move the figures far more than the tolerance (the test can fail).
      const other = byRounds(
        model,
        Float32Array.from(theta, (x) => 1.5 * x),
        2,
      );
      assert.ok(relDiff(other.fields.top_eigenvalue, ref.top) > 1e-3);
    });
  });
}
