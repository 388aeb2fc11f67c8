/**
 * The paper's implicit-regularization formulas (Damian, Ma, Lee 2021), as pure
 * scalar functions. Spectral estimators (libs/sharpness) apply them per eigenvalue.
 */

/** Hyper-parameters that set the regularizer's shape. */
export interface RegularizerHyper {
  /** Learning rate η > 0. */
  readonly eta: number;
  /** Heavy-ball momentum β ∈ [0, 1); 0 for plain SGD. */
  readonly beta?: number;
}

/** Hyper-parameters that set the regularizer's strength λ. */
export interface StrengthHyper extends RegularizerHyper {
  /** Label-noise standard deviation σ ≥ 0. */
  readonly sigma: number;
  /** Global batch size B ≥ 1. */
  readonly batchSize: number;
}

function checkHyper(fn: string, h: RegularizerHyper): number {
  const beta = h.beta ?? 0;
  if (!(h.eta > 0) || !Number.isFinite(h.eta)) {
    throw new RangeError(`${fn}: eta must be a finite number > 0, got ${h.eta}`);
  }
  if (!(beta >= 0 && beta < 1)) {
    throw new RangeError(`${fn}: beta must lie in [0, 1), got ${beta}`);
  }
  return beta;
}

/**
 * Regularization strength λ = η σ² / (B (1 − β)).
 *
 * @param h η, σ, B and β.
 * @example implicitRegularizationStrength({eta: 0.1, sigma: 1, batchSize: 10}) // 0.01
 */
export function implicitRegularizationStrength(h: StrengthHyper): number {
  const beta = checkHyper('implicitRegularizationStrength', h);
  if (!(h.sigma >= 0) || !Number.isFinite(h.sigma)) {
    throw new RangeError(`implicitRegularizationStrength: sigma must be finite and >= 0, got ${h.sigma}`);
  }
  if (!(h.batchSize >= 1) || !Number.isInteger(h.batchSize)) {
    throw new RangeError(`implicitRegularizationStrength: batchSize must be an integer >= 1, got ${h.batchSize}`);
  }
  return (h.eta * h.sigma * h.sigma) / (h.batchSize * (1 - beta));
}

/**
 * The eigenvalue at which R(θ) stops being defined and heavy-ball GD stops being
 * stable on a quadratic: h* = 2(1 + β)/η.
 *
 * @param h η and β.
 */
export function stabilityThreshold(h: RegularizerHyper): number {
  const beta = checkHyper('stabilityThreshold', h);
  return (2 * (1 + beta)) / h.eta;
}

/**
 * One eigenvalue's contribution to R(θ):
 *   R(h) = −(1+β)/(2η) · log(1 − η h / (2(1+β)))
 *        = h/4 + η h²/(16(1+β)) + …
 * Returns +Infinity for h ≥ 2(1+β)/η, where the logarithm's argument is ≤ 0: the
 * caller must report such eigenvalues rather than sum them (see sharpness).
 *
 * @param eig an eigenvalue h of ∇²L.
 * @param h η and β.
 * @example implicitRegularizerOfEigenvalue(1, {eta: 1}) // −½·log(½) ≈ 0.3466
 */
export function implicitRegularizerOfEigenvalue(eig: number, h: RegularizerHyper): number {
  const beta = checkHyper('implicitRegularizerOfEigenvalue', h);
  if (Number.isNaN(eig)) throw new RangeError('implicitRegularizerOfEigenvalue: eig must be a number, got NaN');
  const c = 2 * (1 + beta);
  const z = (h.eta * eig) / c;
  if (z >= 1) return Number.POSITIVE_INFINITY;
  // log1p keeps the h/4 leading term exact when η·h is tiny.
  return (-(1 + beta) / (2 * h.eta)) * Math.log1p(-z);
}
