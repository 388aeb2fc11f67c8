import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Finds an executable on $PATH (or at `PROMTOOL` / `PROMETHEUS` style overrides the
 * caller reads), e.g. `promtool` or `prometheus` from Debian's `prometheus` package.
 *
 * @param name the binary, e.g. 'promtool'.
 * @param env the environment to read PATH from (default process.env).
 * @returns its absolute path, or undefined when absent.
 */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Exit status and output of a promtool run. */
export interface PromtoolResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `promtool <args>` with optional stdin, e.g. `check metrics` on a scrape body
 * (it lints names, units, help and label conventions) or `check rules <file>`.
 *
 * @param opts promtool's path, its arguments, stdin and a timeout (default 30 s).
 * @throws when promtool cannot be started or outlives the timeout.
 */
export function runPromtool(opts: {
  readonly promtool: string;
  readonly args: readonly string[];
  readonly stdin?: string;
  readonly timeoutMs?: number;
}): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(opts.promtool, [...opts.args], { stdio: ['pipe', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => reject(new Error(`runPromtool: cannot run ${opts.promtool} ${opts.args.join(' ')}: ${err.message}`, { cause: err })));
    child.on('close', (code, signal) => {
      if (signal !== null) reject(new Error(`runPromtool: ${opts.promtool} ${opts.args.join(' ')} was killed by ${signal}`));
      else resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}
