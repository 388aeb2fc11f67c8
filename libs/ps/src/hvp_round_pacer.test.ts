import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkRoundBudget, pacedRound, RoundPacer, roundLossLimitMs, roundPauseMs } from './hvp_round_pacer';

/** A fake clock whose sleep advances it. */
function fakeClock(): { now: () => number; sleep: (ms: number) => Promise<void>; advance: (ms: number) => void } {
  let t = 1000;
  return {
    now: () => t,
    sleep: (ms) => {
      t += ms;
      return Promise.resolve();
    },
    advance: (ms) => void (t += ms),
  };
}

void test('roundPauseMs: d·(1−f)/f, none at f = 1; a bad budget is refused by name', () => {
  assert.equal(roundPauseMs(10, 0.05), 190);
  assert.equal(roundPauseMs(10, 0.5), 10);
  assert.equal(roundPauseMs(10, 1), 0);
  for (const bad of [0, -0.1, 1.5, Number.NaN]) assert.throws(() => checkRoundBudget(bad), /round budget must be in \(0, 1\]/);
  assert.throws(() => new RoundPacer(0), /round budget/);
});

void test('pacedRound: over any round durations and idle gaps, rounds take at most f of every span between round starts', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.double({ min: 0.01, max: 1, noNaN: true }),
      fc.array(fc.record({ d: fc.double({ min: 0, max: 5000, noNaN: true }), idle: fc.double({ min: 0, max: 3000, noNaN: true }), fails: fc.boolean() }), {
        minLength: 1,
        maxLength: 30,
      }),
      async (f, rounds) => {
        const clock = fakeClock();
        const pacer = new RoundPacer(f);
        const starts: number[] = [];
        const busy: number[] = [];
        for (const r of rounds) {
          // The estimator's own work between rounds, or no estimate due for a while.
          clock.advance(r.idle);
          await pacedRound({ pacer, ...clock }, () => {
            starts.push(clock.now());
            clock.advance(r.d);
            busy.push(r.d);
            return r.fails ? Promise.reject(new Error('lost')) : Promise.resolve(0);
          }).catch(() => undefined);
        }
        // Every window [start_j, start_k): the rounds in it over its length ≤ f.
        for (let j = 0; j < starts.length; j++) {
          let inRounds = 0;
          for (let k = j + 1; k < starts.length; k++) {
            inRounds += busy[k - 1];
            assert.ok(
              inRounds <= f * (starts[k] - starts[j]) * (1 + 1e-12) + 1e-9,
              `rounds ${j}..${k}: ${inRounds} ms of ${starts[k] - starts[j]} ms at f = ${f}`,
            );
          }
        }
        const total = busy.reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(pacer.busyMs - total) <= 1e-6 * (1 + total));
      },
    ),
  );
});

void test('pacedRound waits only what the budget still owes after idle time, and counts it', async () => {
  const clock = fakeClock();
  const pacer = new RoundPacer(0.25);
  await pacedRound({ pacer, ...clock }, () => Promise.resolve(clock.advance(100)));
  // 300 ms owed; 120 ms of idle time pay part of it.
  clock.advance(120);
  assert.equal(pacer.waitMs(clock.now()), 180);
  const before = clock.now();
  await pacedRound({ pacer, ...clock }, () => Promise.resolve(clock.advance(40)));
  assert.equal(clock.now() - before, 180 + 40);
  assert.equal(pacer.pausedMs, 180);
  assert.equal(pacer.busyMs, 140);
  // At f = 1 nothing waits.
  const free = new RoundPacer(1);
  await pacedRound({ pacer: free, ...clock }, () => Promise.resolve(clock.advance(500)));
  assert.equal(free.waitMs(clock.now()), 0);
});

void test('roundLossLimitMs: the heartbeat timeout or 3 typical rounds, the start-up grace before any round closed', () => {
  const limits = { heartbeatTimeoutMs: 1000, startupGraceMs: 5000 };
  assert.equal(roundLossLimitMs(limits, { msPerDirection: undefined, block: 10 }), 5000);
  assert.equal(roundLossLimitMs(limits, { msPerDirection: 10, block: 10 }), 1000);
  assert.equal(roundLossLimitMs(limits, { msPerDirection: 100, block: 10 }), 3000);
  assert.equal(roundLossLimitMs({ heartbeatTimeoutMs: 1000, startupGraceMs: 0 }, { msPerDirection: undefined, block: 1 }), 1000);
});
