import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { decodeContainer, encodeContainer, float32Bytes, float32View, isContainer, writeFileAtomic } from '@lnsgd/tensor-codec';

/**
 * A shard checkpoint file `shard-<s>-of-<S>.step-<v>.ckpt` (the last k of them are
 * kept): an lnsgd container (@lnsgd/tensor-codec, kind `checkpoint`) whose fields are
 * the {@link CheckpointHeader} and whose sections are `params` (the parameter slice as
 * little-endian float32) and `optimizer` (the optimizer state as written by
 * @lnsgd/optim's encodeOptimizerState); its trailing SHA-256 covers everything. Files
 * of the older formats are still read: "LNSGDCK2" (the same header, θ and optimizer
 * state with a SHA-256 but no sections), "LNSGDCK1" (no digest, only its length
 * checked), and files named `shard-<s>-of-<S>.ckpt` (no step in the name).
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

const KIND = 'checkpoint';
const MAGIC = Buffer.from('LNSGDCK2', 'ascii');
const MAGIC_V1 = Buffer.from('LNSGDCK1', 'ascii');
const DIGEST_BYTES = 32;
const FIX = 'resume from an intact copy of the checkpoint directory, or start the run again without --resume';

/** Checkpoints of a shard kept by default: the newest can be damaged and the run still resume. */
export const DEFAULT_CHECKPOINT_KEEP = 3;

/** Which shard of how many. */
export interface ShardOf {
  readonly shard: number;
  readonly shards: number;
}

/** A checkpoint as read back. */
export interface Checkpoint {
  readonly path: string;
  readonly header: CheckpointHeader;
  readonly params: Float32Array;
  readonly optimizerState: Uint8Array;
}

/** A checkpoint file passed over on resume, and why. */
export interface SkippedCheckpoint {
  readonly path: string;
  readonly reason: string;
}

/** File name of shard s of S's checkpoint at step `version` inside a checkpoint directory. */
export function checkpointPath(dir: string, shard: ShardOf, version: number): string {
  return join(dir, `shard-${shard.shard}-of-${shard.shards}.step-${String(version).padStart(9, '0')}.ckpt`);
}

/** The name of the single file older versions wrote (no step in it). */
function legacyName(shard: ShardOf): string {
  return `shard-${shard.shard}-of-${shard.shards}.ckpt`;
}

/**
 * Shard s of S's checkpoint files in a directory, newest step first (a file without
 * a step in its name last); an empty list when the directory is missing.
 *
 * @param dir checkpoint directory.
 * @param shard which shard of how many.
 */
export function listCheckpoints(dir: string, shard: ShardOf): { readonly path: string; readonly version?: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const prefix = `shard-${shard.shard}-of-${shard.shards}.step-`;
  const found: { path: string; version?: number }[] = [];
  for (const n of names) {
    const m = n.startsWith(prefix) ? /^(\d+)\.ckpt$/.exec(n.slice(prefix.length)) : null;
    if (m !== null) found.push({ path: join(dir, n), version: Number(m[1]) });
  }
  found.sort((a, b) => (b.version ?? 0) - (a.version ?? 0));
  if (names.includes(legacyName(shard))) found.push({ path: join(dir, legacyName(shard)) });
  return found;
}

/**
 * Writes a checkpoint atomically — temporary file, fsync, rename, fsync of the
 * directory: a crash leaves either the old checkpoints or the new one too, never half
 * — then deletes this shard's older checkpoints beyond the newest `keep`. A failed
 * write (a full disk, a read-only directory) removes its temporary file and throws;
 * the checkpoints already there stay untouched.
 *
 * @param dir checkpoint directory (created when missing).
 * @param ckpt header, parameters and encoded optimizer state.
 * @param keep how many of this shard's checkpoints to keep, this one included (default {@link DEFAULT_CHECKPOINT_KEEP}).
 * @returns the file written.
 * @throws Error naming the file and the cause (its `cause` keeps the errno code, e.g. ENOSPC).
 */
export function writeCheckpoint(
  dir: string,
  ckpt: { readonly header: Omit<CheckpointHeader, 'optimizerBytes'>; readonly params: Float32Array; readonly optimizerState: Uint8Array },
  keep: number = DEFAULT_CHECKPOINT_KEEP,
): string {
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`writeCheckpoint: keep must be an integer >= 1, got ${keep}`);
  const path = checkpointPath(dir, ckpt.header, ckpt.header.version);
  const header: CheckpointHeader = { ...ckpt.header, optimizerBytes: ckpt.optimizerState.byteLength };
  try {
    writeFileAtomic(
      path,
      encodeContainer(KIND, { ...header }, [
        { name: 'params', bytes: float32Bytes(ckpt.params) },
        { name: 'optimizer', bytes: ckpt.optimizerState },
      ]),
    );
  } catch (err: unknown) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `checkpoint ${path}: cannot write it (${code ?? 'error'}: ${err instanceof Error ? err.message : String(err)}); the older checkpoints are kept`,
      {
        cause: err,
      },
    );
  }
  // Older than the newest `keep` (by step): delete. A failure here costs disk, not data.
  for (const old of listCheckpoints(dir, ckpt.header).slice(keep)) {
    if (old.version !== undefined) rmSync(old.path, { force: true });
  }
  return path;
}

/**
 * Reads one checkpoint file, checking its SHA-256 before anything in it is used.
 *
 * @param path the file.
 * @throws Error naming the file, what is wrong with it and what to do.
 */
export function readCheckpointFile(path: string): Checkpoint {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err: unknown) {
    throw new Error(`checkpoint ${path}: cannot read it: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (isContainer(buf)) {
    let c;
    try {
      c = decodeContainer(buf, KIND);
    } catch (err: unknown) {
      throw new Error(`checkpoint ${path}: ${err instanceof Error ? err.message : String(err)}; ${FIX}`);
    }
    const header = c.fields as unknown as CheckpointHeader;
    if (!isSizes(header)) throw new Error(`checkpoint ${path}: corrupt header (length and optimizerBytes must be non-negative integers); ${FIX}`);
    const params = c.sections.get('params');
    const optimizerState = c.sections.get('optimizer');
    if (params?.byteLength !== 4 * header.length || optimizerState === undefined)
      throw new Error(`checkpoint ${path}: its sections do not match its header; ${FIX}`);
    return { path, header, params: float32View(params, header.length).array, optimizerState };
  }
  const magic = buf.subarray(0, 8);
  const v2 = magic.equals(MAGIC);
  if (buf.length < 12 || !(v2 || magic.equals(MAGIC_V1))) throw new Error(`checkpoint ${path}: not a shard checkpoint (no 'LNSGDC01' magic); ${FIX}`);
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
  return { path, header, params, optimizerState };
}

/**
 * Reads shard s's newest intact checkpoint from a directory (at or before step
 * `atMost` when given): a damaged newer file — truncated, a flipped byte, unreadable —
 * is passed over and reported in `skipped`, so the run resumes from the one before.
 *
 * @param dir checkpoint directory.
 * @param shard which shard of how many.
 * @param atMost the latest step to accept (the launcher passes the newest step every shard has intact).
 * @throws Error when no intact checkpoint is there, naming every file and why it was passed over.
 */
export function readCheckpoint(dir: string, shard: ShardOf, atMost?: number): Checkpoint & { readonly skipped: readonly SkippedCheckpoint[] } {
  const skipped: SkippedCheckpoint[] = [];
  for (const { path, version } of listCheckpoints(dir, shard)) {
    if (atMost !== undefined && version !== undefined && version > atMost) {
      skipped.push({ path, reason: `checkpoint ${path}: after step ${atMost}, the newest step every shard has intact` });
      continue;
    }
    try {
      const c = readCheckpointFile(path);
      if (atMost !== undefined && c.header.version > atMost) {
        skipped.push({ path, reason: `checkpoint ${path}: at step ${c.header.version}, after step ${atMost}, the newest step every shard has intact` });
        continue;
      }
      return { ...c, skipped };
    } catch (err: unknown) {
      skipped.push({ path, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  const where = `shard ${shard.shard} of ${shard.shards} in ${dir}`;
  if (skipped.length === 0) throw new Error(`checkpoint: none of ${where} (no ${legacyName(shard).replace('.ckpt', '.step-<v>.ckpt')}); ${FIX}`);
  throw new Error(`checkpoint: no intact checkpoint of ${where}; passed over:\n${skipped.map((s) => `  - ${s.reason}`).join('\n')}`);
}

function isSizes(h: unknown): h is CheckpointHeader {
  if (typeof h !== 'object' || h === null) return false;
  const { length, optimizerBytes } = h as Record<string, unknown>;
  return Number.isSafeInteger(length) && (length as number) >= 0 && Number.isSafeInteger(optimizerBytes) && (optimizerBytes as number) >= 0;
}
