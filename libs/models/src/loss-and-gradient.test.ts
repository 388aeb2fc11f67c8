import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createLossAndGradient, createModel, modelNames } from './index';
import { testVector, useCpuBackend } from './internal/testing';

void describe('createLossAndGradient', () => {
  before(useCpuBackend);

  for (const path of ['auto', 'tfjs'] as const) {
    void test(`no tensor leaks over 100 calls (uv-toy, ${path} path)`, () => {
      const model = createModel('uv-toy');
      const lossAndGrad = createLossAndGradient(model, { path });
      const x = tf.tensor1d(testVector(8, 1));
      const before = tf.memory().numTensors;
      let theta = model.init(0);
      for (let i = 0; i < 100; i++) {
        const { grad } = lossAndGrad(theta, x, x);
        theta = theta.map((t, j) => t - 0.01 * grad[j]);
      }
      assert.equal(tf.memory().numTensors, before);
      x.dispose();
    });
  }

  void test('no tensor leaks over 100 calls (mlp), fresh gradients each call', () => {
    const model = createModel('mlp', { sizes: [6, 5, 3] });
    const lossAndGrad = createLossAndGradient(model);
    const x = tf.tensor2d(testVector(24, 2), [4, 6]);
    const y = tf.tensor1d([0, 1, 2, 0], 'int32');
    const before = tf.memory().numTensors;
    let theta = model.init(1);
    const losses: number[] = [];
    let previous: Float32Array | undefined;
    for (let i = 0; i < 100; i++) {
      const { loss, grad } = lossAndGrad(theta, x, y);
      assert.equal(grad.length, model.numParams);
      assert.equal(grad.byteOffset, 0);
      assert.notEqual(grad, previous);
      previous = grad;
      losses.push(loss);
      theta = theta.map((t, j) => t - 0.1 * grad[j]);
    }
    assert.equal(tf.memory().numTensors, before);
    assert.ok(losses[99] < losses[0], `loss went ${losses[0]} → ${losses[99]}`);
    tf.dispose([x, y]);
  });
});

void describe('createModel', () => {
  void test('builds every name in modelNames, with small options', () => {
    const small = {
      'uv-toy': {},
      'quadratic-sparse': { d: 10 },
      'linreg-diag': { d: 10 },
      mlp: { sizes: [4, 3] },
      'cnn-small': { inputShape: [8, 8, 1] },
      resnet18: { width: 2 },
    } as const;
    for (const name of modelNames) {
      const model = createModel(name, small[name]);
      assert.equal(model.name, name);
      assert.equal(model.init(1).length, model.numParams);
      assert.equal(model.outputSize, model.task === 'classification' ? model.numClasses : 1);
    }
  });

  void test('an unknown name is an error listing the known ones', () => {
    assert.throws(
      () => createModel('vgg' as 'mlp'),
      /createModel: name must be one of uv-toy, quadratic-sparse, linreg-diag, mlp, cnn-small, resnet18, got 'vgg'/,
    );
  });
});
