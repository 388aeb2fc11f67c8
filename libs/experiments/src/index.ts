export type { Experiment, ExperimentChart, ExperimentContext, ExperimentOutcome, ExperimentProgress, ExperimentSummary } from './experiment';
export { ExperimentError, EXPERIMENT_ERROR_CODES } from './experiment-error';
export type { ExperimentErrorCode } from './experiment-error';
export { EXPERIMENTS, experimentNames, getExperiment } from './registry';
export { writeExperimentOutputs } from './write-outputs';
export type { ExperimentFiles } from './write-outputs';
export { sparseRecovery, SPARSE_RECOVERY_SETTINGS } from './sparse-recovery';
export { escape, ESCAPE_SETTINGS } from './escape';
export { edgeOfStability, EDGE_OF_STABILITY_SETTINGS } from './edge-of-stability';
export { parseGrid, GRID_AXES } from './study/grid';
export type { Grid, GridAxis } from './study/grid';
export { planStudy, runIdOf } from './study/study-plan';
export type { StudyMode, StudyPlanOptions, StudyPoint } from './study/study-plan';
export type { StudyRow } from './study/study-row';
export { runStudy, STUDY_RESULTS_FILE } from './study/run-study';
export type { RunStudyOptions, StudyOutcome, StudyProgress, StudyRunner } from './study/run-study';
export { writeStudyReport, meanOverSeeds } from './study/study-report';
export type { StudyConfigMean, StudyReportFiles } from './study/study-report';
export { uvToy, UV_TOY_SETTINGS } from './uv-toy';
export { regularizedTrajectory, REGULARIZED_TRAJECTORY_SETTINGS } from './regularized-trajectory';
export { fashionMnistAdversarial, FASHION_MNIST_ADVERSARIAL_SETTINGS } from './fashion-mnist-adversarial';
export {
  parseTarget,
  stepsToTarget,
  bootstrapMedian,
  fitCriticalBatch,
  estimateCriticalBatch,
  DEFAULT_BOOTSTRAP_REPLICATES,
  DEFAULT_BOOTSTRAP_SEED,
} from './study/time-to-target';
export type { TrajectoryPoint, Target, BootstrapMedian, StepsAtBatch, CriticalBatchFit, CriticalBatchEstimate } from './study/time-to-target';
export { analyseTimeToTarget, formatTimeToTarget, stepsToTargetChart, writeTimeToTargetReport } from './study/time-to-target-report';
export type { TimeToTarget, TargetResult, BatchFamily, ConfigTimeToTarget } from './study/time-to-target-report';
export { writeTrajectory, readTrajectory, trajectoryPath, TRAJECTORY_DIR } from './study/trajectory-file';
export { largeBatch, LARGE_BATCH_SETTINGS, LARGE_BATCH_ARMS } from './large-batch';
export type { LargeBatchArm } from './large-batch';
export { momentum, MOMENTUM_SETTINGS, MOMENTUM_ARMS } from './momentum';
export type { MomentumArm } from './momentum';
