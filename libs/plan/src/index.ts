export { MB, checkTerms, flowShopMakespan, partSizesMB, recommendShards, scaling, stepTime } from './step_model';
export type { Layout, Network, Scaling, ShardAdvice, StepPrediction, StepTerms } from './step_model';
export { fitLine, parseCalibration, termsFromMeasurements, transportCpuOverPath } from './calibration';
export type { Calibration, Measurements, PathEchoSample, RoundTripSample } from './calibration';
