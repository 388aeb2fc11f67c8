import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModel } from '@lnsgd/models';
import { makeLabelNoiser } from './label_noiser';
import { createNoisyGradient } from './noisy_gradient';
import { loadPresetData } from './preset_data';
import { resolveRunConfig } from './run_config';

void test('createNoisyGradient: ranks and micro-batches combine to the whole-batch gradient', () => {
  const { preset, hyper } = resolveRunConfig('quadratic-sparse', { batch: 40 });
  const data = loadPresetData(preset.data, hyper.seed);
  const model = createModel(preset.model.name, preset.model.options ?? {});
  const noiser = makeLabelNoiser({ task: 'regression', hyper, numClasses: 0 }).apply;
  const theta = model.init(hyper.seed);
  const whole = createNoisyGradient({ model, train: data.train, hyper, noiser })(theta, { step: 3 });
  assert.equal(whole.samples, 40);
  const micro = createNoisyGradient({ model, train: data.train, hyper, noiser, microBatch: 7 });
  const combined = new Float64Array(model.numParams);
  let samples = 0;
  for (let r = 0; r < 3; r++) {
    const part = micro(theta, { step: 3, rank: r, worldSize: 3 });
    samples += part.samples;
    for (let i = 0; i < combined.length; i++) combined[i] += (part.samples * part.grad[i]) / 40;
  }
  assert.equal(samples, 40);
  for (let i = 0; i < combined.length; i++) {
    assert.ok(Math.abs(combined[i] - whole.grad[i]) <= 1e-5 * (1 + Math.abs(whole.grad[i])), `coordinate ${i}: ${combined[i]} vs ${whole.grad[i]}`);
  }
});
