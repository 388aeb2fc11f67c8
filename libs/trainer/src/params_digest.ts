import { createHash } from 'node:crypto';
import { endianness } from 'node:os';

/** Identity of a parameter vector: its Euclidean norm and a SHA-256 of its bytes. */
export interface ParamsDigest {
  /** ‖θ‖₂, accumulated in float64. */
  readonly l2: number;
  /** SHA-256 (hex) of θ as little-endian IEEE-754 float32, whatever the host order. */
  readonly sha256: string;
}

/**
 * Digests a flat float32 parameter vector so two runs can be compared bit for bit.
 *
 * @param theta the flat parameters.
 * @example paramsDigest(new Float32Array([3, 4])).l2 // 5
 */
export function paramsDigest(theta: Float32Array): ParamsDigest {
  let sq = 0;
  for (let i = 0; i < theta.length; i++) sq += theta[i] * theta[i];
  let bytes = Buffer.from(theta.buffer, theta.byteOffset, theta.byteLength);
  if (endianness() === 'BE') {
    bytes = Buffer.from(bytes); // copy before swapping: never touch the caller's buffer
    bytes.swap32();
  }
  return { l2: Math.sqrt(sq), sha256: createHash('sha256').update(bytes).digest('hex') };
}
