/** Why a byte buffer could not become a tensor (or the reverse). */
export const CODEC_ERROR_CODES = [
  /** Byte length is not a whole number of elements, or not the length expected. */
  'BAD_LENGTH',
  /** The bytes' checksum differs from the one that came with them. */
  'CHECKSUM_MISMATCH',
  /** A dtype this codec does not know. */
  'UNSUPPORTED_DTYPE',
] as const;

/** One of {@link CODEC_ERROR_CODES}. */
export type CodecErrorCode = (typeof CODEC_ERROR_CODES)[number];

/** The one error class of @lnsgd/tensor-codec; `code` says which rule was broken. */
export class CodecError extends Error {
  override readonly name = 'CodecError';
  constructor(
    readonly code: CodecErrorCode,
    message: string,
  ) {
    super(message);
  }
}
