export { PRESETS, presetNames, getPreset } from './presets';
export type { Preset, Hyper, DataSpec, ModelSpec } from './presets';
export { resolveRunConfig, presetTask, ConfigError } from './run_config';
export type { RunConfig } from './run_config';
export { trainInProcess, defaultSharpnessEvery } from './train_inprocess';
export type { TrainOptions } from './train_inprocess';
export type { TrajectoryRecord } from './trajectory_record';
export type {
  TrainEvent,
  StartEvent,
  ProgressEvent,
  FinalSharpnessEvent,
  LatestSharpness,
  NoiseCovarianceFields,
  TrainSummary,
  TrainSummaryCore,
} from './train_events';
export { TrainingError, TRAINING_ERROR_CODES } from './training_error';
export type { TrainingErrorCode } from './training_error';
export { paramsDigest } from './params_digest';
export type { ParamsDigest } from './params_digest';
export { evaluate, batchLabels } from './evaluate';
export type { Evaluation } from './evaluate';
export { loadPresetData } from './preset_data';
export { DEFAULT_RELATIVE_STEP, measureSharpness, measureSharpnessToTarget, sharpnessFieldsOf, worstRelativeError } from './measure_sharpness';
export type { SharpnessFields, SharpnessBudget, SharpnessProgress, SharpnessTarget, SharpnessTargetOutcome } from './measure_sharpness';
export { readParamsFile, readParamsFileHeader, writeParamsFile, ParamsFileError } from './params_file';
export type { ParamsFileHeader } from './params_file';
export { createNoisyGradient } from './noisy_gradient';
export { createNoiseCovarianceTrace, noiseCovarianceFields, NOISE_COVARIANCE_CLASSIFICATION_REASON } from './noise_covariance_trace';
export type { NoiseCovarianceTrace, NoiseCovarianceTraceOptions } from './noise_covariance_trace';
export type { NoisyGradient, NoisyGradientOptions, ShareOf } from './noisy_gradient';
export { summarizeRun, runLambda } from './run_summary';
export type { RunOutcome } from './run_summary';
export { makeLabelNoiser } from './label_noiser';
export type { LabelNoiser } from './label_noiser';
export { parseRunFile, runFileFromEnv, workerRankFromEnv, shardFromEnv, statefulSetOrdinal, RUN_FILE_KEYS } from './deploy_env';
export type { RunFile } from './deploy_env';
export { runWorker } from './worker_loop';
export type { ClusterProgressEvent, ClusterSummary, RunWorkerOptions, WorkerEvent, WorkerLoopConfig } from './worker_loop';
export {
  PARAM_TABLE,
  PARAM_ROWS,
  HYPER_KEYS,
  hyperSchema,
  partialHyperSchema,
  flagOf,
  rangeText,
  runSpecFields,
  hyperFromRunSpec,
  paramTableMarkdown,
} from './hyper_table';
export type { ParamRow, ParamKey, ValueType, PresetHyper, RunSpecFields } from './hyper_table';
export { paramOption, paramOptions, finiteNumber, tableRowOf, tableOptionProblems } from './hyper_options';
export { createHvpExecutor, evalChunks, DEFAULT_HVP_CHUNKS } from './hvp_executor';
export type { EvalChunks, HvpExecutor } from './hvp_executor';
export { inProcessRounds, measureSharpnessByRounds } from './distributed_sharpness';
export type { HvpRoundRunner } from './distributed_sharpness';
export { HVP_HOST_SILENT_EXIT, HVP_PING_MS, HVP_SILENT_PINGS, hvpRoundWorkerScript, serveHvpRounds } from './hvp_round_worker';
export type { HvpRoundWorkerArgs } from './hvp_round_worker_process';
export type { HvpRoundWorker } from './hvp_round_worker';
export { measureSharpnessOverRounds, widestRoundBlock } from './estimate_over_rounds';
