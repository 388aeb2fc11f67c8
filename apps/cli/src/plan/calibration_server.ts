import { createInterface } from 'node:readline';
import * as zmq from 'zeromq';
import { serveSyntheticShard } from '@lnsgd/ps';
import { resolveRunConfig } from '@lnsgd/trainer/run-config';

/**
 * Child process of `lnsgd plan --calibrate`: one server on tcp://127.0.0.1:0 in its own
 * process (so its CPU is its own), printing {"endpoint": …} once bound.
 *
 *   node calibration_server.js echo     a raw ZeroMQ ROUTER that sends every message back
 *   node calibration_server.js ps <n>   a real shard (serveShard of @lnsgd/ps) of n float32, 1 worker
 *
 * Each line "cpu" on stdin is answered with {"cpu_ms": …}: this process's user + system
 * CPU so far, every thread (ZeroMQ's I/O thread included). Exits when stdin closes.
 */
async function main(argv: readonly string[]): Promise<void> {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() !== 'cpu') return;
    const u = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpu_ms: (u.user + u.system) / 1000 })}\n`);
  });
  if (argv[0] === 'echo') return echo();
  if (argv[0] === 'ps') return ps(Number(argv[1]));
  throw new Error(`calibration_server: usage: calibration_server.js echo | ps <numParams>; got ${argv.join(' ')}`);
}

async function echo(): Promise<void> {
  const socket = new zmq.Router({ linger: 0, sendHighWaterMark: 16, receiveHighWaterMark: 16 });
  await socket.bind('tcp://127.0.0.1:0');
  process.stdout.write(`${JSON.stringify({ endpoint: socket.lastEndpoint })}\n`);
  for (;;) await socket.send(await socket.receive());
}

/** A 1-worker shard of n parameters with the quadratic-sparse preset's hyper-parameters and the PS's default parts (the serving code is production's). */
async function ps(n: number): Promise<void> {
  const { hyper } = resolveRunConfig('quadratic-sparse', { steps: 1_000_000_000, lr: 1e-6 });
  const served = await serveSyntheticShard({ numParams: n, preset: 'quadratic-sparse', hyper, log: (line) => void process.stderr.write(`${line}\n`) });
  process.stdout.write(`${JSON.stringify({ endpoint: served.endpoint })}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`calibration_server: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
