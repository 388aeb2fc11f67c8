import { formatProgress, formatSummary } from '../format';
import type { ProgressEvent, TrainSummary } from '@lnsgd/trainer';
import { stabilityThreshold } from '@lnsgd/optim';
import { runLocalCluster, type LocalClusterOptions } from './local_cluster';

/** Options of {@link trainLocalCluster}: the cluster's, without the sinks, plus output mode. */
export type TrainClusterOptions = Omit<LocalClusterOptions, 'onEvent' | 'onLog'> & {
  readonly json: boolean;
  /** Print every summary field rather than the short human summary. */
  readonly verbose: boolean;
  /** Total steps, for the human progress line. */
  readonly totalSteps: number;
  /** η and β of the run: 2(1+β)/η goes beside λ_max. */
  readonly eta: number;
  readonly beta: number;
};

/**
 * `lnsgd train` without --inprocess: runs the local cluster and shows one progress
 * display (or JSON lines), handling Ctrl-C: the first (from a terminal, or a SIGINT to
 * this process alone: the children are in process groups of their own) asks the
 * parameter servers to end the run at the next step; the summary still prints, says
 * `interrupted: true`, and the exit code is 130. The second kills everything.
 *
 * @param options the run and the output mode.
 */
export async function trainLocalCluster(options: TrainClusterOptions): Promise<void> {
  const { json } = options;
  let lastPrint = 0;
  let finalAnnounced = false;
  const cluster = runLocalCluster({
    ...options,
    stabilityThreshold: stabilityThreshold({ eta: options.eta, beta: options.beta }),
    onEvent: (e) => {
      if (json) {
        process.stdout.write(`${JSON.stringify(e)}\n`);
        return;
      }
      switch (e['event']) {
        case 'endpoints': {
          const procs = e['processes'] as { role: string; pid: number; address: string | null; metrics_url?: string | null }[];
          process.stderr.write(
            `lnsgd: local cluster: ${procs.map((p) => `${p.role} pid ${p.pid}${p.address !== null ? ` at ${p.address}` : ''}`).join(', ')}\n`,
          );
          const monitor = procs.find((p) => p.role === 'metrics');
          const urls = procs.flatMap((p) => (typeof p.metrics_url === 'string' ? [p.metrics_url] : []));
          if (urls.length > 0)
            process.stderr.write(`lnsgd: metrics: ${urls.join(' ')}${monitor === undefined ? '' : ` (sharpness: ${String(monitor.metrics_url)})`}\n`);
          return;
        }
        case 'start':
          process.stderr.write(
            `lnsgd: preset ${String(e['preset'])}, model ${String(e['model'])} (${String(e['num_params'])} params), backend ${String(e['backend'])}, B = ${String(e['global_batch'])} over ${options.workers} worker(s) and ${options.shards} shard(s), η = ${String(e['eta'])}, λ = ${typeof e['lambda'] === 'number' ? String(e['lambda']) : 'n/a'}\n`,
          );
          return;
        case 'progress': {
          const now = Date.now();
          const p = e as unknown as ProgressEvent;
          if (now - lastPrint >= 1000 || p.eta_s === 0) {
            lastPrint = now;
            const ns = e['noise_scale'];
            process.stderr.write(`${formatProgress(p, options.totalSteps)}${typeof ns === 'number' ? `  B_noise ${ns.toPrecision(3)}` : ''}\n`);
          }
          if (p.step >= options.totalSteps && options.sharpness && !finalAnnounced) {
            finalAnnounced = true;
            process.stderr.write('lnsgd: training done; rank 0 estimates λ_max, tr∇²L and R(θ) at the final θ (--no-sharpness skips it)\n');
          }
          return;
        }
        case 'summary':
          process.stdout.write(formatSummary(e as unknown as TrainSummary, options.verbose));
          return;
        default:
          return;
      }
    },
    onLog: (line) => {
      if (json || !/^\[worker\d+\] worker rank/.test(line)) process.stderr.write(`${line}\n`);
    },
  });
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) {
      cluster.abort();
      return;
    }
    process.stderr.write('\nlnsgd: stopping the cluster after this step (Ctrl-C again to kill it)\n');
    cluster.stop();
  };
  const onSigterm = (): void => cluster.abort();
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  // Started by a launcher of its own (a study) that holds our stdin: do not outlive it.
  const watchParent = process.env['LNSGD_EXIT_WITH_PARENT'] === '1';
  if (watchParent) process.stdin.once('end', onSigterm).once('error', onSigterm).resume();
  try {
    const summary = await cluster.done.catch((err: unknown) => {
      if (interrupts > 0) process.exitCode = 130;
      throw err;
    });
    if (summary['interrupted'] === true) process.exitCode = 130;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    if (watchParent) process.stdin.destroy();
  }
}
