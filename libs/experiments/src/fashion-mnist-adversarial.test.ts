import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { FASHION_MNIST_DEFAULT_DIR } from '@lnsgd/data';
import { runFashionMnistAdversarial } from './fashion-mnist-adversarial';
import { prerequisite } from '@lnsgd/testing';

// A tiny run (a few seconds on 2 cores): the wiring, the summary contract and that the
// random-label phase really memorises, not the effect itself (that needs the quick run).
void test('fashion-mnist-adversarial at a tiny size: summary contract, one series per start and method, six charts', async (t) => {
  if (
    !prerequisite(
      t,
      !existsSync(`${FASHION_MNIST_DEFAULT_DIR}/train-images-idx3-ubyte.gz`) && `${FASHION_MNIST_DEFAULT_DIR} absent (apt-get install dataset-fashion-mnist)`,
    )
  )
    return;
  const size = { n: 64, nTest: 256, gdSteps: 100, randomLabelSteps: 300, phaseSteps: 40, records: 2, probes: 2 };
  const out = await runFashionMnistAdversarial({ quick: true }, size);
  const s = out.summary;
  for (const k of [
    'test_accuracy_label_noise',
    'test_accuracy_plain',
    'trace_hessian_label_noise',
    'trace_hessian_plain',
    'test_accuracy_adversarial_start',
    'trace_hessian_adversarial_start',
  ]) {
    assert.equal(typeof s[k], 'number', k);
    assert.ok(Number.isFinite(s[k]), `${k} = ${String(s[k])}`);
  }
  for (const k of ['test_accuracy_label_noise', 'test_accuracy_plain', 'test_accuracy_adversarial_start', 'random_label_train_accuracy']) {
    const v = s[k] as number;
    assert.ok(v >= 0 && v <= 1, `${k} = ${v}`);
  }
  // The adversarial start is built on memorised random labels: far above chance (10%).
  assert.ok((s['random_label_train_accuracy'] as number) > 0.5, `random labels fitted: ${String(s['random_label_train_accuracy'])}`);
  assert.equal(s['train_samples'], 64);
  assert.equal(s['flip_prob'], 0.2);
  // Step 0 plus `records` measurements, for 2 starts x 2 methods, with no duplicate steps.
  assert.equal(out.series.length, 4 * (size.records + 1));
  for (const start of ['GD minimizer', 'adversarial init']) {
    for (const method of ['plain SGD', 'label-noise SGD']) {
      const steps = out.series.filter((r) => r['start'] === start && r['method'] === method).map((r) => r['step']);
      assert.deepEqual(steps, [0, 20, 40], `${start}, ${method}`);
    }
  }
  // Both methods start from the same point and then part ways (label noise changes the steps).
  const at = (method: string, step: number): unknown =>
    out.series.find((r) => r['start'] === 'adversarial init' && r['method'] === method && r['step'] === step)?.['trace_hessian'];
  assert.equal(at('plain SGD', 0), at('label-noise SGD', 0));
  assert.notEqual(at('plain SGD', 40), at('label-noise SGD', 40));
  assert.deepEqual(
    out.charts.map((c) => c.name),
    ['test-accuracy-gd', 'train-accuracy-gd', 'trace-hessian-gd', 'test-accuracy-adversarial', 'train-accuracy-adversarial', 'trace-hessian-adversarial'],
  );
  for (const c of out.charts) assert.match(out.report, new RegExp(`\\(${c.name}\\.(png|svg)\\)`), c.name);
  assert.match(out.report, /random-label phase fits/);
});
