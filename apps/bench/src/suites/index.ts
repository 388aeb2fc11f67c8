import type { Suite } from '../suite';
import { computeSuite } from './compute';
import { exchangeSuite } from './exchange';
import { hvpSuite } from './hvp';
import { hvpTruthSuite } from './hvp_truth';
import { metricsOverheadSuite } from './metrics_overhead';
import { optimSuite } from './optim';
import { planSuite } from './plan_validation';
import { sharpnessCalibrationSuite } from './sharpness_calibration';
import { wireDtypeSuite } from './wire_dtype';

/** Every suite `npm run bench` knows, in the order `all` runs them. */
export const SUITES: readonly Suite[] = [
  hvpSuite,
  hvpTruthSuite,
  computeSuite,
  exchangeSuite,
  metricsOverheadSuite,
  sharpnessCalibrationSuite,
  optimSuite,
  planSuite,
  wireDtypeSuite,
];
