import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { LNSGD_BIN, type CliResult } from './run_cli';

/**
 * Reads an lnsgd parameter file, independently of the code under test: the container
 * (LNSGDC01: uint32 header length, JSON header naming its sections, the sections,
 * SHA-256) or the older LNSGDPv1 (uint32 header length, JSON header, float32 LE).
 */
export function readParams(path: string): Float32Array {
  const buf = readFileSync(path);
  const magic = buf.subarray(0, 8).toString('ascii');
  if (magic !== 'LNSGDPv1' && magic !== 'LNSGDC01') throw new Error(`${path} is not a parameter file`);
  const h = buf.readUInt32LE(8);
  let body = buf.subarray(12 + h);
  if (magic === 'LNSGDC01') {
    const header = JSON.parse(buf.subarray(12, 12 + h).toString('utf8')) as { kind: string; sections: { name: string; bytes: number }[] };
    if (header.kind !== 'params' || header.sections[0]?.name !== 'theta') throw new Error(`${path} is not a parameter file (${header.kind})`);
    if (
      !createHash('sha256')
        .update(buf.subarray(0, buf.length - 32))
        .digest()
        .equals(buf.subarray(buf.length - 32))
    )
      throw new Error(`${path}: SHA-256 mismatch`);
    body = buf.subarray(12 + h, 12 + h + header.sections[0].bytes);
  }
  const out = new Float32Array(body.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = body.readFloatLE(4 * i);
  return out;
}

/** ‖a − b‖ / ‖b‖ in float64. */
export function relativeDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / n);
}

/** Whether a process id is still alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `lnsgd <args>` and calls `onLine` for each stdout line as it arrives (so a test
 * can act mid-run); kills the child after `timeoutMs` so a hang fails instead of blocking CI.
 */
export function runCliStreaming(
  args: readonly string[],
  opts: { onLine: (line: string, child: ChildProcess) => void; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LNSGD_BIN, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    createInterface({ input: child.stdout }).on('line', (l) => {
      stdout += `${l}\n`;
      opts.onLine(l, child);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
