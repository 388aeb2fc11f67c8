import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@lnsgd/backend';
import { createBatchLossAndGradient, createModel, type Model } from '@lnsgd/models';
import { CounterRng, RngDomain } from '@lnsgd/random';

// Issue "Training core": wasm must be able to train every model in the zoo. Each
// model (at a size a 2-core CI can afford) takes the same gradient on wasm — with our
// registered kernels and fast paths — as on the pure-JS cpu backend.
const ZOO: readonly { label: string; make: () => Model }[] = [
  { label: 'uv-toy', make: () => createModel('uv-toy', {}) },
  { label: 'quadratic-sparse', make: () => createModel('quadratic-sparse', {}) },
  { label: 'linreg-diag d=50', make: () => createModel('linreg-diag', { d: 50, initStd: 0.1 }) },
  { label: 'mlp 20-16-5 relu', make: () => createModel('mlp', { sizes: [20, 16, 5] }) },
  { label: 'mlp 1-12-1 tanh regression', make: () => createModel('mlp', { sizes: [1, 12, 1], activation: 'tanh', task: 'regression' }) },
  { label: 'cnn-small 12x12x1', make: () => createModel('cnn-small', { inputShape: [12, 12, 1], numClasses: 4 }) },
  { label: 'resnet18 width 4, 8x8x3', make: () => createModel('resnet18', { width: 4, inputShape: [8, 8, 3], numClasses: 3, groups: 2 }) },
];

function batchFor(model: Model, size: number): { x: Float32Array; y: Float32Array | Int32Array; size: number } {
  const rng = new CounterRng(7, RngDomain.DATA_SYNTHESIS);
  const dim = model.inputShape.reduce((a, b) => a * b, 1);
  const x = rng.fillNormal(new Float32Array(size * dim), { a: 0 });
  const y =
    model.task === 'classification'
      ? Int32Array.from({ length: size }, (_, i) => rng.randomInt(model.numClasses, 1, i))
      : rng.fillNormal(new Float32Array(size * model.outputSize), { a: 2 });
  return { x, y, size };
}

void test('every zoo model has the same loss and gradient on wasm as on cpu', async () => {
  for (const { label, make } of ZOO) {
    const model = make();
    const theta = model.init(3);
    const batch = batchFor(model, 6);
    const grads: { loss: number; grad: Float32Array }[] = [];
    for (const request of ['cpu', 'wasm'] as const) {
      await initBackend({ request });
      const before = tf.memory().numTensors;
      const g = createBatchLossAndGradient(model, { path: 'tfjs' })(theta, batch);
      grads.push({ loss: g.loss, grad: Float32Array.from(g.grad) });
      assert.equal(tf.memory().numTensors, before, `${label} leaked tensors on ${request}`);
    }
    const [cpu, wasm] = grads;
    assert.ok(Math.abs(cpu.loss - wasm.loss) <= 1e-4 * Math.max(1, Math.abs(cpu.loss)), `${label}: loss ${cpu.loss} vs ${wasm.loss}`);
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < cpu.grad.length; i++) {
      scale = Math.max(scale, Math.abs(cpu.grad[i]));
      diff = Math.max(diff, Math.abs(cpu.grad[i] - wasm.grad[i]));
      assert.ok(Number.isFinite(wasm.grad[i]), `${label}: non-finite wasm gradient at ${i}`);
    }
    // float32 with different summation orders: 1e-3 of the gradient's scale.
    assert.ok(diff <= 1e-3 * Math.max(scale, 1e-3), `${label}: max |Δgrad| ${diff} vs scale ${scale}`);
  }
});
