import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Path of the built CLI entry, as `npx lnsgd` runs it. */
export const LNSGD_BIN = join(__dirname, '..', '..', 'apps', 'cli', 'bin', 'lnsgd.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `lnsgd <args>` as a real child process and collects its output. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, opts: { readonly cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LNSGD_BIN, ...args], { env: { ...process.env, ...env }, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One JSON line of `lnsgd ... --json`; fields the tests read are declared. */
export interface JsonEvent {
  readonly event: string;
  readonly params_l2: number;
  readonly params_sha256: string;
  readonly lambda: number | null;
  readonly [key: string]: unknown;
}

/** Parses JSON-lines stdout; throws naming the line that is not JSON. */
export function jsonLines(stdout: string): JsonEvent[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as JsonEvent;
      } catch {
        throw new Error(`stdout line ${i + 1} is not JSON: ${l}`);
      }
    });
}
