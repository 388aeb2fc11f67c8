import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, setWasmGemmEnabled, setWasmGemmFma } from '@lnsgd/backend';
import { createBatchLossAndGradient, createModel, type Model, type ModelName } from '@lnsgd/models';
import { resolveRunConfig, trainInProcess } from '@lnsgd/trainer';
import type { Suite } from '../suite';

/**
 * Where a step runs: tfjs-wasm with our fast paths (MatMul on our GEMM, FMA
 * where relaxed SIMD compiles), the same with the GEMM's SIMD128 multiply and
 * add, with the fast paths but MatMul on XNNPACK (the previous fast path), or
 * as shipped; pure-JS tfjs, the host float64 path, or PyTorch.
 */
type Engine = 'wasm' | 'wasm-nofma' | 'wasm-xnnpack' | 'wasm-stock' | 'cpu' | 'host' | 'torch';

/** One workload of the suite: a zoo model at a batch size, and the engines it runs on. */
interface Workload {
  readonly label: string;
  readonly model: ModelName;
  readonly batch: number;
  readonly engines: readonly Engine[];
  /** Timed steps per repetition, by engine (slow engines get fewer). */
  readonly steps: Readonly<Partial<Record<Engine, number>>>;
  /** Engines too slow to repeat: timed once, in the first repetition, after one warm-up step. */
  readonly once?: readonly Engine[];
  /** The reference script's model name, when PyTorch runs this workload. */
  readonly torchModel?: 'mlp' | 'cnn';
}

type ComputeRow = {
  readonly workload: string;
  readonly engine: Engine;
  readonly ms_per_step: number | null;
  readonly samples_per_s: number | null;
  readonly vs_torch: number | null;
  readonly vs_wasm_stock: number | null;
};

const TORCH_INSTALL = 'apt-get install python3-torch libopenblas0-pthread';

function workloads(quick: boolean): Workload[] {
  return [
    {
      label: 'mlp 784-512-10, B=256',
      model: 'mlp',
      batch: 256,
      engines: ['wasm', 'wasm-nofma', 'wasm-xnnpack', 'wasm-stock', 'cpu', 'torch'],
      steps: { wasm: quick ? 5 : 10, 'wasm-nofma': quick ? 5 : 10, 'wasm-xnnpack': quick ? 5 : 10, 'wasm-stock': 3, cpu: quick ? 1 : 2, torch: quick ? 5 : 10 },
      torchModel: 'mlp',
    },
    {
      label: 'cnn-small 28x28x1, B=64',
      model: 'cnn-small',
      batch: 64,
      // The cpu backend takes ~10-30 s per CNN step: once, and only in full runs.
      engines: quick ? ['wasm', 'wasm-stock', 'torch'] : ['wasm', 'wasm-stock', 'cpu', 'torch'],
      steps: { wasm: quick ? 5 : 10, 'wasm-stock': quick ? 2 : 3, cpu: 1, torch: quick ? 5 : 10 },
      once: ['cpu'],
      torchModel: 'cnn',
    },
    {
      label: 'uv-toy, B=8',
      model: 'uv-toy',
      batch: 8,
      engines: ['host', 'wasm', 'cpu'],
      steps: { host: 20000, wasm: 300, cpu: 300 },
    },
    {
      label: 'quadratic-sparse d=100, B=40',
      model: 'quadratic-sparse',
      batch: 40,
      engines: ['host', 'wasm', 'cpu'],
      steps: { host: 5000, wasm: 300, cpu: 300 },
    },
  ];
}

/** Deterministic uniform floats in [-1, 1) (mulberry32): inputs for the timed steps. */
function uniformArray(size: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

/** A training step of `model` at batch `batch` through the trainer's hot path (θ on the host). */
function makeStep(model: Model, opts: { batch: number; host: boolean }): () => void {
  const lossAndGradient = createBatchLossAndGradient(model, { path: opts.host ? 'auto' : 'tfjs' });
  const theta = model.init(1);
  const features = model.inputShape.reduce((a, b) => a * b, 1);
  const x = uniformArray(opts.batch * features, 2);
  const y =
    model.task === 'classification' ? Int32Array.from({ length: opts.batch }, (_, i) => i % model.numClasses) : uniformArray(opts.batch * model.outputSize, 3);
  return () => {
    lossAndGradient(theta, { x, y, size: opts.batch });
  };
}

/** Median ms per call of `step` over `steps` timed calls, after `warmup` untimed ones. */
function timeSteps(step: () => void, counts: { steps: number; warmup: number }): number {
  const { steps, warmup } = counts;
  for (let i = 0; i < warmup; i++) step(); // XNNPACK operator creation, V8 tier-up
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Brings up the engine's tfjs backend (the fast paths on or off); the host path needs none. */
async function selectEngine(engine: Exclude<Engine, 'torch'>): Promise<void> {
  setWasmGemmEnabled(engine !== 'wasm-xnnpack');
  setWasmGemmFma(engine !== 'wasm-nofma');
  if (engine === 'cpu') {
    await initBackend({ request: 'cpu' });
  } else {
    await initBackend({ request: 'wasm', fastPaths: engine !== 'wasm-stock' });
  }
}

/** A Python that imports torch: $LNSGD_TORCH_PYTHON, python3 on PATH, then Debian's /usr/bin/python3. */
function findTorchPython(): string | null {
  const candidates = [process.env['LNSGD_TORCH_PYTHON'], 'python3', '/usr/bin/python3'].filter((c): c is string => c !== undefined && c !== '');
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
    if (r.status === 0) return python;
  }
  return null;
}

/** The reference script, beside the sources (the build does not copy .py files). */
const TORCH_SCRIPT = resolve(__dirname, '..', '..', 'src', 'torch', 'compute_ref.py');

/** Environment of the PyTorch subprocess: one thread, and OpenBLAS left to detect the CPU itself. */
function torchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  // A CORETYPE or L2 size pinned for another machine slows OpenBLAS down; unset for this command alone.
  delete env['OPENBLAS_CORETYPE'];
  delete env['OPENBLAS_L2_SIZE'];
  return env;
}

/** Median ms per PyTorch step, from one run of the reference script. */
function timeTorch(python: string, spec: { model: 'mlp' | 'cnn'; batch: number; steps: number }): { ms: number; version: string } {
  const r = spawnSync(python, [TORCH_SCRIPT, JSON.stringify({ ...spec, warmup: 3 })], {
    env: torchEnv(),
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) {
    throw new Error(`compute: the PyTorch reference (${python} ${TORCH_SCRIPT}) failed with status ${String(r.status)}: ${r.stderr}`);
  }
  const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { ms?: number[]; torch?: string; threads?: number };
  if (out.threads !== 1) throw new Error(`compute: the PyTorch reference ran on ${String(out.threads)} threads, not 1`);
  return { ms: median(out.ms ?? []), version: out.torch ?? '?' };
}

/** Medians over repetitions, each a median over steps; engines interleaved within each repetition. */
async function measureWorkload(w: Workload, ctx: { reps: number; python: string | null; log: (l: string) => void }): Promise<Map<Engine, number>> {
  const model = createModel(w.model, {});
  const perEngine = new Map<Engine, number[]>();
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const engine of w.engines) {
      const steps = w.steps[engine] ?? 5;
      const once = w.once?.includes(engine) === true;
      if (once && rep > 0) continue;
      let ms: number;
      if (engine === 'torch') {
        if (ctx.python === null || w.torchModel === undefined) continue;
        ms = timeTorch(ctx.python, { model: w.torchModel, batch: w.batch, steps }).ms;
      } else {
        await selectEngine(engine);
        const before = tf.memory().numTensors;
        ms = timeSteps(makeStep(model, { batch: w.batch, host: engine === 'host' }), { steps, warmup: once ? 1 : 2 });
        if (tf.memory().numTensors !== before) throw new Error(`compute: '${w.label}' on ${engine} leaked tensors`);
      }
      perEngine.set(engine, [...(perEngine.get(engine) ?? []), ms]);
    }
    ctx.log(`${w.label}: repetition ${rep + 1}/${ctx.reps}`);
  }
  await selectEngine('wasm');
  return new Map([...perEngine].map(([engine, times]) => [engine, median(times)]));
}

/** Steps per second of the whole in-process trainer loop (data, noise, gradient, optimizer) on uv-toy. */
async function uvToyTrainerStepsPerSecond(steps: number): Promise<number> {
  const config = resolveRunConfig('uv-toy', { steps });
  const summary = await trainInProcess({ config, backend: 'wasm', sharpness: false, evalSize: 64 });
  return summary.steps / summary.wall_s;
}

function round(x: number | null | undefined, digits: number): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toPrecision(digits));
}

/**
 * `npm run bench -- compute`: ms per training step and samples/s of the MLP, the
 * small CNN and the tiny models on every backend here (wasm with and without the
 * fast paths, pure-JS cpu, the host float64 path), and PyTorch on one thread on
 * the same shapes, batch and loss when it is installed; engines are interleaved
 * within each repetition and the median of the repetitions is reported.
 */
export const computeSuite: Suite = {
  name: 'compute',
  description: 'ms/step and samples/s: MLP, small CNN, tiny models on wasm (fast/XNNPACK MatMul/stock), cpu, and PyTorch (1 thread)',
  async run({ quick, log }) {
    // The machines are shared: the load average says how far apart runs can be compared.
    const loadStart = loadavg()[0] ?? NaN;
    const reps = quick ? 2 : 5;
    const python = existsSync(TORCH_SCRIPT) ? findTorchPython() : null;
    const torchVersion = python === null ? null : timeTorch(python, { model: 'mlp', batch: 8, steps: 1 }).version;
    log(python === null ? `PyTorch not found (${TORCH_INSTALL})` : `PyTorch ${torchVersion ?? '?'} via ${python}, 1 thread`);
    const rows: ComputeRow[] = [];
    const results = new Map<ModelName, Map<Engine, number>>();
    for (const w of workloads(quick)) {
      const times = await measureWorkload(w, { reps, python, log });
      results.set(w.model, times);
      const torch = times.get('torch');
      const stock = times.get('wasm-stock');
      for (const engine of w.engines) {
        const ms = times.get(engine);
        rows.push({
          workload: w.label,
          engine,
          ms_per_step: round(ms, 4),
          samples_per_s: round(ms === undefined ? null : (1000 * w.batch) / ms, 4),
          vs_torch: round(ms === undefined || torch === undefined || engine === 'torch' ? null : ms / torch, 3),
          vs_wasm_stock: round(ms === undefined || stock === undefined || engine !== 'wasm' ? null : ms / stock, 3),
        });
      }
    }
    const trainerSteps = quick ? 20000 : 100000;
    log(`uv-toy: trainInProcess for ${trainerSteps} steps`);
    const uvToySteps = await uvToyTrainerStepsPerSecond(trainerSteps);
    const mlp = results.get('mlp');
    const cnn = results.get('cnn-small');
    const uv = results.get('uv-toy');
    const loadEnd = loadavg()[0] ?? NaN;
    const ratio = (t: Map<Engine, number> | undefined): number | null => round((t?.get('wasm') ?? NaN) / (t?.get('torch') ?? NaN), 3);
    return {
      rows,
      summary: {
        mlp_step_ms_wasm: round(mlp?.get('wasm'), 4),
        mlp_step_ms_torch: round(mlp?.get('torch'), 4),
        mlp_ratio_vs_torch: ratio(mlp),
        cnn_step_ms_wasm: round(cnn?.get('wasm'), 4),
        cnn_step_ms_torch: round(cnn?.get('torch'), 4),
        cnn_ratio_vs_torch: ratio(cnn),
        mlp_step_ms_wasm_nofma: round(mlp?.get('wasm-nofma'), 4),
        mlp_step_ms_wasm_xnnpack: round(mlp?.get('wasm-xnnpack'), 4),
        mlp_step_ms_wasm_stock: round(mlp?.get('wasm-stock'), 4),
        cnn_step_ms_wasm_stock: round(cnn?.get('wasm-stock'), 4),
        uvtoy_step_us_host: round(1000 * (uv?.get('host') ?? NaN), 4),
        uvtoy_step_us_wasm: round(1000 * (uv?.get('wasm') ?? NaN), 4),
        uvtoy_trainer_steps_per_s: round(uvToySteps, 4),
        torch_version: torchVersion,
        load_avg_1m_start: round(loadStart, 3),
        load_avg_1m_end: round(loadEnd, 3),
      },
      notes: [
        `A step is the trainer's hot path: upload θ, forward, mean loss, gradient of θ, one read-back of [gradient, loss]; median of ${reps} repetitions, each the median of its timed steps, engines interleaved (cpu on the CNN: one step).`,
        'wasm: tfjs-backend-wasm (SIMD, one thread) with the fast paths of @lnsgd/backend (MatMul on its own wasm-SIMD GEMM, FMA through relaxed SIMD where it compiles); wasm-nofma: the same GEMM with SIMD128 multiplies and adds; wasm-xnnpack: the same fast paths with MatMul on XNNPACK (explicit transposes; the weights re-packed every step); wasm-stock: as shipped plus the kernels it lacks; cpu: pure-JS tfjs; host: the exact float64 path of the tiny models (no tfjs).',
        `1-minute load average ${loadStart.toFixed(2)} at the start, ${loadEnd.toFixed(2)} at the end (2 cores: above ~1 the times and ratios are inflated, PyTorch's more than wasm's).`,
        python === null
          ? `torch: not installed, so its columns are empty. Install the reference with \`${TORCH_INSTALL}\` (Debian 12); the bench unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for that subprocess alone.`
          : `torch: PyTorch ${torchVersion ?? '?'} (${python}), torch.set_num_threads(1), OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset for that subprocess alone; same shapes, batch and loss (CNN in NCHW), gradients by torch.autograd.grad.`,
        `uv-toy trainInProcess (batches, label noise, host gradient, SGD, ${trainerSteps} steps): ${Math.round(uvToySteps)} steps/s.`,
      ],
    };
  },
};
