import { checkHyper, requireParams } from './internal/check';
import { fromInPlace } from './internal/in-place';
import type { EmptyState, InPlaceTransformation } from './transformation';

/** A layer's slice [offset, offset + size) of the flat parameter vector. */
export interface LayerSlice {
  readonly offset: number;
  readonly size: number;
}

/** Options of {@link scaleByTrustRatio}. */
export interface TrustRatioOptions {
  /** Non-overlapping layer slices; entries outside every slice pass unchanged. */
  readonly layers: readonly LayerSlice[];
  /** Trust coefficient τ (default 1). */
  readonly trustCoefficient?: number;
  /** ε added to the update norm (default 0). */
  readonly eps?: number;
}

/**
 * LARS's layer-wise trust ratio (You, Gitman, Ginsburg 2017; optax
 * `scale_by_trust_ratio`): for each layer l, u_l ← u_l · τ‖θ_l‖ / (‖u_l‖ + ε),
 * or u_l unchanged where ‖θ_l‖ or ‖u_l‖ is 0 (fresh zero-initialised layers).
 *
 * @param opts layers, τ and ε.
 * @example scaleByTrustRatio({ layers: [{ offset: 0, size: 784 * 512 }, { offset: 784 * 512, size: 512 }] })
 */
export function scaleByTrustRatio(opts: TrustRatioOptions): InPlaceTransformation<EmptyState> {
  const fn = 'scaleByTrustRatio';
  const { trustCoefficient = 1, eps = 0 } = opts;
  checkHyper(fn, { name: 'trustCoefficient', value: trustCoefficient, min: 0 });
  checkHyper(fn, { name: 'eps', value: eps, min: 0 });
  const layers = checkLayers(fn, opts.layers);
  const end = layers.reduce((m, l) => Math.max(m, l.offset + l.size), 0);
  const checkCover = (n: number, what: string) => {
    if (end > n) throw new RangeError(`${fn}: layers reach index ${end} but ${what}.length is ${n}`);
  };
  return fromInPlace<EmptyState>({
    name: fn,
    // Per-layer norms: a layer's ratio needs all of the layer (run after the last part).
    elementwise: false,
    init(params) {
      checkCover(params.length, 'params');
      return {};
    },
    inPlace(u, _state, { params }) {
      const theta = requireParams(fn, { updates: u, params });
      checkCover(u.length, 'updates');
      for (const { offset, size } of layers) {
        let pp = 0;
        let uu = 0;
        for (let i = offset; i < offset + size; i++) {
          pp += theta[i] * theta[i];
          uu += u[i] * u[i];
        }
        if (pp === 0 || uu === 0) continue;
        const ratio = (trustCoefficient * Math.sqrt(pp)) / (Math.sqrt(uu) + eps);
        for (let i = offset; i < offset + size; i++) u[i] = ratio * u[i];
      }
    },
  });
}

function checkLayers(fn: string, layers: readonly LayerSlice[]): LayerSlice[] {
  const sorted = layers.map((l) => ({ offset: l.offset, size: l.size })).sort((a, b) => a.offset - b.offset);
  let prevEnd = 0;
  for (const l of sorted) {
    if (!Number.isInteger(l.offset) || l.offset < 0 || !Number.isInteger(l.size) || l.size < 0) {
      throw new RangeError(`${fn}: a layer needs integer offset >= 0 and size >= 0, got {offset: ${l.offset}, size: ${l.size}}`);
    }
    if (l.offset < prevEnd) throw new RangeError(`${fn}: layers overlap at offset ${l.offset}`);
    prevEnd = l.offset + l.size;
  }
  return sorted;
}
