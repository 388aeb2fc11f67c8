import { evalBatchIndices, type DataSplit } from '@lnsgd/data';
import { createModel, type Model } from '@lnsgd/models';
import { stabilityThreshold } from '@lnsgd/optim';
import { evaluate, loadPresetData, measureSharpness, measureSharpnessByRounds, type HvpRoundRunner, type RunConfig } from '@lnsgd/trainer';
import type { Snapshot } from './snapshot';

/** Estimator budget (HVPs: lanczosSteps + probes·slqSteps per snapshot). */
export interface EstimatorBudget {
  readonly lanczosSteps: number;
  readonly probes: number;
  readonly slqSteps: number;
  /** Size of the fixed, noise-free evaluation batch (capped at the training-set size). */
  readonly samples: number;
  /** Top eigenvalues to report (capped at lanczosSteps and the parameter count). */
  readonly topK: number;
  /** Test samples for the test metric (capped at the test-set size). */
  readonly testSamples: number;
}

/** Everything the monitor exports about one snapshot. */
export interface SnapshotEstimate {
  readonly step: number;
  readonly topEigenvalue: number;
  readonly topEigenvalueError: number;
  /** Largest first. */
  readonly topK: readonly number[];
  readonly traceHessian: number;
  readonly traceHessianStderr: number;
  /** null when an eigenvalue reaches 2(1+β)/η. */
  readonly implicitRegularizer: number | null;
  readonly implicitRegularizerStderr: number | null;
  readonly unstableEigenvalues: number;
  /** η·λ_max/(2(1+β)). */
  readonly edgeOfStabilityRatio: number;
  readonly hvpCount: number;
  /** Clean loss on the evaluation batch. */
  readonly evalLoss: number;
  readonly testMetric: number;
  /** ‖θ − θ_start‖. */
  readonly distanceFromStart: number;
  readonly wallSeconds: number;
  /** Seconds its estimation rounds took (--sharpness distributed only). */
  readonly roundSeconds?: number;
  /** Seconds its rounds waited for the round budget (--sharpness distributed only). */
  readonly roundPauseSeconds?: number;
  /** Training steps' worth of time its rounds took from the workers (--sharpness distributed, when training moved meanwhile). */
  readonly roundTrainingSteps?: number;
}

/** A synchronous estimator bound to one run. */
export interface SnapshotEstimator {
  readonly model: Model;
  estimate(snapshot: Snapshot): SnapshotEstimate;
  /** Frees the evaluation-batch tensors. */
  dispose(): void;
}

/**
 * Prepares the run's model, data, fixed evaluation batch and θ_start once, then
 * estimates each snapshot: λ_max with its Lanczos residual and the top-k Ritz
 * values, tr∇²L and R(θ) (deflated SLQ) for the run's η and β, the clean loss on the
 * evaluation batch, the test metric and ‖θ − θ_start‖. The sharpness figures are
 * measureSharpness's on the same evaluation batch (frozen-kink HVPs with their
 * measured error in the error bars).
 * Call it on a thread of its own: an estimate blocks for its whole duration.
 *
 * @param opts the resolved run configuration and the budget.
 */
export function createSnapshotEstimator(opts: {
  readonly config: RunConfig;
  readonly budget: EstimatorBudget;
  /** Products by estimation rounds (the workers) instead of on this thread; same estimator, budget and evaluation batch. */
  readonly rounds?: { readonly runRound: HvpRoundRunner };
}): SnapshotEstimator {
  const { preset, hyper } = opts.config;
  const { budget } = opts;
  const model = createModel(preset.model.name, preset.model.options ?? {});
  const data: DataSplit = loadPresetData(preset.data, hyper.seed);
  const thetaStart = model.init(hyper.seed);
  const size = Math.min(data.train.n, budget.samples);
  const evalIdx = evalBatchIndices({ seed: hyper.seed, n: data.train.n, size });
  const testIdx = Int32Array.from({ length: Math.min(data.test.n, budget.testSamples) }, (_, i) => i);
  const threshold = stabilityThreshold({ eta: hyper.lr, beta: hyper.momentum });
  const lanczosSteps = Math.min(budget.lanczosSteps, model.numParams);
  const topK = Math.max(1, Math.min(budget.topK, lanczosSteps));
  return {
    model,
    estimate(snapshot) {
      if (snapshot.theta.length !== model.numParams) {
        throw new RangeError(`estimate: snapshot of step ${snapshot.step} has ${snapshot.theta.length} parameters, model ${model.name} has ${model.numParams}`);
      }
      const t0 = performance.now();
      const sharpnessBudget = { lanczosSteps, topK, probes: budget.probes, slqSteps: budget.slqSteps, samples: size };
      const f =
        opts.rounds === undefined
          ? measureSharpness({ model, theta: snapshot.theta, ds: data.train, seed: hyper.seed, eta: hyper.lr, beta: hyper.momentum, budget: sharpnessBudget })
          : measureSharpnessByRounds({
              theta: snapshot.theta,
              seed: hyper.seed,
              eta: hyper.lr,
              beta: hyper.momentum,
              samples: size,
              budget: sharpnessBudget,
              runRound: opts.rounds.runRound,
            });
      const r = {
        topEigenvalue: f.top_eigenvalue,
        topEigenvalueError: f.top_eigenvalue_error,
        topK: f.top_k,
        traceHessian: f.trace_hessian,
        traceHessianStderr: f.trace_hessian_stderr,
        implicitRegularizer: f.implicit_regularizer,
        implicitRegularizerStderr: f.implicit_regularizer_stderr,
        unstableEigenvalues: f.unstable_eigenvalues,
        hvpCount: f.hvp_count,
      };
      const clean = evaluate(model, snapshot.theta, { ds: data.train, indices: evalIdx });
      const test = evaluate(model, snapshot.theta, { ds: data.test, indices: testIdx });
      let d2 = 0;
      for (let i = 0; i < thetaStart.length; i++) d2 += (snapshot.theta[i] - thetaStart[i]) ** 2;
      return {
        step: snapshot.step,
        topEigenvalue: r.topEigenvalue,
        topEigenvalueError: r.topEigenvalueError,
        topK: r.topK ?? [r.topEigenvalue],
        traceHessian: r.traceHessian,
        traceHessianStderr: r.traceHessianStderr,
        implicitRegularizer: r.implicitRegularizer,
        implicitRegularizerStderr: r.implicitRegularizerStderr,
        unstableEigenvalues: r.unstableEigenvalues.length,
        edgeOfStabilityRatio: r.topEigenvalue / threshold,
        hvpCount: r.hvpCount,
        evalLoss: clean.loss,
        testMetric: test.metric,
        distanceFromStart: Math.sqrt(d2),
        wallSeconds: (performance.now() - t0) / 1000,
      };
    },
    dispose() {
      // Nothing held: measureSharpness frees its batch and masks on each estimate.
    },
  };
}
