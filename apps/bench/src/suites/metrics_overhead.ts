import { cpus } from 'node:os';
import type { Suite, SuiteResult } from '../suite';
import { median, trainEvents } from './train_child';

/** One way to run the cluster: the monitor off, local products at two schedules, or distributed products. */
interface Mode {
  readonly name: string;
  readonly args: readonly string[];
}

interface Workload {
  /** Summary keys: metrics_overhead_<key>_*. */
  readonly key: string;
  readonly preset: string;
  /** Only off vs distributed: a run long enough that distributed rounds make progress, too long for every mode. */
  readonly distributedOnly?: boolean;
  /** Repetitions with --quick (default 1). */
  readonly quickReps?: number;
  readonly args: readonly string[];
  /** The monitor estimating as often as it can (it skips, never queues). */
  readonly busyArgs: readonly string[];
  /**
   * Products of one default estimate, for steps_per_estimate: 20 Lanczos + 10 probes × 15
   * SLQ steps + 2 × 6 for the HVP check on mlp; uv-toy's 2 parameters cut Lanczos short.
   */
  readonly productsPerEstimate?: number;
}

const WORKLOADS: readonly Workload[] = [
  { key: 'uv_toy', preset: 'uv-toy', args: ['--steps', '20000'], busyArgs: ['--metrics-every-steps', '1'] },
  { key: 'mlp', preset: 'mlp', args: ['--steps', '100'], busyArgs: ['--metrics-every-steps', '1'], productsPerEstimate: 182 },
  // One distributed estimate on mlp is 182 products over 1,024 samples, about the compute of
  // 1,500 training steps of B = 256: at a budget of f it takes ~1,500/f steps of wall time.
  { key: 'mlp_2500', preset: 'mlp', args: ['--steps', '2500'], busyArgs: [], distributedOnly: true, quickReps: 3, productsPerEstimate: 182 },
];

/** What one run measured: samples/s over the whole run, the estimates the monitor finished (null: no monitor), its rounds (null: not distributed). */
interface RunResult {
  readonly samplesPerS: number;
  readonly estimates: number | null;
  readonly rounds: number | null;
  readonly products: number | null;
  readonly roundSeconds: number | null;
  readonly pauseSeconds: number | null;
}

/** Samples/s from the last progress event of `lnsgd train --json`; estimates and rounds from its summary. */
async function trainOnce(args: readonly string[]): Promise<RunResult> {
  const events = await trainEvents([...args, '--workers', '2', '--no-sharpness']);
  const last = events.filter((e) => e.event === 'progress').at(-1)?.samples_per_s;
  if (last === undefined) throw new Error(`lnsgd train ${args.join(' ')} printed no progress event`);
  const summary = events.find((e) => e.event === 'summary');
  return {
    samplesPerS: last,
    estimates: summary?.sharpness_estimates ?? null,
    rounds: summary?.sharpness_rounds ?? null,
    products: summary?.sharpness_round_products ?? null,
    roundSeconds: summary?.sharpness_round_s ?? null,
    pauseSeconds: summary?.sharpness_round_pause_s ?? null,
  };
}

const medianOrNull = (xs: readonly (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length > 0 ? median(v) : null;
};

/**
 * Training throughput of the local cluster (2 workers) with the sharpness monitor off,
 * with local products (its default schedule, and a snapshot due every step so that it
 * estimates back to back), and with distributed products (the default of `lnsgd train`:
 * rounds on the workers, an estimate due every 100 steps, the default round budget).
 * Modes are interleaved per repetition so drift hits them alike; the ratio is median on
 * / median off.
 */
export const metricsOverheadSuite: Suite = {
  name: 'metrics-overhead',
  description: 'local-cluster samples/s with the sharpness monitor on (local, or distributed at the default round budget) vs off (uv-toy, mlp)',
  async run({ quick, log }): Promise<SuiteResult> {
    const rows: Record<string, string | number | null>[] = [];
    const summary: Record<string, number> = {};
    for (const w of WORKLOADS) {
      const reps = quick ? (w.quickReps ?? 1) : 5;
      const steps = Number(w.args[w.args.indexOf('--steps') + 1]);
      const off: Mode = { name: 'off', args: ['--no-metrics'] };
      // The products by estimation rounds on the training workers themselves, paced by the default budget.
      const distributed: Mode = { name: 'distributed (every 100 steps, default budget)', args: ['--metrics-every-steps', '100'] };
      const local = ['--metrics-sharpness', 'local'];
      const modes: Mode[] =
        w.distributedOnly === true
          ? [off, distributed]
          : [
              off,
              { name: 'local (default: every steps/10)', args: local },
              { name: 'local (every step, back to back)', args: [...w.busyArgs, ...local] },
              distributed,
            ];
      const results = new Map<string, RunResult[]>(modes.map((m) => [m.name, []]));
      for (let rep = 0; rep < reps; rep++) {
        for (const m of modes) {
          const r = await trainOnce(['--preset', w.preset, ...w.args, ...m.args]);
          log(
            `${w.preset} ${m.name} #${rep + 1}: ${r.samplesPerS.toFixed(0)} samples/s, ${r.estimates ?? 'no'} estimates, ${r.rounds ?? 'no'} rounds of ${r.products ?? 'no'} products` +
              (r.roundSeconds !== null ? ` (${r.roundSeconds.toFixed(1)} s, paused ${(r.pauseSeconds ?? 0).toFixed(1)} s)` : ''),
          );
          results.get(m.name)?.push(r);
        }
      }
      const samplesOf = (m: Mode): number[] => (results.get(m.name) ?? []).map((r) => r.samplesPerS);
      const offMedian = median(samplesOf(off));
      for (const m of modes) {
        const rs = results.get(m.name) ?? [];
        const xs = samplesOf(m);
        const products = medianOrNull(rs.map((r) => r.products));
        rows.push({
          preset: w.preset,
          steps,
          monitor: m.name,
          runs: xs.length,
          samples_per_s: median(xs),
          min: Math.min(...xs),
          max: Math.max(...xs),
          ratio_to_off: median(xs) / offMedian,
          // A ratio with no finished estimate measures nothing: the estimates are in the row.
          estimates_min: rs.some((r) => r.estimates !== null) ? Math.min(...rs.flatMap((r) => (r.estimates === null ? [] : [r.estimates]))) : null,
          rounds: medianOrNull(rs.map((r) => r.rounds)),
          products,
          round_s: medianOrNull(rs.map((r) => r.roundSeconds)),
          pause_s: medianOrNull(rs.map((r) => r.pauseSeconds)),
          // How often a distributed estimate finishes at this pace: the steps its products span.
          steps_per_estimate: w.productsPerEstimate !== undefined && products !== null && products > 0 ? (steps * w.productsPerEstimate) / products : null,
        });
      }
      const ratio = (m: Mode): number => median(samplesOf(m)) / offMedian;
      if (w.distributedOnly !== true) {
        summary[`metrics_overhead_${w.key}_local_ratio`] = ratio(modes[1]);
        summary[`metrics_overhead_${w.key}_local_busy_ratio`] = ratio(modes[2]);
      }
      summary[`metrics_overhead_${w.key}_distributed_100_ratio`] = ratio(distributed);
      const products = medianOrNull((results.get(distributed.name) ?? []).map((r) => r.products));
      if (w.productsPerEstimate !== undefined && products !== null && products > 0)
        summary[`metrics_overhead_${w.key}_distributed_steps_per_estimate`] = (steps * w.productsPerEstimate) / products;
    }
    return {
      rows,
      summary,
      notes: [
        `${cpus().length} CPU core(s); 2 workers and 1 parameter server train, the monitor runs at nice 10 with its estimator in a worker thread.`,
        'ratio_to_off is median samples/s with the monitor over median without it (the must-show asks ≥ 0.9 at the default schedule).',
        'Samples/s come from the last progress event of `lnsgd train --json` (whole run, rank 0).',
        `Distributed rows: rounds, round_s and pause_s are the monitor's estimation rounds in the run (the workers' time in them, and the waits the budget added); steps_per_estimate (mlp) is steps × 182 / products, the steps one default estimate (182 products in 37 rounds) spans at this pace; the first rounds carry one product each and the later ones ten, which share the per-round costs, so it errs on the long side.`,
      ],
    };
  },
};
