import type { Telemetry } from '@lnsgd/telemetry';
import type { SnapshotEstimate } from './estimate_snapshot';
import type { AsyncEstimator } from './estimator_client';
import { decideSnapshot, type ScheduleConfig, type ScheduleState } from './schedule';
import { SnapshotSourceError, type SnapshotSource } from './snapshot';

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

/**
 * How a monitor ended: `ok` once the final snapshot is estimated; `failed` when the
 * final snapshot's estimate failed (`step` is that snapshot's), or the source failed in a
 * way that asking again cannot cure (`step` undefined).
 */
export type MonitorOutcome = { readonly ok: true; readonly step: number } | { readonly ok: false; readonly step?: number; readonly error: Error };

/** A running monitor. */
export interface Monitor {
  /** Resolves once the source is finished and its final snapshot's estimate has ended (or the source cannot go on). */
  readonly done: Promise<MonitorOutcome>;
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
  let resolveDone: (o: MonitorOutcome) => void = () => undefined;
  const done = new Promise<MonitorOutcome>((resolve) => (resolveDone = resolve));
  // The last estimate's failure, kept until the next estimate starts: the outcome if it was the final snapshot's.
  let lastFailure: { step?: number; error: Error } | undefined;

  const estimateOnce = async (step: number | undefined): Promise<void> => {
    lastFailure = undefined;
    try {
      const snapshot = await source.fetch();
      if (snapshot === undefined) return;
      step = snapshot.step;
      const e = await estimator.estimate(snapshot);
      publish(telemetry, e);
      if (snapshot.gradientNoiseScale !== undefined) telemetry.update({ gradientNoiseScale: snapshot.gradientNoiseScale });
      opts.onEstimate?.(e);
    } catch (err: unknown) {
      const error = err instanceof Error ? err : new Error(String(err));
      lastFailure = { step, error };
      telemetry.add('sharpnessFailures', 1);
      report(error);
    }
  };

  const tickOnce = async (): Promise<void> => {
    let step: number | undefined;
    let finished: boolean;
    try {
      [step, finished] = await Promise.all([source.latestStep(), source.finished()]);
    } catch (err: unknown) {
      const error = err instanceof Error ? err : new Error(String(err));
      report(error);
      if (error instanceof SnapshotSourceError) resolveDone({ ok: false, error });
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
        running = estimateOnce(step).finally(() => (running = undefined));
        break;
      case 'wait':
        if (finished && running === undefined && step !== undefined && state.lastStartedStep === step)
          resolveDone(lastFailure === undefined ? { ok: true, step } : { ok: false, step: lastFailure.step ?? step, error: lastFailure.error });
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
