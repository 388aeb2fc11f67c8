import { cpus } from 'node:os';
import type { Suite, SuiteResult } from '../suite';
import { median, trainEvents } from './train_child';

/** One way to run the cluster: the monitor off, on with its default schedule, or on and estimating back to back. */
interface Mode {
  readonly name: string;
  readonly args: readonly string[];
}

interface Workload {
  /** Summary keys: metrics_overhead_<key>_*. */
  readonly key: string;
  readonly preset: string;
  /** Only off vs distributed: a run long enough that distributed estimates finish, too long for every mode. */
  readonly distributedOnly?: boolean;
  readonly args: readonly string[];
  /** The monitor estimating as often as it can (it skips, never queues). */
  readonly busyArgs: readonly string[];
}

const WORKLOADS: readonly Workload[] = [
  { key: 'uv_toy', preset: 'uv-toy', args: ['--steps', '20000'], busyArgs: ['--metrics-every-steps', '1'] },
  { key: 'mlp', preset: 'mlp', args: ['--steps', '100'], busyArgs: ['--metrics-every-steps', '1'] },
  // One distributed estimate on mlp is 182 products over 1,024 samples, about the compute of
  // 1,500 training steps of B = 256: 100 steps finish none, 2,500 steps a few.
  { key: 'mlp_2500', preset: 'mlp', args: ['--steps', '2500'], busyArgs: [], distributedOnly: true },
];

/** What one run measured: samples/s over the whole run and the estimates the monitor finished (null: no monitor). */
interface RunResult {
  readonly samplesPerS: number;
  readonly estimates: number | null;
}

/** Samples/s from the last progress event of `lnsgd train --json`; finished estimates from its summary. */
async function trainOnce(args: readonly string[]): Promise<RunResult> {
  const events = await trainEvents([...args, '--workers', '2', '--no-sharpness']);
  const last = events.filter((e) => e.event === 'progress').at(-1)?.samples_per_s;
  if (last === undefined) throw new Error(`lnsgd train ${args.join(' ')} printed no progress event`);
  return { samplesPerS: last, estimates: events.find((e) => e.event === 'summary')?.sharpness_estimates ?? null };
}

/**
 * Training throughput of the local cluster (2 workers) with the sharpness monitor
 * off, on with its default schedule, and on with a snapshot due every step (it then
 * estimates back to back, skipping what falls due meanwhile). Modes are interleaved
 * per repetition so drift hits them alike; the ratio is median on / median off.
 */
export const metricsOverheadSuite: Suite = {
  name: 'metrics-overhead',
  description: 'local-cluster samples/s with the sharpness monitor on (local or distributed products) vs off (uv-toy, mlp)',
  async run({ quick, log }): Promise<SuiteResult> {
    const reps = quick ? 1 : 5;
    const rows: Record<string, string | number | null>[] = [];
    const summary: Record<string, number> = {};
    for (const w of WORKLOADS) {
      const off: Mode = { name: 'off', args: ['--no-metrics'] };
      // The products by estimation rounds on the training workers themselves.
      const distributed: Mode = { name: 'distributed (every 100 steps)', args: ['--metrics-every-steps', '100', '--metrics-sharpness', 'distributed'] };
      const modes: Mode[] =
        w.distributedOnly === true
          ? [off, distributed]
          : [off, { name: 'on (default: every steps/10)', args: [] }, { name: 'on (every step, back to back)', args: w.busyArgs }, distributed];
      const samples = new Map<string, number[]>(modes.map((m) => [m.name, []]));
      const estimates = new Map<string, number[]>(modes.map((m) => [m.name, []]));
      for (let rep = 0; rep < reps; rep++) {
        for (const m of modes) {
          const r = await trainOnce(['--preset', w.preset, ...w.args, ...m.args]);
          log(`${w.preset} ${m.name} #${rep + 1}: ${r.samplesPerS.toFixed(0)} samples/s, ${r.estimates ?? 'no'} estimates`);
          samples.get(m.name)?.push(r.samplesPerS);
          if (r.estimates !== null) estimates.get(m.name)?.push(r.estimates);
        }
      }
      const offMedian = median(samples.get(off.name) ?? []);
      for (const m of modes) {
        const xs = samples.get(m.name) ?? [];
        const med = median(xs);
        rows.push({
          preset: w.preset,
          steps: Number(w.args[w.args.indexOf('--steps') + 1]),
          monitor: m.name,
          runs: xs.length,
          samples_per_s: med,
          min: Math.min(...xs),
          max: Math.max(...xs),
          ratio_to_off: med / offMedian,
          // A ratio with no finished estimate measures nothing: the estimates are in the row.
          estimates_min: (estimates.get(m.name) ?? []).length > 0 ? Math.min(...(estimates.get(m.name) ?? [])) : null,
        });
      }
      const ratio = (m: Mode): number => median(samples.get(m.name) ?? []) / offMedian;
      if (w.distributedOnly !== true) {
        summary[`metrics_overhead_${w.key}_default_ratio`] = ratio(modes[1]);
        summary[`metrics_overhead_${w.key}_busy_ratio`] = ratio(modes[2]);
      }
      summary[`metrics_overhead_${w.key}_distributed_100_ratio`] = ratio(distributed);
    }
    return {
      rows,
      summary,
      notes: [
        `${cpus().length} CPU core(s); 2 workers and 1 parameter server train, the monitor runs at nice 10 with its estimator in a worker thread.`,
        'ratio_to_off is median samples/s with the monitor over median without it (the must-show asks ≥ 0.9).',
        'Samples/s come from the last progress event of `lnsgd train --json` (whole run, rank 0).',
      ],
    };
  },
};
