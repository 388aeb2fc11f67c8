import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The built CLI entry (apps/cli/bin/lnsgd.js), as `npx lnsgd` runs it; from apps/bench/dist/suites. */
export const LNSGD_BIN = join(__dirname, '..', '..', '..', 'cli', 'bin', 'lnsgd.js');

/** One JSON line of `lnsgd train --json` (progress, summary, …), with the fields the suites read. */
export interface TrainEvent {
  readonly event: string;
  readonly samples_per_s?: number;
  readonly test_metric?: number;
  readonly params_l2?: number;
  readonly sharpness_estimates?: number;
  /** Distributed sharpness: estimation rounds run, their seconds and their pause for the budget. */
  readonly sharpness_rounds?: number;
  readonly sharpness_round_products?: number;
  readonly sharpness_round_s?: number;
  readonly sharpness_round_pause_s?: number;
}

/**
 * Runs `lnsgd train <args> --json` as a child process and returns its JSON events.
 * A run longer than 10 minutes is killed (a bench must end).
 *
 * @throws Error with the tail of stderr when the run exits non-zero.
 */
export function trainEvents(args: readonly string[]): Promise<TrainEvent[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LNSGD_BIN, 'train', ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`lnsgd train ${args.join(' ')} exited with ${String(code)}:\n${stderr}`));
      resolve(
        stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as TrainEvent),
      );
    });
  });
}

/** The median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
