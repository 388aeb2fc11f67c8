import { spawn, type ChildProcess } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** One sample of a range query: seconds since the epoch and the value. */
export interface RangeSample {
  readonly t: number;
  readonly value: number;
}

/** A Prometheus server started for a test. */
export interface TestPrometheus {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Instant query of a vector expression; the samples with their labels. */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: number }>>;
  /** Instant query of a range selector such as `x[5m]`; every stored sample per series. */
  queryRange(expr: string): Promise<Array<{ metric: Record<string, string>; samples: RangeSample[] }>>;
  /** Adds scrape targets (host:port) through file-based discovery (picked up within ~5 s). */
  addTargets(targets: readonly string[]): void;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (Prometheus and fixed-port flags need a number). */
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

async function apiQuery<T>(url: string, expr: string): Promise<{ resultType: string; result: T[] }> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: T[] } };
  if (body.status !== 'success' || body.data === undefined) throw new Error(`query ${expr} failed: ${body.error ?? res.status}`);
  return body.data;
}

/**
 * Starts `prometheus` (Debian package `prometheus`) on 127.0.0.1 with a 1 s scrape
 * interval (or `scrapeInterval`, a Prometheus duration such as `250ms`): `staticTargets` (host:port, known before the processes start) under job
 * `staticJob` (default `static`), and a file-discovery job `discovered` fed by
 * {@link TestPrometheus.addTargets}. For tests only: the apps never start Prometheus.
 * Waits (bounded) until /-/ready answers.
 *
 * @param opts the binary, the static targets, a scratch directory, the scrape interval and a start-up timeout.
 * @throws when it exits or is not ready in time; the message carries its log tail.
 */
export async function startPrometheus(opts: {
  readonly binary: string;
  readonly staticTargets: readonly string[];
  readonly staticJob?: string;
  readonly dir: string;
  readonly scrapeInterval?: string;
  readonly timeoutMs?: number;
}): Promise<TestPrometheus> {
  const every = opts.scrapeInterval ?? '1s';
  const port = await freePort();
  const config = join(opts.dir, 'prometheus.yml');
  const sdFile = join(opts.dir, 'targets.json');
  const writeTargets = (targets: readonly string[]): void => {
    writeFileSync(`${sdFile}.tmp`, JSON.stringify([{ targets }]));
    renameSync(`${sdFile}.tmp`, sdFile);
  };
  writeTargets([]);
  // JSON is YAML: no YAML writer needed.
  writeFileSync(
    config,
    JSON.stringify({
      global: { scrape_interval: every, scrape_timeout: every, evaluation_interval: every },
      scrape_configs: [
        { job_name: opts.staticJob ?? 'static', static_configs: [{ targets: opts.staticTargets }] },
        { job_name: 'discovered', file_sd_configs: [{ files: [sdFile], refresh_interval: every }] },
      ],
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
  const discovered: string[] = [];
  return {
    url,
    async query(expr) {
      const data = await apiQuery<{ metric: Record<string, string>; value: [number, string] }>(url, expr);
      return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    async queryRange(expr) {
      const data = await apiQuery<{ metric: Record<string, string>; values: Array<[number, string]> }>(url, expr);
      if (data.resultType !== 'matrix') throw new Error(`query ${expr} returned a ${data.resultType}, expected a matrix (use a range selector)`);
      return data.result.map((r) => ({ metric: r.metric, samples: r.values.map(([t, v]) => ({ t, value: Number(v) })) }));
    },
    addTargets(targets) {
      discovered.push(...targets);
      writeTargets(discovered);
    },
    stop: () => endChild(child),
  };
}
