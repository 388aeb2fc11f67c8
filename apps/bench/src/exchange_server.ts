import { createInterface } from 'node:readline';
import * as zmq from 'zeromq';
import { randomUUID } from 'node:crypto';
import { ParameterShard, serveShard } from '@lnsgd/ps';
import { resolveRunConfig } from '@lnsgd/trainer/run-config';
import { keyRanges } from '@lnsgd/transport';
import { ownCpuMs } from './cpu_time';

/**
 * Bench-only child process of the `exchange` suite: one server on
 * tcp://127.0.0.1:0, in its own process (as in a real cluster), printing
 * {"endpoint": …} on stdout once bound.
 *
 *   node exchange_server.js echo          a raw ZeroMQ ROUTER that sends every message back
 *   node exchange_server.js ps <n> [<s> <S>]
 *                                         a real parameter-server shard (serveShard of @lnsgd/ps)
 *                                         of a model of n float32 parameters, 1 worker: shard s of S
 *                                         (default 0 of 1), holding keyRanges(n, S)[s]
 *
 * The PS holds a synthetic parameter count: the quadratic-sparse preset's
 * hyper-parameters over θ ∈ R^n, all ones (as that model starts); the serving code is
 * the production one. Each line "cpu" on stdin is answered with {"cpu_ms": …} on
 * stdout: this process's user + system CPU so far, all threads (ZeroMQ's I/O thread
 * included). Exits when stdin closes (the bench died or finished).
 */
async function main(argv: readonly string[]): Promise<void> {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() !== 'cpu') return;
    process.stdout.write(`${JSON.stringify({ cpu_ms: ownCpuMs() })}\n`);
  });
  const mode = argv[0];
  if (mode === 'echo') return echo();
  // 'no-checksum' only marks the process (the client decides whether frames carry a CRC).
  const rest = argv.slice(1).filter((a) => a !== 'no-checksum');
  if (mode === 'ps') return ps(Number(rest[0]), Number(rest[1] ?? 0), Number(rest[2] ?? 1));
  throw new Error(`exchange_server: usage: exchange_server.js echo | ps <numParams> [<shard> <shards>]; got ${argv.join(' ')}`);
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

/**
 * A 1-worker shard of `n` parameters (θ₀ all ones, as the quadratic-sparse model with
 * d = n starts) served by the parameter server's own layers: ParameterShard,
 * ShardCore and serveShard, with the quadratic-sparse preset's hyper-parameters.
 *
 * @param n parameters of the whole model.
 * @param s this shard.
 * @param shards shards S the model is split over.
 */
async function ps(n: number, s: number, shards: number): Promise<void> {
  if (!Number.isInteger(n) || n < 1) throw new Error(`exchange_server: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(shards) || shards < 1 || !Number.isInteger(s) || s < 0 || s >= shards)
    throw new Error(`exchange_server: shard ${s} of ${shards} is not a shard`);
  const { hyper } = resolveRunConfig('quadratic-sparse', { steps: 1_000_000_000, lr: 1e-6 });
  const range = keyRanges(n, shards)[s];
  const shard = new ParameterShard({ params: new Float32Array(range.length).fill(1), hyper, reuseParams: true });
  const served = await serveShard({
    bind: 'tcp://127.0.0.1:0',
    maxMessageBytes: 2 ** 30,
    log: (line) => void process.stderr.write(`${line}\n`),
    core: {
      config: {
        shard: s,
        shards,
        workers: 1,
        batch: hyper.batch,
        steps: hyper.steps,
        onWorkerLoss: 'rebalance',
        heartbeatTimeoutMs: 120_000,
        startupGraceMs: 120_000,
        authToken: '',
        checksum: true,
        stayAfterRun: false,
      },
      range,
      session: randomUUID(),
      shard,
      assignment: {
        worldSize: 1,
        numShards: shards,
        numParams: n,
        range,
        run: { preset: 'quadratic-sparse', steps: hyper.steps, batch: hyper.batch, lr: hyper.lr },
      },
    },
  });
  process.stdout.write(`${JSON.stringify({ endpoint: served.endpoint })}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`exchange_server: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
