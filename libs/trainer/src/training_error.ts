/** Why an in-process run stopped early. */
export const TRAINING_ERROR_CODES = ['DIVERGED', 'DATA_UNAVAILABLE', 'ABORTED'] as const;
export type TrainingErrorCode = (typeof TRAINING_ERROR_CODES)[number];

/** A run that cannot go on; `code` says why, `step` where (when known). */
export class TrainingError extends Error {
  override readonly name = 'TrainingError';
  readonly code: TrainingErrorCode;
  readonly step: number | undefined;

  constructor(opts: { code: TrainingErrorCode; message: string; step?: number; cause?: unknown }) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = opts.code;
    this.step = opts.step;
  }
}
