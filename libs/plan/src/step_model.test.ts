import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recommendShards, scaling, stepTime, type StepTerms } from './step_model';

// Ground truth: the step time of small layouts worked out by hand from the model's
// definition (docs/plan.md), not by the code under test.
const TERMS: StepTerms = {
  computeMsFixed: 2,
  computeMsPerSample: 0.1,
  workerMsPerMessage: 0.5,
  workerMsPerMB: 1,
  psMsPerMessage: 0.25,
  psMsPerMB: 3,
  stepMsPerMB: 2,
  hostMsPerMB: 0.5,
  latencyMs: 0.05,
};
const GBIT = { bitsPerS: 1e9, latencyMs: 0.2 };

void test('one worker, one shard, 10 MB at 1 Gbit/s: every term by hand', () => {
  const p = stepTime(TERMS, GBIT, { workers: 1, shards: 1, modelBytes: 10e6, batch: 100 });
  // compute 2 + 0.1·100 = 12; worker 0.5 + 1·10 = 10.5; wire 80 ms per leg (10 MB at 125 MB/s), both
  // links alike, beats host copies 2·5 ms; transfer 2·(0.05 + 0.2) + 2·80 = 160.5; ps 1·(0.25 + 3·10) + 2·10 = 50.25.
  assert.equal(p.computeMs, 12);
  assert.equal(p.workerMs, 10.5);
  assert.ok(Math.abs(p.transferMs - 160.5) < 1e-9, String(p.transferMs));
  assert.equal(p.psMs, 50.25);
  assert.equal(p.transferBound, 'wire: worker link');
  assert.ok(Math.abs(p.totalMs - (12 + 10.5 + 160.5 + 50.25)) < 1e-9);
});

void test('the payload fraction stretches only the wire time: 10 MB at 1 Gbit/s with half of it payload is 160 ms a leg', () => {
  const full = stepTime(TERMS, GBIT, { workers: 1, shards: 1, modelBytes: 10e6, batch: 100 });
  const half = stepTime(TERMS, { ...GBIT, payloadFraction: 0.5 }, { workers: 1, shards: 1, modelBytes: 10e6, batch: 100 });
  assert.ok(Math.abs(half.transferMs - full.transferMs - 160) < 1e-9);
  assert.equal(half.psMs, full.psMs);
});

void test('four workers, two shards: the shard link carries N·M/S each way and each shard steps M/S', () => {
  const p = stepTime(TERMS, GBIT, { workers: 4, shards: 2, modelBytes: 10e6, batch: 100 });
  // compute 2 + 0.1·25 = 4.5; worker 2·0.5 + 10 = 11; shard link 4·5 MB = 20 MB = 160 ms each way against
  // the worker link's 80 ms; transfer 2·0.25 + 2·160 = 320.5; ps 4·(0.25 + 3·5) + 2·5 = 71.
  assert.equal(p.computeMs, 4.5);
  assert.equal(p.workerMs, 11);
  assert.equal(p.transferBound, 'wire: shard link');
  assert.ok(Math.abs(p.transferMs - 320.5) < 1e-9);
  assert.equal(p.psMs, 71);
  assert.ok(Math.abs(p.totalMs - 407) < 1e-9);
});

void test('one worker, two shards: its own link still carries all of M each way', () => {
  const p = stepTime(TERMS, GBIT, { workers: 1, shards: 2, modelBytes: 10e6, batch: 100 });
  // 2 · 10 MB at 8 ms/MB = 160 ms, as with one shard; transfer 2·0.25 + 160.
  assert.equal(p.transferBound, 'wire: worker link');
  assert.ok(Math.abs(p.transferMs - 160.5) < 1e-9, String(p.transferMs));
});

void test('loopback (no wire): host copies bound the legs; pipelined overlaps shard work and transfer', () => {
  const loop = { bitsPerS: null, latencyMs: 0 };
  const serial = stepTime(TERMS, loop, { workers: 2, shards: 1, modelBytes: 4e6, batch: 10 });
  // host copies 2 · 0.5 · (2·4 MB) = 8; transfer 2·0.05 + 8 = 8.1; ps 2·(0.25 + 12) + 8 = 32.5
  assert.equal(serial.transferBound, 'host copies');
  assert.ok(Math.abs(serial.transferMs - 8.1) < 1e-9);
  assert.equal(serial.psMs, 32.5);
  const piped = stepTime(TERMS, loop, { workers: 2, shards: 1, modelBytes: 4e6, batch: 10, pipelined: true });
  assert.ok(Math.abs(serial.totalMs - piped.totalMs - 8.1) < 1e-9, 'pipelined drops the smaller of transfer and ps');
});

void test('scaling: one worker with one shard has efficiency 1; compute-bound layouts scale, wire-bound ones do not', () => {
  const one = scaling(TERMS, GBIT, { workers: 1, shards: 1, modelBytes: 1e6, batch: 1000 });
  assert.equal(one.speedup, 1);
  assert.equal(one.efficiency, 1);
  const zeroNet: StepTerms = {
    ...TERMS,
    workerMsPerMessage: 0,
    workerMsPerMB: 0,
    psMsPerMessage: 0,
    psMsPerMB: 0,
    stepMsPerMB: 0,
    hostMsPerMB: 0,
    latencyMs: 0,
    computeMsFixed: 0,
  };
  const free = scaling(zeroNet, { bitsPerS: null, latencyMs: 0 }, { workers: 8, shards: 1, modelBytes: 1e6, batch: 1000 });
  assert.ok(Math.abs(free.efficiency - 1) < 1e-12, 'pure compute scales perfectly');
  const wire = scaling(TERMS, { bitsPerS: 1e8, latencyMs: 0 }, { workers: 8, shards: 1, modelBytes: 40e6, batch: 64 });
  assert.ok(wire.speedup < 1, `8 workers through one 100 Mbit/s shard are slower than 1 (speed-up ${wire.speedup})`);
});

void test('recommendShards: wire-bound at the shard link wants S = N; compute-bound wants 1', () => {
  // Without shard CPU per byte: up to S = N the shard link (N·M/S each way) is the bottleneck,
  // beyond it the worker's own (M each way), and more shards only add messages at the worker
  // (by hand: S = 8 688.9 ms, S = 7 779.8 ms, S = 16 692.9 ms).
  const wireOnly: StepTerms = { ...TERMS, psMsPerMB: 0, stepMsPerMB: 0 };
  const wire = recommendShards(wireOnly, { bitsPerS: 1e9, latencyMs: 0 }, { workers: 8, modelBytes: 40e6, batch: 64, maxShards: 16 });
  const near = (a: number, b: number): boolean => Math.abs(a - b) < 0.05;
  assert.ok(near(wire.table[7].stepMs, 688.9) && near(wire.table[6].stepMs, 779.8) && near(wire.table[15].stepMs, 692.9), JSON.stringify(wire.table));
  assert.equal(wire.shards, 8);
  // With shard CPU per byte, more shards keep cutting each shard's share: S = 10 is within 5% of S = 16
  // (by hand: 793.9 ms vs 757.9 ms; the bound is 795.8), S = 9 is not (805.0 ms).
  assert.equal(recommendShards(TERMS, { bitsPerS: 1e9, latencyMs: 0 }, { workers: 8, modelBytes: 40e6, batch: 64 }).shards, 10);
  const compute = recommendShards({ ...TERMS, computeMsPerSample: 1000 }, { bitsPerS: 1e11, latencyMs: 0 }, { workers: 2, modelBytes: 1e5, batch: 64 });
  assert.equal(compute.shards, 1);
});

void test('bad layouts, terms and networks are refused with the name of what is wrong', () => {
  assert.throws(() => stepTime(TERMS, GBIT, { workers: 0, shards: 1, modelBytes: 1, batch: 1 }), /workers/);
  assert.throws(() => stepTime(TERMS, GBIT, { workers: 1, shards: 1.5, modelBytes: 1, batch: 1 }), /shards/);
  assert.throws(() => stepTime(TERMS, GBIT, { workers: 4, shards: 1, modelBytes: 1, batch: 2 }), /batch/);
  assert.throws(() => stepTime({ ...TERMS, psMsPerMB: Number.NaN }, GBIT, { workers: 1, shards: 1, modelBytes: 1, batch: 1 }), /psMsPerMB/);
  assert.throws(() => stepTime(TERMS, { bitsPerS: 0, latencyMs: 0 }, { workers: 1, shards: 1, modelBytes: 1, batch: 1 }), /link rate/);
  assert.throws(
    () => stepTime(TERMS, { bitsPerS: 1e9, latencyMs: 0, payloadFraction: 1.5 }, { workers: 1, shards: 1, modelBytes: 1, batch: 1 }),
    /payload fraction/,
  );
});
