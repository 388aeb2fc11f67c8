import { appEntry } from './app_entry';
import { ChildProcessGroup, type ChildExit } from './child_process_group';

/** Options of {@link runLocalCluster}. */
export interface LocalClusterOptions {
  readonly preset: string;
  /** Hyper-parameter flags passed through to the parameter servers, e.g. ['--steps', '200']. */
  readonly hyperArgs: readonly string[];
  readonly workers: number;
  readonly shards: number;
  readonly microBatch: number;
  readonly backend?: string;
  readonly progressEvery?: number;
  readonly sharpness: boolean;
  readonly checkpointDir?: string;
  readonly checkpointEvery?: number;
  readonly resume?: string;
  readonly saveParams?: string;
  /** Every event for the user: endpoints, start, progress, summary (plain objects). */
  readonly onEvent: (e: Record<string, unknown>) => void;
  /** Log lines of the children, prefixed with their name. */
  readonly onLog: (line: string) => void;
}

/** How the local cluster's processes talk, for the summary. */
export const LOCAL_TRANSPORT = 'zeromq-tcp-loopback';

/**
 * Runs a whole cluster on this machine: S parameter-server shard processes bound to
 * tcp://127.0.0.1:0 (each reports the port it got), then N worker processes. Rank 0's
 * start/progress/summary events come back through `onEvent`; the summary gains
 * {workers, shards, transport}. Any child failing stops every other child at once;
 * `stop()` (Ctrl-C) asks the servers to end the run at the next step.
 *
 * @param options the run and the event sinks.
 * @returns the summary, and a stop function usable while it runs.
 */
export function runLocalCluster(options: LocalClusterOptions): { readonly done: Promise<Record<string, unknown>>; stop(): void; abort(): void } {
  const group = new ChildProcessGroup();
  let summary: Record<string, unknown> | undefined;
  let failure: Error | undefined;
  let settle: { resolve: (s: Record<string, unknown>) => void; reject: (e: Error) => void } | undefined;
  const done = new Promise<Record<string, unknown>>((resolve, reject) => (settle = { resolve, reject }));

  const fail = (err: Error): void => {
    if (failure !== undefined) return;
    failure = err;
    group.killAll();
    void group.waitAll().then(() => settle?.reject(err));
  };

  group.onExit((e: ChildExit) => {
    if (failure !== undefined) return;
    if (e.code !== 0) {
      const why = e.signal !== null ? `was killed by ${e.signal}` : `exited with code ${String(e.code)}`;
      const tail = e.stderrTail.slice(-5).join('\n    ');
      fail(new Error(`local cluster: ${e.child.name} (pid ${e.child.pid}) ${why}; stopped the other processes${tail === '' ? '' : `\n    ${tail}`}`));
      return;
    }
    if (group.all.length === options.shards + options.workers && group.all.every((c) => c.process.exitCode !== null)) {
      void group.waitAll().then(() => {
        if (summary === undefined) settle?.reject(new Error('local cluster: every process exited but rank 0 printed no summary'));
        else settle?.resolve(summary);
      });
    }
  });

  const start = async (): Promise<void> => {
    const psScript = appEntry('parameter-server');
    const workerScript = appEntry('worker');
    const endpoints: string[] = new Array<string>(options.shards).fill('');
    const listening = new Array<Promise<void>>();
    for (let s = 0; s < options.shards; s++) {
      let ready: () => void = () => undefined;
      listening.push(new Promise<void>((r) => (ready = r)));
      group.spawn({
        name: `ps${s}`,
        script: psScript,
        args: [
          '--preset', options.preset, ...options.hyperArgs,
          '--workers', String(options.workers), '--shard', String(s), '--shards', String(options.shards),
          '--micro-batch', String(options.microBatch), '--bind', 'tcp://127.0.0.1:0',
          ...(options.checkpointDir !== undefined ? ['--checkpoint-dir', options.checkpointDir] : []),
          ...(options.checkpointEvery !== undefined ? ['--checkpoint-every', String(options.checkpointEvery)] : []),
          ...(options.resume !== undefined ? ['--resume', options.resume] : []),
        ],
        onStdout: (line) => {
          const e = parseJson(line);
          if (e?.['event'] === 'listening' && typeof e['endpoint'] === 'string') {
            endpoints[s] = e['endpoint'];
            ready();
          }
        },
        onStderr: (line) => options.onLog(`[ps${s}] ${line}`),
      });
    }
    await Promise.race([Promise.all(listening), done.then(() => undefined)]);
    if (failure !== undefined) return;
    const workerPids: { rank: number; pid: number }[] = [];
    for (let r = 0; r < options.workers; r++) {
      const child = group.spawn({
        name: `worker${r}`,
        script: workerScript,
        args: [
          '--ps', endpoints.join(','), '--rank', String(r), '--worker-id', `local-worker-${r}`, '--events',
          ...(options.backend !== undefined ? ['--backend', options.backend] : []),
          ...(options.progressEvery !== undefined ? ['--progress-every', String(options.progressEvery)] : []),
          ...(options.sharpness ? [] : ['--no-sharpness']),
          ...(options.saveParams !== undefined ? ['--save-params', options.saveParams] : []),
        ],
        onStdout: (line) => {
          const e = parseJson(line);
          if (e === undefined) return options.onLog(`[worker${r}] ${line}`);
          if (e['event'] === 'summary') {
            summary = { ...e, workers: options.workers, shards: options.shards, transport: LOCAL_TRANSPORT };
            options.onEvent(summary);
          } else {
            options.onEvent(e);
          }
        },
        onStderr: (line) => options.onLog(`[worker${r}] ${line}`),
      });
      workerPids.push({ rank: r, pid: child.pid });
    }
    // The endpoints event goes first: the children's events are only forwarded after this tick.
    options.onEvent({
      event: 'endpoints',
      transport: LOCAL_TRANSPORT,
      processes: [
        ...endpoints.map((address, s) => ({ role: 'ps', shard: s, pid: group.all[s].pid, address })),
        ...workerPids.map((w) => ({ role: 'worker', rank: w.rank, pid: w.pid, address: null, connects: endpoints })),
      ],
    });
  };
  start().catch((err: unknown) => fail(err instanceof Error ? err : new Error(String(err))));

  return {
    done,
    stop: () => group.signalAll('SIGINT', (c) => c.name.startsWith('ps')),
    abort: () => fail(new Error('local cluster: aborted')),
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
