import { PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import * as zmq from 'zeromq';
import { connectSyntheticWorker } from '@lnsgd/ps';
import { encodeMessage, float32Frame } from '@lnsgd/transport';
import { ownCpuMs } from './cpu_time';

/**
 * Bench-only child process of the `exchange` suite: the client of one path, in its own
 * process as a worker is. Each path gets its own so that the garbage collections its
 * received frames cause land on its own round trips: in one shared client process every
 * path's frames drive the mark-compacts, and those pauses land on whichever path is
 * running, adding the same milliseconds to the fast path and the slow one alike.
 *
 *   node exchange_client.js raw <n> <endpoint>                 a DEALER sending a push's frames of n float32,
 *                                                              waiting for the echo
 *   node exchange_client.js ps <n> crc|no-crc <endpoint>...    a real KvWorker of the shards at the endpoints
 *                                                              (keyRanges order), pushing n float32 and
 *                                                              taking the replies as θ
 *
 * Prints {"ready": true} once connected. Each line on stdin is answered with one line on
 * stdout, in order: "trip" → {"ms": …} (one timed round trip); "cpu" → {"cpu_ms": …,
 * "gc_ms": …}, this process's user + system CPU so far (all threads, ZeroMQ's I/O thread
 * included) and its garbage-collection pauses so far. Exits when stdin closes.
 */
async function main(argv: readonly string[]): Promise<void> {
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  }).observe({ entryTypes: ['gc'] });
  const [mode, nArg, ...rest] = argv;
  const n = Number(nArg);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`exchange_client: <n> must be a positive integer, got ${String(nArg)}`);
  const grad = new Float32Array(n).fill(1e-3);
  let trip: () => Promise<void>;
  let close: () => Promise<void>;
  if (mode === 'raw' && rest.length === 1) {
    const sock = new zmq.Dealer({ linger: 0, sendHighWaterMark: 16, receiveHighWaterMark: 16 });
    sock.connect(rest[0]);
    trip = async () => {
      const { header, bytes } = float32Frame(grad, { offset: 0, checksum: false });
      await sock.send(encodeMessage({ requestId: 1, push: { rank: 0, step: 0, numSamples: 1, loss: 0, grad: header, session: 'raw' } }, [bytes]));
      const frames = await sock.receive();
      if (frames[1]?.length !== bytes.byteLength) throw new Error(`exchange_client: echo returned ${frames[1]?.length ?? 0} bytes, sent ${bytes.byteLength}`);
    };
    close = () => Promise.resolve(sock.close());
  } else if (mode === 'ps' && (rest[0] === 'crc' || rest[0] === 'no-crc') && rest.length >= 2) {
    const worker = await connectSyntheticWorker({ endpoints: rest.slice(1), checksum: rest[0] === 'crc', workerId: `bench-${process.pid}` });
    if (worker.numParams !== n) throw new Error(`exchange_client: the shards hold ${worker.numParams} parameters, not ${n}`);
    trip = () => worker.trip();
    close = () => worker.close();
  } else {
    throw new Error(`exchange_client: usage: exchange_client.js raw <n> <endpoint> | ps <n> crc|no-crc <endpoint>...; got ${argv.join(' ')}`);
  }
  // Requests are served one at a time, in order: a trip is never timed while another runs.
  let chain = Promise.resolve();
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    chain = chain.then(async () => {
      const what = line.trim();
      if (what === 'trip') {
        const t0 = performance.now();
        await trip();
        process.stdout.write(`${JSON.stringify({ ms: performance.now() - t0 })}\n`);
      } else if (what === 'cpu') {
        process.stdout.write(`${JSON.stringify({ cpu_ms: ownCpuMs(), gc_ms: gcMs })}\n`);
      } else {
        throw new Error(`exchange_client: unknown request '${what}' (trip | cpu)`);
      }
    });
    chain.catch((err: unknown) => fail(err));
  });
  lines.on('close', () => {
    void chain.then(close).finally(() => process.exit(0));
  });
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
}

function fail(err: unknown): never {
  process.stderr.write(`exchange_client: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

if (require.main === module) main(process.argv.slice(2)).catch(fail);
