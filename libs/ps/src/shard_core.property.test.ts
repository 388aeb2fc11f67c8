import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeMessage, encodeMessage, float32Frame, pb, type EnvelopeInit, type pbTypes, type ServerRequest } from '@lnsgd/transport';
import type { Share } from './membership';
import { ParameterShard } from './parameter_shard';
import { shareSamples } from './push_check';
import { ShardCore } from './shard_core';
import { REFERENCE_HYPER, referenceStep } from './reference_sgd.test_util';

// The protocol as a state machine: random sequences of register / push / resend /
// duplicate / heartbeat / silence (loss) / replacement / stop against one ShardCore
// (shard 0, rebalance policy), with a fake clock and no sockets. After every action:
// every request has at most one reply; every closed step combined exactly B samples;
// θ equals a reference that applies, per closed step, one push per share index in
// index order with the rounding documented in proto/README.md — so no push was
// applied twice and none was lost. At the end every member pushes until the run is
// over, and every request has exactly one reply.

const N = 4;
const HYPER = REFERENCE_HYPER;
const TIMEOUT_MS = 300;

/** The gradient a worker computes for share (index, count) of `step` (any epoch: label noise is keyed by step and sample). */
function gradOf(step: number, share: { index: number; count: number }, salt = 0): Float32Array {
  return Float32Array.from({ length: N }, (_, i) => Math.fround(Math.sin(1 + step * 7.1 + share.index * 3.3 + share.count * 1.7 + i * 0.9 + salt)));
}

type Action =
  | { kind: 'push'; w: number }
  | { kind: 'resend'; w: number }
  | { kind: 'duplicate'; w: number }
  | { kind: 'heartbeat'; w: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'replace'; w: number }
  | { kind: 'stop' };

interface SimWorker {
  /** The rank asked for at first; then the one shard 0 assigned (a replacement may get another). */
  rank: number;
  id: string;
  conn: Buffer;
  session: string;
  share: Share;
  /** The step this worker computes next. */
  version: number;
  /** Its open push, if any: request id and what it sent. */
  pending: { requestId: number; step: number; env: EnvelopeInit; frames: Uint8Array[] } | undefined;
  registered: boolean;
}

function run(setup: { workers: number; batch: number; steps: number }, actions: readonly Action[]): void {
  const { workers, batch, steps } = setup;
  let now = 0;
  const theta0 = Float32Array.from({ length: N }, (_, i) => 0.5 - i * 0.25);
  const shard = new ParameterShard({ params: theta0.slice(), hyper: HYPER, reuseParams: true });
  const ref = { theta: theta0.slice(), velocity: new Float32Array(N), count: 0 };
  /** Replies by `${conn}/${requestId}`; notes (request id 0) by conn. */
  const replies = new Map<string, number>();
  const inbox: { conn: string; env: pbTypes.Envelope; frames: readonly Buffer[] }[] = [];
  let exited = false;
  const core = new ShardCore({
    config: {
      shard: 0,
      shards: 1,
      workers,
      batch,
      steps,
      onWorkerLoss: 'rebalance',
      heartbeatTimeoutMs: TIMEOUT_MS,
      startupGraceMs: 0,
      authToken: '',
      checksum: true,
      stayAfterRun: false,
    },
    range: { shard: 0, offset: 0, length: N },
    session: 'S',
    shard,
    assignment: { worldSize: workers, numShards: 1, numParams: N, range: { shard: 0, offset: 0, length: N } },
    now: () => now,
    out: {
      send: (peer, envelope, frames) => {
        const m = decodeMessage(encodeMessage(envelope, frames).map((f) => Buffer.from(f)));
        const key = `${peer.toString('hex')}/${m.envelope.requestId}`;
        if (m.envelope.requestId !== 0) replies.set(key, (replies.get(key) ?? 0) + 1);
        inbox.push({ conn: peer.toString('hex'), env: m.envelope, frames: m.frames });
      },
      log: () => undefined,
      closed: () => undefined,
      exit: (ms) => {
        if (ms === 0) exited = true;
      },
    },
  });
  let nextConn = 1;
  let nextRequest = 1;
  const sent: string[] = [];
  const request = (w: SimWorker, env: EnvelopeInit, frames: Uint8Array[] = []): number => {
    const requestId = nextRequest++;
    sent.push(`${w.conn.toString('hex')}/${requestId}`);
    const req: ServerRequest = { peer: w.conn, message: decodeMessage(encodeMessage({ ...env, requestId }, frames).map((f) => Buffer.from(f))), bytes: 0 };
    core.handle(req);
    return requestId;
  };
  const sim: SimWorker[] = Array.from({ length: workers }, (_, rank) => ({
    rank,
    id: `w${rank}`,
    conn: Buffer.from([nextConn++]),
    session: '',
    share: { epoch: 0, index: 0, count: 0 },
    version: 0,
    pending: undefined,
    registered: false,
  }));
  const shareOf = (s: pbTypes.IShare | null | undefined): Share => ({ epoch: s?.epoch ?? 0, index: s?.index ?? 0, count: s?.count ?? 0 });
  let version = 0;

  /** Reads what the core sent, as each worker would. */
  const drain = (): void => {
    for (const m of inbox.splice(0)) {
      const w = sim.find((x) => x.conn.toString('hex') === m.conn);
      if (w === undefined) continue;
      const e = m.env;
      if (e.body === 'assignment') {
        w.session = e.assignment?.session ?? '';
        w.rank = e.assignment?.rank ?? w.rank;
        w.share = shareOf(e.assignment?.share);
        w.version = e.assignment?.startStep ?? 0;
        w.registered = true;
      } else if (e.body === 'membership') {
        if ((e.membership?.share?.epoch ?? 0) > w.share.epoch) w.share = shareOf(e.membership?.share);
      } else if (e.body === 'params') {
        const p = e.params ?? {};
        const v = p.version ?? 0;
        if (v > version) {
          // A close: check it against the reference before anything else.
          const closing = w.pending;
          assert.ok(closing !== undefined && closing.step === v - 1, `params of version ${v} to a worker with no push of step ${v - 1}`);
          const count = closing.env.push?.share?.count ?? 0;
          assert.equal(p.stepSamples, batch, `step ${v - 1} combined ${p.stepSamples} samples, B = ${batch}`);
          const parts = Array.from({ length: count }, (_, index) => ({ w: shareSamples(batch, { index, count }), g: gradOf(v - 1, { index, count }) })).filter(
            (x) => x.w > 0,
          );
          referenceStep(ref, parts);
          version = v;
        }
        assert.deepEqual(Array.from(new Float32Array(Uint8Array.from(m.frames[0]).buffer)), Array.from(ref.theta), `θ after step ${v - 1}`);
        if (w.pending !== undefined && e.requestId === w.pending.requestId) w.pending = undefined;
        w.version = Math.max(w.version, v);
        if ((p.share?.epoch ?? 0) >= w.share.epoch) w.share = shareOf(p.share);
      } else if (e.body === 'error') {
        const code = e.error?.code ?? 0;
        assert.ok(
          ![pb.ErrorCode.MALFORMED, pb.ErrorCode.BAD_SHAPE, pb.ErrorCode.NON_FINITE, pb.ErrorCode.CHECKSUM_MISMATCH].includes(code),
          `${pb.ErrorCode[code]}: ${e.error?.message}`,
        );
        assert.equal(e.error?.currentVersion, version, 'every error carries the current version');
        if (w.pending !== undefined && e.requestId === w.pending.requestId) w.pending = undefined;
        if (code === pb.ErrorCode.RECOMPUTE && e.error?.share) w.share = shareOf(e.error.share);
        if (code === pb.ErrorCode.UNKNOWN_WORKER) w.registered = false;
        if (code === pb.ErrorCode.STALE_PUSH || code === pb.ErrorCode.STEP_MISMATCH) w.version = e.error?.currentVersion ?? w.version;
      }
    }
  };
  const register = (w: SimWorker): void => {
    request(w, { register: { workerId: w.id, requestedRank: w.rank } });
    drain();
  };
  const push = (w: SimWorker, salt = 0): number | undefined => {
    if (!w.registered || w.share.count === 0) return undefined;
    const share = w.share;
    const { header, bytes } = float32Frame(gradOf(w.version, share, salt), { offset: 0 });
    const env: EnvelopeInit = {
      push: { rank: w.rank, step: w.version, numSamples: shareSamples(batch, share), loss: 1 + salt, grad: header, session: w.session, share },
    };
    const requestId = request(w, env, [bytes]);
    if (salt === 0) w.pending = { requestId, step: w.version, env, frames: [bytes] };
    return requestId;
  };

  for (const w of sim) register(w);
  for (const a of actions) {
    if (exited || core.finished) break;
    switch (a.kind) {
      case 'push': {
        const w = sim[a.w % workers];
        if (!w.registered) register(w);
        else if (w.pending === undefined) push(w);
        break;
      }
      case 'resend': {
        const w = sim[a.w % workers];
        if (w.pending === undefined) break;
        const pend = w.pending;
        const id = request(w, pend.env, pend.frames);
        w.pending = { ...pend, requestId: id };
        break;
      }
      case 'duplicate': {
        const w = sim[a.w % workers];
        if (w.pending === undefined || w.pending.step !== version) break;
        const id = push(w, 0.5);
        drain();
        const key = `${w.conn.toString('hex')}/${String(id)}`;
        assert.equal(replies.get(key), 1, 'a duplicate is answered at once');
        break;
      }
      case 'heartbeat': {
        const w = sim[a.w % workers];
        if (w.registered) request(w, { heartbeat: { rank: w.rank, step: w.version, session: w.session } });
        break;
      }
      case 'wait':
        now += a.ms;
        core.tick();
        break;
      case 'replace': {
        // A new process for the rank (its predecessor silent): a new connection and id.
        const w = sim[a.w % workers];
        w.id = `${w.id}'`;
        w.conn = Buffer.from([nextConn++]);
        w.pending = undefined;
        w.registered = false;
        register(w);
        break;
      }
      case 'stop':
        core.requestStop('test');
        break;
    }
    drain();
    for (const [key, n] of replies) assert.equal(n, 1, `request ${key} got ${n} replies`);
  }
  // Run to the end: every worker keeps pushing (registering, recomputing) until the run is over.
  for (let round = 0; round < 200 && !core.finished && !exited; round++) {
    now += 100;
    core.tick();
    drain();
    for (const w of sim) {
      if (!w.registered) register(w);
      else if (w.pending === undefined) {
        if (w.share.count === 0) {
          request(w, { pull: { rank: w.rank, session: w.session, minVersion: 0 } });
        } else push(w);
      }
      // Keep everyone alive.
      if (w.registered) request(w, { heartbeat: { rank: w.rank, step: w.version, session: w.session } });
    }
    drain();
  }
  assert.ok(core.finished, 'the run ends once every step is pushed (or once stopped)');
  for (const key of sent) {
    const n = replies.get(key) ?? 0;
    // A pull deferred for a worker that was then lost gets no reply (nobody is there to read it).
    assert.ok(n <= 1, `request ${key} got ${n} replies`);
  }
  for (const w of sim) assert.equal(w.pending, undefined, `rank ${w.rank}'s push got its reply`);
  if (!core.finished) return;
  // Every push of a current connection was answered exactly once.
  for (const w of sim) for (const key of sent.filter((k) => k.startsWith(`${w.conn.toString('hex')}/`))) assert.ok((replies.get(key) ?? 0) <= 1, key);
}

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.nat(3).map((w): Action => ({ kind: 'push', w })) },
  { weight: 2, arbitrary: fc.nat(3).map((w): Action => ({ kind: 'resend', w })) },
  { weight: 2, arbitrary: fc.nat(3).map((w): Action => ({ kind: 'duplicate', w })) },
  { weight: 3, arbitrary: fc.nat(3).map((w): Action => ({ kind: 'heartbeat', w })) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 400 }).map((ms): Action => ({ kind: 'wait', ms })) },
  { weight: 1, arbitrary: fc.nat(3).map((w): Action => ({ kind: 'replace', w })) },
  { weight: 1, arbitrary: fc.constant<Action>({ kind: 'stop' }) },
);

void test('random protocol sequences keep the invariants (fast-check)', () => {
  fc.assert(
    fc.property(
      fc.record({ workers: fc.integer({ min: 1, max: 3 }), batch: fc.integer({ min: 1, max: 9 }), steps: fc.integer({ min: 2, max: 12 }) }),
      fc.array(action, { maxLength: 80 }),
      (setup, actions) => run(setup, actions),
    ),
    { numRuns: 300, seed: 20261204, includeErrorInReport: true },
  );
});
