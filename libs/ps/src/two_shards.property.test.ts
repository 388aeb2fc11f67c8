import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeMessage, encodeMessage, float32Frame, pb, type EnvelopeInit, type pbTypes } from '@lnsgd/transport';
import type { Share } from './membership';
import { ParameterShard } from './parameter_shard';
import { shareSamples } from './push_check';
import { ShardCore } from './shard_core';
import { REFERENCE_HYPER, referenceStep } from './reference_sgd.test_util';

// Shard 0 (coordinator) and shard 1 (follower) side by side, socket-free, driven by
// random sequences of push / resend / silence (loss) / replacement. Workers behave as
// KvWorker does: the share comes from shard 0 (assignment, replies, RECOMPUTE, notes);
// a follower's RECOMPUTE carries none. Each shard may close a step under its own
// partition, so each is checked against its own reference (its key range, its
// partition's shares in index order, the documented rounding). Invariants: at most
// one reply per request, B samples per closed step, θ equal to the reference.

const HYPER = REFERENCE_HYPER;
const RANGES = [
  { shard: 0, offset: 0, length: 2 },
  { shard: 1, offset: 2, length: 3 },
];
const N = 5;
const TIMEOUT_MS = 300;

function gradOf(step: number, share: { index: number; count: number }): Float32Array {
  return Float32Array.from({ length: N }, (_, i) => Math.fround(Math.cos(0.3 + step * 5.3 + share.index * 2.9 + share.count * 1.3 + i * 0.7)));
}

interface Ref {
  readonly theta: Float32Array;
  readonly velocity: Float32Array;
  count: number;
}

type Action =
  | { kind: 'push'; w: number }
  | { kind: 'resend'; w: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'heartbeat'; w: number }
  | { kind: 'replace'; w: number };

interface Sim {
  rank: number;
  id: string;
  conn: Buffer;
  sessions: string[];
  registered: boolean;
  /** A joiner's pull at shard 0, answered once it is a member. */
  pull: number | undefined;
  share: Share;
  version: number;
  /** Per shard: the open push of `version` (request id, what was sent), or 'done' once that shard closed it. */
  state: ({ ids: number[]; env: EnvelopeInit; frames: Uint8Array[]; count: number; epoch: number } | 'done' | undefined)[];
}

function run(setup: { workers: number; batch: number; steps: number }, actions: readonly Action[]): void {
  const { workers, batch, steps } = setup;
  let now = 0;
  const theta0 = Float32Array.from({ length: N }, (_, i) => 1 - i * 0.3);
  const refs: Ref[] = RANGES.map((r) => ({ theta: theta0.slice(r.offset, r.offset + r.length), velocity: new Float32Array(r.length), count: 0 }));
  const replies = new Map<string, number>();
  const inbox: { shard: number; conn: string; env: pbTypes.Envelope; frames: readonly Buffer[] }[] = [];
  const cores = RANGES.map(
    (range) =>
      new ShardCore({
        config: {
          shard: range.shard,
          shards: 2,
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
        range,
        session: `S${range.shard}`,
        shard: new ParameterShard({ params: theta0.slice(range.offset, range.offset + range.length), hyper: HYPER, reuseParams: true }),
        assignment: { worldSize: workers, numShards: 2, numParams: N, range },
        now: () => now,
        out: {
          send: (peer, envelope, frames) => {
            const m = decodeMessage(encodeMessage(envelope, frames).map((f) => Buffer.from(f)));
            const key = `${range.shard}/${peer.toString('hex')}/${m.envelope.requestId}`;
            if (m.envelope.requestId !== 0) replies.set(key, (replies.get(key) ?? 0) + 1);
            inbox.push({ shard: range.shard, conn: peer.toString('hex'), env: m.envelope, frames: m.frames });
          },
          log: () => undefined,
          closed: () => undefined,
          exit: () => undefined,
        },
      }),
  );
  const closedVersion = [0, 0];
  let nextConn = 1;
  let nextRequest = 1;
  const request = (s: number, w: Sim, env: EnvelopeInit, frames: Uint8Array[] = []): number => {
    const requestId = nextRequest++;
    cores[s].handle({ peer: w.conn, message: decodeMessage(encodeMessage({ ...env, requestId }, frames).map((f) => Buffer.from(f))), bytes: 0 });
    return requestId;
  };
  const sims: Sim[] = Array.from({ length: workers }, (_, rank) => ({
    rank,
    id: `w${rank}`,
    conn: Buffer.from([nextConn++]),
    sessions: ['', ''],
    registered: false,
    pull: undefined,
    share: { epoch: 0, index: 0, count: 0 },
    version: 0,
    state: [undefined, undefined],
  }));
  const toShare = (s: pbTypes.IShare | null | undefined): Share => ({ epoch: s?.epoch ?? 0, index: s?.index ?? 0, count: s?.count ?? 0 });

  const drain = (): void => {
    for (const m of inbox.splice(0)) {
      const w = sims.find((x) => x.conn.toString('hex') === m.conn);
      if (w === undefined) continue;
      const e = m.env;
      const s = m.shard;
      const st = w.state[s];
      const mine = st !== undefined && st !== 'done' && st.ids.includes(e.requestId);
      if (e.body === 'assignment') {
        w.sessions[s] = e.assignment?.session ?? '';
        if (s === 0) {
          w.rank = e.assignment?.rank ?? w.rank;
          w.share = toShare(e.assignment?.share);
          w.version = e.assignment?.startStep ?? 0;
        }
      } else if (e.body === 'membership') {
        const sh = toShare(e.membership?.share);
        if (sh.epoch > w.share.epoch) w.share = sh;
      } else if (e.body === 'params') {
        const p = e.params ?? {};
        const v = p.version ?? 0;
        if (v > closedVersion[s]) {
          assert.ok(mine, `shard ${s}: params of version ${v} to a worker with no open push`);
          assert.equal(p.stepSamples, batch, `shard ${s}: step ${v - 1} combined ${p.stepSamples} samples, B = ${batch}`);
          const count = typeof st === 'object' ? st.count : 0;
          const r = RANGES[s];
          const parts = Array.from({ length: count }, (_, index) => ({
            w: shareSamples(batch, { index, count }),
            g: gradOf(v - 1, { index, count }).subarray(r.offset, r.offset + r.length),
          })).filter((x) => x.w > 0);
          referenceStep(refs[s], parts);
          closedVersion[s] = v;
        }
        assert.deepEqual(Array.from(new Float32Array(Uint8Array.from(m.frames[0]).buffer)), Array.from(refs[s].theta), `shard ${s}: θ after step ${v - 1}`);
        if (mine) w.state[s] = 'done';
        if (s === 0 && e.requestId === w.pull) {
          // A joiner admitted: it computes from this version with this share.
          w.pull = undefined;
          w.version = v;
          w.state = [undefined, undefined];
        }
        if (s === 0 && (p.share?.epoch ?? 0) >= w.share.epoch) w.share = toShare(p.share);
        if (w.state.every((x) => x === 'done')) {
          w.version++;
          w.state = [undefined, undefined];
        }
      } else if (e.body === 'error') {
        const code = e.error?.code ?? 0;
        assert.ok(
          ![pb.ErrorCode.MALFORMED, pb.ErrorCode.BAD_SHAPE, pb.ErrorCode.NON_FINITE, pb.ErrorCode.CHECKSUM_MISMATCH, pb.ErrorCode.DUPLICATE_PUSH].includes(
            code,
          ),
          `shard ${s}: ${pb.ErrorCode[code]}: ${e.error?.message}`,
        );
        if (mine) w.state[s] = undefined;
        if (code === pb.ErrorCode.RECOMPUTE && e.error?.share) {
          const sh = toShare(e.error.share);
          if (sh.epoch > w.share.epoch) w.share = sh;
        }
        if (code === pb.ErrorCode.UNKNOWN_WORKER || code === pb.ErrorCode.STALE_PUSH || code === pb.ErrorCode.STEP_MISMATCH) w.registered = false;
      }
    }
  };
  const register = (w: Sim): void => {
    request(0, w, { register: { workerId: w.id, requestedRank: w.rank } });
    drain();
    if (w.sessions[0] === '') return;
    request(1, w, { register: { workerId: w.id, requestedRank: w.rank } });
    drain();
    if (w.sessions[1] === '') return;
    w.registered = true;
    w.pull = undefined;
    w.state = [undefined, undefined];
    // Where the run is: shard 0's version (a resync pulls θ there).
    w.version = cores[0].version;
  };
  /** Pushes the open step to every shard that has not closed it, again under a newer share (KvWorker's recompute). */
  const push = (w: Sim): void => {
    if (!w.registered) return;
    if (w.share.count === 0) {
      if (w.pull === undefined) w.pull = request(0, w, { pull: { rank: w.rank, session: w.sessions[0], minVersion: 0 } });
      return;
    }
    for (const s of [0, 1]) {
      const st = w.state[s];
      if (st === 'done' || (st !== undefined && st.epoch >= w.share.epoch)) continue;
      // A shard still behind: wait for it (a pull with min_version waits there).
      if (cores[s].version < w.version) continue;
      if (cores[s].version > w.version) {
        // It closed this step without this worker: register again and resync.
        w.registered = false;
        return;
      }
      const share = w.share;
      const r = RANGES[s];
      const { header, bytes } = float32Frame(gradOf(w.version, share).subarray(r.offset, r.offset + r.length), { offset: r.offset });
      const env: EnvelopeInit = {
        push: { rank: w.rank, step: w.version, numSamples: shareSamples(batch, share), loss: 1, grad: header, session: w.sessions[s], share },
      };
      const requestId = request(s, w, env, [bytes]);
      w.state[s] = { ids: [requestId], env, frames: [bytes], count: share.count, epoch: share.epoch };
    }
  };
  const heartbeat = (w: Sim): void => {
    if (!w.registered) return;
    for (const s of [0, 1]) request(s, w, { heartbeat: { rank: w.rank, step: w.version, session: w.sessions[s] } });
  };

  for (const w of sims) {
    request(0, w, { register: { workerId: w.id, requestedRank: w.rank } });
  }
  drain();
  for (const w of sims) request(1, w, { register: { workerId: w.id, requestedRank: w.rank } });
  drain();
  for (const w of sims) w.registered = w.sessions.every((x) => x !== '');

  for (const a of actions) {
    if (cores.every((c) => c.finished)) break;
    switch (a.kind) {
      case 'push': {
        const w = sims[a.w % workers];
        if (!w.registered) register(w);
        else push(w);
        break;
      }
      case 'resend': {
        const w = sims[a.w % workers];
        for (const s of [0, 1]) {
          const st = w.state[s];
          if (st === undefined || st === 'done') continue;
          st.ids.push(request(s, w, st.env, st.frames));
        }
        break;
      }
      case 'heartbeat':
        heartbeat(sims[a.w % workers]);
        break;
      case 'wait':
        now += a.ms;
        for (const c of cores) c.tick();
        break;
      case 'replace': {
        const w = sims[a.w % workers];
        w.id = `${w.id}'`;
        w.conn = Buffer.from([nextConn++]);
        w.sessions = ['', ''];
        w.state = [undefined, undefined];
        w.registered = false;
        w.pull = undefined;
        register(w);
        break;
      }
    }
    drain();
    for (const [key, n] of replies) assert.equal(n, 1, `request ${key} got ${n} replies`);
  }
  for (let round = 0; round < 300 && !cores.every((c) => c.finished); round++) {
    now += 100;
    for (const c of cores) c.tick();
    drain();
    for (const w of sims) {
      if (!w.registered) register(w);
      else push(w);
      heartbeat(w);
    }
    drain();
  }
  for (const [key, n] of replies) assert.equal(n, 1, `request ${key} got ${n} replies`);
  assert.ok(
    cores.every((c) => c.finished),
    `both shards reach the last step (versions ${cores.map((c) => c.version).join(', ')} of ${steps})`,
  );
}

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.nat(3).map((w): Action => ({ kind: 'push', w })) },
  { weight: 2, arbitrary: fc.nat(3).map((w): Action => ({ kind: 'resend', w })) },
  { weight: 3, arbitrary: fc.nat(3).map((w): Action => ({ kind: 'heartbeat', w })) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 400 }).map((ms): Action => ({ kind: 'wait', ms })) },
  { weight: 1, arbitrary: fc.nat(3).map((w): Action => ({ kind: 'replace', w })) },
);

void test('two shards, random sequences: each closes steps of B samples, θ equal to its reference (fast-check)', () => {
  fc.assert(
    fc.property(
      fc.record({ workers: fc.integer({ min: 1, max: 3 }), batch: fc.integer({ min: 1, max: 9 }), steps: fc.integer({ min: 2, max: 10 }) }),
      fc.array(action, { maxLength: 80 }),
      (setup, actions) => run(setup, actions),
    ),
    { numRuns: 150, seed: 20261205, includeErrorInReport: true },
  );
});
