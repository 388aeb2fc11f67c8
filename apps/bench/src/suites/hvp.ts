import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalBatchIndices, gatherBatch } from '@lnsgd/data';
import { createBatchLossAndGradient, createModel } from '@lnsgd/models';
import { finiteDifferenceHvp, lanczos, powerIteration, runHvpCountBench, type Hvp } from '@lnsgd/sharpness';
import { loadPresetData, readParamsFile, resolveRunConfig, trainInProcess } from '@lnsgd/trainer';
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

/** `npm run bench -- hvp`: Hessian-vector products to get λ_max within 1%, Lanczos vs power iteration. */
export const hvpSuite: Suite = {
  name: 'hvp',
  description: 'HVPs to reach λ_max within 1%: Lanczos vs power iteration (linreg-diag, trained MLP)',
  async run({ quick, log }) {
    const diag: HvpRow[] = runHvpCountBench({ dims: quick ? [1000] : [100, 1000, 10000] }).map((row) => ({
      problem: row.problem,
      lanczos_hvps: row.lanczosHvps,
      power_hvps: row.powerHvps,
      pyhessian_stop_hvps: row.pyhessianStopHvps,
      pyhessian_stop_rel_error: Math.abs(row.pyhessianStopEstimate - 1),
    }));
    const mlp = await trainedMlpRow(log, quick);
    const rows = [...diag, mlp];
    const d1000 = diag.find((r) => r.problem.includes('d=1000'));
    return {
      rows,
      summary: {
        hvp_linreg_diag_lanczos: d1000?.lanczos_hvps ?? null,
        hvp_linreg_diag_power: d1000?.power_hvps ?? null,
        hvp_mlp_lanczos: mlp.lanczos_hvps,
        hvp_mlp_power: mlp.power_hvps,
      },
      notes: [
        'lanczos_hvps / power_hvps: fewest HVPs whose estimate is within 1% of the true λ_max (linreg-diag: exactly 1; MLP: a 60-step Lanczos reference).',
        "pyhessian_stop: power iteration with PyHessian's stopping rule (relative change < 1e-3, at most 100 iterations) and its error at the stop.",
      ],
    };
  },
};
