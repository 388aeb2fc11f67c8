import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../init_backend';
import { randomArray } from '../internal/testing';
import { installWasmFastPaths, uninstallWasmFastPaths } from '../wasm/fast_paths/install';

/** One measurement: a workload on the stock wasm kernels or with our fast paths. */
export interface BenchRow {
  workload: string;
  variant: 'stock' | 'fast';
  /** Median milliseconds per call. */
  ms: number;
  /** Useful floating-point work per second (multiply-add = 2), when defined. */
  gflops?: number;
}

/** Options of {@link runMatmulBench}. */
export interface BenchOptions {
  /** Timed repetitions per workload (default 5; the median is reported). */
  reps?: number;
}

interface Workload {
  name: string;
  flops?: number;
  /** Builds inputs once and returns the timed function (it must not leak). */
  setup: () => () => void;
  /** Skip the stock variant (stock wasm cannot run it at all). */
  fastOnly?: boolean;
}

function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomArray(tf.util.sizeFromShape(shape), seed), shape);
}

/** Runs a kernel directly and reads the result, so the timing includes the work. */
function kernelCall(name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): () => void {
  return () => {
    const out = tf.engine().runKernel<tf.Tensor>(name, inputs, attrs);
    out.dataSync();
    out.dispose();
  };
}

/** The 784-512-10 MLP training step of the throughput issue, at batch 256. */
function mlpStep(): () => void {
  const x = randomTensor([256, 784], 1);
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: 256 }, (_, i) => i % 10),
      'int32',
    ),
    10,
  );
  const weights = [randomTensor([784, 512], 2).mul(0.05), tf.zeros([512]), randomTensor([512, 10], 3).mul(0.05), tf.zeros([10])];
  const loss = (...w: tf.Tensor[]): tf.Scalar => {
    const [w1, b1, w2, b2] = w as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    return tf.losses.softmaxCrossEntropy(labels, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2));
  };
  return () => {
    tf.tidy(() => {
      tf.grads(loss)(weights).forEach((g) => g.dataSync());
    });
  };
}

/** A small CNN step (28×28×1, batch 64): conv16 → relu → maxPool → conv32/2 → relu → mean → dense. */
function cnnStep(): () => void {
  const x = randomTensor([64, 28, 28, 1], 4);
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: 64 }, (_, i) => i % 10),
      'int32',
    ),
    10,
  );
  const weights = [randomTensor([3, 3, 1, 16], 5).mul(0.3), randomTensor([3, 3, 16, 32], 6).mul(0.1), randomTensor([32, 10], 7).mul(0.2)];
  const loss = (w1: tf.Tensor, w2: tf.Tensor, w3: tf.Tensor): tf.Scalar => {
    const h1 = tf.maxPool(tf.relu(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 1, 'same')), 2, 2, 'valid');
    const h2 = tf.relu(tf.conv2d(h1, w2 as tf.Tensor4D, 2, 'same'));
    return tf.losses.softmaxCrossEntropy(labels, tf.matMul(tf.mean(h2, [1, 2]), w3));
  };
  return () => {
    tf.tidy(() => {
      tf.grads(loss)(weights).forEach((g) => g.dataSync());
    });
  };
}

function workloads(): Workload[] {
  const [m, k, n] = [256, 784, 512];
  const matmuls: Workload[] = (
    [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const
  ).map(([ta, tb]) => ({
    name: `matMul ${m}x${k}·${k}x${n} tA=${ta} tB=${tb}`,
    flops: 2 * m * k * n,
    setup: () =>
      kernelCall(
        tf.BatchMatMul,
        {
          a: randomTensor(ta ? [1, k, m] : [1, m, k], 8),
          b: randomTensor(tb ? [1, n, k] : [1, k, n], 9),
        },
        { transposeA: ta, transposeB: tb },
      ),
  }));
  // Shapes of the CNN's second convolution, at both strides.
  const convs = ([1, 2] as const).flatMap((s): Workload[] => {
    const xShape: [number, number, number, number] = [64, 28, 28, 16];
    const filterShape: [number, number, number, number] = [3, 3, 16, 32];
    const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, s, 1, 'same');
    const flops = 2 * tf.util.sizeFromShape(info.outShape) * 3 * 3 * 16;
    const label = `x 64x28x28x16, W 3x3x16x32, stride ${s}`;
    const x = (): tf.Tensor => randomTensor(xShape, 10);
    const dy = (): tf.Tensor => randomTensor(info.outShape, 11);
    const w = (): tf.Tensor => randomTensor(filterShape, 12);
    return [
      {
        name: `Conv2D ${label}`,
        flops,
        setup: () => kernelCall(tf.Conv2D, { x: x(), filter: w() }, { strides: s, pad: 'same', dataFormat: 'NHWC', dilations: 1 }),
      },
      {
        name: `Conv2DBackpropFilter ${label}`,
        flops,
        fastOnly: true,
        setup: () => kernelCall(tf.Conv2DBackpropFilter, { x: x(), dy: dy() }, { strides: s, pad: 'same', dataFormat: 'NHWC', filterShape }),
      },
      {
        name: `Conv2DBackpropInput ${label}`,
        flops,
        setup: () => kernelCall(tf.Conv2DBackpropInput, { dy: dy(), filter: w() }, { strides: s, pad: 'same', dataFormat: 'NHWC', inputShape: xShape }),
      },
    ];
  });
  return [
    { name: 'MLP 784-512-10 step, B=256 (tf.grads)', setup: mlpStep },
    { name: 'CNN step 28x28x1, B=64 (tf.grads)', setup: cnnStep },
    ...matmuls,
    ...convs,
  ];
}

function medianMs(f: () => void, reps: number): number {
  f();
  f(); // warm-up: XNNPACK operator creation, V8 tier-up
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

/**
 * Measures stock wasm kernels against the fast paths side by side, in one
 * process: each workload runs with the fast paths removed, then installed.
 * Stock means tfjs-backend-wasm as shipped plus our missing kernels
 * (Conv2DBackpropFilter has no stock version; it is measured once, as "fast").
 *
 * @param options.reps Timed repetitions per workload (median reported).
 * @returns One row per workload and variant.
 * @example
 * const rows = await runMatmulBench({ reps: 3 });
 */
export async function runMatmulBench(options: BenchOptions = {}): Promise<BenchRow[]> {
  const reps = options.reps ?? 5;
  await initBackend({ request: 'wasm' });
  const rows: BenchRow[] = [];
  for (const w of workloads()) {
    for (const variant of w.fastOnly === true ? (['fast'] as const) : (['stock', 'fast'] as const)) {
      if (variant === 'stock') uninstallWasmFastPaths();
      else installWasmFastPaths();
      const before = tf.memory().numTensors;
      const inputs: { run?: () => void } = {};
      const ms = tf.tidy(() => {
        // Inputs are made inside the tidy so they are freed with it.
        inputs.run = w.setup();
        return medianMs(inputs.run, reps);
      });
      if (tf.memory().numTensors !== before) throw new Error(`runMatmulBench: '${w.name}' leaked tensors`);
      rows.push(w.flops === undefined ? { workload: w.name, variant, ms } : { workload: w.name, variant, ms, gflops: w.flops / ms / 1e6 });
    }
  }
  installWasmFastPaths();
  return rows;
}

/** Formats rows as a fixed-width table. */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const width = Math.max(...rows.map((r) => r.workload.length));
  const lines = [`${'workload'.padEnd(width)}  variant       ms  GFLOP/s`];
  for (const r of rows) {
    const gflops = r.gflops === undefined ? '' : r.gflops.toFixed(1).padStart(8);
    lines.push(`${r.workload.padEnd(width)}  ${r.variant.padEnd(7)} ${r.ms.toFixed(2).padStart(8)} ${gflops}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const rows = await runMatmulBench();
  // A benchmark's output is its table: write it, not log it.
  process.stdout.write(`${formatBenchTable(rows)}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exitCode = 1;
  });
}
