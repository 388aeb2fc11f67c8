import { initBackend } from '@lnsgd/backend';
import { batchIndices, DataError, FASHION_MNIST_DEFAULT_DIR, gatherBatch, loadFashionMnist, withRandomLabels, type Dataset, type DataSplit } from '@lnsgd/data';
import { applyClassificationNoise, flipNoise } from '@lnsgd/label-noise';
import { createBatchLossAndGradient, createModel } from '@lnsgd/models';
import { lineChart, markdownChart, markdownTable, type Row } from '@lnsgd/report';
import { evaluate, measureSharpness } from '@lnsgd/trainer';
import type { Experiment, ExperimentContext, ExperimentOutcome } from './experiment';
import { ExperimentError } from './experiment-error';
import { progressCounter } from './internal/progress';

/**
 * Settings (quick / full). MLP 784-128-10 (ReLU) on the first `n` Fashion-MNIST
 * training images. Start (a): full-batch GD on the clean labels. Start (b), Liu et
 * al. 2020's adversarial initialisation: SGD on random labels first, then full-batch
 * GD on the clean labels. From each start: plain SGD vs label-noise SGD (flip
 * probability 0.2), B = 64, η = 0.05. tr∇²L by Hutchinson on 512 clean training
 * samples (small budget: a trend, with its standard error in the series).
 */
export const FASHION_MNIST_ADVERSARIAL_SETTINGS = {
  quick: { n: 1024, nTest: 2000, gdSteps: 300, randomLabelSteps: 600, phaseSteps: 2000, records: 6 },
  full: { n: 8192, nTest: 10000, gdSteps: 1500, randomLabelSteps: 4000, phaseSteps: 20000, records: 20 },
  hidden: 128,
  gdLr: 0.2,
  sgdLr: 0.05,
  batch: 64,
  flipProb: 0.2,
  seed: 0,
} as const;

/**
 * Label-noise SGD vs plain SGD on Fashion-MNIST from (a) a full-batch-GD minimizer
 * and (b) an adversarial initialisation (random labels first): train/test accuracy
 * and tr∇²L over time. Needs `apt-get install dataset-fashion-mnist` (or --data-dir);
 * without it the experiment stops with ExperimentError DATASET_MISSING.
 */
export const fashionMnistAdversarial: Experiment = {
  name: 'fashion-mnist-adversarial',
  description: 'MLP on Fashion-MNIST from a GD minimizer and from an adversarial (random-label) init: label-noise SGD (p = 0.2) vs plain SGD',
  run: async (ctx: ExperimentContext): Promise<ExperimentOutcome> => {
    const s = FASHION_MNIST_ADVERSARIAL_SETTINGS;
    const size = ctx.quick ? s.quick : s.full;
    const dir = ctx.dataDir ?? FASHION_MNIST_DEFAULT_DIR;
    let data: DataSplit;
    try {
      data = loadFashionMnist(dir);
    } catch (err: unknown) {
      if (err instanceof DataError && err.code === 'FILE_NOT_FOUND') {
        throw new ExperimentError('DATASET_MISSING', `fashion-mnist-adversarial needs Fashion-MNIST in ${dir}: run \`apt-get install dataset-fashion-mnist\` (or pass --data-dir). ${err.message}`, { cause: err });
      }
      throw err;
    }
    await initBackend({ request: 'auto' });
    const train = head(data.train, size.n);
    const test = head(data.test, size.nTest);
    const model = createModel('mlp', { sizes: [784, s.hidden, 10], activation: 'relu', task: 'classification' });
    const lossAndGradient = createBatchLossAndGradient(model);
    const total = 2 * size.gdSteps + size.randomLabelSteps + 4 * size.phaseSteps;
    const progress = progressCounter(ctx, total);
    const step = (o: { theta: Float32Array; ds: Dataset; lr: number; batch: number; steps: number; flipProb: number; phase: string; onRecord?: (k: number, t: Float32Array) => void; recordEvery?: number }): Float32Array => {
      const theta = Float32Array.from(o.theta);
      const onStep = progress(o.phase);
      const noise = flipNoise({ flipProb: Math.max(o.flipProb, 1e-12), numClasses: 10 });
      const all = Int32Array.from({ length: o.ds.n }, (_, i) => i);
      o.onRecord?.(0, theta);
      for (let k = 0; k < o.steps; k++) {
        const idx = o.batch >= o.ds.n ? all : batchIndices({ seed: s.seed, step: k, globalBatch: o.batch, n: o.ds.n });
        const b = gatherBatch(o.ds, idx);
        const y = o.flipProb > 0 ? applyClassificationNoise(noise, { labels: b.y as Int32Array, sampleIndices: idx, step: k, seed: s.seed }) : b.y;
        const { grad } = lossAndGradient(theta, { x: b.x, y, size: idx.length });
        for (let j = 0; j < theta.length; j++) theta[j] -= o.lr * grad[j];
        onStep(k + 1);
        if (o.onRecord !== undefined && o.recordEvery !== undefined && ((k + 1) % o.recordEvery === 0 || k + 1 === o.steps)) o.onRecord(k + 1, theta);
      }
      return theta;
    };
    const init = model.init(s.seed);
    const gdStart = step({ theta: init, ds: train, lr: s.gdLr, batch: train.n, steps: size.gdSteps, flipProb: 0, phase: 'start (a): full-batch GD' });
    const randomFit = step({ theta: init, ds: withRandomLabels(train, s.seed + 1), lr: s.sgdLr, batch: 128, steps: size.randomLabelSteps, flipProb: 0, phase: 'start (b): random labels' });
    const advStart = step({ theta: randomFit, ds: train, lr: s.gdLr, batch: train.n, steps: size.gdSteps, flipProb: 0, phase: 'start (b): GD on true labels' });

    const series: Row[] = [];
    const measure = (theta: Float32Array): { trainAcc: number; testAcc: number; trace: number; traceErr: number } => {
      const sh = measureSharpness({ model, theta, ds: train, seed: s.seed, eta: s.sgdLr, beta: 0, budget: { lanczosSteps: 4, probes: 6, slqSteps: 4, samples: 512 } });
      return { trainAcc: evaluate(model, theta, { ds: train }).metric, testAcc: evaluate(model, theta, { ds: test }).metric, trace: sh.trace_hessian, traceErr: sh.trace_hessian_stderr };
    };
    const finals = new Map<string, ReturnType<typeof measure>>();
    const starts = [
      ['GD minimizer', gdStart],
      ['adversarial init', advStart],
    ] as const;
    const startMetrics = new Map<string, ReturnType<typeof measure>>();
    for (const [start, theta0] of starts) {
      startMetrics.set(start, measure(theta0));
      for (const [method, flipProb] of [
        ['plain SGD', 0],
        ['label-noise SGD', s.flipProb],
      ] as const) {
        let last: ReturnType<typeof measure> | undefined;
        step({
          theta: theta0,
          ds: train,
          lr: s.sgdLr,
          batch: s.batch,
          steps: size.phaseSteps,
          flipProb,
          phase: `${start}: ${method}`,
          recordEvery: Math.max(1, Math.floor(size.phaseSteps / size.records)),
          onRecord: (k, t) => {
            last = measure(t);
            series.push({ start, method, run: `${start}, ${method}`, step: k, train_accuracy: last.trainAcc, test_accuracy: last.testAcc, trace_hessian: last.trace, trace_hessian_stderr: last.traceErr });
          },
        });
        if (last !== undefined) finals.set(`${start}|${method}`, last);
      }
    }
    const f = (start: string, method: string): ReturnType<typeof measure> => {
      const v = finals.get(`${start}|${method}`);
      if (v === undefined) throw new Error(`fashion-mnist-adversarial: no result for ${start}, ${method}`);
      return v;
    };
    const summary = {
      test_accuracy_label_noise: f('adversarial init', 'label-noise SGD').testAcc,
      test_accuracy_plain: f('adversarial init', 'plain SGD').testAcc,
      trace_hessian_label_noise: f('adversarial init', 'label-noise SGD').trace,
      trace_hessian_plain: f('adversarial init', 'plain SGD').trace,
      test_accuracy_label_noise_from_gd: f('GD minimizer', 'label-noise SGD').testAcc,
      test_accuracy_plain_from_gd: f('GD minimizer', 'plain SGD').testAcc,
      trace_hessian_label_noise_from_gd: f('GD minimizer', 'label-noise SGD').trace,
      trace_hessian_plain_from_gd: f('GD minimizer', 'plain SGD').trace,
      test_accuracy_adversarial_start: startMetrics.get('adversarial init')?.testAcc ?? null,
      test_accuracy_gd_start: startMetrics.get('GD minimizer')?.testAcc ?? null,
      train_samples: train.n,
      steps: size.phaseSteps,
      flip_prob: s.flipProb,
      eta: s.sgdLr,
      global_batch: s.batch,
    };
    const color = { field: 'run', title: 'start, method' };
    const charts = [
      { name: 'test-accuracy', spec: lineChart({ title: 'Test accuracy', values: series, x: { field: 'step' }, y: { field: 'test_accuracy', title: 'test accuracy' }, color }) },
      { name: 'train-accuracy', spec: lineChart({ title: 'Training accuracy (clean labels)', values: series, x: { field: 'step' }, y: { field: 'train_accuracy', title: 'train accuracy' }, color }) },
      { name: 'trace-hessian', spec: lineChart({ title: 'tr∇²L (Hutchinson, 512 clean samples)', values: series, x: { field: 'step' }, y: { field: 'trace_hessian', title: 'tr∇²L' }, color }) },
    ];
    const table = [...finals.entries()].map(([k, v]) => {
      const [start, method] = k.split('|');
      return { start, method, train_accuracy: v.trainAcc, test_accuracy: v.testAcc, trace_hessian: v.trace, trace_hessian_stderr: v.traceErr };
    });
    const report = `# Fashion-MNIST: label noise from a GD minimizer and from an adversarial initialisation

MLP 784-${s.hidden}-10 (ReLU, cross-entropy) on the first ${train.n} Fashion-MNIST training images, tested on ${test.n} test images. Starts: (a) ${size.gdSteps} full-batch GD steps (η = ${s.gdLr}) on the clean labels; (b) Liu et al. (2020)'s adversarial initialisation: ${size.randomLabelSteps} SGD steps on random labels, then the same full-batch GD on the clean labels. From each start, ${size.phaseSteps.toLocaleString('en-US')} SGD steps with η = ${s.sgdLr}, B = ${s.batch}: plain, and with label noise (each label flipped to another class with probability ${s.flipProb} every step).

## Starts

${markdownTable([...startMetrics.entries()].map(([start, v]) => ({ start, train_accuracy: v.trainAcc, test_accuracy: v.testAcc, trace_hessian: v.trace })))}
## Result

${markdownTable(table)}
${markdownChart('test-accuracy', 'Test accuracy over steps')}
${markdownChart('train-accuracy', 'Training accuracy over steps')}
${markdownChart('trace-hessian', 'Trace of the Hessian over steps')}
tr∇²L is a Hutchinson estimate with a small budget; its standard error is in \`results.csv\` (trace_hessian_stderr). Files: \`results.jsonl\` / \`results.csv\`, \`summary.json\`.
`;
    return { experiment: 'fashion-mnist-adversarial', summary, series, charts, report };
  },
};

/** The first n samples of a data set (views, no copies). */
function head(ds: Dataset, n: number): Dataset {
  const m = Math.min(n, ds.n);
  const row = ds.x.length / ds.n;
  return { ...ds, n: m, x: ds.x.subarray(0, m * row), y: ds.y.subarray(0, m * ds.yDim) };
}
