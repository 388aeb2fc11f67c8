import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quadraticSparseData } from '@lnsgd/data';
import { quadraticSparseLossAndGradient } from '@lnsgd/models';
import { lanczos, explicitHvp } from '@lnsgd/sharpness';
import { float64Hvp } from './float64-hvp';
import { sparseLossAndTrace } from './quadratic-sparse-math';
import { tanhNet } from './tanh-net';

void test('tanhNet: the hand-written gradient matches float64 central differences of the loss', () => {
  const net = tanhNet(7);
  const theta = net.init(3);
  const data = { x: [-1, -0.3, 0.4, 1], y: [1, -0.5, 0.2, -1] };
  const { grad } = net.lossAndGradient(theta, data);
  for (let i = 0; i < theta.length; i++) {
    const p = Float64Array.from(theta);
    const m = Float64Array.from(theta);
    p[i] += 1e-6;
    m[i] -= 1e-6;
    const fd = (net.lossAndGradient(p, data).loss - net.lossAndGradient(m, data).loss) / 2e-6;
    assert.ok(Math.abs(fd - grad[i]) < 1e-7, `∂L/∂θ${i}: ${grad[i]} vs ${fd}`);
  }
});

void test('sparseLossAndTrace: tr∇²L equals the trace of the finite-difference Hessian of the gradient', () => {
  const { train } = quadraticSparseData({ d: 12, k: 2, n: 6, nTest: 1, seed: 4 });
  const v = Float64Array.from({ length: 12 }, (_, j) => 0.5 + 0.1 * j);
  const gradient = (t: Float64Array): ArrayLike<number> => {
    const out = new Float64Array(12);
    const g = quadraticSparseLossAndGradient(t, train);
    for (let j = 0; j < 12; j++) out[j] = g.grad[j];
    return out;
  };
  const hvp = float64Hvp(gradient, v);
  let trace = 0;
  for (let j = 0; j < 12; j++) {
    const e = new Float64Array(12);
    e[j] = 1;
    trace += hvp(e)[j];
  }
  const exact = sparseLossAndTrace(v, train).trace;
  // The model's gradient is rounded to float32, so the differences carry ~1e-3 relative error.
  assert.ok(Math.abs(trace - exact) < 1e-2 * Math.abs(exact), `${trace} vs ${exact}`);
});

void test('float64Hvp recovers an exact quadratic Hessian and Lanczos its top eigenvalue', () => {
  const H = new Float64Array([4, 1, 0, 1, 3, 0, 0, 0, 1]);
  const exact = explicitHvp(H, 3);
  const hvp = float64Hvp((t) => exact(Float64Array.from(t)), [0.3, -2, 5]);
  const v = Float64Array.of(1, 2, 3);
  const a = hvp(v);
  const b = exact(v);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-8);
  const top = lanczos(hvp, { dim: 3, steps: 3, seed: 1 }).values[0];
  assert.ok(Math.abs(top - (3.5 + Math.sqrt(1.25))) < 1e-8);
});
