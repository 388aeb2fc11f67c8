import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { FASHION_MNIST_DEFAULT_DIR, loadFashionMnist, type Dataset } from '@lnsgd/data';
import { chiSquareUniform } from '@lnsgd/random';
import { prerequisite } from '@lnsgd/testing';
import { adversarialReplicas, runFashionMnistAdversarial } from './fashion-mnist-adversarial';

const missing = (): string | false =>
  !existsSync(`${FASHION_MNIST_DEFAULT_DIR}/train-images-idx3-ubyte.gz`) && `${FASHION_MNIST_DEFAULT_DIR} absent (apt-get install dataset-fashion-mnist)`;

function head(ds: Dataset, n: number): Dataset {
  const row = ds.x.length / ds.n;
  return { ...ds, n, x: ds.x.subarray(0, n * row), y: ds.y.subarray(0, n) };
}

// The paper's construction, checked against closed forms: each copy keeps its image except
// for zeroed pixels, the zeroed count per copy is hypergeometric (78 of 784 positions drawn,
// K of them non-zero in the image), and the labels are uniform over the 10 classes.
void test('adversarialReplicas: copies differ from their image only by zeroed pixels, hypergeometric count, uniform labels', (t) => {
  if (!prerequisite(t, missing())) return;
  const ds = head(loadFashionMnist(FASHION_MNIST_DEFAULT_DIR).train, 256);
  const r = adversarialReplicas(ds, { seed: 3, replicas: 10, zeroFraction: 0.1 });
  assert.equal(r.n, 2560);
  let changed = 0;
  let expected = 0;
  let variance = 0;
  const [N, draws] = [784, 78];
  for (let i = 0; i < r.n; i++) {
    const src = i % ds.n;
    let nonZero = 0;
    let rowChanged = 0;
    for (let j = 0; j < N; j++) {
      const a = ds.x[src * N + j];
      const b = r.x[i * N + j];
      if (a !== 0) nonZero++;
      if (b !== a) {
        assert.equal(b, 0, `copy ${i} pixel ${j}: ${b} is neither the image's ${a} nor 0`);
        rowChanged++;
      }
    }
    assert.ok(rowChanged <= draws, `copy ${i}: ${rowChanged} pixels changed > ${draws}`);
    changed += rowChanged;
    const p = nonZero / N;
    expected += draws * p;
    variance += (draws * p * (1 - p) * (N - draws)) / (N - 1);
  }
  // Six standard deviations: a false failure has odds below 1e-8.
  assert.ok(Math.abs(changed - expected) < 6 * Math.sqrt(variance), `changed ${changed}, expected ${expected.toFixed(0)} ± ${Math.sqrt(variance).toFixed(1)}`);
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < r.n; i++) counts[r.y[i]]++;
  // χ² with 9 degrees of freedom: P(χ² > 33.7) = 1e-4 for uniform labels (seed fixed).
  assert.ok(chiSquareUniform(counts) < 33.7, `label counts ${counts.join(', ')}`);
  // Labels are drawn per copy, not per image: the copies of one image disagree.
  const labelsOfImage0 = new Set(Array.from({ length: 10 }, (_, c) => r.y[c * ds.n]));
  assert.ok(labelsOfImage0.size > 1, 'the 10 copies of image 0 all got one label');
});

// A tiny run (seconds on 2 cores): the summary contract, the series, the charts, flat tensors.
// Not the effect itself: that needs the --quick or full run.
void test('fashion-mnist-adversarial at a tiny size: summary contract, series per seed and arm, three charts, no leaked tensors', async (t) => {
  if (!prerequisite(t, missing())) return;
  const size = { n: 32, nTest: 200, seeds: 2, randomLabelSteps: 20, gdSteps: 20, phaseSteps: 20, records: 2, probes: 2 };
  await runFashionMnistAdversarial({ quick: true }, { ...size, seeds: 1, randomLabelSteps: 2, gdSteps: 2, phaseSteps: 2, records: 1 }); // warm the backend's kernels
  const before = tf.memory().numTensors;
  const out = await runFashionMnistAdversarial({ quick: true }, size);
  assert.equal(tf.memory().numTensors, before, 'tensors leaked by the run');
  const s = out.summary;
  for (const k of [
    'test_accuracy_adversarial_start',
    'test_accuracy_baseline',
    'test_accuracy_label_noise',
    'test_accuracy_plain',
    'trace_hessian_momentum',
    'trace_hessian_no_momentum',
    'trace_hessian_label_noise',
    'trace_hessian_plain',
    'random_label_train_accuracy',
  ]) {
    assert.equal(typeof s[k], 'number', k);
    assert.ok(Number.isFinite(s[k]), `${k} = ${String(s[k])}`);
  }
  for (const k of ['test_accuracy_adversarial_start', 'test_accuracy_baseline', 'test_accuracy_label_noise', 'test_accuracy_plain']) {
    const v = s[k] as number;
    assert.ok(v >= 0 && v <= 1, `${k} = ${v}`);
    const perSeed = s[`${k}_per_seed`];
    assert.ok(Array.isArray(perSeed) && perSeed.length === size.seeds, `${k}_per_seed`);
  }
  // The gap share is a number or null (where the start is no worse than the baseline), per seed.
  const gaps = s['gap_closed_label_noise_per_seed'];
  assert.ok(Array.isArray(gaps) && gaps.length === size.seeds);
  assert.ok(s['gap_closed_label_noise'] === null || typeof s['gap_closed_label_noise'] === 'number');
  assert.equal(s['trace_hessian_no_momentum'], s['trace_hessian_label_noise']);
  assert.equal(s['seeds'], 2);
  assert.equal(s['flip_prob'], 0.2);
  // Step 0 plus `records` measurements, for each seed and each of the six arms.
  assert.equal(out.series.length, size.seeds * 6 * (size.records + 1));
  const arms = [...new Set(out.series.map((r) => r['arm']))];
  assert.equal(arms.length, 6);
  for (const seed of [0, 1]) {
    for (const arm of arms) {
      const steps = out.series.filter((r) => r['seed'] === seed && r['arm'] === arm).map((r) => r['step']);
      assert.deepEqual(steps, [0, 10, 20], `seed ${seed}, ${String(arm)}`);
    }
  }
  // Seeds differ (own init, random labels, batches), and the arms from one start part ways.
  const at = (seed: number, arm: string, step: number): unknown =>
    out.series.find((r) => r['seed'] === seed && r['arm'] === arm && r['step'] === step)?.['trace_hessian'];
  const adv = arms.filter((a) => String(a).startsWith('adversarial start'));
  assert.equal(adv.length, 3);
  assert.notEqual(at(0, String(adv[0]), 0), at(1, String(adv[0]), 0));
  assert.equal(at(0, String(adv[0]), 0), at(0, String(adv[1]), 0));
  assert.notEqual(at(0, String(adv[0]), 20), at(0, String(adv[1]), 20));
  assert.notEqual(at(0, String(adv[1]), 20), at(0, String(adv[2]), 20));
  assert.deepEqual(
    out.charts.map((c) => c.name),
    ['test-accuracy', 'trace-hessian', 'accuracy-vs-trace'],
  );
  for (const c of out.charts) assert.match(out.report, new RegExp(`\\(${c.name}\\.(png|svg)\\)`), c.name);
});
