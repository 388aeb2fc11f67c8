import { presetDefaults, type Hyper } from './hyper_table';

/**
 * Named training set-ups with documented defaults. A preset fixes the model and
 * its data; the CLI may override any hyper-parameter in `defaults`.
 */

/** Where a preset's data comes from. Synthetic kinds need no download. */
export type DataSpec =
  | { readonly kind: 'uv-toy'; readonly n: number; readonly nTest: number }
  | { readonly kind: 'quadratic-sparse'; readonly d: number; readonly k: number; readonly n: number; readonly nTest: number }
  | { readonly kind: 'linreg-diag'; readonly d: number }
  | {
      readonly kind: 'teacher-classification';
      readonly n: number;
      readonly nTest: number;
      readonly inputShape: readonly number[];
      readonly numClasses: number;
    }
  | { readonly kind: 'fashion-mnist'; readonly dir: string }
  | { readonly kind: 'cifar10'; readonly dir: string };

/** Which zoo model a preset trains, with its constructor options. */
export interface ModelSpec {
  readonly name: 'uv-toy' | 'quadratic-sparse' | 'linreg-diag' | 'mlp' | 'cnn-small' | 'resnet18';
  readonly options?: Readonly<Record<string, unknown>>;
}

/** Hyper-parameters a run may override (one row each in the parameter table). */
export type { Hyper } from './hyper_table';

export interface Preset {
  readonly name: string;
  readonly description: string;
  readonly model: ModelSpec;
  readonly data: DataSpec;
  readonly defaults: Hyper;
}

/**
 * The presets. Defaults were chosen by measurement on a 2-core CPU (see docs/algorithm.md, Presets):
 * uv-toy's λ = ησ²/B = 0.1·0.25/8 ≈ 3.1e-3 moves (u, v) = (4, 0.25) to the flat
 * minimizer |u| = |v| = 1 within 20k steps while keeping the stationary spread of
 * ‖θ‖ around √2 below ±0.1.
 */
export const PRESETS: readonly Preset[] = [
  {
    name: 'uv-toy',
    description: 'f(x) = u·v·x from the sharp minimizer (4, 0.25); label noise drives it to |u| = |v| = 1',
    model: { name: 'uv-toy' },
    data: { kind: 'uv-toy', n: 1024, nTest: 1024 },
    defaults: presetDefaults({ steps: 20000, lr: 0.1, batch: 8, sigma: 0.5 }),
  },
  {
    name: 'quadratic-sparse',
    description: 'HaoChen et al. 2020: f(x) = <v⊙v, x>, d = 100, 5-sparse teacher, n = 40, v0 = 1',
    model: { name: 'quadratic-sparse' },
    data: { kind: 'quadratic-sparse', d: 100, k: 5, n: 40, nTest: 1000 },
    defaults: presetDefaults({ steps: 20000, lr: 0.01, batch: 40, sigma: 1 }),
  },
  {
    name: 'linreg-diag',
    description: 'calibration: linear regression whose Hessian is exactly diag(k/d), d = 1000',
    model: { name: 'linreg-diag' },
    data: { kind: 'linreg-diag', d: 1000 },
    defaults: presetDefaults({ steps: 100, lr: 1, batch: 1000, sigma: 0 }),
  },
  {
    name: 'mlp',
    description: 'MLP 784-512-10 on a synthetic 10-class teacher set (no download), flip noise p = 0.2',
    model: { name: 'mlp', options: { sizes: [784, 512, 10] } },
    data: { kind: 'teacher-classification', n: 8192, nTest: 2048, inputShape: [784], numClasses: 10 },
    defaults: presetDefaults({ steps: 300, lr: 0.1, batch: 256, sigma: 0, flipProb: 0.2 }),
  },
  {
    name: 'mlp-fashion',
    description: 'MLP 784-512-10 on Fashion-MNIST (apt-get install dataset-fashion-mnist), flip noise p = 0.2',
    model: { name: 'mlp', options: { sizes: [784, 512, 10] } },
    data: { kind: 'fashion-mnist', dir: '/usr/share/datasets/fashion-mnist' },
    defaults: presetDefaults({ steps: 2000, lr: 0.1, batch: 256, sigma: 0, flipProb: 0.2 }),
  },
  {
    name: 'cnn-small',
    description: 'small CNN (2 conv + dense) on a synthetic 28×28×1 teacher set, flip noise p = 0.2',
    model: { name: 'cnn-small', options: { inputShape: [28, 28, 1], numClasses: 10 } },
    data: { kind: 'teacher-classification', n: 4096, nTest: 1024, inputShape: [28, 28, 1], numClasses: 10 },
    defaults: presetDefaults({ steps: 100, lr: 0.05, batch: 64, sigma: 0, flipProb: 0.2 }),
  },
  {
    name: 'resnet18-cifar',
    description: 'ResNet-18 (CIFAR form, GroupNorm) on CIFAR-10 binary files; meant for GPU workers',
    model: { name: 'resnet18', options: { width: 64, numClasses: 10 } },
    data: { kind: 'cifar10', dir: 'data/cifar-10-batches-bin' },
    defaults: presetDefaults({ steps: 50000, lr: 0.1, batch: 256, sigma: 0, flipProb: 0.2, momentum: 0.9, weightDecay: 5e-4, warmupSteps: 500 }),
  },
];

/** The names of all presets, for help texts and validation. */
export const presetNames: readonly string[] = PRESETS.map((p) => p.name);

/**
 * Looks up a preset by name.
 *
 * @param name a preset name, e.g. 'uv-toy'.
 * @throws Error listing the valid names when the name is unknown.
 */
export function getPreset(name: string): Preset {
  const p = PRESETS.find((q) => q.name === name);
  if (p === undefined) {
    throw new Error(`getPreset: unknown preset '${name}'; valid presets: ${presetNames.join(', ')}`);
  }
  return p;
}
