export { modelNames } from './model';
export type { HostBatch, HostLossAndGradient, Model, ModelName, ModelTask, ParamSpec } from './model';
export { createModel } from './create-model';
export type { ModelOptionsByName } from './create-model';
export { createLossAndGradient } from './loss-and-gradient';
export type { LossAndGradient, LossAndGradientFn, LossAndGradientOptions } from './loss-and-gradient';

export { createUvToy, uvToyHessian, uvToyLossAndGradient } from './uv-toy';
export type { UvToyOptions } from './uv-toy';
export { createQuadraticSparse, quadraticSparseLossAndGradient } from './quadratic-sparse';
export type { QuadraticSparseOptions } from './quadratic-sparse';
export { createLinregDiag } from './linreg-diag';
export type { LinregDiagOptions } from './linreg-diag';
export { createMlp } from './mlp';
export type { Activation, MlpOptions } from './mlp';
export { createCnnSmall } from './cnn-small';
export type { CnnSmallOptions } from './cnn-small';
export { createResnet18 } from './resnet18';
export type { Resnet18Options } from './resnet18';
