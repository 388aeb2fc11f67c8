import { HvpRound } from '@lnsgd/ps';
import { SHARPNESS_DEFAULTS, estimateSharpness, type Hvp, type HvpBlock } from '@lnsgd/sharpness';
import { keyRanges } from '@lnsgd/transport';
import type { HvpExecutor } from './hvp_executor';
import { DEFAULT_RELATIVE_STEP, sharpnessFieldsOf, type SharpnessBudget, type SharpnessFields } from './measure_sharpness';

/** One estimation round: a block of directions (flat, direction-major) at step ε ↦ the combined H·v block. */
export type HvpRoundRunner = (r: { readonly epsilon: number; readonly directions: Float64Array }) => Float64Array;

/**
 * λ_max, tr∇²L and R(θ) with every Hessian-vector product taken by an estimation round
 * (the workers' sample-weighted mean over the evaluation batch): the same estimator,
 * budget and finite-difference step as measureSharpness, so the figures equal its own
 * on the same θ, seed and samples. The `*_sample_stderr` fields are null (no parts).
 *
 * @param opts θ, seed (probes), η/β, budget and the round runner.
 */
export function measureSharpnessByRounds(opts: {
  readonly theta: Float32Array;
  readonly seed: number;
  readonly eta: number;
  readonly beta: number;
  /** Evaluation samples the rounds cover (reported as sharpness_samples). */
  readonly samples: number;
  readonly budget?: SharpnessBudget;
  readonly runRound: HvpRoundRunner;
  /**
   * Independent directions share a round (default true): the SLQ probes' Lanczos runs
   * advance in lockstep, one direction per run per round, and the HVP-error check takes
   * two rounds; false sends one direction per round. Both give the same figures.
   */
  readonly blockProbes?: boolean;
}): SharpnessFields {
  const t0 = performance.now();
  const budget = opts.budget ?? {};
  const n = opts.theta.length;
  let thetaNorm = 0;
  for (const t of opts.theta) thetaNorm += t * t;
  const epsilon = (budget.relativeStep ?? DEFAULT_RELATIVE_STEP) * Math.max(1, Math.sqrt(thetaNorm));
  const hvpAt =
    (eps: number): Hvp =>
    (v) =>
      opts.runRound({ epsilon: eps, directions: v });
  const blockAt =
    (eps: number): HvpBlock =>
    (vs) => {
      const directions = new Float64Array(vs.length * n);
      vs.forEach((v, j) => directions.set(v, j * n));
      const out = opts.runRound({ epsilon: eps, directions });
      return vs.map((_, j) => out.slice(j * n, (j + 1) * n));
    };
  const blocks = opts.blockProbes === false ? {} : { hvpBlock: blockAt(epsilon), hvpHalfStepBlock: blockAt(epsilon / 2) };
  const d = SHARPNESS_DEFAULTS;
  const r = estimateSharpness({
    hvp: hvpAt(epsilon),
    hvpHalfStep: hvpAt(epsilon / 2),
    dim: n,
    eta: opts.eta,
    beta: opts.beta,
    seed: opts.seed,
    lanczosSteps: Math.min(budget.lanczosSteps ?? d.lanczosSteps, n),
    probes: budget.probes,
    slqSteps: budget.slqSteps,
    topK: budget.topK,
    ...blocks,
  });
  return sharpnessFieldsOf(r, opts.samples, t0);
}

/**
 * Rounds run in one process over `workers` executors (rank r ↦ executors[r]) and
 * `shards` key ranges, each shard combining its slice with its own {@link HvpRound}:
 * the protocol's arithmetic without sockets, for tests and the bench's baseline.
 * `lose(round)` names ranks lost in that round before they answer (their tasks go to
 * the survivors, as a shard does on a missed heartbeat).
 */
export function inProcessRounds(opts: {
  readonly executors: readonly HvpExecutor[];
  readonly theta: Float32Array;
  readonly shards: number;
  readonly lose?: (round: number) => readonly number[];
}): { readonly runRound: HvpRoundRunner; readonly rounds: () => number; readonly reassigned: () => number } {
  const { executors, theta } = opts;
  const n = theta.length;
  const ranges = keyRanges(n, opts.shards);
  const chunks = executors[0].chunks;
  let round = 0;
  let reassigned = 0;
  const runRound: HvpRoundRunner = ({ epsilon, directions }) => {
    round++;
    const block = directions.length / n;
    const ranks = executors.map((_, r) => r);
    const shardRounds = ranges.map(
      (kr) => new HvpRound({ round, chunks: chunks.samples.length, chunkSamples: chunks.samples, block, sliceLength: kr.length, ranks }),
    );
    for (const r of opts.lose?.(round) ?? []) for (const s of shardRounds) s.lose(r);
    // Every live worker answers what the shards say it owes, until all close.
    for (let pass = 0; shardRounds.some((s) => !s.closed); pass++) {
      if (pass > executors.length) throw new Error(`inProcessRounds: round ${round} does not close`);
      for (const rank of shardRounds[0].waitingFor) {
        for (const task of [...shardRounds[0].tasksOf(rank)]) {
          const full = executors[rank].answer({ theta, epsilon, task, directions });
          const samples = shardRounds[0].samplesOf(task);
          ranges.forEach((kr, s) => {
            const products = new Float64Array(block * kr.length);
            for (let j = 0; j < block; j++) products.set(full.subarray(j * n + kr.offset, j * n + kr.offset + kr.length), j * kr.length);
            const offer = shardRounds[s].offer({ rank, task, samples, products });
            if (offer.kind !== 'accepted') throw new Error(`inProcessRounds: shard ${s} ${offer.kind}: ${'message' in offer ? offer.message : ''}`);
          });
        }
      }
    }
    reassigned += shardRounds[0].counters.reassigned;
    const out = new Float64Array(block * n);
    ranges.forEach((kr, s) => {
      const c = shardRounds[s].combined;
      if (c === undefined) throw new Error(`inProcessRounds: shard ${s} did not close round ${round}`);
      for (let j = 0; j < block; j++) out.set(c.subarray(j * kr.length, (j + 1) * kr.length), j * n + kr.offset);
    });
    return out;
  };
  return { runRound, rounds: () => round, reassigned: () => reassigned };
}
