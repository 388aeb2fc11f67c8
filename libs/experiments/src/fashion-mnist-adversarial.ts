import { initBackend } from '@lnsgd/backend';
import { batchIndices, DataError, evalBatchIndices, FASHION_MNIST_DEFAULT_DIR, loadFashionMnist, type Dataset, type DataSplit } from '@lnsgd/data';
import { applyClassificationNoise, flipNoise } from '@lnsgd/label-noise';
import { correlation, CounterRng, RngDomain } from '@lnsgd/random';
import * as tf from '@tensorflow/tfjs';
import { createBatchLossAndGradient, createFrozenKinkGradient, createModel, type Model } from '@lnsgd/models';
import { markdownChart, markdownTable, type Row } from '@lnsgd/report';
import { finiteDifferenceHvp, hutchinsonTrace } from '@lnsgd/sharpness';
import { evaluate } from '@lnsgd/trainer';
import type { Experiment, ExperimentContext, ExperimentOutcome } from './experiment';
import { ExperimentError } from './experiment-error';
import { bandChart, median, medianBands, scatterChart } from './internal/band-chart';
import { progressCounter } from './internal/progress';

/** The sizes that differ between `--quick` and the full run. */
export interface FashionMnistAdversarialSize {
  /** Training images (the first n of the Fashion-MNIST training set). */
  readonly n: number;
  /** Test images (the first nTest of the test set). */
  readonly nTest: number;
  /** Seeds (0 … seeds−1): each gets its own init, random labels, zeroed pixels, batches and label noise. */
  readonly seeds: number;
  /** SGD steps on the random-label, partly zeroed replicas (the first half of the adversarial start). */
  readonly randomLabelSteps: number;
  /** Full-batch GD steps on the true labels (the full-batch start, and the second half of the adversarial start). */
  readonly gdSteps: number;
  /** SGD steps of each compared run. */
  readonly phaseSteps: number;
  /** Measurements per run (evenly spaced, plus step 0). */
  readonly records: number;
  /** Hutchinson probes per tr∇²L estimate. */
  readonly probes: number;
}

/**
 * Settings. MLP 784-128-10 (ReLU) with the squared loss ½‖f(x) − e_y‖² on one-hot targets
 * (real global minimizers; under cross-entropy plain SGD shrinks tr∇²L by saturating the
 * softmax, see the report). The adversarial start is built as in Damian, Ma & Lee's code:
 * `replicas` copies of the training images, each with `zeroFraction` of its pixels set
 * to 0 and a uniformly random label, memorised by SGD; then full-batch GD fits the true labels.
 * Compared runs: SGD η = 0.1, B = 16, the last 10% at η/10; label noise flips each label to
 * another class with probability 0.2, fresh each step; momentum at equal η/(1−β).
 */
export const FASHION_MNIST_ADVERSARIAL_SETTINGS = {
  quick: { n: 256, nTest: 2000, seeds: 3, randomLabelSteps: 8000, gdSteps: 300, phaseSteps: 3000, records: 4, probes: 10 },
  full: { n: 256, nTest: 10000, seeds: 3, randomLabelSteps: 30000, gdSteps: 300, phaseSteps: 20000, records: 10, probes: 20 },
  hidden: 128,
  replicas: 10,
  zeroFraction: 0.1,
  randomLabelLr: 0.1,
  randomLabelBatch: 64,
  gdLr: 0.05,
  sgdLr: 0.1,
  batch: 16,
  /** The last decayFraction of each compared run uses η·decayFactor (every arm alike). */
  decayFraction: 0.1,
  decayFactor: 0.1,
  flipProb: 0.2,
  momentum: 0.9,
  /** Share of the gap (adversarial start → baseline) label noise must close, per seed and in the median. */
  gapTarget: 0.8,
} as const satisfies { quick: FashionMnistAdversarialSize; full: FashionMnistAdversarialSize } & Record<string, unknown>;

/**
 * The paper's escape experiment (its Figures 3 and 4) on Fashion-MNIST: label-noise SGD vs
 * plain SGD from an adversarial start and from a full-batch-GD start, against minibatch SGD
 * from random initialisation, and label noise with heavy-ball momentum; median of the seeds.
 * Needs `apt-get install dataset-fashion-mnist` (or --data-dir); without it the experiment
 * stops with ExperimentError DATASET_MISSING.
 */
export const fashionMnistAdversarial: Experiment = {
  name: 'fashion-mnist-adversarial',
  description:
    "MLP on Fashion-MNIST from the paper's adversarial start and a full-batch start: label-noise SGD (p = 0.2, β = 0 and 0.9) vs plain SGD vs the SGD baseline",
  run: async (ctx: ExperimentContext): Promise<ExperimentOutcome> => {
    const s = FASHION_MNIST_ADVERSARIAL_SETTINGS;
    return runFashionMnistAdversarial(ctx, ctx.quick ? s.quick : s.full);
  },
};

/** A squared-loss view of a classification set: one-hot targets; the labels (and the classification set) kept for noise and accuracy. */
interface OneHotSet {
  readonly ds: Dataset;
  readonly labels: Int32Array;
  readonly classes: Dataset;
}

interface Measurement {
  readonly trainAcc: number;
  readonly testAcc: number;
  readonly trace: number;
  readonly traceErr: number;
}

type StartName = 'random init' | 'full-batch start' | 'adversarial start';

/** One compared run: where it starts, label noise or not, momentum. */
interface Arm {
  readonly name: string;
  readonly start: StartName;
  readonly flipProb: number;
  readonly beta: number;
}

const S = FASHION_MNIST_ADVERSARIAL_SETTINGS;
const ARM = {
  baseline: 'baseline: SGD from random init',
  fullPlain: 'full-batch start: plain SGD',
  fullNoise: 'full-batch start: label-noise SGD',
  advPlain: 'adversarial start: plain SGD',
  advNoise: 'adversarial start: label-noise SGD',
  advMomentum: `adversarial start: label-noise SGD, β = ${S.momentum}`,
} as const;
const ARMS: readonly Arm[] = [
  { name: ARM.baseline, start: 'random init', flipProb: 0, beta: 0 },
  { name: ARM.fullPlain, start: 'full-batch start', flipProb: 0, beta: 0 },
  { name: ARM.fullNoise, start: 'full-batch start', flipProb: S.flipProb, beta: 0 },
  { name: ARM.advPlain, start: 'adversarial start', flipProb: 0, beta: 0 },
  { name: ARM.advNoise, start: 'adversarial start', flipProb: S.flipProb, beta: 0 },
  { name: ARM.advMomentum, start: 'adversarial start', flipProb: S.flipProb, beta: S.momentum },
];

/** What one seed produced: the starts, each arm's last measurement, the memorisation accuracy. */
interface SeedResult {
  readonly seed: number;
  readonly starts: ReadonlyMap<StartName, Measurement>;
  readonly finals: ReadonlyMap<string, Measurement>;
  readonly randomLabelAccuracy: number;
}

/**
 * The experiment at an explicit size (the CLI passes the quick or full one; tests a tiny one).
 *
 * @param ctx quick flag (ignored here: `size` decides), progress callback, data directory.
 * @param size the sizes to run at.
 */
export async function runFashionMnistAdversarial(ctx: ExperimentContext, size: FashionMnistAdversarialSize): Promise<ExperimentOutcome> {
  const dir = ctx.dataDir ?? FASHION_MNIST_DEFAULT_DIR;
  let data: DataSplit;
  try {
    data = loadFashionMnist(dir);
  } catch (err: unknown) {
    if (err instanceof DataError && err.code === 'FILE_NOT_FOUND') {
      throw new ExperimentError(
        'DATASET_MISSING',
        `fashion-mnist-adversarial needs Fashion-MNIST in ${dir}: run \`apt-get install dataset-fashion-mnist\` (or pass --data-dir). ${err.message}`,
        { cause: err },
      );
    }
    throw err;
  }
  await initBackend({ request: 'auto' });
  const trainClasses = head(data.train, size.n);
  const train = oneHot(trainClasses);
  const test = oneHot(head(data.test, size.nTest));
  const models = {
    regression: createModel('mlp', { sizes: [784, S.hidden, 10], activation: 'relu', task: 'regression' }),
    classifier: createModel('mlp', { sizes: [784, S.hidden, 10], activation: 'relu', task: 'classification' }),
  };
  const model = models.regression;
  const lossAndGradient = createBatchLossAndGradient(model);
  const perSeed = size.randomLabelSteps + 2 * size.gdSteps + ARMS.length * size.phaseSteps;
  const progress = progressCounter(ctx, size.seeds * perSeed);

  // SGD (heavy ball v ← g + βv, θ ← θ − ηv, as torch.optim.SGD) with optional flip noise.
  const run = (o: {
    theta: Float32Array;
    set: OneHotSet;
    lr: number;
    batch: number;
    steps: number;
    seed: number;
    flipProb: number;
    beta: number;
    phase: string;
    decay: boolean;
    onRecord?: (k: number, t: Float32Array) => void;
    recordAt?: ReadonlySet<number>;
  }): Float32Array => {
    const theta = Float32Array.from(o.theta);
    const velocity = new Float32Array(theta.length);
    const onStep = progress(o.phase);
    const noise = flipNoise({ flipProb: Math.max(o.flipProb, 1e-12), numClasses: 10 });
    const all = Int32Array.from({ length: o.set.ds.n }, (_, i) => i);
    const decayFrom = o.decay ? Math.round(o.steps * (1 - S.decayFraction)) : o.steps;
    for (let k = 0; k < o.steps; k++) {
      const idx = o.batch >= o.set.ds.n ? all : batchIndices({ seed: o.seed, step: k, globalBatch: o.batch, n: o.set.ds.n });
      const clean = gatherLabels(o.set.labels, idx);
      const labels = o.flipProb > 0 ? applyClassificationNoise(noise, { labels: clean, sampleIndices: idx, step: k, seed: o.seed }) : clean;
      const { grad } = lossAndGradient(theta, { x: gatherRows(o.set.ds, idx), y: oneHotRows(labels), size: idx.length });
      const lr = k >= decayFrom ? o.lr * S.decayFactor : o.lr;
      for (let j = 0; j < theta.length; j++) {
        velocity[j] = grad[j] + o.beta * velocity[j];
        theta[j] -= lr * velocity[j];
      }
      onStep(k + 1);
      if (o.onRecord !== undefined && o.recordAt?.has(k + 1) === true) o.onRecord(k + 1, theta);
    }
    return theta;
  };

  // tr∇²L of the clean training loss on the whole training set, by Hutchinson (same probes at every θ).
  const traceIdx = evalBatchIndices({ seed: 0, n: train.ds.n, size: train.ds.n });
  const traceBatch = { x: gatherRows(train.ds, traceIdx), y: oneHotRows(gatherLabels(train.labels, traceIdx)), size: traceIdx.length };
  const measure = (theta: Float32Array): Measurement => {
    // Differences of the gradient with the ReLU masks frozen at θ: a plain difference crosses kinks and inflates the trace.
    const x = tf.tensor2d(traceBatch.x, [traceBatch.size, 784]);
    const y = tf.tensor2d(traceBatch.y, [traceBatch.size, 10]);
    const frozen = createFrozenKinkGradient(model, { theta, x, y });
    let tr: { trace: number; stderr: number };
    try {
      tr = hutchinsonTrace(finiteDifferenceHvp({ gradient: frozen.gradient, theta }), {
        dim: model.numParams,
        seed: 0,
        maxProbes: size.probes,
        minProbes: size.probes,
      });
    } finally {
      frozen.dispose();
      tf.dispose([x, y]);
    }
    return { trainAcc: accuracy(models.classifier, theta, train), testAcc: accuracy(models.classifier, theta, test), trace: tr.trace, traceErr: tr.stderr };
  };

  const series: Row[] = [];
  const recordEvery = size.phaseSteps / size.records;
  const recordAt = new Set(Array.from({ length: size.records }, (_, i) => Math.round((i + 1) * recordEvery)));
  const results: SeedResult[] = [];
  for (let seed = 0; seed < size.seeds; seed++) {
    const init = model.init(seed);
    const replicas = oneHot(adversarialReplicas(trainClasses, { seed, replicas: S.replicas, zeroFraction: S.zeroFraction }));
    const memorised = run({
      theta: init,
      set: replicas,
      lr: S.randomLabelLr,
      batch: S.randomLabelBatch,
      steps: size.randomLabelSteps,
      seed,
      flipProb: 0,
      beta: 0,
      decay: false,
      phase: `seed ${seed}: adversarial start, random labels`,
    });
    const randomLabelAccuracy = accuracy(models.classifier, memorised, replicas);
    const gd = (theta: Float32Array, phase: string): Float32Array =>
      run({ theta, set: train, lr: S.gdLr, batch: train.ds.n, steps: size.gdSteps, seed, flipProb: 0, beta: 0, decay: false, phase });
    const startTheta = new Map<StartName, Float32Array>([
      ['random init', init],
      ['full-batch start', gd(init, `seed ${seed}: full-batch start`)],
      ['adversarial start', gd(memorised, `seed ${seed}: adversarial start, true labels`)],
    ]);
    const starts = new Map<StartName, Measurement>([...startTheta].map(([k, t]) => [k, measure(t)]));
    const finals = new Map<string, Measurement>();
    for (const arm of ARMS) {
      const theta0 = startTheta.get(arm.start) as Float32Array;
      const push = (k: number, m: Measurement): void => {
        finals.set(arm.name, m);
        series.push({
          seed,
          arm: arm.name,
          step: k,
          train_accuracy: m.trainAcc,
          test_accuracy: m.testAcc,
          trace_hessian: m.trace,
          trace_hessian_stderr: m.traceErr,
        });
      };
      push(0, starts.get(arm.start) as Measurement);
      run({
        theta: theta0,
        set: train,
        lr: S.sgdLr * (1 - arm.beta),
        batch: S.batch,
        steps: size.phaseSteps,
        seed,
        flipProb: arm.flipProb,
        beta: arm.beta,
        decay: true,
        phase: `seed ${seed}: ${arm.name}`,
        recordAt,
        onRecord: (k, t) => push(k, measure(t)),
      });
    }
    results.push({ seed, starts, finals, randomLabelAccuracy });
  }
  return summarise({ size, results, series, trainN: train.ds.n, testN: test.ds.n });
}

/** Per-seed arrays, their medians, the criteria, the charts and the report. */
function summarise(o: {
  readonly size: FashionMnistAdversarialSize;
  readonly results: readonly SeedResult[];
  readonly series: readonly Row[];
  readonly trainN: number;
  readonly testN: number;
}): ExperimentOutcome {
  const { size, results, series } = o;
  const n = { trainN: o.trainN, testN: o.testN };
  const fin = (arm: string, f: keyof Measurement): number[] => results.map((r) => (r.finals.get(arm) as Measurement)[f]);
  const st = (start: StartName, f: keyof Measurement): number[] => results.map((r) => (r.starts.get(start) as Measurement)[f]);
  const advStart = st('adversarial start', 'testAcc');
  const baseline = fin(ARM.baseline, 'testAcc');
  const noisy = fin(ARM.advNoise, 'testAcc');
  const plain = fin(ARM.advPlain, 'testAcc');
  // Share of the gap closed: (end − start)/(baseline − start); null where the start is no worse than the baseline.
  const closed = (end: readonly number[]): (number | null)[] =>
    end.map((e, i) => (baseline[i] > advStart[i] ? (e - advStart[i]) / (baseline[i] - advStart[i]) : null));
  const gapNoise = closed(noisy);
  const gapPlain = closed(plain);
  const traceAdvStart = st('adversarial start', 'trace');
  const traceNoise = fin(ARM.advNoise, 'trace');
  const tracePlain = fin(ARM.advPlain, 'trace');
  const traceMomentum = fin(ARM.advMomentum, 'trace');
  const med = (xs: readonly (number | null)[]): number | null => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length === xs.length && v.length > 0 ? median(v) : null;
  };
  const reaches = (xs: readonly (number | null)[]): boolean => xs.every((x) => x !== null && x >= S.gapTarget) && (med(xs) ?? -Infinity) >= S.gapTarget;
  const traceFalls = traceNoise.every((t, i) => t < traceAdvStart[i]);
  const noiseMeets = reaches(gapNoise) && traceFalls;
  const plainMeets = reaches(gapPlain);
  const momentumLower = traceMomentum.every((t, i) => t < traceNoise[i]);
  // The paper's third panel: test accuracy against tr∇²L over every recorded iterate of every arm and seed.
  const points = series.filter((r) => typeof r['trace_hessian'] === 'number' && r['trace_hessian'] > 0);
  const corr = correlation(
    points.map((r) => Math.log(r['trace_hessian'] as number)),
    points.map((r) => r['test_accuracy'] as number),
  );
  const summary = {
    test_accuracy_adversarial_start: med(advStart),
    test_accuracy_baseline: med(baseline),
    test_accuracy_label_noise: med(noisy),
    test_accuracy_plain: med(plain),
    gap_closed_label_noise: med(gapNoise),
    gap_closed_plain: med(gapPlain),
    test_accuracy_adversarial_start_per_seed: advStart,
    test_accuracy_baseline_per_seed: baseline,
    test_accuracy_label_noise_per_seed: noisy,
    test_accuracy_plain_per_seed: plain,
    gap_closed_label_noise_per_seed: gapNoise,
    gap_closed_plain_per_seed: gapPlain,
    trace_hessian_adversarial_start: med(traceAdvStart),
    trace_hessian_label_noise: med(traceNoise),
    trace_hessian_plain: med(tracePlain),
    trace_hessian_baseline: med(fin(ARM.baseline, 'trace')),
    trace_hessian_momentum: med(traceMomentum),
    trace_hessian_no_momentum: med(traceNoise),
    trace_hessian_adversarial_start_per_seed: traceAdvStart,
    trace_hessian_label_noise_per_seed: traceNoise,
    trace_hessian_plain_per_seed: tracePlain,
    trace_hessian_momentum_per_seed: traceMomentum,
    test_accuracy_momentum: med(fin(ARM.advMomentum, 'testAcc')),
    test_accuracy_full_batch_start: med(st('full-batch start', 'testAcc')),
    test_accuracy_label_noise_from_full_batch: med(fin(ARM.fullNoise, 'testAcc')),
    test_accuracy_plain_from_full_batch: med(fin(ARM.fullPlain, 'testAcc')),
    train_accuracy_adversarial_start: med(st('adversarial start', 'trainAcc')),
    random_label_train_accuracy: med(results.map((r) => r.randomLabelAccuracy)),
    correlation_test_accuracy_log_trace: corr,
    label_noise_closes_gap: noiseMeets,
    plain_closes_gap: plainMeets,
    momentum_lowers_trace: momentumLower,
    seeds: results.length,
    train_samples: n.trainN,
    test_samples: n.testN,
    steps: size.phaseSteps,
    flip_prob: S.flipProb,
    eta: S.sgdLr,
    momentum: S.momentum,
    global_batch: S.batch,
    loss: 'squared (one-hot targets)',
  };

  const bands = (field: string): ReturnType<typeof medianBands> => medianBands(series, { series: 'arm', x: 'step', field });
  const charts = [
    {
      name: 'test-accuracy',
      spec: bandChart({
        title: 'Test accuracy (median and min/max over seeds)',
        values: bands('test_accuracy'),
        xTitle: 'step',
        yTitle: 'test accuracy',
        seriesTitle: 'arm',
      }),
    },
    {
      name: 'trace-hessian',
      spec: bandChart({
        title: 'tr∇²L of the clean training loss (median and min/max over seeds)',
        values: bands('trace_hessian'),
        xTitle: 'step',
        yTitle: 'tr∇²L (log scale)',
        seriesTitle: 'arm',
        logY: true,
      }),
    },
    {
      name: 'accuracy-vs-trace',
      spec: scatterChart({
        title: 'Test accuracy against tr∇²L, every recorded iterate',
        values: points,
        x: { field: 'trace_hessian', title: 'tr∇²L (log scale)', log: true },
        y: { field: 'test_accuracy', title: 'test accuracy' },
        color: 'arm',
      }),
    },
  ];
  const pct = (x: number | null): string => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
  const pcts = (xs: readonly (number | null)[]): string => xs.map(pct).join(', ');
  const num = (x: number | null): string => (x === null ? 'n/a' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
  const nums = (xs: readonly number[]): string => xs.map(num).join(', ');
  const table = ARMS.map((arm) => ({
    arm: arm.name,
    test_accuracy: med(fin(arm.name, 'testAcc')),
    test_accuracy_min: Math.min(...fin(arm.name, 'testAcc')),
    test_accuracy_max: Math.max(...fin(arm.name, 'testAcc')),
    train_accuracy: med(fin(arm.name, 'trainAcc')),
    trace_hessian: med(fin(arm.name, 'trace')),
  }));
  const startTable = (['random init', 'full-batch start', 'adversarial start'] as const).map((start) => ({
    start,
    test_accuracy: med(st(start, 'testAcc')),
    train_accuracy: med(st(start, 'trainAcc')),
    trace_hessian: med(st(start, 'trace')),
  }));
  const seedsList = results.map((r) => r.seed).join(', ');
  const report = `# Fashion-MNIST: escaping an adversarial start with label noise

MLP 784-${S.hidden}-10 (ReLU) on the first ${n.trainN} Fashion-MNIST training images, tested on ${n.testN} test images, squared loss ½‖f(x) − e_y‖² on one-hot targets. Seeds ${seedsList}; every number is the median over seeds, bands and ranges the min/max.

Starts, per seed:
- **adversarial start**, built as in Damian, Ma & Lee's code (after Liu et al. 2020): ${S.replicas} copies of the training images, each copy with ${pct(S.zeroFraction)} of its pixels set to 0 (drawn per copy) and a uniformly random label; ${size.randomLabelSteps.toLocaleString('en-US')} SGD steps (η = ${S.randomLabelLr}, B = ${S.randomLabelBatch}) memorise them (median ${pct(summary.random_label_train_accuracy)} of the random labels fitted); then ${size.gdSteps} full-batch GD steps (η = ${S.gdLr}) on the true labels;
- **full-batch start**: the same ${size.gdSteps} full-batch GD steps from the random initialisation;
- **random init** for the baseline.

Each arm then runs ${size.phaseSteps.toLocaleString('en-US')} SGD steps with B = ${S.batch}, η = ${S.sgdLr} (the last ${pct(S.decayFraction)} at η·${S.decayFactor}). Label noise flips each label to a uniformly drawn other class with probability ${S.flipProb}, fresh every step. The momentum arm uses heavy-ball β = ${S.momentum} at η = ${S.sgdLr}·(1 − β) = ${num(S.sgdLr * (1 - S.momentum))}, the same η/(1 − β) and the same flip probability, so the same λ = ησ²/(B(1 − β)).

tr∇²L is the trace of the Hessian of the clean training loss on all ${n.trainN} training samples: Hutchinson with ${size.probes} Rademacher probes (the same probes at every point), Hessian-vector products by central differences of gradients with the ReLU masks frozen at θ.

## Starts

${markdownTable(startTable)}
## Result

${markdownTable(table)}
Gap closed = (final − start)/(baseline − start) in test accuracy, from the adversarial start to the minibatch-SGD baseline.

- Adversarial start: ${pcts(advStart)} per seed; baseline: ${pcts(baseline)}.
- Label-noise SGD ends at ${pcts(noisy)}, closing ${pcts(gapNoise)} of the gap (median ${pct(summary.gap_closed_label_noise)}); tr∇²L ${nums(traceAdvStart)} at the start → ${nums(traceNoise)}.
- Plain SGD ends at ${pcts(plain)}, closing ${pcts(gapPlain)} (median ${pct(summary.gap_closed_plain)}); tr∇²L → ${nums(tracePlain)}.
- Criterion (label noise closes ≥ ${pct(S.gapTarget)} of the gap in the median and on every seed, with tr∇²L falling): **${noiseMeets ? 'met' : 'not met'}**; plain SGD ${plainMeets ? '**also meets it**' : 'does not meet it'}.
- Momentum: tr∇²L ${nums(traceMomentum)} with β = ${S.momentum} against ${nums(traceNoise)} with β = 0 (${momentumLower ? 'lower on every seed' : '**not lower on every seed**'}); test accuracy ${pct(summary.test_accuracy_momentum)} against ${pct(summary.test_accuracy_label_noise)}.
- Correlation of test accuracy with log tr∇²L over all ${points.length} recorded iterates: ${corr.toFixed(2)}.

${markdownChart('test-accuracy', 'Test accuracy over steps, median and min/max over seeds, per arm')}
${markdownChart('trace-hessian', 'Trace of the Hessian over steps, median and min/max over seeds, per arm')}
${markdownChart('accuracy-vs-trace', 'Test accuracy against the trace of the Hessian for every recorded iterate')}
## Why the squared loss

Under cross-entropy the training loss has no minimizer: plain SGD keeps growing the logits, the softmax saturates and tr∇²L of the clean loss falls for that reason alone, while label noise holds the predicted probabilities near 0.8 and keeps the curvature; an earlier cross-entropy version of this experiment showed no effect for that reason. The squared loss on one-hot targets has real global minimizers, the setting of the theory.

Files: \`results.jsonl\` / \`results.csv\` (one row per seed, arm and record), \`summary.json\`.
`;
  return { experiment: 'fashion-mnist-adversarial', summary, series, charts, report };
}

/**
 * The random-label training set of the adversarial start: `replicas` copies of `ds`, each
 * copy with round(zeroFraction·784) distinct pixels set to 0 and a uniformly random label.
 *
 * @param ds the classification training set.
 * @param o seed (draws from RngDomain.RANDOM_LABELS), number of copies, share of zeroed pixels.
 */
export function adversarialReplicas(ds: Dataset, o: { readonly seed: number; readonly replicas: number; readonly zeroFraction: number }): Dataset {
  const row = ds.x.length / ds.n;
  const n = ds.n * o.replicas;
  const x = new Float32Array(n * row);
  const y = new Int32Array(n);
  const zeroed = Math.round(o.zeroFraction * row);
  const rng = new CounterRng(o.seed, RngDomain.RANDOM_LABELS);
  for (let i = 0; i < n; i++) {
    const src = i % ds.n;
    x.set(ds.x.subarray(src * row, (src + 1) * row), i * row);
    const pixels = rng.permutation(row, i, 1);
    for (let j = 0; j < zeroed; j++) x[i * row + pixels[j]] = 0;
    y[i] = rng.randomInt(ds.numClasses, i, 2);
  }
  return { ...ds, name: `${ds.name}+adversarial-replicas`, n, x, y };
}

/** The first n samples of a data set (views, no copies). */
function head(ds: Dataset, n: number): Dataset {
  const m = Math.min(n, ds.n);
  const row = ds.x.length / ds.n;
  return { ...ds, n: m, x: ds.x.subarray(0, m * row), y: ds.y.subarray(0, m * ds.yDim) };
}

/** A classification set as a 10-output regression set with one-hot targets. */
function oneHot(ds: Dataset): OneHotSet {
  const labels = Int32Array.from(ds.y);
  return { ds: { ...ds, task: 'regression', yDim: 10, y: oneHotRows(labels) }, labels, classes: ds };
}

function oneHotRows(labels: Int32Array): Float32Array {
  const y = new Float32Array(labels.length * 10);
  for (let i = 0; i < labels.length; i++) y[i * 10 + labels[i]] = 1;
  return y;
}

function gatherLabels(labels: Int32Array, idx: Int32Array): Int32Array {
  const out = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = labels[idx[i]];
  return out;
}

function gatherRows(ds: Dataset, idx: Int32Array): Float32Array {
  const row = ds.x.length / ds.n;
  const out = new Float32Array(idx.length * row);
  for (let i = 0; i < idx.length; i++) out.set(ds.x.subarray(idx[i] * row, (idx[i] + 1) * row), i * row);
  return out;
}

/**
 * Accuracy (argmax of the outputs against the clean labels). `classifier` is the same MLP
 * with a classification head: same parameter layout, and its argmax is the squared-loss model's.
 */
function accuracy(classifier: Model, theta: Float32Array, set: OneHotSet): number {
  return evaluate(classifier, theta, { ds: set.classes }).metric;
}
