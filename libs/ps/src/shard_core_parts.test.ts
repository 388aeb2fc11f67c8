import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { crc32, decodeBfloat16, decodeFloat16, encodeBfloat16, encodeFloat16, type WireDtype } from '@lnsgd/tensor-codec';
import { decodeMessage, encodeMessage, gradientFrame, pb, type EnvelopeInit, type pbTypes, type ServerRequest } from '@lnsgd/transport';
import { ParameterShard } from './parameter_shard';
import { shareSamples } from './push_check';
import { ShardCore } from './shard_core';
import { REFERENCE_HYPER, referenceStep, type ReferenceState } from './reference_sgd.test_util';

// Pushes in parts through a ShardCore (no sockets, fake clock): replies come in the
// shard's parts, θ equals the float64 reference bit for bit for any part length and
// worker count (pushes whole and in parts mixed), parts are answered while the last
// push is still arriving, and every malformed part is refused with a counter and
// leaves the parameters untouched.

interface Sent {
  readonly conn: string;
  readonly env: pbTypes.Envelope;
  readonly frames: readonly Buffer[];
}

function setup(o: { workers: number; n: number; partLength: number; steps?: number; wireDtype?: WireDtype }) {
  const B = 4 * o.workers + 1;
  const theta0 = Float32Array.from({ length: o.n }, (_, i) => Math.fround(0.5 - i * 0.125));
  const shard = new ParameterShard({ params: theta0.slice(), hyper: REFERENCE_HYPER, reuseParams: true, partLength: o.partLength });
  const sent: Sent[] = [];
  const core = new ShardCore({
    config: {
      shard: 0,
      shards: 1,
      workers: o.workers,
      batch: B,
      steps: o.steps ?? 100,
      onWorkerLoss: 'rebalance',
      heartbeatTimeoutMs: 1e9,
      startupGraceMs: 1e9,
      authToken: '',
      checksum: true,
      wireDtype: o.wireDtype,
      stayAfterRun: false,
    },
    range: { shard: 0, offset: 0, length: o.n },
    session: 'S',
    shard,
    assignment: { worldSize: o.workers, numShards: 1, numParams: o.n, range: { shard: 0, offset: 0, length: o.n } },
    now: () => 0,
    out: {
      send: (peer, envelope, frames) => {
        const m = decodeMessage(encodeMessage(envelope, frames).map((f) => Buffer.from(f)));
        sent.push({ conn: peer.toString('hex'), env: m.envelope, frames: m.frames });
      },
      log: () => undefined,
      closed: () => undefined,
      exit: () => undefined,
    },
  });
  let nextId = 1;
  const request = (w: number, env: EnvelopeInit, frames: Uint8Array[] = [], requestId = nextId++): number => {
    const req: ServerRequest = {
      peer: Buffer.from([w + 1]),
      message: decodeMessage(encodeMessage({ ...env, requestId }, frames).map((f) => Buffer.from(f))),
      bytes: 0,
    };
    core.handle(req);
    return requestId;
  };
  for (let w = 0; w < o.workers; w++) request(w, { register: { workerId: `w${w}`, requestedRank: w } });
  const assignments = sent.filter((m) => m.env.body === 'assignment');
  assert.equal(assignments.length, o.workers);
  const partLength = assignments[0].env.assignment?.partLength ?? 0;
  sent.length = 0;
  const share = (w: number) => ({ epoch: 0, index: w, count: o.workers });
  const header = (w: number, step: number, grad: pbTypes.ITensorFrame, part?: { part: number; parts: number }): EnvelopeInit => ({
    push: { rank: w, step, numSamples: shareSamples(B, share(w)), loss: 1, grad, session: 'S', share: share(w), ...(part ?? {}) },
  });
  /** A worker's push as KvWorker sends it: whole, or in parts of the Assignment's part length. */
  const messages = (
    w: number,
    step: number,
    g: Float32Array,
    whole: boolean,
    dtype: WireDtype = o.wireDtype ?? 'float32',
  ): { env: EnvelopeInit; frames: Uint8Array[] }[] => {
    if (whole || partLength === 0) {
      const f = gradientFrame(g, { offset: 0, dtype });
      return [{ env: header(w, step, f.header), frames: [f.bytes] }];
    }
    const parts = Math.ceil(o.n / partLength);
    return Array.from({ length: parts }, (_, p) => {
      const f = gradientFrame(g.subarray(p * partLength, Math.min(o.n, (p + 1) * partLength)), { offset: p * partLength, dtype });
      return { env: header(w, step, f.header, { part: p, parts }), frames: [f.bytes] };
    });
  };
  const ref: ReferenceState = { theta: theta0.slice(), velocity: new Float32Array(o.n), count: 0 };
  return { core, shard, sent, request, messages, ref, partLength, B, share, header };
}

/** θ a worker assembles from the replies to one request: one whole Params, or its parts in order. */
function assemble(replies: readonly Sent[], n: number): { theta: Float32Array; last: pbTypes.IParams } {
  assert.ok(replies.length > 0, 'no reply');
  const theta = new Float32Array(n);
  let at = 0;
  replies.forEach((r, i) => {
    const p = r.env.params;
    assert.ok(p, `reply ${i} is ${r.env.body}: ${r.env.error?.message}`);
    if (replies.length > 1) assert.deepEqual([p.part, p.parts], [i, replies.length]);
    assert.equal(p.params?.offset, at);
    assert.equal(p.params?.checksum, crc32(r.frames[0]));
    theta.set(new Float32Array(Uint8Array.from(r.frames[0]).buffer), at);
    at += p.params?.length ?? 0;
  });
  assert.equal(at, n);
  return { theta, last: replies[replies.length - 1].env.params ?? {} };
}

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength)));

void test('pushes in parts step bit-identically to the reference for any part length, worker count and arrival order', () => {
  fc.assert(
    fc.property(
      fc.record({
        workers: fc.integer({ min: 1, max: 3 }),
        n: fc.integer({ min: 2, max: 24 }),
        partLength: fc.integer({ min: 0, max: 26 }),
        steps: fc.array(
          fc.record({ order: fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), whole: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }) }),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        seed: fc.integer(),
      }),
      (sc) => {
        const t = setup({ workers: sc.workers, n: sc.n, partLength: sc.partLength });
        sc.steps.forEach((st, step) => {
          const grads = Array.from({ length: sc.workers }, (_, w) =>
            Float32Array.from({ length: sc.n }, (_, i) => Math.fround(Math.sin(sc.seed + step * 7 + w * 3 + i))),
          );
          const queues = grads.map((g, w) => ({ w, msgs: t.messages(w, step, g, st.whole[w]), id: 0, next: 0 }));
          let k = 0;
          for (;;) {
            const open = queues.filter((q) => q.next < q.msgs.length);
            if (open.length === 0) break;
            const q = open[st.order[k++ % st.order.length] % open.length];
            const m = q.msgs[q.next++];
            q.id = t.request(q.w, m.env, m.frames, q.next === 1 ? undefined : q.id);
            // Pipelining: once all other pushes are in, every part the arriving push completes is answered at once.
            const othersDone = queues.every((x) => x === q || x.next === x.msgs.length);
            if (othersDone && t.partLength > 0 && q.next < q.msgs.length) {
              const ready = Math.min(...queues.map((x) => (x.next === x.msgs.length ? sc.n : x.next * t.partLength)));
              const stepped = Math.floor(ready / t.partLength) * t.partLength;
              for (const x of queues.filter((y) => y.msgs.length > 1)) {
                const got = t.sent.filter((s) => s.conn === Buffer.from([x.w + 1]).toString('hex') && s.env.requestId === x.id && s.env.body === 'params');
                assert.equal(got.length, Math.ceil(stepped / t.partLength), `parts answered to worker ${x.w} with keys [0, ${ready}) in`);
              }
            }
          }
          referenceStep(
            t.ref,
            grads.map((g, w) => ({ w: shareSamples(t.B, t.share(w)), g })),
          );
          for (const q of queues) {
            const replies = t.sent.filter((s) => s.conn === Buffer.from([q.w + 1]).toString('hex') && s.env.requestId === q.id);
            const { theta, last } = assemble(replies, sc.n);
            assert.deepEqual(bits(theta), bits(t.ref.theta), `θ of step ${step + 1} to worker ${q.w}`);
            assert.equal(last.version, step + 1);
            assert.equal(last.stepSamples, t.B);
            assert.equal(replies.length, q.msgs.length > 1 ? Math.ceil(sc.n / t.partLength) : 1);
          }
          t.sent.length = 0;
        });
      },
    ),
    { numRuns: 150, seed: 1616 },
  );
});

void test('malformed, out-of-range, duplicate and orphan parts are refused with a counter and never touch θ', () => {
  const n = 10;
  const t = setup({ workers: 1, n, partLength: 4 });
  assert.equal(t.partLength, 4);
  const g = Float32Array.from({ length: n }, (_, i) => Math.fround(0.1 * (i + 1)));
  const msgs = t.messages(0, 0, g, false);
  assert.equal(msgs.length, 3);
  const errors = (): string[] => t.sent.filter((s) => s.env.body === 'error').map((s) => pb.ErrorCode[s.env.error?.code ?? 0]);
  const before = bits(t.shard.params);

  // An index outside its part count.
  const bad = structuredClone(msgs[1].env);
  if (bad.push) bad.push.part = 3;
  t.request(0, bad, msgs[1].frames);
  assert.deepEqual(errors(), ['BAD_SHAPE']);
  // A later part without its first: dropped, counted, no second reply to its request.
  t.sent.length = 0;
  const badShape = t.core.counters.badShape;
  t.request(0, msgs[1].env, msgs[1].frames);
  assert.equal(t.sent.length, 0);
  assert.equal(t.core.counters.badShape, badShape + 1);

  // A gap (part 2 right after part 0): the whole push is dropped and refused.
  let id = t.request(0, msgs[0].env, msgs[0].frames);
  t.request(0, msgs[2].env, msgs[2].frames, id);
  assert.deepEqual(errors(), ['BAD_SHAPE']);
  assert.deepEqual(t.shard.pushedRanks(), []);

  // A part whose bytes do not match its CRC.
  t.sent.length = 0;
  id = t.request(0, msgs[0].env, msgs[0].frames);
  const corrupt = Uint8Array.from(msgs[1].frames[0]);
  corrupt[0] ^= 1;
  t.request(0, msgs[1].env, [corrupt], id);
  assert.deepEqual(errors(), ['CHECKSUM_MISMATCH']);
  assert.equal(t.core.counters.checksumMismatch, 1);

  // A NaN in a later part.
  t.sent.length = 0;
  const nan = g.slice();
  nan[5] = Number.NaN;
  const nanMsgs = t.messages(0, 0, nan, false);
  id = t.request(0, nanMsgs[0].env, nanMsgs[0].frames);
  t.request(0, nanMsgs[1].env, nanMsgs[1].frames, id);
  assert.deepEqual(errors(), ['NON_FINITE']);
  assert.equal(t.core.counters.nonFinite, 1);

  // A later part that says something else than its first part (another loss).
  t.sent.length = 0;
  id = t.request(0, msgs[0].env, msgs[0].frames);
  const other = structuredClone(msgs[1].env);
  if (other.push) other.push.loss = 2;
  t.request(0, other, msgs[1].frames, id);
  assert.deepEqual(errors(), ['DUPLICATE_PUSH'], 'one reply: the refusal drops the whole push');
  assert.deepEqual(t.shard.pushedRanks(), []);
  // Its last part is now an orphan: dropped, counted, no second reply.
  t.sent.length = 0;
  t.request(0, msgs[2].env, msgs[2].frames, id);
  assert.equal(t.sent.length, 0);
  assert.deepEqual(bits(t.shard.params), before, 'no refusal touched θ');
  assert.equal(t.shard.version, 0);

  // Pushed again from part 0 (its part 0 is answered on arrival): a repeated part is
  // ignored; the step closes with the reference's θ.
  id = t.request(0, msgs[0].env, msgs[0].frames);
  const part0 = t.sent.filter((s) => s.env.requestId === id && s.env.body === 'params');
  assert.equal(part0.length, 1);
  t.sent.length = 0;
  t.request(0, msgs[1].env, msgs[1].frames, id);
  t.request(0, msgs[1].env, msgs[1].frames, id);
  t.request(0, msgs[2].env, msgs[2].frames, id);
  assert.deepEqual(errors(), []);
  referenceStep(t.ref, [{ w: t.B, g }]);
  const { theta } = assemble([...part0, ...t.sent.filter((s) => s.env.requestId === id)], n);
  assert.deepEqual(bits(theta), bits(t.ref.theta));
  assert.equal(t.shard.version, 1);

  // A resend of the closed step in parts gets θ again in parts; its later parts get nothing more.
  t.sent.length = 0;
  const resend = t.request(0, msgs[0].env, msgs[0].frames);
  t.request(0, msgs[1].env, msgs[1].frames, resend);
  t.request(0, msgs[2].env, msgs[2].frames, resend);
  assert.deepEqual(bits(assemble(t.sent, n).theta), bits(t.ref.theta));
  assert.equal(t.core.counters.pushesResent, 1);
});

void test('a bfloat16 / float16 run combines the decoded pushes: θ equals the reference on the rounded gradients, bit for bit', () => {
  for (const [dtype, round] of [
    ['bfloat16', (g: Float32Array) => decodeBfloat16(encodeBfloat16(g))],
    ['float16', (g: Float32Array) => decodeFloat16(encodeFloat16(g))],
  ] as const) {
    for (const partLength of [0, 3]) {
      const n = 10;
      const t = setup({ workers: 2, n, partLength, wireDtype: dtype });
      for (let step = 0; step < 3; step++) {
        const grads = [0, 1].map((w) => Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(step * 7 + w * 3 + i) / 3)));
        const ids = grads.map((g, w) => {
          let id: number | undefined;
          for (const m of t.messages(w, step, g, w === 0)) id = t.request(w, m.env, m.frames, id);
          return id ?? 0;
        });
        const rounded = grads.map(round);
        assert.ok(
          rounded.some((r, w) => bits(r).some((b, i) => b !== bits(grads[w])[i])),
          'the rounding changes the gradients',
        );
        referenceStep(
          t.ref,
          rounded.map((g, w) => ({ w: shareSamples(t.B, t.share(w)), g })),
        );
        ids.forEach((id, w) => {
          const replies = t.sent.filter((s) => s.conn === Buffer.from([w + 1]).toString('hex') && s.env.requestId === id);
          assert.deepEqual(bits(assemble(replies, n).theta), bits(t.ref.theta), `${dtype}, part length ${partLength}, step ${step + 1}, worker ${w}`);
        });
        t.sent.length = 0;
      }
    }
  }
});

void test("a push in a dtype other than the run's, a float16 overflow and a bad CRC of the sent bytes are refused with a counter", () => {
  const n = 10;
  const errors = (t: ReturnType<typeof setup>): string[] => t.sent.filter((s) => s.env.body === 'error').map((s) => pb.ErrorCode[s.env.error?.code ?? 0]);
  for (const partLength of [0, 4]) {
    const g = Float32Array.from({ length: n }, (_, i) => Math.fround(0.1 * (i + 1)));
    // float32 into a bfloat16 run, and bfloat16 into a float32 run: BAD_SHAPE naming both dtypes.
    for (const [run, sent] of [
      ['bfloat16', 'float32'],
      ['float32', 'bfloat16'],
    ] as const) {
      const t = setup({ workers: 1, n, partLength, wireDtype: run });
      const before = bits(t.shard.params);
      const m = t.messages(0, 0, g, false, sent)[0];
      t.request(0, m.env, m.frames);
      assert.deepEqual(errors(t), ['BAD_SHAPE']);
      const message = t.sent[0].env.error?.message ?? '';
      assert.match(message, new RegExp(`dtype ${sent.toUpperCase()}.*wire dtype is ${run.toUpperCase()}`));
      assert.equal(t.core.counters.badShape, 1);
      assert.deepEqual(bits(t.shard.params), before);
    }
    // float16 overflow: 1e6 rounds to +Inf on the worker; the PS's non-finite check refuses it.
    const big = g.slice();
    big[n - 1] = 1e6;
    const t = setup({ workers: 1, n, partLength, wireDtype: 'float16' });
    const before = bits(t.shard.params);
    let id: number | undefined;
    for (const m of t.messages(0, 0, big, false)) id = t.request(0, m.env, m.frames, id);
    assert.deepEqual(errors(t), ['NON_FINITE']);
    assert.equal(t.core.counters.nonFinite, 1);
    assert.deepEqual(bits(t.shard.params), before);
    // The CRC covers the 2-byte elements actually sent: one flipped bit is CHECKSUM_MISMATCH.
    t.sent.length = 0;
    const m = t.messages(0, 0, g, false)[0];
    assert.equal(m.frames[0].byteLength, 2 * (partLength === 0 ? n : partLength));
    const flipped = Uint8Array.from(m.frames[0]);
    flipped[1] ^= 0x01;
    t.request(0, m.env, [flipped]);
    assert.deepEqual(errors(t), ['CHECKSUM_MISMATCH']);
    assert.equal(t.core.counters.checksumMismatch, 1);
  }
});

void test('one reply stream per request: the later parts of a refused second push are dropped, a resend joining an open step gets each part once', () => {
  const n = 10;
  const t = setup({ workers: 2, n, partLength: 4 });
  const g = [0, 1].map((w) => Float32Array.from({ length: n }, (_, i) => Math.fround(0.1 * (i + 1) * (w + 1))));
  const [m0, m1] = [0, 1].map((w) => t.messages(w, 0, g[w], false));
  assert.equal(m0.length, 3);
  let a: number | undefined;
  for (const m of m0) a = t.request(0, m.env, m.frames, a);
  const b = t.request(1, m1[0].env, m1[0].frames);
  // Part 0 is stepped and sent: now rank 0 resends its push, and rank 1 sends another one.
  let r: number | undefined;
  for (const m of m0) r = t.request(0, m.env, m.frames, r);
  const other = t.messages(
    1,
    0,
    g[1].map((x) => x + 1),
    false,
  );
  let d: number | undefined;
  for (const m of other) d = t.request(1, m.env, m.frames, d);
  for (const m of m1.slice(1)) t.request(1, m.env, m.frames, b);
  referenceStep(t.ref, [
    { w: shareSamples(t.B, t.share(0)), g: g[0] },
    { w: shareSamples(t.B, t.share(1)), g: g[1] },
  ]);
  for (const id of [a, b, r]) {
    const replies = t.sent.filter((s) => s.env.requestId === id);
    assert.equal(replies.length, 3, `request ${id}: each part once`);
    assert.deepEqual(bits(assemble(replies, n).theta), bits(t.ref.theta), `request ${id}: θ of the reference`);
  }
  assert.deepEqual(
    t.sent.filter((s) => s.env.requestId === d).map((s) => pb.ErrorCode[s.env.error?.code ?? 0]),
    ['DUPLICATE_PUSH'],
    'the second push: one reply, and its later parts never reach θ',
  );
  assert.equal(t.core.counters.pushesDuplicate, 1);
  assert.equal(t.core.counters.badShape, 2);
});
