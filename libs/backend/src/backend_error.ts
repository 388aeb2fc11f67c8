/**
 * Why a backend operation failed. Each code is a stable part of the API: callers
 * switch on it (exhaustively) instead of parsing messages.
 */
export const BACKEND_ERROR_CODES = {
  /** The requested backend name is not one of the known names. */
  UNKNOWN_BACKEND: 'UNKNOWN_BACKEND',
  /** The backend was asked for explicitly but cannot be loaded or initialised here. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** No backend at all could be initialised (not even the pure-JS cpu one). */
  NO_BACKEND: 'NO_BACKEND',
  /** A kernel was called with inputs or attributes it does not support. */
  UNSUPPORTED: 'UNSUPPORTED',
  /** A wasm kernel helper was used before the wasm backend was registered and initialised. */
  WASM_NOT_READY: 'WASM_NOT_READY',
} as const;

/** One of {@link BACKEND_ERROR_CODES}. */
export type BackendErrorCode = (typeof BACKEND_ERROR_CODES)[keyof typeof BACKEND_ERROR_CODES];

/**
 * The one error class of `@lnsgd/backend`.
 *
 * @param code Machine-readable reason.
 * @param message Human-readable message naming the function, argument and value.
 * @param options.cause The underlying error, if any (normalised to an `Error`).
 * @example
 * try { parseBackendRequest('gpu'); } catch (e) {
 *   if (e instanceof BackendError && e.code === 'UNKNOWN_BACKEND') { ... }
 * }
 */
export class BackendError extends Error {
  readonly code: BackendErrorCode;

  constructor(code: BackendErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: toError(options.cause) });
    this.name = 'BackendError';
    this.code = code;
  }
}

/** Normalises anything thrown into an `Error` so `cause` is always inspectable. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'object' && thrown !== null && 'message' in thrown) {
    // The wasm loader rejects with a plain `{ message }` object.
    return new Error(String(thrown.message));
  }
  return new Error(String(thrown));
}
