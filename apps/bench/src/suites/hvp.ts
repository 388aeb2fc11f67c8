import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalBatchIndices, gatherBatch } from '@lnsgd/data';
import { createBatchLossAndGradient, createFrozenKinkGradient, createModel } from '@lnsgd/models';
import { startHvpRoundHost } from '@lnsgd/ps';
import * as tf from '@tensorflow/tfjs';
import { finiteDifferenceHvp, lanczos, powerIteration, runHvpCountBench, type Hvp } from '@lnsgd/sharpness';
import {
  batchLabels,
  createHvpExecutor,
  DEFAULT_HVP_CHUNKS,
  hvpRoundWorkerScript,
  inProcessRounds,
  loadPresetData,
  readParamsFile,
  resolveRunConfig,
  trainInProcess,
  type HvpRoundWorkerArgs,
} from '@lnsgd/trainer';
import type { Suite } from '../suite';

/**
 * Replays earlier Hessian-vector products: Lanczos (and power iteration) with the
 * same seed issue the same first s products for any step budget, so sweeping the
 * budget costs one run's HVPs, not s² of them. Inputs are compared exactly.
 */
function replayingHvp(hvp: Hvp): { hvp: Hvp; reset: () => void; computed: () => number } {
  const seen: { v: Float64Array; hv: Float64Array }[] = [];
  let call = 0;
  let computed = 0;
  const same = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  return {
    hvp: (v) => {
      const hit = seen[call];
      call++;
      if (hit !== undefined && same(hit.v, v)) return Float64Array.from(hit.hv);
      computed++;
      const hv = hvp(v);
      seen[call - 1] = { v: Float64Array.from(v), hv: Float64Array.from(hv) };
      return hv;
    },
    reset: () => {
      call = 0;
    },
    computed: () => computed,
  };
}

function firstWithin(opts: { run: (budget: number) => number; target: number; cap: number }): number | null {
  for (let b = 1; b <= opts.cap; b++) {
    if (Math.abs(opts.run(b) - opts.target) <= 0.01 * Math.abs(opts.target)) return b;
  }
  return null;
}

/** HVPs to λ_max within 1% on a trained MLP (784-512-10 after 100 steps on the synthetic teacher set). */
type HvpRow = {
  readonly problem: string;
  readonly lanczos_hvps: number | null;
  readonly power_hvps: number | null;
  readonly pyhessian_stop_hvps: number;
  readonly pyhessian_stop_rel_error: number;
};

async function trainedMlpRow(log: (l: string) => void, quick: boolean): Promise<HvpRow> {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-bench-'));
  try {
    const file = join(dir, 'mlp.bin');
    const config = resolveRunConfig('mlp', { steps: quick ? 20 : 100 });
    log(`training mlp for ${config.hyper.steps} steps`);
    await trainInProcess({ config, sharpness: false, saveParams: file });
    const { theta } = readParamsFile(file);
    const model = createModel('mlp', config.preset.model.options ?? {});
    const { train } = loadPresetData(config.preset.data, 0);
    const idx = evalBatchIndices({ seed: 0, n: train.n, size: 256 });
    const b = gatherBatch(train, idx);
    const lg = createBatchLossAndGradient(model);
    const gradient = (t: Float32Array): Float32Array => Float32Array.from(lg(t, { x: b.x, y: b.y, size: idx.length }).grad);
    const base = finiteDifferenceHvp({ gradient, theta });
    const r = replayingHvp(base);
    const dim = model.numParams;
    log('reference λ_max: 60 Lanczos steps');
    const ref = lanczos(r.hvp, { dim, steps: 60, seed: 1 });
    const target = ref.values[0];
    const cap = quick ? 30 : 100;
    log('sweeping Lanczos step budgets');
    const lz = firstWithin({ run: (s) => (r.reset(), lanczos(r.hvp, { dim, steps: s, seed: 1 }).values[0]), target, cap });
    log('sweeping power-iteration budgets');
    const pw = firstWithin({ run: (s) => (r.reset(), powerIteration(r.hvp, { dim, maxIters: s, tol: 0, seed: 1 }).value), target, cap });
    r.reset();
    const py = powerIteration(r.hvp, { dim, maxIters: 100, tol: 1e-3, seed: 1 });
    return {
      problem: `mlp 784-512-10 trained ${config.hyper.steps} steps (ref ${target.toPrecision(5)} ± ${ref.residuals[0].toPrecision(2)})`,
      lanczos_hvps: lz,
      power_hvps: pw,
      pyhessian_stop_hvps: py.hvpCount,
      pyhessian_stop_rel_error: Math.abs(py.value - target) / target,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** HVPs per second on the MLP preset (784-512-10, 1,024 evaluation samples) at its initial θ, by path. */
interface Throughput {
  readonly local: number;
  readonly localChunked: number;
  /** By worker processes over ZeroMQ, block of 1 and of 4 directions per round. */
  readonly distributed: { readonly workers: number; readonly block: number; readonly hvpsPerS: number }[];
}

async function hvpThroughput(log: (l: string) => void, quick: boolean): Promise<Throughput> {
  const seed = 0;
  const samples = 1024;
  const reps = quick ? 2 : 8;
  const config = resolveRunConfig('mlp', {});
  const model = createModel('mlp', config.preset.model.options ?? {});
  const { train } = loadPresetData(config.preset.data, seed);
  const theta = model.init(seed);
  const n = model.numParams;
  const direction = (r: number): Float64Array => Float64Array.from({ length: n }, (_, i) => Math.sin(r * 1.7 + i * 0.01));
  const rate = (count: number, t0: number): number => count / ((performance.now() - t0) / 1000);
  // Local: measureSharpness's product, one frozen-kink gradient pair over the whole batch.
  const idx = evalBatchIndices({ seed, n: train.n, size: samples });
  const b = gatherBatch(train, idx);
  const x = tf.tensor(b.x, [samples, ...train.xShape]);
  const y = batchLabels(train, b.y, samples);
  const frozen = createFrozenKinkGradient(model, { theta, x, y });
  let local: number;
  try {
    const hvp = finiteDifferenceHvp({ gradient: frozen.gradient, theta });
    hvp(direction(0));
    const t0 = performance.now();
    for (let r = 1; r <= reps; r++) hvp(direction(r));
    local = rate(reps, t0);
  } finally {
    frozen.dispose();
    tf.dispose([x, y]);
  }
  log(`local whole-batch: ${local.toFixed(2)} HVP/s`);
  // The step finiteDifferenceHvp takes by default, so that every path computes the same product.
  const epsilon = 1e-3 * Math.max(1, Math.sqrt(theta.reduce((s, t) => s + t * t, 0)));
  const executor = createHvpExecutor({ model, ds: train, seed, samples });
  let localChunked: number;
  try {
    const rounds = inProcessRounds({ executors: [executor], theta, shards: 1 });
    rounds.runRound({ epsilon, directions: direction(0) });
    const t0 = performance.now();
    for (let r = 1; r <= reps; r++) rounds.runRound({ epsilon, directions: direction(r) });
    localChunked = rate(reps, t0);
  } finally {
    executor.endRound();
  }
  log(`local chunked (${DEFAULT_HVP_CHUNKS} chunks): ${localChunked.toFixed(2)} HVP/s`);
  const distributed: Throughput['distributed'] = [];
  for (const workers of [1, 2]) {
    const host = await startHvpRoundHost({ endpoint: 'tcp://127.0.0.1:0', chunkSamples: executor.chunks.samples, lossTimeoutMs: 600_000 });
    const children: ChildProcess[] = Array.from({ length: workers }, (_, rank) => {
      const args: HvpRoundWorkerArgs = { endpoint: host.endpoint, rank, model: { preset: 'mlp' }, seed, samples, chunks: DEFAULT_HVP_CHUNKS };
      return spawn(process.execPath, [hvpRoundWorkerScript(), JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit'] });
    });
    try {
      await host.waitForWorkers(workers, 120_000);
      for (const block of [1, 4]) {
        const dirs = (r: number): Float64Array => {
          const out = new Float64Array(block * n);
          for (let j = 0; j < block; j++) out.set(direction(r * block + j), j * n);
          return out;
        };
        // The first round also records the masks at θ: not timed.
        await host.runRound({ estimate: 1, theta, epsilon, directions: dirs(0) });
        const rounds = Math.max(1, Math.round(reps / block));
        const t0 = performance.now();
        for (let r = 1; r <= rounds; r++) await host.runRound({ estimate: 1, theta, epsilon, directions: dirs(r) });
        const hvpsPerS = rate(rounds * block, t0);
        distributed.push({ workers, block, hvpsPerS });
        log(`distributed, ${workers} worker(s), block ${block}: ${hvpsPerS.toFixed(2)} HVP/s`);
      }
    } finally {
      for (const c of children) c.kill('SIGTERM');
      await Promise.all(children.map((c) => (c.exitCode !== null ? Promise.resolve() : new Promise<void>((res) => c.once('exit', () => res())))));
      await host.close();
    }
  }
  return { local, localChunked, distributed };
}

/** `npm run bench -- hvp`: Hessian-vector products to get λ_max within 1%, Lanczos vs power iteration. */
export const hvpSuite: Suite = {
  name: 'hvp',
  description: 'HVPs to reach λ_max within 1%: Lanczos vs power iteration (linreg-diag, trained MLP); HVPs/s local vs distributed (MLP)',
  async run({ quick, log }) {
    const diag: HvpRow[] = runHvpCountBench({ dims: quick ? [1000] : [100, 1000, 10000] }).map((row) => ({
      problem: row.problem,
      lanczos_hvps: row.lanczosHvps,
      power_hvps: row.powerHvps,
      pyhessian_stop_hvps: row.pyhessianStopHvps,
      pyhessian_stop_rel_error: Math.abs(row.pyhessianStopEstimate - 1),
    }));
    const mlp = await trainedMlpRow(log, quick);
    const speed = await hvpThroughput(log, quick);
    const dist = (w: number, b: number): number | null => speed.distributed.find((d) => d.workers === w && d.block === b)?.hvpsPerS ?? null;
    const rows = [...diag, mlp];
    const d1000 = diag.find((r) => r.problem.includes('d=1000'));
    return {
      rows,
      summary: {
        hvp_linreg_diag_lanczos: d1000?.lanczos_hvps ?? null,
        hvp_linreg_diag_power: d1000?.power_hvps ?? null,
        hvp_mlp_lanczos: mlp.lanczos_hvps,
        hvp_mlp_power: mlp.power_hvps,
        hvps_per_s_mlp_local: speed.local,
        hvps_per_s_mlp_local_chunked: speed.localChunked,
        hvps_per_s_mlp_distributed_1w: dist(1, 1),
        hvps_per_s_mlp_distributed_2w: dist(2, 1),
        hvps_per_s_mlp_distributed_1w_block4: dist(1, 4),
        hvps_per_s_mlp_distributed_2w_block4: dist(2, 4),
      },
      notes: [
        'lanczos_hvps / power_hvps: fewest HVPs whose estimate is within 1% of the true λ_max (linreg-diag: exactly 1; MLP: a 60-step Lanczos reference).',
        "pyhessian_stop: power iteration with PyHessian's stopping rule (relative change < 1e-3, at most 100 iterations) and its error at the stop.",
        `hvps_per_s_*: MLP 784-512-10 at init on 1,024 evaluation samples. local: one frozen-kink gradient pair over the whole batch (measureSharpness); local_chunked: the same in ${DEFAULT_HVP_CHUNKS} chunks in one process; distributed_Nw: estimation rounds over ZeroMQ to N worker processes on this machine (blockK: K directions per round).`,
      ],
    };
  },
};
