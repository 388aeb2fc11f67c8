import type { Hvp } from './hvp';
import { axpy, dot, norm } from './internal/vector';

/** What {@link hvpError} measures along one direction. */
export interface HvpErrorEstimate {
  /** Estimated ‖(H_ε − H)u‖ for the HVP `hvp` along u (unscaled u). */
  readonly norm: number;
  /** Estimated |uᵀ(H_ε − H)u|. */
  readonly quadratic: number;
  /** Hu as `hvp` gave it (so callers need not apply it again). */
  readonly hu: Float64Array;
}

/**
 * The error of a finite-difference HVP H_ε along u, measured at run time against the
 * same difference at half the step, H_{ε/2}. With truncation c·ε² and rounding r/ε,
 * the difference H_ε u − H_{ε/2} u is (3/4)·cε²·u when truncation dominates and at
 * least r/ε when rounding does, so (4/3)·‖H_ε u − H_{ε/2} u‖ estimates ‖(H_ε − H)u‖
 * from above in either regime (an overestimate by up to √5·4/3 when rounding
 * dominates). Two HVPs.
 *
 * @param hvp the HVP at step ε.
 * @param half the same HVP at step ε/2.
 * @param u the direction.
 * @example hvpError(fdHvp(eps), fdHvp(eps / 2), q).norm / Math.abs(lambda) // relative error along q
 */
export function hvpError(hvp: Hvp, half: Hvp, u: Float64Array): HvpErrorEstimate {
  const hu = hvp(u);
  return hvpErrorFrom(u, hu, half(u));
}

/** {@link hvpError} from products already taken: H_ε u and H_{ε/2} u (e.g. in blocks). */
export function hvpErrorFrom(u: Float64Array, hu: Float64Array, halfU: Float64Array): HvpErrorEstimate {
  const diff = Float64Array.from(halfU);
  axpy(-1, hu, diff);
  return { norm: (4 / 3) * norm(diff), quadratic: (4 / 3) * Math.abs(dot(u, diff)), hu };
}
