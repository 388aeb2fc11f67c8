/**
 * The label-noise models of Algorithm 1 (Damian, Ma, Lee 2021) as plain data, so
 * a run's configuration can be logged, compared and sent over the wire.
 */

/** Regression: y ← y + ε with ε ∈ {−σ, +σ} equally likely (the paper's default). */
export type RademacherNoise = { readonly kind: 'rademacher'; readonly sigma: number };

/** Regression: y ← y + ε with ε ~ N(0, σ²). */
export type GaussianNoise = { readonly kind: 'gaussian'; readonly sigma: number };

/**
 * Classification: with probability `flipProb` the label is replaced by a class
 * drawn uniformly from the `numClasses − 1` other classes (never itself).
 */
export type FlipNoise = { readonly kind: 'flip'; readonly flipProb: number; readonly numClasses: number };

/** No noise: plain SGD. Valid for regression and classification. */
export type NoNoise = { readonly kind: 'none' };

/** Noise for real-valued labels. */
export type RegressionNoise = RademacherNoise | GaussianNoise | NoNoise;

/** Noise for integer class labels. */
export type ClassificationNoise = FlipNoise | NoNoise;

/** Any label-noise model; switch on `kind`. */
export type LabelNoise = RademacherNoise | GaussianNoise | FlipNoise | NoNoise;
