import type { Telemetry } from './telemetry';

/**
 * The fields of the trainer's events (`@lnsgd/trainer` TrainEvent, the `lnsgd train
 * --json` contract) that the sink reads. Declared structurally so telemetry does not
 * depend on the trainer; passing a TrainEvent checks the fields at compile time.
 */
export type TrainEventLike =
  | {
      readonly event: 'start';
      readonly global_batch: number;
      readonly eta: number;
      readonly sigma: number;
      readonly flip_prob: number;
      readonly beta: number;
      readonly lambda: number | null;
    }
  | {
      readonly event: 'progress';
      readonly step: number;
      readonly loss: number;
      readonly elapsed_s: number;
      readonly num_tensors?: number;
      readonly trace_noise_covariance?: number | null;
      readonly trace_noise_covariance_stderr?: number | null;
    }
  | ({
      readonly event: 'summary';
      readonly steps: number;
      readonly train_loss: number;
      readonly test_metric: number;
      readonly trace_noise_covariance: number | null;
      readonly trace_noise_covariance_stderr: number | null;
    } & (
      | {
          readonly top_eigenvalue: number;
          readonly top_eigenvalue_error: number;
          readonly trace_hessian: number;
          readonly trace_hessian_stderr: number;
          readonly implicit_regularizer: number | null;
          readonly implicit_regularizer_stderr: number | null;
          readonly unstable_eigenvalues: readonly number[];
          readonly sharpness_wall_s: number;
        }
      | { readonly sharpness_skipped: true }
    ));

/**
 * Turns an in-process run's event stream into metrics of a `trainer` telemetry:
 * start → hyper-parameters, λ and 2(1+β)/η; progress → step, loss, samples, step
 * durations, live tensors and tr G; summary → clean loss, test metric, tr G and the final sharpness.
 *
 * Step durations: progress events carry only the elapsed time, so each step of an
 * interval is observed at the interval's mean step time.
 *
 * @param telemetry a telemetry of role `trainer` (or any role exporting these keys).
 * @returns the `onEvent` callback for `trainInProcess`.
 * @example trainInProcess({config, onEvent: trainEventSink(telemetry)})
 */
export function trainEventSink(telemetry: Telemetry): (e: TrainEventLike) => void {
  let batch = 0;
  let threshold = Number.NaN;
  let lastStep = 0;
  let lastElapsed = 0;
  let samples = 0;
  // NaN, not absence, when tr G is undefined (classification), as for R(θ).
  const noiseCovariance = (trace: number | null, stderr: number | null): void =>
    telemetry.update({ noiseCovarianceTrace: trace ?? Number.NaN, noiseCovarianceTraceStderr: stderr ?? Number.NaN });
  return (e) => {
    switch (e.event) {
      case 'start':
        batch = e.global_batch;
        // 2(1+β)/η: gradient descent with heavy-ball momentum diverges along eigenvalues above it.
        threshold = (2 * (1 + e.beta)) / e.eta;
        telemetry.update({
          trainStep: 0,
          trainSamples: 0,
          learningRate: e.eta,
          labelNoiseSigma: e.sigma,
          labelFlipProbability: e.flip_prob,
          batchSize: e.global_batch,
          momentum: e.beta,
          regularizationStrength: e.lambda ?? undefined,
          stabilityThreshold: threshold,
        });
        return;
      case 'progress': {
        const steps = e.step - lastStep;
        if (steps > 0) {
          const perStep = (e.elapsed_s - lastElapsed) / steps;
          for (let i = 0; i < steps; i++) telemetry.observe('trainStepDuration', perStep);
          samples += steps * batch;
        }
        lastStep = e.step;
        lastElapsed = e.elapsed_s;
        telemetry.update({ trainStep: e.step, trainLoss: e.loss, trainSamples: samples, tfjsTensors: e.num_tensors });
        if (e.trace_noise_covariance !== undefined) noiseCovariance(e.trace_noise_covariance, e.trace_noise_covariance_stderr ?? null);
        return;
      }
      case 'summary':
        telemetry.update({ trainStep: e.steps, evalLoss: e.train_loss, testMetric: e.test_metric });
        noiseCovariance(e.trace_noise_covariance, e.trace_noise_covariance_stderr);
        if ('sharpness_skipped' in e) return;
        telemetry.update({
          hessianTopEigenvalue: e.top_eigenvalue,
          hessianTopEigenvalueError: e.top_eigenvalue_error,
          hessianTrace: e.trace_hessian,
          hessianTraceStderr: e.trace_hessian_stderr,
          // NaN, not absence: R(θ) is undefined past the edge of stability, and the series should say so.
          implicitRegularizer: e.implicit_regularizer ?? Number.NaN,
          implicitRegularizerStderr: e.implicit_regularizer_stderr ?? Number.NaN,
          unstableEigenvalues: e.unstable_eigenvalues.length,
          edgeOfStabilityRatio: e.top_eigenvalue / threshold,
          sharpnessStep: e.steps,
        });
        telemetry.observe('sharpnessDuration', e.sharpness_wall_s);
        return;
    }
  };
}
