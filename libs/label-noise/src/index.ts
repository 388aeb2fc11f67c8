export type {
  ClassificationNoise,
  FlipNoise,
  GaussianNoise,
  LabelNoise,
  NoNoise,
  RademacherNoise,
  RegressionNoise,
} from './label-noise';
export { rademacherNoise } from './rademacher';
export { gaussianNoise } from './gaussian';
export { flipNoise } from './flip';
export type { FlipNoiseOptions } from './flip';
export { noNoise } from './none';
export { applyRegressionNoise } from './apply-regression';
export type { RegressionBatch } from './apply-regression';
export { applyClassificationNoise } from './apply-classification';
export type { ClassificationBatch } from './apply-classification';
export { describeNoise } from './describe';
export { noiseVariance } from './variance';
