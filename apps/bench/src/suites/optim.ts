import { cpus } from 'node:os';
import { ParameterShard, type ParameterShardOptions } from '@lnsgd/ps';
import type { Suite, SuiteResult } from '../suite';

/** A recipe the PS can be told to run, with whether a fused kernel is registered for it. */
interface Recipe {
  readonly name: string;
  readonly hyper: ParameterShardOptions['hyper'];
  readonly fused: boolean;
}

const BASE = { lr: 0.1, momentum: 0.9, weightDecay: 5e-4, warmupSteps: 10, steps: 1000 } as const;
const RECIPES: readonly Recipe[] = [
  { name: 'sgd (heavy ball, wd, warm-up)', hyper: BASE, fused: true },
  { name: 'sgd + cosine + clip-norm 1', hyper: { ...BASE, schedule: 'cosine', clipNorm: 1 }, fused: false },
  { name: 'lars + clip-norm 1', hyper: { ...BASE, optimizer: 'lars', clipNorm: 1, trustCoefficient: 0.001 }, fused: false },
];

/**
 * Milliseconds per closeStep (combine of the pushes + one optimizer step) of each shard,
 * best of `rounds` rounds in which the shards take turns, so load drift hits them alike.
 */
function timeSteps(shards: readonly ParameterShard[], io: { grads: readonly Float32Array[]; reps: number; rounds: number }): number[] {
  const step = (shard: ParameterShard): number => {
    io.grads.forEach((grad, rank) => shard.addPush({ rank, samples: 16, loss: 1, grad }));
    const t0 = process.hrtime.bigint();
    shard.closeStep();
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  for (const shard of shards) for (let k = 0; k < 3; k++) step(shard);
  const best = shards.map(() => Infinity);
  for (let round = 0; round < io.rounds; round++) {
    shards.forEach((shard, j) => {
      let ms = 0;
      for (let k = 0; k < io.reps; k++) ms += step(shard);
      best[j] = Math.min(best[j], ms / io.reps);
    });
  }
  return best;
}

/**
 * The parameter shard's step (combine + optimizer) per recipe: the fused SGD kernel
 * against the generic in-place chain for the same recipe, side by side in one run, and
 * the chain's cost for recipes without a fused kernel (LARS, clipping, schedules).
 * Decides where a fused kernel pays (its ratio) — see `fusedKernelFor` in @lnsgd/optim.
 */
export const optimSuite: Suite = {
  name: 'optim',
  description: 'PS step per optimizer recipe: fused SGD kernel vs the in-place chain (1M, 10M parameters; 1 and 2 workers)',
  // The measurement is synchronous, hence no await; the Suite contract is async.
  // eslint-disable-next-line @typescript-eslint/require-await
  async run({ quick, log }): Promise<SuiteResult> {
    const sizes = quick ? [1 << 20] : [1 << 20, 10 << 20];
    const rows: Record<string, string | number | null>[] = [];
    const summary: Record<string, number> = {};
    for (const n of sizes) {
      const theta = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
      for (const workers of [1, 2]) {
        const grads = Array.from({ length: workers }, (_, r) => Float32Array.from({ length: n }, (_, i) => Math.cos(i * (r + 2)) * 1e-3));
        const reps = n > 2e6 ? 3 : quick ? 5 : 10;
        const layers = [{ offset: 0, size: n }];
        for (const recipe of RECIPES) {
          // The fused kernel twice: its WebAssembly SIMD pass (the shard's default) and its JS loops.
          const paths = recipe.fused
            ? [
                { fusedKernel: true, wasmKernel: true },
                { fusedKernel: true, wasmKernel: false },
                { fusedKernel: false, wasmKernel: false },
              ]
            : [{ fusedKernel: false, wasmKernel: false }];
          const shards = paths.map((k) => new ParameterShard({ params: theta, hyper: recipe.hyper, layers, ...k, reuseParams: true }));
          const ms = timeSteps(shards, { grads, reps, rounds: quick ? 2 : 5 });
          const fusedMs = recipe.fused ? ms[0] : null;
          const fusedJsMs = recipe.fused ? ms[1] : null;
          const chainMs = ms[ms.length - 1];
          log(
            `${n} params, ${workers} worker(s), ${recipe.name}: chain ${chainMs.toFixed(2)} ms` +
              (fusedMs === null ? '' : `, fused JS ${(fusedJsMs as number).toFixed(2)} ms, fused wasm SIMD ${fusedMs.toFixed(2)} ms`),
          );
          rows.push({
            params: n,
            workers,
            recipe: recipe.name,
            fused_ms: fusedMs,
            fused_js_ms: fusedJsMs,
            chain_ms: chainMs,
            chain_over_fused: fusedMs === null ? null : chainMs / fusedMs,
            js_over_wasm: fusedMs === null || fusedJsMs === null ? null : fusedJsMs / fusedMs,
          });
          const key = `${n >= 1e7 ? '10m' : '1m'}_w${workers}`;
          if (fusedMs !== null) summary[`optim_chain_over_fused_${key}`] = chainMs / fusedMs;
          if (fusedMs !== null && fusedJsMs !== null) summary[`optim_fused_js_over_wasm_${key}`] = fusedJsMs / fusedMs;
        }
      }
    }
    return {
      rows,
      summary,
      notes: [
        `${cpus().length} CPU core(s), one thread; best of 5 rounds in which the fused and chain shards take turns. A step is ParameterShard.closeStep: the float64 combine of the workers' pushes, the optimizer and θ + u.`,
        "fused: the single-pass kernel registered for plain SGD (sgdInPlace) as the shard runs it, its pass in WebAssembly SIMD over the shard's arena; fused_js: the same kernel's JS loops (wasmKernel: false); chain: combine into one owned buffer, the in-place chain, then θ + u (all bit-identical for SGD).",
        'js_over_wasm: what the SIMD pass saves (f64x2 lanes; the squared-norm sums stay serial, in element order, to keep the bits).',
        'chain_over_fused > 1 is what the fused kernel saves; LARS and clipping have no fused kernel and run the chain after the last part.',
      ],
    };
  },
};
