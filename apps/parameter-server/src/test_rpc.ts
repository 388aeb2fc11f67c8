import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { after } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { encodeMessage, pb, type pbTypes } from '@lnsgd/transport';
import type { ShardServer } from './shard_server';

/**
 * Test helper: one request from a raw DEALER to a shard and its reply, skipping
 * unsolicited notes (request id 0, e.g. Stop); replies to MALFORMED input also carry
 * id 0, so errors are always returned.
 */
export async function rpc(sock: zmq.Dealer, env: pbTypes.Envelope.$Properties, frames: Uint8Array[] = []): Promise<{ env: pbTypes.Envelope; frames: Buffer[] }> {
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
export function shardFixture(prefix: string): { dir: string; servers: ShardServer[]; socks: zmq.Dealer[] } {
  const fx = { dir: mkdtempSync(join(tmpdir(), prefix)), servers: [] as ShardServer[], socks: [] as zmq.Dealer[] };
  after(async () => {
    for (const s of fx.socks) s.close();
    for (const s of fx.servers) await s.close();
    rmSync(fx.dir, { recursive: true, force: true });
  });
  return fx;
}

/** Test helper: the float32 values of a parameters frame, as numbers. */
export const floats = (b: Buffer): number[] => Array.from(new Float32Array(Uint8Array.from(b).buffer));
