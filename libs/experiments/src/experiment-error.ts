/** Why an experiment could not run. */
export const EXPERIMENT_ERROR_CODES = ['UNKNOWN_EXPERIMENT', 'DATASET_MISSING', 'INVALID_ARGUMENT'] as const;
export type ExperimentErrorCode = (typeof EXPERIMENT_ERROR_CODES)[number];

/** The one error class of this lib; `code` says what went wrong, the message how to fix it. */
export class ExperimentError extends Error {
  override readonly name = 'ExperimentError';
  readonly code: ExperimentErrorCode;
  constructor(code: ExperimentErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
