/** Why a transport operation failed. */
export const TRANSPORT_ERROR_CODES = [
  /** No reply within the request's timeout. */
  'TIMEOUT',
  /** The socket was closed (by us) while the operation was pending. */
  'CLOSED',
  /** Frames that do not decode as an Envelope with a body. */
  'MALFORMED',
  /** A message larger than the configured maximum. */
  'TOO_LARGE',
  /** Frame count, dtype, key range or byte length disagree with what was expected. */
  'BAD_SHAPE',
  /** A data frame whose checksum differs from its header's. */
  'CHECKSUM_MISMATCH',
  /** Bind, connect or send failed at the socket. */
  'SOCKET',
  /** Configuration that cannot work (bad endpoint, unreadable key file…). */
  'BAD_CONFIG',
  /** The peer answered with a typed Error reply (see `remote`). */
  'REMOTE_ERROR',
  /** The peer answered with a body other than the one the request expects. */
  'UNEXPECTED_REPLY',
] as const;

/** One of {@link TRANSPORT_ERROR_CODES}. */
export type TransportErrorCode = (typeof TRANSPORT_ERROR_CODES)[number];

/** The one error class of @lnsgd/transport. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  override readonly cause: Error | undefined;
  /** The peer's Error reply, for REMOTE_ERROR. */
  remote?: {
    readonly code: number;
    readonly codeName: string;
    readonly message: string;
    readonly currentVersion: number;
    /** With RECOMPUTE from shard 0: the new share (index, count, epoch). */
    readonly share?: { readonly epoch: number; readonly index: number; readonly count: number };
  };
  constructor(code: TransportErrorCode, message: string, cause?: unknown) {
    super(message);
    this.code = code;
    this.cause = cause === undefined ? undefined : cause instanceof Error ? cause : new Error(typeof cause === 'string' ? cause : JSON.stringify(cause));
  }
  readonly code: TransportErrorCode;
}
