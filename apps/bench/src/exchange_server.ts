import { createInterface } from 'node:readline';
import * as zmq from 'zeromq';
import { parseServerConfig, startShardServer, type ServerConfig } from '@lnsgd/parameter-server';
import { ownCpuMs } from './cpu_time';

/**
 * Bench-only child process of the `exchange` suite: one server on
 * tcp://127.0.0.1:0, in its own process (as in a real cluster), printing
 * {"endpoint": …} on stdout once bound.
 *
 *   node exchange_server.js echo          a raw ZeroMQ ROUTER that sends every message back
 *   node exchange_server.js ps <n>        a real parameter-server shard (startShardServer)
 *                                         holding n float32 parameters, 1 worker
 *
 * The PS gets a synthetic parameter count by swapping the model options of the
 * quadratic-sparse preset (θ = v ∈ R^n, init all ones) in its config; production
 * code is unchanged. Each line "cpu" on stdin is answered with {"cpu_ms": …} on
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
  if (mode === 'ps') return ps(Number(argv[1]));
  throw new Error(`exchange_server: usage: exchange_server.js echo | ps <numParams>; got ${argv.join(' ')}`);
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
 * A shard config for `n` parameters: the quadratic-sparse preset with d = n.
 *
 * @param n parameters the shard holds.
 */
export function syntheticShardConfig(n: number): ServerConfig {
  if (!Number.isInteger(n) || n < 1) throw new Error(`syntheticShardConfig: n must be a positive integer, got ${n}`);
  const base = parseServerConfig(['--preset', 'quadratic-sparse', '--workers', '1', '--steps', '1000000000', '--lr', '1e-6'], {});
  const preset = { ...base.run.preset, model: { name: 'quadratic-sparse' as const, options: { d: n } } };
  return { ...base, run: { ...base.run, preset }, maxMessageBytes: 2 ** 30 };
}

async function ps(n: number): Promise<void> {
  await startShardServer({
    config: syntheticShardConfig(n),
    log: (line) => void process.stderr.write(`${line}\n`),
    onEvent: (e) => {
      if (e.event === 'listening') process.stdout.write(`${JSON.stringify({ endpoint: e.endpoint })}\n`);
    },
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`exchange_server: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
