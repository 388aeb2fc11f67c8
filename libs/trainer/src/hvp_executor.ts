import * as tf from '@tensorflow/tfjs';
import { evalBatchIndices, gatherBatch, type Dataset } from '@lnsgd/data';
import { createFrozenKinkGradient, type FrozenKinkGradient, type Model } from '@lnsgd/models';
import type { HvpTask } from '@lnsgd/ps';
import { finiteDifferenceHvp, type Hvp } from '@lnsgd/sharpness';
import { batchLabels } from './evaluate';

/** Evaluation chunks per run when not given: the most workers one round can split over. */
export const DEFAULT_HVP_CHUNKS = 8;

/** The fixed evaluation batch of a run cut into chunks: the same for any worker count. */
export interface EvalChunks {
  readonly indices: Int32Array;
  /** Chunk c is indices[bounds[c], bounds[c+1]). */
  readonly bounds: Int32Array;
  readonly samples: number[];
}

/**
 * The evaluation batch (evalBatchIndices of `seed`, `size` samples) cut into `chunks`
 * contiguous chunks of ⌊·⌋-even sizes.
 */
export function evalChunks(opts: { readonly seed: number; readonly n: number; readonly size: number; readonly chunks: number }): EvalChunks {
  const size = Math.min(opts.n, opts.size);
  const chunks = Math.max(1, Math.min(opts.chunks, size));
  const indices = evalBatchIndices({ seed: opts.seed, n: opts.n, size });
  const bounds = Int32Array.from({ length: chunks + 1 }, (_, c) => Math.floor((c * size) / chunks));
  const samples = Array.from({ length: chunks }, (_, c) => bounds[c + 1] - bounds[c]);
  return { indices, bounds, samples };
}

/** A round's θ and, per evaluation chunk, its frozen-kink gradient, batch tensors and HVPs by step. */
interface Held {
  readonly theta: Float32Array;
  readonly byChunk: Map<number, { frozen: FrozenKinkGradient; tensors: tf.Tensor[]; hvps: Map<number, Hvp> }>;
}

/** A worker's side of estimation rounds. */
export interface HvpExecutor {
  readonly chunks: EvalChunks;
  /**
   * Σ_{c∈task} n_c·H_c v for each direction of the block (flat, direction-major,
   * `block`×numParams) at θ with finite-difference step ε, H_c the frozen-kink HVP of
   * chunk c's mean loss: one gradient pair per chunk and direction.
   */
  answer(a: { readonly theta: Float32Array; readonly epsilon: number; readonly task: HvpTask; readonly directions: Float64Array }): Float64Array;
  /** Frees the masks and batches of the round (call when the round closes). */
  endRound(): void;
}

/**
 * Computes a worker's share of an estimation round's Hessian-vector products. The
 * kinks (ReLU masks, pool choices) are recorded at the round's θ on each chunk and
 * replayed, as in measureSharpness; they are kept for the round's further blocks.
 *
 * @param opts the model, the training set, the run's seed, the evaluation-batch size and chunk count.
 */
export function createHvpExecutor(opts: {
  readonly model: Model;
  readonly ds: Dataset;
  readonly seed: number;
  readonly samples: number;
  readonly chunks?: number;
}): HvpExecutor {
  const { model, ds } = opts;
  const chunks = evalChunks({ seed: opts.seed, n: ds.n, size: opts.samples, chunks: opts.chunks ?? DEFAULT_HVP_CHUNKS });
  const n = model.numParams;
  /** The open round's θ and chunk gradients (replaced when θ changes). */
  let held: Held | undefined;
  const chunkHvp = (h: Held, c: number, epsilon: number): Hvp => {
    let t = h.byChunk.get(c);
    if (t === undefined) {
      const lo = chunks.bounds[c];
      const hi = chunks.bounds[c + 1];
      const b = gatherBatch(ds, chunks.indices.subarray(lo, hi));
      const x = tf.tensor(b.x, [hi - lo, ...ds.xShape]);
      const y = batchLabels(ds, b.y, hi - lo);
      try {
        t = { frozen: createFrozenKinkGradient(model, { theta: h.theta, x, y }), tensors: [x, y], hvps: new Map() };
      } catch (e) {
        tf.dispose([x, y]);
        throw e;
      }
      h.byChunk.set(c, t);
    }
    let hvp = t.hvps.get(epsilon);
    if (hvp === undefined) {
      hvp = finiteDifferenceHvp({ gradient: t.frozen.gradient, theta: h.theta, epsilon });
      t.hvps.set(epsilon, hvp);
    }
    return hvp;
  };
  const sameTheta = (a: Float32Array, b: Float32Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  const endRound = (): void => {
    for (const t of held?.byChunk.values() ?? []) {
      t.frozen.dispose();
      tf.dispose(t.tensors);
    }
    held = undefined;
  };
  return {
    chunks,
    answer({ theta, epsilon, task, directions }) {
      if (theta.length !== n) throw new RangeError(`HvpExecutor: θ has length ${theta.length}, model ${model.name} has ${n}`);
      if (directions.length === 0 || directions.length % n !== 0)
        throw new RangeError(`HvpExecutor: directions have length ${directions.length}, not a multiple of ${n}`);
      const count = chunks.samples.length;
      if (!(Number.isInteger(task.lo) && Number.isInteger(task.hi) && 0 <= task.lo && task.lo < task.hi && task.hi <= count)) {
        throw new RangeError(`HvpExecutor: task [${task.lo}, ${task.hi}) outside chunks [0, ${count})`);
      }
      if (held !== undefined && !sameTheta(held.theta, theta)) endRound();
      held ??= { theta: Float32Array.from(theta), byChunk: new Map() };
      const block = directions.length / n;
      const out = new Float64Array(directions.length);
      // Chunk by chunk in chunk order, so that a chunk's product is the same bits for any
      // worker count: workers differ only in how the float64 sum is grouped.
      for (let c = task.lo; c < task.hi; c++) {
        const hvp = chunkHvp(held, c, epsilon);
        const samples = chunks.samples[c];
        for (let j = 0; j < block; j++) {
          const hv = hvp(directions.subarray(j * n, (j + 1) * n));
          for (let i = 0; i < n; i++) out[j * n + i] += samples * hv[i];
        }
      }
      return out;
    },
    endRound,
  };
}
