import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendRequest } from '@lnsgd/backend';
import type { Dataset } from '@lnsgd/data';
import { createModel, type Model } from '@lnsgd/models';
import { KvWorker, Resync, type Share, type StepOutcome } from '@lnsgd/ps';
import type { CurveConfig, pbTypes } from '@lnsgd/transport';
import type { Telemetry } from '@lnsgd/telemetry';
import { createNoisyGradient, type NoisyGradient } from './noisy_gradient';
import { loadPresetData } from './preset_data';
import { makeLabelNoiser } from './label_noiser';
import { presetTask, resolveRunConfig, type RunConfig } from './run_config';
import { hyperFromRunSpec, type RunSpecFields } from './hyper_table';
import type { Hyper } from './presets';
import { startEvent, summarizeRun } from './run_summary';
import { createNoiseCovarianceTrace, noiseCovarianceFields } from './noise_covariance_trace';
import { defaultSharpnessEvery } from './train_inprocess';
import type { ProgressEvent, StartEvent, TrainSummary } from './train_events';
import { TrainingError } from './training_error';
import { writeParamsFile } from './params_file';

/** What the worker loop is configured with (the worker app's config extends it). */
export interface WorkerLoopConfig {
  /** One endpoint per parameter-server shard, in shard order. */
  readonly ps: readonly string[];
  /** Rank wanted, or -1 for any (the parameter server assigns one). */
  readonly rank: number;
  readonly workerId: string;
  readonly backend: BackendRequest;
  readonly authToken: string;
  /** Report start / progress / summary events while this worker holds share 0 (rank 0 unless lost). */
  readonly events: boolean;
  readonly progressEvery?: number;
  /** Estimate sharpness at the final θ (the reporting worker). */
  readonly sharpness: boolean;
  readonly timeoutMs: number;
  readonly registerTimeoutMs: number;
  /** How long to keep registering again (with backoff) after a server restarted or dropped this worker. */
  readonly reconnectTimeoutMs: number;
  readonly retries: number;
  readonly checksum: boolean;
  /** The reporting worker writes the final θ here (atomically). */
  readonly saveParams?: string;
}

/** A progress event of the distributed run: the in-process fields plus the noise scale. */
export type ClusterProgressEvent = ProgressEvent & {
  /** B_simple from the parameter servers' EMAs of |G|² and tr Σ (null with one worker). */
  readonly noise_scale: number | null;
};

/** The summary of a distributed run: the in-process fields plus what the cluster went through. */
export type ClusterSummary = TrainSummary & {
  /** Fewest and most samples combined into one step, over the steps this worker saw (both B in a healthy run). */
  readonly step_samples_min: number | null;
  readonly step_samples_max: number | null;
  /** Steps this worker computed again because the membership changed (a worker lost or admitted). */
  readonly recomputed_steps: number;
  /** Times this worker registered again (a restarted parameter server, or it was declared lost). */
  readonly reregistrations: number;
};

/** What a worker reports (with events on, the worker holding share 0: rank 0 unless it was lost). */
export type WorkerEvent = StartEvent | ClusterProgressEvent | ClusterSummary;

/** Options of {@link runWorker}. */
export interface RunWorkerOptions {
  readonly config: WorkerLoopConfig;
  readonly curve?: CurveConfig;
  readonly log: (line: string) => void;
  readonly onEvent: (e: WorkerEvent) => void;
  /** Polled between steps; true leaves the run (the servers then lose this worker). */
  readonly shouldAbort?: () => boolean;
  /**
   * Called once the rank is assigned; the returned telemetry (role `worker`) gets the
   * step, sample and byte counters and the push, pull and step timings.
   */
  readonly telemetryFor?: (rank: number) => Telemetry;
  /**
   * Called once the model and data are loaded (e.g. to serve estimation rounds with
   * them); the returned function runs when the worker leaves.
   */
  readonly onModelReady?: (m: { readonly rank: number; readonly model: Model; readonly train: Dataset; readonly seed: number }) => () => Promise<void>;
}

/**
 * One worker of a synchronous data-parallel run: registers with every shard (rank
 * from shard 0, echoed to the others), receives the run's hyper-parameters, then per
 * step computes its share of the global batch (createNoisyGradient — the same code as
 * the in-process trainer), pushes each shard its key range in parallel, and takes
 * the shards' replies as the next θ. Rank 0 reports progress and the final summary.
 *
 * Elastic (DESIGN.md "Fault tolerance"): shard 0 decides which block of B this worker
 * computes (its Share); when a worker is lost or admitted it names a new partition,
 * and this worker computes the open step again for every shard that has not closed
 * it — any complete partition gives the same gradient, so B and λ stay fixed. When a
 * server restarts (a new session) or declares this worker lost, the worker registers
 * again with backoff, pulls θ and continues from the servers' version; label noise is
 * keyed by (seed, step, sample), so recomputed steps equal the lost ones.
 *
 * @param options config, CURVE keys, log and event sinks.
 * @returns the number of the last step taken (-1 when the run was over before this worker joined).
 */
export async function runWorker(options: RunWorkerOptions): Promise<number> {
  const { config, log } = options;
  const kv = await KvWorker.connect({
    endpoints: config.ps,
    workerId: config.workerId,
    rank: config.rank,
    authToken: config.authToken,
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    registerTimeoutMs: config.registerTimeoutMs,
    reconnectTimeoutMs: config.reconnectTimeoutMs,
    checksum: config.checksum,
    curve: options.curve,
    log,
  });
  if (kv === undefined) return -1;
  const leaveHooks: ((() => Promise<void>) | undefined)[] = [];
  try {
    const a0 = kv.assignment;
    const rank = kv.rank;
    const telemetry = options.telemetryFor?.(rank);
    // Plain numbers the scrape reads; the loop only increments them.
    const progress = { trainStep: a0.startStep ?? 0, trainSamples: 0 };
    telemetry?.addSource(() => {
      const b = kv.bytes();
      return { trainStep: progress.trainStep, trainSamples: progress.trainSamples, sentBytes: b.sent, receivedBytes: b.received };
    });
    const worldSize = a0.worldSize ?? 1;
    const runConfig = runConfigOf(a0.run ?? {});
    const { preset, hyper } = runConfig;
    // Heartbeats start before the model and data load, so the servers see this worker alive meanwhile.
    kv.startHeartbeats();
    const backend = await initBackend({ request: config.backend });
    const data = loadPresetData(preset.data, hyper.seed);
    const model = createModel(preset.model.name, preset.model.options ?? {});
    if (model.numParams !== a0.numParams) {
      throw new Error(`worker: the parameter server holds ${a0.numParams} parameters, model ${model.name} has ${model.numParams}: mismatched builds`);
    }
    leaveHooks.push(options.onModelReady?.({ rank, model, train: data.train, seed: hyper.seed }));
    const task = presetTask(preset);
    const noiser = makeLabelNoiser({ task, hyper, numClasses: data.train.numClasses }).apply;
    const noisyGradient = createNoisyGradient({ model, train: data.train, hyper, noiser, microBatch: a0.run?.microBatch ?? 0 });

    // The reporting worker estimates tr G on the whole global batch (it holds the full
    // training set) at the in-process cadence, for its progress events and gauge.
    const noiseCovariance = createNoiseCovarianceTrace({ model, train: data.train, hyper, noiser });
    const noiseEvery = defaultSharpnessEvery(hyper.steps);
    let latestNoise: Partial<ProgressEvent> = {};
    const counts = { recomputed: 0, stepSamplesMin: Number.POSITIVE_INFINITY, stepSamplesMax: Number.NEGATIVE_INFINITY };
    // Two θ buffers: the replies of step k are written into one while θ_k stays intact
    // in the other (a shard that asks for a recompute needs θ_k after others replied).
    const buffers = [new Float32Array(model.numParams), new Float32Array(model.numParams)];
    let front = 0;
    const pullStart = performance.now();
    let synced = await kv.sync(buffers[front]);
    telemetry?.observe('pullDuration', (performance.now() - pullStart) / 1000);
    let theta = synced.theta;
    let version = synced.version;
    let share = synced.share;
    // The worker holding share 0 reports (the lowest live rank: rank 0 unless it was
    // lost), so a run that loses rank 0 still ends with a summary.
    const reporting = (): boolean => config.events && share.count > 0 && share.index === 0;
    if (reporting()) {
      options.onEvent(startEvent(runConfig, { backend, model, trainSamples: data.train.n }));
    }
    log(
      `worker rank ${rank}/${worldSize}: ${model.name} (${model.numParams} params) on ${backend.name}, starting at step ${version} as share ${share.index} of ${share.count}`,
    );

    const t0 = performance.now();
    let stepsDone = 0;
    const progressEvery = config.progressEvery ?? Math.max(1, Math.floor(hyper.steps / 100));
    let windowLoss = 0;
    let windowSteps = 0;
    let lastLoss = Number.NaN;
    let final = synced.final || version >= hyper.steps;
    while (!final) {
      if (options.shouldAbort?.() === true) throw new Error(`worker rank ${rank}: aborted at step ${version}`);
      const step = version;
      const stepStart = performance.now();
      let outcome: StepOutcome;
      try {
        outcome = await kv.pushPull({ step, theta, share, next: buffers[1 - front], compute: (sh) => compute(step, { theta, share: sh }) });
      } catch (err: unknown) {
        if (!(err instanceof Resync)) throw err;
        const again = await kv.resync(err.message, buffers[front]);
        if (again === undefined) {
          log(`worker rank ${rank}: the run ended while this worker was away; leaving at step ${version}`);
          return version;
        }
        synced = again;
        theta = synced.theta;
        version = synced.version;
        share = synced.share;
        final = synced.final || version >= hyper.steps;
        log(`worker rank ${rank}: registered again; continuing at step ${version} as share ${share.index} of ${share.count}`);
        continue;
      }
      theta = outcome.theta;
      if (theta === buffers[1 - front]) front = 1 - front;
      share = outcome.share;
      counts.recomputed += outcome.recomputes > 0 ? 1 : 0;
      counts.stepSamplesMin = Math.min(counts.stepSamplesMin, outcome.stepSamples);
      counts.stepSamplesMax = Math.max(counts.stepSamplesMax, outcome.stepSamples);
      if (telemetry !== undefined) {
        const end = performance.now();
        // Push and pull are one round trip (the reply to a push is the next θ).
        telemetry.observe('pushDuration', (end - outcome.pushStart) / 1000);
        telemetry.observe('trainStepDuration', (end - stepStart) / 1000);
        progress.trainStep = step;
        progress.trainSamples += outcome.samples;
      }
      version = outcome.version;
      final = outcome.final;
      lastLoss = outcome.loss;
      stepsDone++;
      windowLoss += lastLoss;
      windowSteps++;
      if (reporting() && !final && version % noiseEvery === 0) {
        latestNoise = { ...noiseCovarianceFields(noiseCovariance(theta, version)), trace_noise_covariance_step: version };
        // NaN, not absence, when tr G is undefined (classification), as for R(θ).
        telemetry?.update({
          noiseCovarianceTrace: latestNoise.trace_noise_covariance ?? Number.NaN,
          noiseCovarianceTraceStderr: latestNoise.trace_noise_covariance_stderr ?? Number.NaN,
        });
      }
      if (reporting() && (version % progressEvery === 0 || version === hyper.steps || final)) {
        const elapsed = (performance.now() - t0) / 1000;
        options.onEvent({
          event: 'progress',
          step: version,
          loss: windowLoss / windowSteps,
          samples_per_s: (stepsDone * hyper.batch) / elapsed,
          elapsed_s: elapsed,
          eta_s: (elapsed / stepsDone) * (hyper.steps - version),
          num_tensors: tf.memory().numTensors,
          noise_scale: outcome.noiseScale,
          ...latestNoise,
        });
        windowLoss = 0;
        windowSteps = 0;
      }
    }
    // Tell the shards we have the final parameters, so they can exit.
    kv.goodbye();
    if (reporting() && config.saveParams !== undefined) {
      writeParamsFile(config.saveParams, { header: { preset: preset.name, step: version, seed: hyper.seed, eta: hyper.lr, beta: hyper.momentum }, theta });
    }
    // A run the launcher stopped (Ctrl-C) ends before --steps: skip the final estimate, whose wait is what the user interrupted.
    const stoppedEarly = version < hyper.steps;
    if (reporting()) {
      const summary = summarizeRun({
        config: runConfig,
        model,
        data,
        backend: backend.name,
        theta,
        steps: version,
        lastBatchLoss: lastLoss,
        startedAt: t0,
        sharpness: config.sharpness && !stoppedEarly ? {} : false,
      });
      options.onEvent({
        ...summary,
        step_samples_min: Number.isFinite(counts.stepSamplesMin) ? counts.stepSamplesMin : null,
        step_samples_max: Number.isFinite(counts.stepSamplesMax) ? counts.stepSamplesMax : null,
        recomputed_steps: counts.recomputed,
        reregistrations: kv.reregistrations,
      });
    }
    return version;

    /** This worker's share of `step` at θ (the same code as the in-process trainer). */
    function compute(step: number, at: { theta: Float32Array; share: Share }): NoisyGradient {
      const g = noisyGradient(at.theta, { step, rank: at.share.index, worldSize: at.share.count });
      if (g.samples > 0 && !Number.isFinite(g.loss)) {
        throw new TrainingError({
          code: 'DIVERGED',
          step,
          message: `training diverged at step ${step}: batch loss ${g.loss} on rank ${rank}; lower --lr (now ${hyper.lr})`,
        });
      }
      return g;
    }
  } finally {
    for (const leave of leaveHooks) await leave?.();
    await kv.close();
  }
}

function runConfigOf(r: pbTypes.IRunSpec): RunConfig {
  const { preset, hyper } = hyperFromRunSpec(r as RunSpecFields);
  return resolveRunConfig(preset, hyper as Partial<Hyper>);
}
