import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { after } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { KvWorker } from '@lnsgd/ps';
import { encodeMessage, pb, type pbTypes } from '@lnsgd/transport';
import type { ShardServer } from './shard_server';

/**
 * Test helper for hostile input (bad pushes a real client never sends): one request
 * from a raw DEALER to a shard and its reply, skipping
 * unsolicited notes (request id 0, e.g. Stop); replies to MALFORMED input also carry
 * id 0, so errors are always returned.
 */
export async function rpc(
  sock: zmq.Dealer,
  env: pbTypes.Envelope.$Properties,
  frames: Uint8Array[] = [],
): Promise<{ env: pbTypes.Envelope; frames: Buffer[] }> {
  await sock.send(encodeMessage({ requestId: 1, ...env }, frames));
  for (;;) {
    const [h, ...rest] = await sock.receive();
    const got = pb.Envelope.decode(h);
    if (got.requestId !== 0 || got.body === 'error') return { env: got, frames: rest };
  }
}

/**
 * Test helper: a raw DEALER connected to a shard and registered as worker 'w' (any
 * rank); the caller closes the socket.
 */
export async function registerRaw(endpoint: string): Promise<{ sock: zmq.Dealer; assignment: pbTypes.IAssignment }> {
  const sock = new zmq.Dealer({ linger: 0, receiveTimeout: 5000 });
  sock.connect(endpoint);
  const reg = await rpc(sock, { register: { workerId: 'w', requestedRank: -1 } });
  const a = reg.env.assignment;
  assert.ok(a, `register: ${JSON.stringify(reg.env)}`);
  return { sock, assignment: a };
}

/**
 * Test helper: a temporary directory (for checkpoints) and lists the test file pushes
 * its shards and sockets into; after the file's tests every socket and shard is closed
 * and the directory removed.
 */
export function shardFixture(prefix: string): { dir: string; servers: ShardServer[]; socks: zmq.Dealer[]; workers: KvWorker[] } {
  const fx = { dir: mkdtempSync(join(tmpdir(), prefix)), servers: [] as ShardServer[], socks: [] as zmq.Dealer[], workers: [] as KvWorker[] };
  after(async () => {
    for (const w of fx.workers) await w.close();
    for (const s of fx.socks) s.close();
    for (const s of fx.servers) await s.close();
    rmSync(fx.dir, { recursive: true, force: true });
  });
  return fx;
}

/** Test helper: the float32 values of a parameters frame, as numbers. */
export const floats = (b: Buffer): number[] => Array.from(new Float32Array(Uint8Array.from(b).buffer));

/** A one-worker shard's real client (KvWorker), pushing the same gradient [0.5, −0.25] over its whole share every step. */
export interface TestWorker {
  readonly kv: KvWorker;
  readonly startStep: number;
  /** pushPull of step k: the next version, whether it is the last, and θ. */
  step(k: number): Promise<{ version: number; final: boolean; theta: number[] }>;
}

/**
 * Test helper: registers the real client with a one-worker shard of two parameters
 * (uv-toy); the fixture's `workers` list closes it after the file's tests.
 *
 * @param endpoint the shard.
 * @param workers where to keep it for closing.
 */
export async function testWorker(endpoint: string, workers: KvWorker[]): Promise<TestWorker> {
  const kv = await KvWorker.connect({
    endpoints: [endpoint],
    workerId: 'w',
    rank: -1,
    authToken: '',
    timeoutMs: 20_000,
    retries: 0,
    registerTimeoutMs: 20_000,
    reconnectTimeoutMs: 0,
    checksum: true,
    log: () => undefined,
  });
  assert.ok(kv, 'registered');
  workers.push(kv);
  const a = kv.assignment;
  const batch = a.run?.batch ?? 0;
  let share = { epoch: a.share?.epoch ?? 0, index: a.share?.index ?? 0, count: a.share?.count ?? 0 };
  const grad = new Float32Array([0.5, -0.25]);
  return {
    kv,
    startStep: a.startStep ?? 0,
    step: async (k) => {
      const out = await kv.pushPull({ step: k, theta: grad, share, next: new Float32Array(grad.length), compute: () => ({ grad, samples: batch, loss: 1 }) });
      share = out.share;
      return { version: out.version, final: out.final, theta: Array.from(out.theta) };
    },
  };
}
