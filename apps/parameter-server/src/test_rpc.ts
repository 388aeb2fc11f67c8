import assert from 'node:assert/strict';
import * as zmq from 'zeromq';
import { encodeMessage, pb, type pbTypes } from '@lnsgd/transport';

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
