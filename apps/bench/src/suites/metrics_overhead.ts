import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { Suite, SuiteResult } from '../suite';

/** The built CLI entry (apps/cli/bin/lnsgd.js), as `npx lnsgd` runs it; from apps/bench/dist/suites. */
const LNSGD_BIN = join(__dirname, '..', '..', '..', 'cli', 'bin', 'lnsgd.js');

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
function trainOnce(args: readonly string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LNSGD_BIN, 'train', ...args, '--workers', '2', '--no-sharpness', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`lnsgd train ${args.join(' ')} exited with ${String(code)}:\n${stderr}`));
      const events = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { event: string; samples_per_s?: number; sharpness_estimates?: number });
      const last = events.filter((e) => e.event === 'progress').at(-1)?.samples_per_s;
      if (last === undefined) return reject(new Error(`lnsgd train ${args.join(' ')} printed no progress event`));
      resolve({ samplesPerS: last, estimates: events.find((e) => e.event === 'summary')?.sharpness_estimates ?? null });
    });
  });
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

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
