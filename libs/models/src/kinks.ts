import * as tf from '@tensorflow/tfjs';

/**
 * How a forward pass treats the model's kinks (ReLU and 2×2 max-pool), the only
 * non-smooth ops of the zoo:
 *
 * - {@link freeKinks}: the ops themselves (training, evaluation);
 * - {@link recordKinks}: the ops themselves, and it records at the current θ which
 *   units are active (ReLU mask) and which input of each window is the maximum;
 * - {@link replayKinks}: relu(z) → z·mask and maxpool(z) → Σ_window z·choice with the
 *   recorded masks, a function that is smooth in θ, equals L near θ (where no sign
 *   or choice changes) and whose Hessian at θ is the a.e. Hessian ∇²L(θ) that
 *   autodiff computes (PyTorch's double backward treats the mask as constant too).
 *
 * Central differences of the replayed loss's gradient therefore have only smooth
 * O(ε²) truncation, never the kink crossings of finite differences of L itself.
 *
 * @example model.kinkedLossOfWeights?.(freeKinks)(weights, x, y) // = model.lossOfWeights(weights, x, y)
 */
export interface KinkPolicy {
  /** relu(z) under this policy. */
  relu(z: tf.Tensor): tf.Tensor;
  /** maxPool(z, 2, 2, 'valid') of NHWC `z` under this policy. */
  maxPool2(z: tf.Tensor4D): tf.Tensor4D;
}

/** The ops themselves. */
export const freeKinks: KinkPolicy = {
  relu: (z) => tf.relu(z),
  maxPool2: (z) => tf.maxPool(z, 2, 2, 'valid'),
};

/** Masks recorded by {@link recordKinks}, kept (outside any tidy) until {@link KinkTape.dispose}. */
export interface KinkTape extends KinkPolicy {
  /** The recorded masks, in call order (float32 0/1 for ReLU; choice weights for max-pool). */
  readonly masks: readonly tf.Tensor[];
  /** Units (ReLU) or windows (max-pool) recorded. */
  readonly count: () => number;
  dispose(): void;
}

/** z cropped to the 2⌊H/2⌋ × 2⌊W/2⌋ part that a 2×2 'valid' pool reads. */
function cropForPool(z: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = z.shape;
  const h2 = 2 * Math.floor(h / 2);
  const w2 = 2 * Math.floor(w / 2);
  return h2 === h && w2 === w ? z : tf.slice(z, [0, 0, 0, 0], [b, h2, w2, c]);
}

/** Σ over each 2×2 window of NHWC `z` (even H, W), by two reshaped sums of rank 3. */
function windowSum(z: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = z.shape;
  const rows = tf.sum(z.reshape([(b * h) / 2, 2, w * c]), 1);
  return tf.sum(rows.reshape([(b * h * w) / 4, 2, c]), 1).reshape([b, h / 2, w / 2, c]);
}

/**
 * A policy that runs the ops and records their masks. Call the forward once at θ
 * (inside tf.tidy is fine: the masks are kept), then hand the tape to
 * {@link replayKinks}; dispose it with the HVP.
 *
 * Max-pool ties (equal maxima, e.g. windows of ReLU zeros) split the choice evenly
 * among the tied inputs, so the replayed pool still returns the maximum.
 */
export function recordKinks(): KinkTape {
  const masks: tf.Tensor[] = [];
  let count = 0;
  return {
    masks,
    count: () => count,
    relu(z) {
      masks.push(tf.keep(tf.tidy(() => tf.step(z))));
      count += z.size;
      return tf.relu(z);
    },
    maxPool2(z) {
      const pooled = tf.maxPool(z, 2, 2, 'valid');
      masks.push(
        tf.keep(
          tf.tidy(() => {
            const zc = cropForPool(z);
            const [, h, w] = zc.shape;
            const up = tf.image.resizeNearestNeighbor(pooled, [h, w]);
            const hit = tf.equal(zc, up).toFloat() as tf.Tensor4D;
            const ties = tf.image.resizeNearestNeighbor(windowSum(hit), [h, w]);
            return tf.div(hit, ties);
          }),
        ),
      );
      count += pooled.size;
      return pooled;
    },
    dispose() {
      tf.dispose(masks);
      masks.length = 0;
    },
  };
}

/**
 * A policy that replays a tape's masks in call order; `rewind()` before each forward.
 * Throws if a forward asks for more kinks than were recorded or for another shape.
 */
export function replayKinks(tape: KinkTape): KinkPolicy & { rewind(): void } {
  let at = 0;
  const next = (z: tf.Tensor, what: string): tf.Tensor => {
    const mask = tape.masks[at];
    if (mask === undefined) throw new Error(`replayKinks: ${what} #${at} was not recorded (${tape.masks.length} masks)`);
    at++;
    return mask;
  };
  const check = (mask: tf.Tensor, z: tf.Tensor, what: string): void => {
    if (mask.shape.join() !== z.shape.join()) {
      throw new Error(`replayKinks: ${what} #${at - 1} recorded shape [${mask.shape.join(', ')}], replayed [${z.shape.join(', ')}]`);
    }
  };
  return {
    rewind() {
      at = 0;
    },
    relu(z) {
      const mask = next(z, 'relu');
      check(mask, z, 'relu');
      return tf.mul(z, mask);
    },
    maxPool2(z) {
      const mask = next(z, 'maxPool2');
      const zc = cropForPool(z);
      check(mask, zc, 'maxPool2');
      return windowSum(tf.mul<tf.Tensor4D>(zc, mask));
    },
  };
}
