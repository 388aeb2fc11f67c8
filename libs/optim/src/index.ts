export { implicitRegularizationStrength, implicitRegularizerOfEigenvalue, stabilityThreshold } from './regularizer';
export type { RegularizerHyper, StrengthHyper } from './regularizer';

export type { EmptyState, GradientTransformation, InPlaceRange, InPlaceTransformation, OptimizerState, StateOf } from './transformation';
export { cloneOptimizerState } from './clone-state';
export { inPlaceOf } from './internal/in-place';
export { chain } from './chain';
export type { ChainState } from './chain';
export { identity } from './identity';
export { scale } from './scale';
export { scaleByLearningRate } from './scale-by-learning-rate';
export type { ScaleByLearningRateState } from './scale-by-learning-rate';
export { heavyBall } from './heavy-ball';
export type { HeavyBallState } from './heavy-ball';
export { addDecayedWeights } from './add-decayed-weights';
export { scaleByTrustRatio } from './scale-by-trust-ratio';
export type { LayerSlice, TrustRatioOptions } from './scale-by-trust-ratio';
export { clipByGlobalNorm } from './clip-by-global-norm';
export { applyUpdates, applyUpdatesInPlace } from './apply-updates';

export type { Schedule } from './schedules/schedule';
export { constantSchedule } from './schedules/constant';
export { linearWarmup } from './schedules/linear-warmup';
export type { LinearWarmupOptions } from './schedules/linear-warmup';
export { cosineDecay } from './schedules/cosine-decay';
export type { CosineDecayOptions } from './schedules/cosine-decay';
export { warmupCosine } from './schedules/warmup-cosine';
export type { WarmupCosineOptions } from './schedules/warmup-cosine';
export { stepDecay } from './schedules/step-decay';
export type { StepDecayOptions } from './schedules/step-decay';
export { joinSchedules } from './schedules/join';

export { sgd } from './sgd';
export type { SgdOptions, SgdState } from './sgd';
export { sgdInPlace } from './sgd-in-place';
export type { SgdInPlace, SgdInPlaceStepArgs, SgdInPlaceStepResult, WeightedGradient } from './sgd-in-place';
export { lars } from './lars';
export type { LarsOptions, LarsState } from './lars';
export { OPTIMIZER_DEFAULTS, OPTIMIZER_NAMES, SCHEDULE_NAMES, fusedKernelFor, optimizerFromSpec } from './recipe';
export type { FusedKernelOptions, OptimizerSpec } from './recipe';
export { SgdArena } from './wasm/sgd_arena';

export { decodeOptimizerState, encodeOptimizerState } from './state-codec';
