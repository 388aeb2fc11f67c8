import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CounterRng, RngDomain, moments } from '@lnsgd/random';
import { estimateSharpness } from '../estimate_sharpness';
import { explicitHvp } from '../explicit_hvp';
import { symmetricWithSpectrum } from './known_spectrum';
import { ProbeStream, normalVector, rademacherVector } from './rng';

void describe('probe randomness (RngDomain.PROBES)', () => {
  void test('probe i of a stream is the PROBES fill at (stream, i), whatever was drawn before', () => {
    const key = { seed: 11, stream: ProbeStream.SLQ, index: 3 };
    const direct = new CounterRng(11, RngDomain.PROBES).fillRademacher(new Float64Array(500), { a: ProbeStream.SLQ, b: 3 });
    rademacherVector({ ...key, index: 0 }, 500);
    assert.deepEqual(rademacherVector(key, 500), direct);
    // Another stream, index or seed gives other signs.
    assert.notDeepEqual(rademacherVector({ ...key, stream: ProbeStream.LANCZOS_START }, 500), direct);
    assert.notDeepEqual(rademacherVector({ ...key, index: 4 }, 500), direct);
    assert.notDeepEqual(rademacherVector({ ...key, seed: 12 }, 500), direct);
  });

  void test('Rademacher entries are ±1 with mean 0; normal entries have unit variance', () => {
    const r = rademacherVector({ seed: 5, stream: ProbeStream.HUTCHINSON, index: 0 }, 20000);
    assert.ok(r.every((x) => x === 1 || x === -1));
    // Mean of 20000 signs: sd 0.0071; 0.03 is > 4 sd.
    assert.ok(Math.abs(moments(r).mean) < 0.03);
    const m = moments(normalVector({ seed: 5, stream: ProbeStream.TEST, index: 0 }, 20000));
    assert.ok(Math.abs(m.mean) < 0.03 && Math.abs(m.variance - 1) < 0.05, JSON.stringify(m));
  });

  void test('rejects a negative or fractional seed', () => {
    assert.throws(() => rademacherVector({ seed: -1, stream: 1, index: 0 }, 3), /seed/);
    assert.throws(() => normalVector({ seed: 1.5, stream: 1, index: 0 }, 3), /seed/);
  });

  void test('estimateSharpness is reproducible per seed and differs across seeds', () => {
    const n = 80;
    const hvp = explicitHvp(
      symmetricWithSpectrum(
        Float64Array.from({ length: n }, (_, i) => Math.cos(i) + 1),
        41,
      ),
      n,
    );
    const run = (seed: number): ReturnType<typeof estimateSharpness> =>
      estimateSharpness({ hvp, dim: n, eta: 0.1, seed, lanczosSteps: 10, probes: 4, slqSteps: 8 });
    assert.deepEqual(run(3), run(3));
    assert.notEqual(run(3).traceHessian, run(4).traceHessian);
  });
});
