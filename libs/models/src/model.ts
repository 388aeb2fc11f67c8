import type * as tf from '@tensorflow/tfjs';
import type { KinkPolicy } from './kinks';

/** The models of the zoo, by name. */
export const modelNames = ['uv-toy', 'quadratic-sparse', 'linreg-diag', 'mlp', 'cnn-small', 'resnet18'] as const;

/** One of {@link modelNames}. */
export type ModelName = (typeof modelNames)[number];

/** Whether a model regresses real targets or classifies. */
export type ModelTask = 'regression' | 'classification';

/**
 * Where one weight tensor lives in the flat parameter vector θ:
 * `theta[offset, offset + size)` reshaped to `shape` (row-major).
 */
export interface ParamSpec {
  /** Dotted path, e.g. `layer1.0.conv1.kernel`. */
  readonly name: string;
  /** tfjs shape: dense kernels [in, out], conv kernels [kh, kw, in, out]. */
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
}

/**
 * A model as a pure function of a flat float32 parameter vector θ (the unit the
 * parameter server exchanges, optimizers update and sharpness estimators perturb).
 * No state outside θ: no running statistics, no variables.
 *
 * Methods that return tensors allocate them; callers dispose them (or wrap the
 * call in `tf.tidy`). Inputs `x` may be shaped `[B, ...inputShape]` or flattened
 * `[B, prod(inputShape)]`.
 *
 * @example
 * const model = createModel('mlp', { sizes: [784, 128, 10] });
 * const theta = tf.tensor1d(model.init(1));
 * const logits = model.predict(theta, x); // [B, 10]
 */
export interface Model {
  readonly name: ModelName;
  readonly task: ModelTask;
  /** Number of classes; 0 for regression. */
  readonly numClasses: number;
  /** Outputs per sample: regression targets (usually 1), or numClasses logits. */
  readonly outputSize: number;
  /** Shape of one input sample, e.g. [784] or [28, 28, 1]. */
  readonly inputShape: readonly number[];
  /** Layout of θ, one entry per weight tensor, in order, contiguous. */
  readonly params: readonly ParamSpec[];
  /** Length of θ. */
  readonly numParams: number;
  /**
   * A fresh initial θ, deterministic in `seed`.
   * @param seed non-negative safe integer
   */
  init(seed: number): Float32Array;
  /**
   * Outputs `[B, outputSize]`: predictions (regression) or logits (classification).
   * @param theta flat parameters `[numParams]`
   * @param x inputs `[B, ...inputShape]` or `[B, prod(inputShape)]`
   */
  predict(theta: tf.Tensor1D, x: tf.Tensor): tf.Tensor2D;
  /**
   * The training loss: the batch mean of the per-sample loss (documented per model).
   * @param theta flat parameters
   * @param x inputs
   * @param y float32 `[B]` or `[B, outputSize]` targets (regression); int32 `[B]` class ids
   */
  loss(theta: tf.Tensor1D, x: tf.Tensor, y: tf.Tensor): tf.Scalar;
  /**
   * {@link Model.loss} with θ given as its weight tensors, one per {@link Model.params}
   * entry in that entry's shape (what `loss` gets by splitting θ): the same ops on
   * the same values, so the same bits. `createLossAndGradient` differentiates this
   * to skip θ's upload-and-split and the gradient's concat. Optional: models without
   * it go through `loss`.
   * @param weights float32 tensors, `params[i].shape` each
   * @param x inputs
   * @param y targets as for {@link Model.loss}
   */
  lossOfWeights?(weights: readonly tf.Tensor[], x: tf.Tensor, y: tf.Tensor): tf.Scalar;
  /**
   * {@link Model.lossOfWeights} with its ReLUs and max-pools run under `kinks`
   * (see {@link KinkPolicy}): under `freeKinks` the same loss; under a replayed
   * tape the smooth loss with the kinks frozen at the recorded θ. Present on every
   * model that has kinks (mlp, cnn-small, resnet18); smooth models omit it.
   * @param kinks the policy for this forward
   */
  kinkedLossOfWeights?(kinks: KinkPolicy): (weights: readonly tf.Tensor[], x: tf.Tensor, y: tf.Tensor) => tf.Scalar;
  /**
   * The evaluation metric: accuracy in [0, 1] for classification; for regression
   * the model's own loss (same per-sample convention as {@link Model.loss}).
   * @param theta flat parameters
   * @param x inputs
   * @param y targets as for {@link Model.loss}
   */
  metric(theta: tf.Tensor1D, x: tf.Tensor, y: tf.Tensor): tf.Scalar;
  /**
   * Optional exact float64 plain-JS loss and gradient on host arrays, for tiny
   * models where tfjs's per-op overhead (~5–20 µs an op on the cpu backend) would
   * dominate. Must agree with {@link Model.loss}; `createLossAndGradient` uses it
   * unless told `{ path: 'tfjs' }`.
   */
  readonly hostLossAndGradient?: HostLossAndGradient;
}

/** A batch in host memory, laid out like `[B, ...inputShape]` and `[B]`/`[B, outputSize]`. */
export interface HostBatch {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

/**
 * Loss and gradient computed on the host (see {@link Model.hostLossAndGradient}).
 * @param theta flat parameters
 * @param batch inputs and targets
 */
export type HostLossAndGradient = (theta: ArrayLike<number>, batch: HostBatch) => { loss: number; grad: Float32Array };
