import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HvpRound, splitTasks, type HvpTask } from './hvp_round';

// The estimation round as a state machine: random sequences of answers, resends, late
// answers of lost workers, malformed answers and losses, then every live worker answers
// what it still owes. Invariants: refusals change nothing; the done tasks cover every
// chunk exactly once; the result is Σ_c n_c·P_c / Σ_c n_c (P_c the chunk's true product,
// summed here independently in float64) whatever the worker count and losses.

function truth(c: number, j: number): number {
  return Math.sin(1 + c * 2.7 + j * 0.31) * (1 + c);
}

function answerOf(round: HvpRound, rank: number, t: HvpTask): { rank: number; task: HvpTask; samples: number; products: Float64Array } {
  const len = round.block * round.sliceLength;
  const products = new Float64Array(len);
  for (let c = t.lo; c < t.hi; c++) {
    const n = round.samplesOf({ lo: c, hi: c + 1 });
    for (let j = 0; j < len; j++) products[j] += n * truth(c, j);
  }
  return { rank, task: t, samples: round.samplesOf(t), products };
}

void test('splitTasks cuts a range contiguously in rank order and drops empty parts', () => {
  assert.deepEqual(
    [...splitTasks({ lo: 0, hi: 5 }, [0, 3])],
    [
      [0, [{ lo: 0, hi: 2 }]],
      [3, [{ lo: 2, hi: 5 }]],
    ],
  );
  assert.deepEqual([...splitTasks({ lo: 4, hi: 5 }, [1, 2])], [[2, [{ lo: 4, hi: 5 }]]]);
});

void test('HvpRound refuses a bad configuration with a clear error', () => {
  assert.throws(() => new HvpRound({ round: 1, chunks: 0, chunkSamples: [], block: 1, sliceLength: 1, ranks: [0] }), /chunks/);
  assert.throws(() => new HvpRound({ round: 1, chunks: 2, chunkSamples: [3], block: 1, sliceLength: 1, ranks: [0] }), /chunkSamples/);
  assert.throws(() => new HvpRound({ round: 1, chunks: 1, chunkSamples: [3], block: 1, sliceLength: 1, ranks: [] }), /no live workers/);
});

void test('HvpRound: any sequence of answers, resends, losses and bad answers combines every chunk once', () => {
  const arb = fc.record({
    chunks: fc.integer({ min: 1, max: 12 }),
    workers: fc.integer({ min: 1, max: 5 }),
    block: fc.integer({ min: 1, max: 3 }),
    slice: fc.integer({ min: 0, max: 4 }),
    samples: fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 12, maxLength: 12 }),
    actions: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('answer' as const), w: fc.nat(4) }),
        fc.record({ kind: fc.constant('resend' as const), w: fc.nat(4) }),
        fc.record({ kind: fc.constant('lose' as const), w: fc.nat(4) }),
        fc.record({
          kind: fc.constant('bad' as const),
          w: fc.nat(4),
          how: fc.constantFrom('shape' as const, 'nan' as const, 'samples' as const, 'rank' as const),
        }),
      ),
      { maxLength: 40 },
    ),
  });
  fc.assert(
    fc.property(arb, ({ chunks, workers, block, slice, samples, actions }) => {
      const ranks = Array.from({ length: workers }, (_, i) => i);
      const chunkSamples = samples.slice(0, chunks);
      const round = new HvpRound({ round: 7, chunks, chunkSamples, block, sliceLength: slice, ranks });
      const live = new Set(ranks);
      const sent: { rank: number; task: HvpTask }[] = [];
      let accepted = 0;
      const doneChunks = new Array<number>(chunks).fill(0);
      const accept = (rank: number, t: HvpTask): void => {
        const r = round.offer(answerOf(round, rank, t));
        if (r.kind === 'accepted') {
          accepted++;
          for (let c = t.lo; c < t.hi; c++) doneChunks[c]++;
        }
        sent.push({ rank, task: t });
      };
      for (const a of actions) {
        if (round.closed) break;
        const w = a.w % workers;
        if (a.kind === 'answer') {
          const t = round.tasksOf(w)[0];
          if (t !== undefined) accept(w, t);
        } else if (a.kind === 'resend') {
          const old = sent.find((s) => s.rank === w);
          if (old !== undefined) {
            const r = round.offer(answerOf(round, w, old.task));
            assert.notEqual(r.kind, 'accepted', 'a task answered before is never accepted twice');
          }
        } else if (a.kind === 'lose') {
          if (live.size > 1 && live.has(w)) {
            live.delete(w);
            round.lose(w);
            assert.deepEqual(round.tasksOf(w), []);
          }
        } else {
          const t = round.tasksOf(w)[0];
          if (t === undefined) continue;
          const good = answerOf(round, w, t);
          const bad =
            a.how === 'shape'
              ? { ...good, products: new Float64Array(good.products.length + 1) }
              : a.how === 'nan'
                ? { ...good, products: Float64Array.from({ length: Math.max(1, good.products.length) }, () => NaN) }
                : a.how === 'samples'
                  ? { ...good, samples: good.samples + 1 }
                  : { ...good, rank: w + workers };
          const before = round.tasksOf(w).length;
          const r = round.offer(bad);
          // An empty slice makes a NaN block the wrong shape: still refused.
          assert.equal(r.kind, 'refused');
          assert.equal(round.tasksOf(w).length, before, 'a refusal changes nothing');
        }
      }
      // Every live worker answers what it still owes (a lost one's late answers are refused).
      for (let guard = 0; !round.closed && guard < 100; guard++) {
        for (const r of [...live]) for (const t of [...round.tasksOf(r)]) accept(r, t);
      }
      assert.ok(round.closed, 'the round closes while one worker lives');
      assert.deepEqual(doneChunks, new Array<number>(chunks).fill(1), 'every chunk combined exactly once');
      assert.equal(round.counters.accepted, accepted);
      const out = round.combined;
      assert.ok(out !== undefined);
      const total = chunkSamples.reduce((s, n) => s + n, 0);
      for (let j = 0; j < block * slice; j++) {
        let want = 0;
        for (let c = 0; c < chunks; c++) want += chunkSamples[c] * truth(c, j);
        want /= total;
        assert.ok(Math.abs(out[j] - want) <= 1e-12 * (1 + Math.abs(want)), `entry ${j}: ${out[j]} vs ${want}`);
      }
    }),
    { numRuns: 300, seed: 17 },
  );
});
