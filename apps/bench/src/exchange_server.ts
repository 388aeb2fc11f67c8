import { PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import * as zmq from 'zeromq';
import { serveSyntheticShard } from '@lnsgd/ps';
import { resolveRunConfig } from '@lnsgd/trainer/run-config';
import { ownCpuMs } from './cpu_time';

/**
 * Bench-only child process of the `exchange` suite: one server on
 * tcp://127.0.0.1:0, in its own process (as in a real cluster), printing
 * {"endpoint": …} on stdout once bound.
 *
 *   node exchange_server.js echo          a raw ZeroMQ ROUTER that sends every message back
 *   node exchange_server.js ps <n> [<s> <S>] [no-checksum] [part=<bytes>]
 *                                         a real parameter-server shard (serveShard of @lnsgd/ps)
 *                                         of a model of n float32 parameters, 1 worker: shard s of S
 *                                         (default 0 of 1), holding keyRanges(n, S)[s]; no-checksum:
 *                                         no CRC-32 on its replies; part: its --part-bytes
 *
 * The PS holds a synthetic parameter count: the quadratic-sparse preset's
 * hyper-parameters over θ ∈ R^n, all ones (as that model starts); the serving code is
 * the production one. Each line "cpu" on stdin is answered with {"cpu_ms": …} on
 * stdout: this process's user + system CPU so far, all threads (ZeroMQ's I/O thread
 * included), and "gc_ms": the time its garbage collections took so far (perf_hooks
 * 'gc' entries). Exits when stdin closes (the bench died or finished).
 */
async function main(argv: readonly string[]): Promise<void> {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  }).observe({ entryTypes: ['gc'] });
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() !== 'cpu') return;
    process.stdout.write(`${JSON.stringify({ cpu_ms: ownCpuMs(), gc_ms: gcMs })}\n`);
  });
  const mode = argv[0];
  if (mode === 'echo') return echo();
  if (mode === 'ps') {
    const part = argv.find((a) => a.startsWith('part='));
    const rest = argv.slice(1).filter((a) => a !== 'no-checksum' && !a.startsWith('part='));
    return ps(Number(rest[0]), {
      s: Number(rest[1] ?? 0),
      shards: Number(rest[2] ?? 1),
      checksum: !argv.includes('no-checksum'),
      partBytes: part === undefined ? undefined : Number(part.slice(5)),
    });
  }
  throw new Error(`exchange_server: usage: exchange_server.js echo | ps <numParams> [<shard> <shards>] [no-checksum] [part=<bytes>]; got ${argv.join(' ')}`);
}

async function echo(): Promise<void> {
  const socket = new zmq.Router({ linger: 0, sendHighWaterMark: 16, receiveHighWaterMark: 16 });
  await socket.bind('tcp://127.0.0.1:0');
  process.stdout.write(`${JSON.stringify({ endpoint: socket.lastEndpoint })}\n`);
  for (;;) {
    const frames = await socket.receive();
    await socket.send(frames);
  }
}

/** A shard of the quadratic-sparse preset's hyper-parameters over a synthetic θ ∈ R^n (see serveSyntheticShard). */
async function ps(n: number, o: { s: number; shards: number; checksum: boolean; partBytes: number | undefined }): Promise<void> {
  const { hyper } = resolveRunConfig('quadratic-sparse', { steps: 1_000_000_000, lr: 1e-6 });
  const served = await serveSyntheticShard({
    numParams: n,
    shard: o.s,
    shards: o.shards,
    checksum: o.checksum,
    partBytes: o.partBytes,
    preset: 'quadratic-sparse',
    hyper,
    log: (line) => void process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify({ endpoint: served.endpoint })}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`exchange_server: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
