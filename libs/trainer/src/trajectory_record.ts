import { evalBatchIndices, type DataSplit } from '@lnsgd/data';
import type { Model } from '@lnsgd/models';
import { noiseScaleFromTwoBatches } from '@lnsgd/sharpness';
import { evaluate } from './evaluate';
import type { NoisyGradient, ShareOf } from './noisy_gradient';
import type { Hyper } from './presets';
import type { LatestSharpness } from './train_events';

/**
 * One recorded point of a run's trajectory. snake_case: it is a line of the study's
 * per-run trajectory JSONL.
 */
export interface TrajectoryRecord {
  /** Steps completed (0 = θ₀). */
  readonly step: number;
  /** Samples seen: step · B. */
  readonly samples: number;
  /** Clean loss on the same fixed evaluation subset as the summary's train_loss. */
  readonly train_loss: number;
  /** Test metric on the whole test split. */
  readonly test_metric: number;
  /**
   * Two-batch estimates at this θ on the next step's noisy batch (McCandlish et al.
   * 2018, appendix A): the batch split into W shares of B/W gives |G_small|², the whole
   * batch |G_big|². Single estimates are noisy (|G|² may even come out negative);
   * average tr Σ and |G|² over records before dividing. Null when B < 2.
   */
  readonly noise_trace_sigma: number | null;
  readonly noise_grad_sq_norm: number | null;
  /** The latest sharpness estimate (taken at sharpness_step), when there was one. */
  readonly sharpness_step?: number;
  readonly top_eigenvalue?: number;
  readonly trace_hessian?: number;
}

/**
 * Builds the function that records one trajectory point. Costs one test-set
 * evaluation, one evaluation of the train subset and one extra batch gradient (in W
 * shares).
 *
 * @param o model, data, hyper-parameters, the run's noisy gradient and the eval subset size.
 */
export function trajectoryRecorder(o: {
  readonly model: Model;
  readonly data: DataSplit;
  readonly hyper: Hyper;
  readonly noisyGradient: (theta: Float32Array, share: ShareOf) => NoisyGradient;
  readonly evalSize?: number;
}): (theta: Float32Array, step: number, latest: LatestSharpness | undefined) => TrajectoryRecord {
  const { model, data, hyper } = o;
  const evalIdx = evalBatchIndices({ seed: hyper.seed, n: data.train.n, size: Math.min(data.train.n, o.evalSize ?? 4096) });
  const shares = Math.min(4, hyper.batch);
  return (theta, step, latest) => {
    const trainEval = evaluate(model, theta, { ds: data.train, indices: evalIdx });
    const testEval = evaluate(model, theta, { ds: data.test });
    let traceSigma: number | null = null;
    let gradSq: number | null = null;
    if (shares >= 2) {
      const big = new Float64Array(model.numParams);
      let smallSq = 0;
      let total = 0;
      for (let r = 0; r < shares; r++) {
        const g = o.noisyGradient(theta, { step, rank: r, worldSize: shares });
        let sq = 0;
        for (let i = 0; i < g.grad.length; i++) {
          sq += g.grad[i] * g.grad[i];
          big[i] += g.samples * g.grad[i];
        }
        smallSq += sq / shares;
        total += g.samples;
      }
      let bigSq = 0;
      for (let i = 0; i < big.length; i++) bigSq += (big[i] / total) ** 2;
      const est = noiseScaleFromTwoBatches({ bSmall: total / shares, gSmallSqNorm: smallSq, bBig: total, gBigSqNorm: bigSq });
      traceSigma = est.traceSigma;
      gradSq = est.gradSqNorm;
    }
    return {
      step,
      samples: step * hyper.batch,
      train_loss: trainEval.loss,
      test_metric: testEval.metric,
      noise_trace_sigma: traceSigma,
      noise_grad_sq_norm: gradSq,
      ...(latest !== undefined ? { sharpness_step: latest.sharpness_step, top_eigenvalue: latest.top_eigenvalue, trace_hessian: latest.trace_hessian } : {}),
    };
  };
}
