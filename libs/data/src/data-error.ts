/** Why a data operation failed; stable strings callers can switch on. */
export const DATA_ERROR_CODES = {
  /** An expected file does not exist; the message says how to get it. */
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  /** A file exists but its contents are not what the format requires. */
  BAD_FORMAT: 'BAD_FORMAT',
  /** A caller passed an argument outside its domain. */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
} as const;

/** One of {@link DATA_ERROR_CODES}. */
export type DataErrorCode = (typeof DATA_ERROR_CODES)[keyof typeof DATA_ERROR_CODES];

/**
 * The one error class of `@lnsgd/data`. Messages name the function, the
 * argument or file, what was expected and what was found.
 *
 * @example
 * try { loadMnist('/nope'); } catch (e) { if (e instanceof DataError && e.code === 'FILE_NOT_FOUND') … }
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  readonly code: DataErrorCode;

  /**
   * @param code why it failed
   * @param message full explanation
   * @param cause the underlying error, if any
   */
  constructor(code: DataErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
  }
}

/**
 * Throws INVALID_ARGUMENT unless `value` is an integer in [min, max].
 * @param what `"function: argument"`, the prefix of the message
 */
export function checkInt(what: string, value: number, range: { min: number; max?: number }): void {
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(value) || value < range.min || value > max) {
    const bound = range.max === undefined ? `>= ${range.min}` : `in [${range.min}, ${max}]`;
    throw new DataError('INVALID_ARGUMENT', `${what} must be an integer ${bound}, got ${value}`);
  }
}
