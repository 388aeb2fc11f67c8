import type { Model, ModelName } from './model';
import { modelNames } from './model';
import { createUvToy } from './uv-toy';
import type { UvToyOptions } from './uv-toy';
import { createQuadraticSparse } from './quadratic-sparse';
import type { QuadraticSparseOptions } from './quadratic-sparse';
import { createLinregDiag } from './linreg-diag';
import type { LinregDiagOptions } from './linreg-diag';
import { createMlp } from './mlp';
import type { MlpOptions } from './mlp';
import { createCnnSmall } from './cnn-small';
import type { CnnSmallOptions } from './cnn-small';
import { createResnet18 } from './resnet18';
import type { Resnet18Options } from './resnet18';

/** The options each model name accepts. */
export interface ModelOptionsByName {
  'uv-toy': UvToyOptions;
  'quadratic-sparse': QuadraticSparseOptions;
  'linreg-diag': LinregDiagOptions;
  mlp: MlpOptions;
  'cnn-small': CnnSmallOptions;
  resnet18: Resnet18Options;
}

/**
 * Builds a model of the zoo by name (e.g. from a CLI flag or a preset).
 *
 * @param name one of {@link modelNames}
 * @param options that model's options (all optional)
 * @example createModel('resnet18', { width: 16 })
 */
export function createModel<N extends ModelName>(name: N, options: ModelOptionsByName[N] = {}): Model {
  // Each case narrows `name`; `options` follows it by construction of the signature.
  const opts: unknown = options;
  const n: ModelName = name;
  switch (n) {
    case 'uv-toy':
      return createUvToy(opts as UvToyOptions);
    case 'quadratic-sparse':
      return createQuadraticSparse(opts as QuadraticSparseOptions);
    case 'linreg-diag':
      return createLinregDiag(opts as LinregDiagOptions);
    case 'mlp':
      return createMlp(opts as MlpOptions);
    case 'cnn-small':
      return createCnnSmall(opts as CnnSmallOptions);
    case 'resnet18':
      return createResnet18(opts as Resnet18Options);
    default: {
      const unknownName: never = n;
      throw new Error(`createModel: name must be one of ${modelNames.join(', ')}, got '${String(unknownName)}'`);
    }
  }
}
