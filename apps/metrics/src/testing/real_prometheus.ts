import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A Prometheus server started for a test. */
export interface RealPrometheus {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Instant query through the HTTP API; returns the vector's samples. */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: number }>>;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (Prometheus needs a number, not 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Ends a child process: SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
export function endChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts `prometheus` (Debian package `prometheus`) on 127.0.0.1 with a 1 s scrape
 * interval over `targets` (host:port of /metrics endpoints), its TSDB in `dir`, and
 * waits (bounded) until /-/ready answers.
 *
 * @param opts the binary, the targets, a scratch directory and a start-up timeout.
 * @throws when it exits or is not ready in time; the message carries its log tail.
 */
export async function startPrometheus(opts: { readonly binary: string; readonly targets: readonly string[]; readonly dir: string; readonly timeoutMs?: number }): Promise<RealPrometheus> {
  const port = await freePort();
  const config = join(opts.dir, 'prometheus.yml');
  // JSON is YAML: no YAML writer needed.
  writeFileSync(
    config,
    JSON.stringify({
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      scrape_configs: [{ job_name: 'lnsgd-metrics', static_configs: [{ targets: opts.targets }] }],
    }),
  );
  const child = spawn(
    opts.binary,
    [`--config.file=${config}`, `--storage.tsdb.path=${join(opts.dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (log = (log + d).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/-/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await endChild(child);
      throw new Error(`prometheus not ready within ${opts.timeoutMs ?? 30_000} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
      if (body.status !== 'success' || body.data === undefined) throw new Error(`query ${expr} failed: ${body.error ?? res.status}`);
      return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    stop: () => endChild(child),
  };
}
