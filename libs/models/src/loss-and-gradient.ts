import * as tf from '@tensorflow/tfjs';
import type { Model } from './model';
import { checkBatch } from './internal/check-batch';
import { uploadWeights } from './internal/param-layout';
import { readInto, wasmHeapBackend } from './internal/read-back';

/** What {@link createLossAndGradient}'s function returns. */
export interface LossAndGradient {
  /** Batch-mean loss at θ. */
  readonly loss: number;
  /**
   * ∇_θ loss, length numParams, owned by the caller: freshly allocated each call,
   * or the caller's `gradInto` array when the function was created with one.
   */
  readonly grad: Float32Array;
}

/** θ (host memory) and a batch → loss and gradient; see {@link createLossAndGradient}. */
export type LossAndGradientFn = (theta: Float32Array, x: tf.Tensor, y: tf.Tensor) => LossAndGradient;

/** Options of {@link createLossAndGradient}. */
export interface LossAndGradientOptions {
  /**
   * 'auto' (default): the model's exact host path when it has one
   * ({@link Model.hostLossAndGradient}: uv-toy, quadratic-sparse), else tfjs.
   * 'tfjs': always autodiff through `model.loss`.
   */
  readonly path?: 'auto' | 'tfjs';
  /**
   * How the tfjs path handles θ (default 'weights' when the model has
   * {@link Model.lossOfWeights}): 'weights' uploads each weight tensor from its
   * slice of θ, differentiates `lossOfWeights`, and copies each gradient tensor
   * into the result; 'flat' uploads θ whole, splits it inside `model.loss`, and
   * reads back [concat(gradient), loss]. Both give the same bits; 'flat' is kept
   * as the reference that tests compare 'weights' against.
   */
  readonly theta?: 'weights' | 'flat';
  /**
   * A caller-owned array (length numParams) that every call overwrites with the
   * gradient and returns as `grad`, so a step loop need not allocate 4·numParams
   * bytes a step; the previous call's gradient is gone after the next call.
   * Default: a fresh array each call.
   */
  readonly gradInto?: Float32Array;
}

/**
 * The trainer's hot path: loss and gradient of `model.loss` at a host θ.
 *
 * tfjs path: uploads each weight tensor from its view of θ, runs the engine's
 * gradient over them inside `tf.tidy`, and copies each gradient straight into the
 * result (from the wasm heap on tfjs-wasm; no concat, no split, no ArrayBuffer
 * per read). No tensor outlives the call; `x` and `y` stay owned by the caller.
 * First-order autodiff only. Host path (tiny models): reads x and y back and runs
 * the model's float64 closed form (about 1000x less overhead for uv-toy).
 *
 * @param model any model of the zoo
 * @param options which path to take
 * @example
 * const lossAndGrad = createLossAndGradient(model);
 * const { loss, grad } = lossAndGrad(theta, xBatch, yBatch);
 */
export function createLossAndGradient(model: Model, options: LossAndGradientOptions = {}): LossAndGradientFn {
  const numParams = model.numParams;
  const host = (options.path ?? 'auto') === 'auto' ? model.hostLossAndGradient : undefined;
  const lossOfWeights = options.theta === 'flat' ? undefined : model.lossOfWeights?.bind(model);
  const params = model.params;
  const out = options.gradInto;
  if (out !== undefined && out.length !== numParams) {
    throw new Error(`createLossAndGradient(${model.name}): gradInto must have length ${numParams}, got ${out.length}`);
  }
  return (theta, x, y) => {
    if (theta.length !== numParams) {
      throw new Error(`createLossAndGradient(${model.name}): theta must have length ${numParams}, got ${theta.length}`);
    }
    if (host !== undefined) {
      const r = host(theta, { x: x.dataSync(), y: y.dataSync() });
      if (out === undefined) return r;
      out.set(r.grad);
      return { loss: r.loss, grad: out };
    }
    // Before the tape: a throw inside it would strand the tensors it keeps for backward.
    checkBatch(model, x, y);
    const grad = out ?? new Float32Array(numParams);
    if (lossOfWeights === undefined) return { loss: flatPath(model, { theta, x, y, grad }), grad };
    const weights = uploadWeights(theta, params);
    try {
      // allowNoGradients: a weight the loss does not reach gets `undefined`, not an error.
      const r = tf.engine().gradients(() => lossOfWeights(weights, x, y), weights, undefined, true);
      const value = r.value;
      const grads: (tf.Tensor | undefined)[] = r.grads;
      try {
        const heap = wasmHeapBackend();
        grads.forEach((g, i) => {
          const p = params[i];
          // A weight the loss does not reach has gradient 0 (what the flat path's split gives it).
          if (g === undefined) grad.fill(0, p.offset, p.offset + p.size);
          else readInto(g, { out: grad, offset: p.offset }, heap);
        });
        return { loss: value.dataSync()[0], grad };
      } finally {
        tf.dispose([value, ...grads.filter((g): g is tf.Tensor => g !== undefined)]);
      }
    } finally {
      tf.dispose(weights);
    }
  };
}

/** The reference path: θ uploaded whole and split in `model.loss`; one read of [gradient, loss]. */
function flatPath(model: Model, a: { theta: Float32Array; x: tf.Tensor; y: tf.Tensor; grad: Float32Array }): number {
  const n = model.numParams;
  const packed = tf.tidy(() => {
    const t = tf.tensor1d(a.theta);
    const { value, grad } = tf.valueAndGrad((p: tf.Tensor1D) => model.loss(p, a.x, a.y))(t);
    return tf.concat([grad, value.reshape([1])]);
  });
  try {
    const out = packed.dataSync<'float32'>();
    a.grad.set(out.subarray(0, n));
    return out[n];
  } finally {
    packed.dispose();
  }
}
