import type { Telemetry } from '@lnsgd/telemetry';
import type { SnapshotEstimate } from './estimate_snapshot';
import type { AsyncEstimator } from './estimator_client';
import { decideSnapshot, type ScheduleConfig, type ScheduleState } from './schedule';
import type { SnapshotSource } from './snapshot';

/** Options of {@link startMonitor}. */
export interface MonitorOptions {
  readonly source: SnapshotSource;
  readonly estimator: AsyncEstimator;
  /** A telemetry of role `metrics`. */
  readonly telemetry: Telemetry;
  readonly schedule: ScheduleConfig;
  /** Seconds between looks at the source (a header read or a small request). */
  readonly pollSeconds: number;
  /** Milliseconds clock (default Date.now); tests inject one. */
  readonly now?: () => number;
  /** Each finished estimate, e.g. to log it. */
  readonly onEstimate?: (e: SnapshotEstimate) => void;
  /** Source and estimator errors; the monitor counts them and carries on. */
  readonly onError?: (err: Error) => void;
}

/** A running monitor. */
export interface Monitor {
  /** Resolves once the source is finished and its final snapshot is estimated. */
  readonly done: Promise<void>;
  /** Stops polling and waits for a running estimate to settle. */
  stop(): Promise<void>;
  /** Runs one tick now (tests drive the monitor with it instead of timers). */
  tick(): Promise<void>;
}

/**
 * Polls the source, starts an estimate whenever a snapshot is due and the estimator
 * is free; snapshots due meanwhile coalesce (the newest is estimated at the first tick
 * after, the passed-over ones are counted; nothing queues). Finished
 * estimates become the sharpness gauges of the telemetry; scrapes read those cached
 * values and never wait for an estimate.
 *
 * @param opts source, estimator, telemetry, schedule and poll interval.
 */
export function startMonitor(opts: MonitorOptions): Monitor {
  const { source, estimator, telemetry } = opts;
  const now = opts.now ?? Date.now;
  const report = opts.onError ?? (() => undefined);
  let state: ScheduleState = { lastDueAtMs: now() };
  let running: Promise<void> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const estimateOnce = async (): Promise<void> => {
    try {
      const snapshot = await source.fetch();
      if (snapshot === undefined) return;
      const e = await estimator.estimate(snapshot);
      publish(telemetry, e);
      if (snapshot.gradientNoiseScale !== undefined) telemetry.update({ gradientNoiseScale: snapshot.gradientNoiseScale });
      opts.onEstimate?.(e);
    } catch (err: unknown) {
      telemetry.add('sharpnessFailures', 1);
      report(err instanceof Error ? err : new Error(String(err)));
    }
  };

  const tickOnce = async (): Promise<void> => {
    let step: number | undefined;
    let finished: boolean;
    try {
      [step, finished] = await Promise.all([source.latestStep(), source.finished()]);
    } catch (err: unknown) {
      report(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const d = decideSnapshot({ config: opts.schedule, state, step, nowMs: now(), busy: running !== undefined, finished });
    state = d.state;
    switch (d.decision) {
      case 'skip':
        telemetry.add('skippedSnapshots', 1);
        break;
      case 'defer':
        break;
      case 'estimate':
        running = estimateOnce().finally(() => (running = undefined));
        break;
      case 'wait':
        if (finished && running === undefined && state.lastStartedStep === step) resolveDone();
        break;
    }
  };

  const tick = (): Promise<void> => (ticking ??= tickOnce().finally(() => (ticking = undefined)));
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void tick().then(schedule);
    }, opts.pollSeconds * 1000);
  };
  if (opts.pollSeconds > 0) schedule();

  return {
    done,
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await ticking;
      await running;
    },
  };
}

/** Sets the gauges and counters of one estimate. */
function publish(telemetry: Telemetry, e: SnapshotEstimate): void {
  telemetry.update({
    hessianTopEigenvalue: e.topEigenvalue,
    hessianTopEigenvalueError: e.topEigenvalueError,
    hessianEigenvalues: e.topK,
    hessianTrace: e.traceHessian,
    hessianTraceStderr: e.traceHessianStderr,
    // NaN, not absence: R(θ) is undefined past the edge of stability and the series should say so.
    implicitRegularizer: e.implicitRegularizer ?? Number.NaN,
    implicitRegularizerStderr: e.implicitRegularizerStderr ?? Number.NaN,
    unstableEigenvalues: e.unstableEigenvalues,
    edgeOfStabilityRatio: e.edgeOfStabilityRatio,
    sharpnessStep: e.step,
    evalLoss: e.evalLoss,
    testMetric: e.testMetric,
    paramsDistanceFromStart: e.distanceFromStart,
  });
  telemetry.add('sharpnessEstimates', 1);
  telemetry.add('hessianVectorProducts', e.hvpCount);
  telemetry.observe('sharpnessDuration', e.wallSeconds);
}
