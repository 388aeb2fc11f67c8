import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BackendError } from './backend_error';
import { initBackend } from './init_backend';
import { requireModule, type ModuleLoader } from './internal/optional_module';
import { installedWasmFastPaths } from './wasm/fast_paths/install';

/** A loader that knows only the modules listed (plus the real wasm package). */
function fakeLoader(modules: Record<string, () => void>): ModuleLoader {
  return (name) => {
    const load = modules[name];
    if (load !== undefined) return load();
    if (name === '@tensorflow/tfjs-backend-wasm') return requireModule(name);
    throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
  };
}

void describe('initBackend', () => {
  void test('auto picks wasm here and says why the native backends were skipped', async () => {
    const lines: string[] = [];
    const info = await initBackend({ log: (m) => lines.push(m) });
    assert.equal(info.name, 'wasm');
    assert.equal(info.tfBackend, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.deepEqual(
      info.attempts.map((a) => [a.name, a.ok]),
      [
        ['tensorflow-gpu', false],
        ['tensorflow', false],
        ['wasm', true],
      ],
    );
    assert.match(
      info.reason,
      /^auto: chose wasm \(SIMD, single-threaded\); tensorflow-gpu: @tensorflow\/tfjs-node-gpu is not installed; tensorflow: @tensorflow\/tfjs-node is not installed$/,
    );
    assert.deepEqual(lines, [`initBackend: ${info.reason}`]);
    assert.deepEqual(info.kernels, [
      'Conv2DBackpropFilter',
      'UnsortedSegmentSum',
      'MaxPoolGrad',
      'BatchMatMul',
      '_FusedMatMul',
      'Conv2DBackpropInput',
      'Slice',
      'SplitV',
      'Identity',
      'Sum',
      'Add',
      'Cast',
    ]);
  });

  void test('is idempotent, and fastPaths: false removes the fast paths', async () => {
    const again = await initBackend({ request: 'wasm' });
    assert.equal(again.name, 'wasm');
    assert.equal(installedWasmFastPaths().length, 9);
    const plain = await initBackend({ request: 'wasm', fastPaths: false });
    assert.deepEqual(plain.kernels, ['Conv2DBackpropFilter', 'UnsortedSegmentSum', 'MaxPoolGrad']);
    assert.deepEqual(installedWasmFastPaths(), []);
    await initBackend({ request: 'wasm' });
    assert.equal(installedWasmFastPaths().length, 9);
  });

  void test('an explicit request for an absent backend is UNAVAILABLE, not a fallback', async () => {
    await assert.rejects(initBackend({ request: 'tensorflow-gpu' }), (e: unknown) => {
      assert.ok(e instanceof BackendError);
      assert.equal(e.code, 'UNAVAILABLE');
      assert.match(
        e.message,
        /initBackend: backend 'tensorflow-gpu' was requested but is unavailable: tensorflow-gpu: @tensorflow\/tfjs-node-gpu is not installed/,
      );
      return true;
    });
    assert.equal(tf.getBackend(), 'wasm');
  });

  void test('cpu on request', async () => {
    const info = await initBackend({ request: 'cpu' });
    assert.equal(info.tfBackend, 'cpu');
    assert.deepEqual(info.kernels, []);
    assert.match(info.reason, /^requested cpu explicitly/);
  });

  void test('auto prefers a native backend when its package loads', async () => {
    // Stand-in for tfjs-node: registers a 'tensorflow' backend (the cpu one) when loaded.
    const cpuFactory = tf.findBackendFactory('cpu');
    assert.ok(cpuFactory !== null);
    const loadModule = fakeLoader({
      '@tensorflow/tfjs-node': () => {
        tf.registerBackend('tensorflow', cpuFactory);
      },
      '@tensorflow/tfjs-node-gpu': () => {
        throw new Error('libcudart.so.11.0: cannot open shared object file');
      },
    });
    try {
      const info = await initBackend({ loadModule });
      assert.equal(info.name, 'tensorflow');
      assert.equal(info.tfBackend, 'tensorflow');
      assert.match(info.reason, /^auto: chose tensorflow \(native libtensorflow, CPU\); tensorflow-gpu: @tensorflow\/tfjs-node-gpu failed to load: libcudart/);
    } finally {
      await tf.setBackend('wasm');
      tf.removeBackend('tensorflow');
    }
  });

  void test('a package that loads but registers no backend is reported', async () => {
    const loadModule = fakeLoader({ '@tensorflow/tfjs-node': () => undefined });
    await assert.rejects(
      initBackend({ request: 'tensorflow', loadModule }),
      /tensorflow: @tensorflow\/tfjs-node loaded but no 'tensorflow' backend is registered/,
    );
  });
});
