import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { float32Bytes, float32View } from '@lnsgd/tensor-codec';

/**
 * A shard checkpoint file `shard-<s>-of-<S>.ckpt`:
 *   8 bytes "LNSGDCK2", uint32 LE header length h, h bytes of UTF-8 JSON
 *   ({@link CheckpointHeader}), the parameter slice as little-endian float32, the
 *   optimizer state as written by @lnsgd/optim's encodeOptimizerState, then 32 bytes:
 *   the SHA-256 of everything before them. A file whose digest does not match (a
 *   flipped byte anywhere, a truncation) is refused. Files of the first format
 *   ("LNSGDCK1", no digest) are still read, with only their length checked.
 */
export interface CheckpointHeader {
  readonly shard: number;
  readonly shards: number;
  readonly offset: number;
  readonly length: number;
  /** Optimizer steps applied (the step to continue from). */
  readonly version: number;
  readonly configHash: string;
  /** Noise-scale EMA state, so the estimate continues too. */
  readonly noiseEma: { readonly gradSqNorm: number; readonly traceSigma: number; readonly count: number };
  /** Byte length of the optimizer state that follows the parameters. */
  readonly optimizerBytes: number;
}

const MAGIC = Buffer.from('LNSGDCK2', 'ascii');
const MAGIC_V1 = Buffer.from('LNSGDCK1', 'ascii');
const DIGEST_BYTES = 32;
const FIX = 'resume from an intact copy of the checkpoint directory, or start the run again without --resume';

/** File name of shard s of S inside a checkpoint directory. */
export function checkpointPath(dir: string, shard: { readonly shard: number; readonly shards: number }): string {
  return join(dir, `shard-${shard.shard}-of-${shard.shards}.ckpt`);
}

/**
 * Writes a checkpoint atomically: temporary file, fsync, rename, fsync of the
 * directory — a crash leaves either the old checkpoint or the new one, never half.
 *
 * @param dir checkpoint directory (created when missing).
 * @param ckpt header, parameters and encoded optimizer state.
 * @returns the file written.
 */
export function writeCheckpoint(
  dir: string,
  ckpt: { readonly header: Omit<CheckpointHeader, 'optimizerBytes'>; readonly params: Float32Array; readonly optimizerState: Uint8Array },
): string {
  mkdirSync(dir, { recursive: true });
  const path = checkpointPath(dir, ckpt.header);
  const header: CheckpointHeader = { ...ckpt.header, optimizerBytes: ckpt.optimizerState.byteLength };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length, 0);
  const tmp = `${path}.${process.pid}.tmp`;
  const parts = [MAGIC, len, json, float32Bytes(ckpt.params), ckpt.optimizerState];
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part);
  const fd = openSync(tmp, 'w');
  try {
    for (const part of [...parts, digest.digest()]) writeSync(fd, part);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
  return path;
}

/**
 * Reads shard s's checkpoint from a directory, checking its SHA-256 before anything
 * in it is used.
 *
 * @param dir checkpoint directory.
 * @param shard which shard of how many.
 * @throws Error naming the file, what is wrong with it and what to do.
 */
export function readCheckpoint(dir: string, shard: { readonly shard: number; readonly shards: number }): {
  header: CheckpointHeader;
  params: Float32Array;
  optimizerState: Uint8Array;
} {
  const path = checkpointPath(dir, shard);
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err: unknown) {
    throw new Error(`checkpoint ${path}: cannot read it: ${err instanceof Error ? err.message : String(err)}`);
  }
  const magic = buf.subarray(0, 8);
  const v2 = magic.equals(MAGIC);
  if (buf.length < 12 || !(v2 || magic.equals(MAGIC_V1))) throw new Error(`checkpoint ${path}: not a shard checkpoint (no 'LNSGDCK2' magic); ${FIX}`);
  const end = v2 ? buf.length - DIGEST_BYTES : buf.length;
  if (v2) {
    const ok = end >= 12 && createHash('sha256').update(buf.subarray(0, end)).digest().equals(buf.subarray(end));
    if (!ok) throw new Error(`checkpoint ${path}: corrupted or truncated (${buf.length} bytes; its SHA-256 does not match its contents); ${FIX}`);
  }
  const h = buf.readUInt32LE(8);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(buf.subarray(12, 12 + h).toString('utf8')) as CheckpointHeader;
  } catch {
    throw new Error(`checkpoint ${path}: corrupt header; ${FIX}`);
  }
  // A header that parses but is no object, or whose sizes are no counts, is as corrupt as one that does not parse.
  if (!isSizes(header)) throw new Error(`checkpoint ${path}: corrupt header (length and optimizerBytes must be non-negative integers); ${FIX}`);
  const start = 12 + h;
  const expected = start + 4 * header.length + header.optimizerBytes;
  if (end !== expected) throw new Error(`checkpoint ${path}: ${end} bytes of content, its header implies ${expected}: truncated or corrupt; ${FIX}`);
  // Copy into fresh buffers: the file buffer's offsets need not be 4-byte aligned.
  const params = float32View(Uint8Array.prototype.slice.call(buf, start, start + 4 * header.length), header.length).array;
  const optimizerState = Uint8Array.prototype.slice.call(buf, start + 4 * header.length, end);
  return { header, params, optimizerState };
}

function isSizes(h: unknown): h is CheckpointHeader {
  if (typeof h !== 'object' || h === null) return false;
  const { length, optimizerBytes } = h as Record<string, unknown>;
  return Number.isSafeInteger(length) && (length as number) >= 0 && Number.isSafeInteger(optimizerBytes) && (optimizerBytes as number) >= 0;
}
