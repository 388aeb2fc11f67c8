import { listCheckpoints } from '@lnsgd/ps';
import { CHILD_NODE_FLAGS, METRICS_NODE_FLAGS, PS_NODE_FLAGS } from '@lnsgd/trainer/node-flags';
import { appEntry } from './app_entry';
import { ChildProcessGroup, type ChildExit, type ClusterChild } from './child_process_group';

/** Options of {@link runLocalCluster}. */
export interface LocalClusterOptions {
  readonly preset: string;
  /** Hyper-parameter flags passed through to the parameter servers, e.g. ['--steps', '200']. */
  readonly hyperArgs: readonly string[];
  readonly workers: number;
  readonly shards: number;
  readonly microBatch: number;
  /** Element type of gradient pushes (the parameter servers' --wire-dtype; default float32). */
  readonly wireDtype?: string;
  readonly backend?: string;
  readonly progressEvery?: number;
  readonly sharpness: boolean;
  readonly checkpointDir?: string;
  readonly checkpointEvery?: number;
  /** Checkpoints kept per shard (the parameter server's default when absent). */
  readonly checkpointKeep?: number;
  readonly resume?: string;
  /** The step to resume at: the newest every shard of `resume` has intact. */
  readonly resumeStep?: number;
  readonly saveParams?: string;
  /**
   * Start the sharpness monitor (apps/metrics) next to the run, asking the parameter
   * servers for snapshots; it is stopped with SIGTERM once training is over.
   */
  readonly metrics: boolean;
  /** The monitor's schedule (default: its own, every 10 s). */
  readonly metricsEverySteps?: number;
  readonly metricsEverySeconds?: number;
  /**
   * Where the monitor's Hessian-vector products run (default local): distributed makes
   * them estimation rounds answered by the workers.
   */
  readonly metricsSharpness?: 'local' | 'distributed';
  /** Distributed: the round budget, the most fraction of wall time the workers spend in rounds (default the monitor's). */
  readonly metricsSharpnessBudget?: number;
  /** Port of the monitor's /metrics (default 0: a free one; the endpoints event says which). */
  readonly metricsPort?: number;
  /** Run id, the `run` label of every process's metrics (default `<preset>-<yyyymmdd-hhmmss>`). */
  readonly runId?: string;
  /** Shard 0's policy for a lost worker (default rebalance: B and λ stay fixed). */
  readonly onWorkerLoss?: 'wait' | 'rebalance' | 'fail';
  /** A worker silent this long is lost (default: the parameter server's own default). */
  readonly heartbeatTimeoutMs?: number;
  /**
   * Deaths survived in all (default 0). A process killed by a signal is started again:
   * a worker is replaced (unless the policy is fail), a parameter server comes back on
   * its port from its last checkpoint (only with `checkpointDir`) and the workers
   * register again by themselves. A nonzero exit code always ends the run.
   */
  readonly maxRestarts?: number;
  /** 2(1+β)/η of the run, carried beside λ_max in progress events. */
  readonly stabilityThreshold?: number;
  /** Every event for the user: endpoints, start, progress, summary (plain objects). */
  readonly onEvent: (e: Record<string, unknown>) => void;
  /** Log lines of the children, prefixed with their name. */
  readonly onLog: (line: string) => void;
}

/** How the local cluster's processes talk, for the summary. */
export const LOCAL_TRANSPORT = 'zeromq-tcp-loopback';

/** How long the workers wait for the sharpness monitor to be ready (it loads TensorFlow.js in a thread). */
const METRICS_READY_WAIT_MS = 60_000;

/** Seconds the metrics service gets to finish after SIGTERM before it is killed. */
const METRICS_GRACE_MS = 5000;

/** Hyper-parameter flags the metrics service also takes (its R(θ), λ and evaluation batch depend on them). */
const METRICS_HYPER_FLAGS: Readonly<Record<string, string>> = {
  '--lr': '--lr',
  '--momentum': '--momentum',
  '--sigma': '--sigma',
  '--batch': '--batch',
  '--seed': '--seed',
  '--steps': '--final-step',
};

/** `<preset>-<yyyymmdd-hhmmss>` in UTC, e.g. `uv-toy-20250101-120000`. */
function defaultRunId(preset: string): string {
  const t = new Date().toISOString().replace(/[-:]/g, '');
  return `${preset}-${t.slice(0, 8)}-${t.slice(9, 15)}`;
}

/**
 * Runs a whole cluster on this machine: S parameter-server shard processes bound to
 * tcp://127.0.0.1:0 (each reports the port it got), then N worker processes. Rank 0's
 * start/progress/summary events come back through `onEvent`; the summary gains
 * {workers, shards, transport}. With `metrics`, the sharpness monitor runs beside them
 * (at its own low CPU priority). The `endpoints` event lists every process with its
 * /metrics address. Any training child failing stops every other child at once (the
 * monitor failing only loses the monitor); `stop()` (Ctrl-C) asks the servers to end
 * the run at the next step.
 *
 * @param options the run and the event sinks.
 * @returns the summary, and a stop function usable while it runs.
 */
export function runLocalCluster(options: LocalClusterOptions): { readonly done: Promise<Record<string, unknown>>; stop(): void; abort(): void } {
  const group = new ChildProcessGroup();
  const runId = options.runId ?? defaultRunId(options.preset);
  const isMetrics = (c: { name: string }): boolean => c.name === 'metrics';
  let trainingOver = false;
  let stopping = false;
  // The sharpness monitor's estimates: the latest rides on every progress event after it.
  let latest: Record<string, unknown> | undefined;
  let firstEstimate: Record<string, unknown> | undefined;
  let estimates = 0;
  // A shard that found the run already over (its checkpoint at the last step) ends the run.
  const overAtStart = new Set<string>();
  let summary: Record<string, unknown> | undefined;
  let failure: Error | undefined;
  let settle: { resolve: (s: Record<string, unknown>) => void; reject: (e: Error) => void } | undefined;
  const done = new Promise<Record<string, unknown>>((resolve, reject) => (settle = { resolve, reject }));

  let workersStarted = false;
  // Ctrl-C before any worker started: nothing trained, nothing to summarize.
  const stopEarly = (): void => {
    if (failure !== undefined) return;
    failure = new Error('local cluster: stopped before training started; nothing to summarize');
    const err = failure;
    group.signalAll('SIGTERM');
    void group.waitAll().then(() => settle?.reject(err));
  };

  const fail = (err: Error): void => {
    if (failure !== undefined) return;
    failure = err;
    group.killAll();
    void group.waitAll().then(() => settle?.reject(err));
  };

  // The live process of each training role; a restart replaces the entry.
  const current = new Map<string, ClusterChild>();
  let restarts = 0;
  const maxRestarts = options.maxRestarts ?? 0;
  let respawn: { ps: (s: number) => void; worker: (r: number) => void } | undefined;

  group.onExit((e: ChildExit) => {
    if (failure !== undefined) return;
    if (isMetrics(e.child)) {
      if (!trainingOver && e.code !== 0) {
        const tail = e.stderrTail.slice(-3).join('\n    ');
        options.onLog(
          `[metrics] exited with ${e.signal ?? String(e.code)}; training goes on without the sharpness monitor${tail === '' ? '' : `\n    ${tail}`}`,
        );
      }
      return;
    }
    const role = e.child.name.replace(/#\d+$/, '');
    if (current.get(role) !== e.child) return;
    if (e.code === 0 && overAtStart.has(e.child.name) && summary === undefined) {
      // Workers would wait for it to come back; nothing is left to train: end the run.
      trainingOver = true;
      group.signalAll('SIGTERM');
      const kill = setTimeout(() => group.killAll(), METRICS_GRACE_MS);
      void group.waitAll().then(() => {
        clearTimeout(kill);
        settle?.reject(
          new Error(
            `local cluster: ${e.child.name} found the run already over (its checkpoint is at the last step) and exited; stopped the other processes. Resume with a larger --steps to train on`,
          ),
        );
      });
      return;
    }
    if (e.code !== 0) {
      const why = e.signal !== null ? `was killed by ${e.signal}` : `exited with code ${String(e.code)}`;
      const tail = e.stderrTail.slice(-5).join('\n    ');
      // Only deaths by signal (kill -9, the OOM killer, a crash) are restarted: an exit
      // code is the process's own verdict (bad config, divergence, a failed run).
      const restartable = respawn !== undefined && e.signal !== null && !trainingOver && !stopping && restarts < maxRestarts;
      const ps = /^ps(\d+)$/.exec(role);
      const worker = /^worker(\d+)$/.exec(role);
      if (restartable && worker !== null && options.onWorkerLoss !== 'fail') {
        restarts++;
        options.onLog(
          `[launcher] ${e.child.name} (pid ${e.child.pid}) ${why}; starting a replacement (restart ${restarts} of ${maxRestarts}); shard 0 ${options.onWorkerLoss === 'wait' ? 'holds the step for it' : 'spreads B over the survivors until it is admitted'}`,
        );
        respawn?.worker(Number(worker[1]));
        return;
      }
      const workersLeft = [...current.entries()].some(([name, c]) => name.startsWith('worker') && c.process.exitCode === null && c.process.signalCode === null);
      if (worker !== null && e.signal !== null && !trainingOver && !stopping && (options.onWorkerLoss ?? 'rebalance') === 'rebalance' && workersLeft) {
        options.onLog(`[launcher] ${e.child.name} (pid ${e.child.pid}) ${why}; no restarts left (--max-restarts ${maxRestarts}): the survivors carry B`);
        return;
      }
      if (restartable && ps !== null && options.checkpointDir !== undefined) {
        restarts++;
        options.onLog(
          `[launcher] ${e.child.name} (pid ${e.child.pid}) ${why}; starting it again from its last checkpoint (restart ${restarts} of ${maxRestarts}); the workers register again`,
        );
        respawn?.ps(Number(ps[1]));
        return;
      }
      fail(new Error(`local cluster: ${e.child.name} (pid ${e.child.pid}) ${why}; stopped the other processes${tail === '' ? '' : `\n    ${tail}`}`));
      return;
    }
    const training = [...current.values()];
    if (training.length === options.shards + options.workers && training.every((c) => c.process.exitCode !== null || c.process.signalCode !== null)) {
      trainingOver = true;
      // The monitor must not hold the run open: SIGTERM now, SIGKILL after a grace period.
      group.signalAll('SIGTERM', isMetrics);
      const kill = setTimeout(() => group.signalAll('SIGKILL', isMetrics), METRICS_GRACE_MS);
      void group.waitAll().then(() => {
        clearTimeout(kill);
        if (summary === undefined) settle?.reject(new Error('local cluster: every process exited but rank 0 printed no summary'));
        else settle?.resolve(summary);
      });
    }
  });

  const start = async (): Promise<void> => {
    const psScript = appEntry('parameter-server');
    const workerScript = appEntry('worker');
    const endpoints: string[] = new Array<string>(options.shards).fill('');
    const metricsUrls = new Map<string, string | null>();
    let endpointsSent = false;
    const held: Record<string, unknown>[] = [];
    // Children's events wait until the endpoints event has gone out.
    const forward = (e: Record<string, unknown>): void => {
      if (endpointsSent) options.onEvent(e);
      else held.push(e);
    };
    const listening = new Array<Promise<void>>();
    const readyOf = new Array<() => void>(options.shards).fill(() => undefined);
    const spawnPs = (s: number, restart: boolean): void => {
      // A restarted shard keeps its port (the workers reconnect by themselves) and
      // resumes from its own last checkpoint when it has written one.
      const ckpt =
        options.checkpointDir !== undefined && listCheckpoints(options.checkpointDir, { shard: s, shards: options.shards }).length > 0
          ? options.checkpointDir
          : undefined;
      const resume = restart ? (ckpt ?? options.resume) : options.resume;
      // Only the first start is held to the step every shard has intact; a restart takes its own newest.
      const resumeStep = !restart || ckpt === undefined ? options.resumeStep : undefined;
      const child = group.spawn({
        execArgv: PS_NODE_FLAGS,
        name: restart ? `ps${s}#${restarts}` : `ps${s}`,
        script: psScript,
        args: [
          '--preset',
          options.preset,
          ...options.hyperArgs,
          '--workers',
          String(options.workers),
          '--shard',
          String(s),
          '--shards',
          String(options.shards),
          '--micro-batch',
          String(options.microBatch),
          '--wire-dtype',
          options.wireDtype ?? 'float32',
          '--bind',
          restart ? endpoints[s] : 'tcp://127.0.0.1:0',
          '--run',
          runId,
          '--metrics-host',
          '127.0.0.1',
          '--metrics-port',
          '0',
          ...(options.checkpointDir !== undefined ? ['--checkpoint-dir', options.checkpointDir] : []),
          ...(options.checkpointEvery !== undefined ? ['--checkpoint-every', String(options.checkpointEvery)] : []),
          ...(options.checkpointKeep !== undefined ? ['--checkpoint-keep', String(options.checkpointKeep)] : []),
          ...(resume !== undefined ? ['--resume', resume] : []),
          ...(resume !== undefined && resumeStep !== undefined ? ['--resume-step', String(resumeStep)] : []),
          ...(options.onWorkerLoss !== undefined ? ['--on-worker-loss', options.onWorkerLoss] : []),
          ...(options.heartbeatTimeoutMs !== undefined ? ['--heartbeat-timeout-ms', String(options.heartbeatTimeoutMs)] : []),
        ],
        onStdout: (line) => {
          const e = parseJson(line);
          if (e?.['event'] === 'listening' && typeof e['endpoint'] === 'string') {
            endpoints[s] = e['endpoint'];
            metricsUrls.set(`ps${s}`, typeof e['metrics_url'] === 'string' ? e['metrics_url'] : null);
            readyOf[s]();
          }
        },
        onStderr: (line) => {
          if (/the run is over; exiting/.test(line)) overAtStart.add(child.name);
          options.onLog(`[ps${s}] ${line}`);
        },
      });
      current.set(`ps${s}`, child);
      if (restart) forward({ event: 'restart', role: 'ps', shard: s, pid: child.pid, address: endpoints[s], resume: resume ?? null, restarts });
    };
    for (let s = 0; s < options.shards; s++) {
      listening.push(new Promise<void>((r) => (readyOf[s] = r)));
      spawnPs(s, false);
    }
    await Promise.race([Promise.all(listening), done.then(() => undefined)]);
    if (failure !== undefined) return;
    const announced = new Array<Promise<void>>();
    const announce = (name: string): ((url: string | null) => void) => {
      let resolve: () => void = () => undefined;
      announced.push(new Promise<void>((r) => (resolve = r)));
      return (url) => {
        if (!metricsUrls.has(name)) metricsUrls.set(name, url);
        resolve();
      };
    };
    let metricsPid: number | undefined;
    let metricsReady: Promise<void> = Promise.resolve();
    /** The monitor's estimation-round host, which the workers answer (--metrics-sharpness distributed). */
    let hvpEndpoint: string | undefined;
    const distributed = options.metricsSharpness === 'distributed';
    /** The monitor's estimation rounds so far (its `hvp_round` lines). */
    const rounds = { count: 0, products: 0, seconds: 0, pausedSeconds: 0 };
    if (options.metrics) {
      const announceMetrics = announce('metrics');
      let onReady: () => void = () => undefined;
      metricsReady = new Promise<void>((r) => (onReady = r));
      const hyper = options.hyperArgs.flatMap((a, i, all) => (i % 2 === 0 && METRICS_HYPER_FLAGS[a] !== undefined ? [METRICS_HYPER_FLAGS[a], all[i + 1]] : []));
      const child = group.spawn({
        execArgv: METRICS_NODE_FLAGS,
        name: 'metrics',
        script: appEntry('metrics'),
        args: [
          '--ps',
          endpoints.join(','),
          '--preset',
          options.preset,
          ...hyper,
          '--run',
          runId,
          '--host',
          '127.0.0.1',
          '--port',
          String(options.metricsPort ?? 0),
          ...(options.metricsEverySteps !== undefined ? ['--every-steps', String(options.metricsEverySteps)] : []),
          ...(options.metricsEverySeconds !== undefined ? ['--every-seconds', String(options.metricsEverySeconds)] : []),
          ...(options.backend !== undefined ? ['--backend', options.backend] : []),
          ...(distributed ? ['--sharpness', 'distributed', '--hvp-bind', 'tcp://127.0.0.1:0', '--hvp-workers', String(options.workers)] : []),
          // A worker lost in a round is lost as in a step: the parameter servers' timeout.
          ...(distributed && options.heartbeatTimeoutMs !== undefined ? ['--heartbeat-timeout-ms', String(options.heartbeatTimeoutMs)] : []),
          ...(distributed && options.metricsSharpnessBudget !== undefined ? ['--sharpness-budget', String(options.metricsSharpnessBudget)] : []),
        ],
        onStdout: (line) => {
          const e = parseJson(line);
          if (e?.['event'] === 'hvp_round_host' && typeof e['endpoint'] === 'string') hvpEndpoint = e['endpoint'];
          if (e?.['event'] === 'listening') announceMetrics(typeof e['metrics_url'] === 'string' ? e['metrics_url'] : null);
          else if (e?.['event'] === 'ready') onReady();
          else if (e?.['event'] === 'hvp_round') {
            rounds.count++;
            rounds.products += typeof e['products'] === 'number' ? e['products'] : 0;
            rounds.seconds += typeof e['seconds'] === 'number' ? e['seconds'] : 0;
            rounds.pausedSeconds += typeof e['paused_s'] === 'number' ? e['paused_s'] : 0;
          } else if (e?.['event'] === 'estimate') {
            latest = latestSharpness(e, options.stabilityThreshold);
            firstEstimate ??= latest;
            estimates++;
          }
        },
        onStderr: (line) => options.onLog(`[metrics] ${line}`),
      });
      // A monitor that dies before listening is left out of the endpoints.
      child.process.once('close', () => {
        announceMetrics(null);
        onReady();
      });
      metricsPid = child.pid;
    }
    // Workers start once the monitor can estimate, so its first estimate is at the start
    // of the run; a monitor that is not ready within a minute is not waited for.
    let readyTimer: NodeJS.Timeout | undefined;
    const readyLate = new Promise<void>((resolve) => {
      readyTimer = setTimeout(() => {
        options.onLog(`[launcher] the sharpness monitor is not ready after ${METRICS_READY_WAIT_MS / 1000} s; starting the workers without waiting for it`);
        resolve();
      }, METRICS_READY_WAIT_MS);
    });
    await Promise.race([metricsReady, readyLate, done.then(() => undefined)]);
    clearTimeout(readyTimer);
    if (failure !== undefined) return;
    if (stopping) {
      stopEarly();
      return;
    }
    workersStarted = true;
    if (failure !== undefined) return;
    const workerPids: { rank: number; pid: number }[] = [];
    let started = false;
    const spawnWorker = (r: number, restart: boolean): void => {
      const announceWorker = restart ? (): void => undefined : announce(`worker${r}`);
      const child = group.spawn({
        execArgv: CHILD_NODE_FLAGS,
        name: restart ? `worker${r}#${restarts}` : `worker${r}`,
        script: workerScript,
        args: [
          '--ps',
          endpoints.join(','),
          '--rank',
          String(r),
          '--worker-id',
          restart ? `local-worker-${r}-${restarts}` : `local-worker-${r}`,
          '--events',
          '--run',
          runId,
          '--metrics-host',
          '127.0.0.1',
          '--metrics-port',
          '0',
          ...(options.backend !== undefined ? ['--backend', options.backend] : []),
          ...(options.progressEvery !== undefined ? ['--progress-every', String(options.progressEvery)] : []),
          ...(options.sharpness ? [] : ['--no-sharpness']),
          ...(options.saveParams !== undefined ? ['--save-params', options.saveParams] : []),
          ...(hvpEndpoint !== undefined ? ['--hvp-endpoint', hvpEndpoint] : []),
        ],
        onStdout: (line) => {
          const e = parseJson(line);
          if (e === undefined) return options.onLog(`[worker${r}] ${line}`);
          if (e['event'] === 'listening') {
            announceWorker(typeof e['metrics_url'] === 'string' ? e['metrics_url'] : null);
          } else if (e['event'] === 'summary') {
            summary = {
              ...e,
              workers: options.workers,
              shards: options.shards,
              transport: LOCAL_TRANSPORT,
              restarts,
              ...(stopping ? { interrupted: true } : {}),
              ...(firstEstimate !== undefined
                ? { top_eigenvalue_start: firstEstimate['top_eigenvalue'], top_eigenvalue_start_step: firstEstimate['sharpness_step'] }
                : {}),
              ...(options.metrics ? { sharpness_estimates: estimates } : {}),
              // Distributed: the estimation rounds run so far (an estimate paced by its budget can outlast the run).
              ...(options.metrics && distributed
                ? {
                    sharpness_rounds: rounds.count,
                    sharpness_round_products: rounds.products,
                    sharpness_round_s: rounds.seconds,
                    sharpness_round_pause_s: rounds.pausedSeconds,
                  }
                : {}),
            };
            forward(summary);
          } else if (e['event'] === 'progress') {
            forward({ ...e, ...latest });
          } else if (e['event'] === 'start') {
            // A replacement rank 0 announces the run again: one start per run.
            if (!started) forward(e);
            started = true;
          } else {
            forward(e);
          }
        },
        onStderr: (line) => options.onLog(`[worker${r}] ${line}`),
      });
      current.set(`worker${r}`, child);
      if (restart) forward({ event: 'restart', role: 'worker', rank: r, pid: child.pid, restarts });
      else workerPids.push({ rank: r, pid: child.pid });
    };
    for (let r = 0; r < options.workers; r++) spawnWorker(r, false);
    respawn = { ps: (s) => spawnPs(s, true), worker: (r) => spawnWorker(r, true) };
    await Promise.race([Promise.all(announced), done.then(() => undefined)]);
    if (failure !== undefined) return;
    const url = (name: string): string | null => metricsUrls.get(name) ?? null;
    // The endpoints event goes first: the children's events are held until it is out.
    options.onEvent({
      event: 'endpoints',
      transport: LOCAL_TRANSPORT,
      run: runId,
      processes: [
        ...endpoints.map((address, s) => ({ role: 'ps', shard: s, pid: group.all[s].pid, address, metrics_url: url(`ps${s}`) })),
        ...workerPids.map((w) => ({ role: 'worker', rank: w.rank, pid: w.pid, address: null, connects: endpoints, metrics_url: url(`worker${w.rank}`) })),
        ...(metricsPid !== undefined && url('metrics') !== null
          ? [{ role: 'metrics', pid: metricsPid, address: null, connects: endpoints, metrics_url: url('metrics') }]
          : []),
      ],
    });
    endpointsSent = true;
    for (const e of held.splice(0)) options.onEvent(e);
  };
  start().catch((err: unknown) => fail(err instanceof Error ? err : new Error(String(err))));

  return {
    done,
    stop: () => {
      stopping = true;
      if (!workersStarted) {
        // Before the workers start, a PS may not handle SIGINT yet: end everything now.
        stopEarly();
        return;
      }
      group.signalAll('SIGINT', (c) => c.name.startsWith('ps'));
    },
    abort: () => fail(new Error('local cluster: aborted')),
  };
}

/** The progress-event fields of one `estimate` line of the sharpness monitor. */
function latestSharpness(e: Record<string, unknown>, threshold: number | undefined): Record<string, unknown> {
  return {
    sharpness_step: e['step'],
    top_eigenvalue: e['topEigenvalue'],
    top_eigenvalue_error: e['topEigenvalueError'],
    ...(threshold !== undefined ? { stability_threshold: threshold } : {}),
    trace_hessian: e['traceHessian'],
    trace_hessian_stderr: e['traceHessianStderr'],
    implicit_regularizer: e['implicitRegularizer'] ?? null,
    implicit_regularizer_stderr: e['implicitRegularizerStderr'] ?? null,
  };
}

function parseJson(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
