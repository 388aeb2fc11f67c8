import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ParameterShard } from './parameter_shard';
import { REFERENCE_HYPER, referenceStep, type ReferenceState } from './reference_sgd.test_util';

// Stepping in parts is bit-identical to the reference recipe of proto/README.md for
// any part length, worker count and arrival pattern: every push arrives whole or in
// pieces of random lengths (interleaved across workers), the shard steps whatever
// parts are ready after each piece, and sometimes the open step is dropped halfway
// (a membership change) and pushed again. θ must equal the independent float64
// reference after every step, bit for bit.

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));

/** Random float32 values spanning many magnitudes, with signed zeros. */
const vectorArb = (n: number): fc.Arbitrary<Float32Array> =>
  fc
    .array(fc.oneof(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e4, max: 1e4 }), fc.constantFrom(0, -0, 1e-30, -3e-8)), {
      minLength: n,
      maxLength: n,
    })
    .map((a) => Float32Array.from(a));

interface Scenario {
  readonly n: number;
  readonly partLength: number;
  readonly steps: {
    readonly pushes: { readonly samples: number; readonly grad: Float32Array; readonly cuts: number[]; readonly whole: boolean }[];
    /** Order in which the workers' next pieces arrive (indices into pushes, cycled until all are in). */
    readonly order: number[];
    readonly dropAfter: number | null;
  }[];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({ n: fc.integer({ min: 1, max: 40 }), workers: fc.integer({ min: 1, max: 4 }), steps: fc.integer({ min: 1, max: 4 }) })
  .chain(({ n, workers, steps }) =>
    fc.record({
      n: fc.constant(n),
      partLength: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: n + 3 })),
      steps: fc.array(
        fc.record({
          pushes: fc.array(
            fc.record({
              samples: fc.integer({ min: 0, max: 300 }),
              grad: vectorArb(n),
              cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { maxLength: 5 }).map((c) => c.filter((x) => x < n).sort((a, b) => a - b)),
              whole: fc.boolean(),
            }),
            { minLength: workers, maxLength: workers },
          ),
          order: fc.array(fc.integer({ min: 0, max: workers - 1 }), { minLength: 1, maxLength: 12 }),
          dropAfter: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
        }),
        { minLength: steps, maxLength: steps },
      ),
    }),
  );

/** Pushes one step's gradients piece by piece; returns the pieces delivered (for the drop point). */
function deliver(shard: ParameterShard, step: Scenario['steps'][number], stopAfter: number | null): number {
  const pushes = step.pushes.map((p, w) => ({ ...p, w, next: 0 }));
  const pieces = (p: (typeof pushes)[number]): [number, number][] => {
    const edges = [0, ...p.cuts, step.pushes[0].grad.length];
    return edges.slice(0, -1).map((s, i) => [s, edges[i + 1]]);
  };
  let delivered = 0;
  let cursor = 0;
  for (;;) {
    const open = pushes.filter((p) => (p.whole ? p.next < 1 : p.next < pieces(p).length));
    if (open.length === 0) return delivered;
    if (stopAfter !== null && delivered >= stopAfter) return delivered;
    const w = step.order[cursor++ % step.order.length] % pushes.length;
    const p = open.find((q) => q.w === w) ?? open[0];
    if (p.whole) {
      assert.ok(shard.addPush({ rank: p.w, samples: p.samples, loss: 0, grad: p.grad }));
      p.next = 1;
    } else {
      if (p.next === 0) assert.ok(shard.beginPush({ rank: p.w, samples: p.samples, loss: 0 }));
      const [s, e] = pieces(p)[p.next++];
      shard.addPart(p.w, { start: s, values: p.grad.slice(s, e) });
    }
    delivered++;
    // The barrier is complete only once every worker's push is open (as ShardCore does).
    if (shard.pushedRanks().length === pushes.length) shard.stepReadyParts();
  }
}

void test('stepping in parts equals the reference bit for bit (part lengths x workers x arrival orders x drops)', () => {
  fc.assert(
    fc.property(scenarioArb, (sc) => {
      const theta0 = Float32Array.from({ length: sc.n }, (_, i) => Math.fround(Math.cos(i * 1.3) * 2));
      const shard = new ParameterShard({ params: theta0.slice(), hyper: REFERENCE_HYPER, partLength: sc.partLength, reuseParams: true });
      const ref: ReferenceState = { theta: theta0.slice(), velocity: new Float32Array(sc.n), count: 0 };
      for (const step of sc.steps) {
        if (step.pushes.every((p) => p.samples === 0)) continue;
        if (step.dropAfter !== null) {
          deliver(shard, step, step.dropAfter);
          for (let w = 0; w < step.pushes.length; w++) shard.dropPush(w);
          assert.equal(shard.stepped, 0);
        }
        deliver(shard, step, null);
        shard.closeStep();
        referenceStep(
          ref,
          step.pushes.filter((p) => p.samples > 0).map((p) => ({ w: p.samples, g: p.grad })),
        );
        assert.deepEqual(bits(shard.params), bits(ref.theta));
      }
    }),
    { numRuns: 300, seed: 16 },
  );
});

void test('parts are stepped as soon as every push holds them, and never before', () => {
  const shard = new ParameterShard({ params: new Float32Array(10).fill(1), hyper: REFERENCE_HYPER, partLength: 4 });
  shard.beginPush({ rank: 0, samples: 2, loss: 0 });
  shard.beginPush({ rank: 1, samples: 3, loss: 0 });
  shard.addPart(0, { start: 0, values: new Float32Array(9).fill(0.5) });
  assert.deepEqual(shard.stepReadyParts(), []);
  shard.addPart(1, { start: 0, values: new Float32Array(5).fill(0.25) });
  assert.deepEqual(shard.stepReadyParts(), [{ start: 0, end: 4 }]);
  assert.throws(() => shard.stagedParams({ start: 4, end: 8 }), /not stepped yet/);
  shard.addPart(1, { start: 5, values: new Float32Array(5).fill(0.25) });
  assert.deepEqual(shard.stepReadyParts(), [{ start: 4, end: 8 }]);
  assert.throws(() => shard.closeStep(), /still arriving in parts/);
  assert.throws(() => shard.addPart(0, { start: 8, values: new Float32Array(1) }), /does not continue \[0, 9\)/);
  assert.throws(() => shard.addPart(0, { start: 9, values: new Float32Array(2) }), /does not continue/);
  shard.addPart(0, { start: 9, values: new Float32Array(1).fill(0.5) });
  assert.deepEqual(shard.stepReadyParts(), [{ start: 8, end: 10 }]);
  assert.equal(shard.closeStep().version, 1);
  assert.equal(shard.stepped, 0);
});
