import { chain } from './chain';
import { clipByGlobalNorm } from './clip-by-global-norm';
import { checkHyper } from './internal/check';
import { lars } from './lars';
import type { LayerSlice } from './scale-by-trust-ratio';
import { constantSchedule } from './schedules/constant';
import { cosineDecay } from './schedules/cosine-decay';
import type { Schedule } from './schedules/schedule';
import { sgd } from './sgd';
import { sgdInPlace, type SgdInPlace } from './sgd-in-place';
import type { SgdArena } from './wasm/sgd_arena';
import type { InPlaceTransformation, OptimizerState } from './transformation';

/** The optimizers a run can name. */
export const OPTIMIZER_NAMES = ['sgd', 'lars'] as const;
/** The learning-rate schedules a run can name (warm-up is separate: `warmupSteps`). */
export const SCHEDULE_NAMES = ['constant', 'cosine'] as const;

/**
 * The optimizer fields' defaults: plain SGD, constant η, no clipping, τ of the LARS
 * paper. The run's hyper table and the parameter server both take them from here.
 */
export const OPTIMIZER_DEFAULTS = { optimizer: 'sgd', schedule: 'constant', clipNorm: 0, trustCoefficient: 0.001 } as const;

/**
 * An optimizer as a run names it: the run's hyper-parameters, under the keys of the
 * run config (so a run's `hyper` is one), plus the model's layers for LARS.
 */
export interface OptimizerSpec {
  /** One of {@link OPTIMIZER_NAMES}. */
  readonly optimizer: string;
  /** Peak learning rate η. */
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly warmupSteps: number;
  /** One of {@link SCHEDULE_NAMES}; `cosine` decays η to 0 over `steps`. */
  readonly schedule: string;
  /** The run's length (the cosine schedule's horizon). */
  readonly steps: number;
  /** Clip the gradient to this global ℓ2 norm first; 0: no clipping. */
  readonly clipNorm: number;
  /** LARS trust coefficient τ. */
  readonly trustCoefficient: number;
  /** The model's weight tensors as slices of θ (LARS's layers); required by `lars`. */
  readonly layers?: readonly LayerSlice[];
}

/**
 * The optimizer a run names, as one in-place chain:
 *   [clipByGlobalNorm(clipNorm)] then sgd or lars with η_k = schedule(k) and warm-up.
 * Without clipping the state is exactly `sgd`'s or `lars`'s (checkpoints stay
 * interchangeable with those recipes); with it, `[{}, that state]`.
 *
 * @param spec the run's optimizer hyper-parameters.
 * @throws RangeError naming the field for an unknown optimizer or schedule name, a
 *   missing layer list for LARS, or an out-of-range value.
 * @example optimizerFromSpec({ ...hyper, layers: model.params })
 */
export function optimizerFromSpec(spec: OptimizerSpec): InPlaceTransformation<OptimizerState> {
  const fn = 'optimizerFromSpec';
  checkHyper(fn, { name: 'clipNorm', value: spec.clipNorm, min: 0 });
  const learningRate = scheduleOf(spec);
  const base = ((): InPlaceTransformation<OptimizerState> => {
    const common = { learningRate, momentum: spec.momentum, weightDecay: spec.weightDecay, warmupSteps: spec.warmupSteps };
    switch (spec.optimizer as (typeof OPTIMIZER_NAMES)[number]) {
      case 'sgd':
        return sgd(common);
      case 'lars': {
        if (spec.layers === undefined) throw new RangeError(`${fn}: optimizer 'lars' needs the model's layers (spec.layers)`);
        return lars({ ...common, layers: spec.layers, trustCoefficient: spec.trustCoefficient });
      }
      default:
        throw new RangeError(`${fn}: unknown optimizer '${spec.optimizer}' (known: ${OPTIMIZER_NAMES.join(', ')})`);
    }
  })();
  // The state types differ per recipe; the spec's caller treats it as opaque data.
  return spec.clipNorm > 0 ? chain(clipByGlobalNorm(spec.clipNorm), base) : base;
}

function scheduleOf(spec: OptimizerSpec): Schedule {
  checkHyper('optimizerFromSpec', { name: 'lr', value: spec.lr });
  switch (spec.schedule as (typeof SCHEDULE_NAMES)[number]) {
    case 'constant':
      return constantSchedule(spec.lr);
    case 'cosine':
      return cosineDecay({ init: spec.lr, decaySteps: spec.steps });
    default:
      throw new RangeError(`optimizerFromSpec: unknown schedule '${spec.schedule}' (known: ${SCHEDULE_NAMES.join(', ')})`);
  }
}

/**
 * Fused kernels, registered per recipe: each returns a single-pass kernel that is
 * bit-identical to combining the gradients, running `optimizerFromSpec(spec)` in
 * place and applying the updates (the optimizers' property table checks this), or
 * undefined when the spec is outside what the kernel fuses. Only recipes where a
 * fused kernel measurably pays are listed (`npm run bench -- optim`).
 */
const FUSED_KERNELS: Readonly<Record<string, (spec: OptimizerSpec, kernel: FusedKernelOptions) => SgdInPlace | undefined>> = {
  sgd: (spec, kernel) =>
    spec.clipNorm === 0
      ? sgdInPlace({ learningRate: scheduleOf(spec), momentum: spec.momentum, weightDecay: spec.weightDecay, warmupSteps: spec.warmupSteps }, kernel)
      : undefined,
};

/** Where a fused kernel may run its pass in WebAssembly SIMD (see `sgdInPlace`). */
export interface FusedKernelOptions {
  /** The arena whose vectors get the SIMD pass; absent: the JS loops. */
  readonly arena?: SgdArena;
}

/**
 * The fused kernel registered for this spec's recipe, if any (see FUSED_KERNELS).
 *
 * @param spec as for {@link optimizerFromSpec}.
 * @param kernel optionally, the WebAssembly arena the kernel's SIMD pass works in.
 * @example const fused = fusedKernelFor(hyper) // sgdInPlace for plain SGD, else undefined
 */
export function fusedKernelFor(spec: OptimizerSpec, kernel: FusedKernelOptions = {}): SgdInPlace | undefined {
  return FUSED_KERNELS[spec.optimizer]?.(spec, kernel);
}
