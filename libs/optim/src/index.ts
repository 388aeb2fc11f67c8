export {
  implicitRegularizationStrength,
  implicitRegularizerOfEigenvalue,
  stabilityThreshold,
} from './regularizer';
export type { RegularizerHyper, StrengthHyper } from './regularizer';
