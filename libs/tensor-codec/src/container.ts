import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The one on-disk container of lnsgd's binary files (shard checkpoints, parameter
 * files; the optimizer state travels as a section of a checkpoint):
 *
 *   8 bytes "LNSGDC01", uint32 LE header length h, h bytes of UTF-8 JSON
 *   `{"kind": …, "sections": [{"name": …, "bytes": n}, …], "fields": {…}}`, the
 *   sections' bytes in that order, then 32 bytes: the SHA-256 of everything before.
 *
 * A flipped byte anywhere or a truncation fails the digest before anything is parsed.
 */
export const CONTAINER_MAGIC = 'LNSGDC01';
const MAGIC = Buffer.from(CONTAINER_MAGIC, 'ascii');
const DIGEST_BYTES = 32;

/** One named byte range of a container. */
export interface ContainerSection {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The JSON header of a container. */
export interface ContainerHeader {
  readonly kind: string;
  readonly sections: readonly { readonly name: string; readonly bytes: number }[];
  readonly fields: Record<string, unknown>;
}

/** A container that cannot be read: `reason` says what is wrong, without the file name. */
export class ContainerError extends Error {
  override readonly name = 'ContainerError';
}

/**
 * The container's bytes, as parts to write one after the other (no copy of the sections).
 *
 * @param kind what the file is, e.g. 'checkpoint'; checked on read.
 * @param fields the file's own header fields (plain JSON).
 * @param sections the binary payloads, in order.
 * @example writeFileAtomic('theta.bin', encodeContainer('params', { step: 3 }, [{ name: 'theta', bytes }]))
 */
export function encodeContainer(kind: string, fields: Record<string, unknown>, sections: readonly ContainerSection[]): Uint8Array[] {
  const header: ContainerHeader = { kind, sections: sections.map((s) => ({ name: s.name, bytes: s.bytes.byteLength })), fields };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length, 0);
  const parts: Uint8Array[] = [MAGIC, len, json, ...sections.map((s) => s.bytes)];
  const digest = createHash('sha256');
  for (const p of parts) digest.update(p);
  return [...parts, digest.digest()];
}

/** Whether bytes start with the container's magic (older formats have their own). */
export function isContainer(buf: Uint8Array): boolean {
  return buf.byteLength >= 8 && Buffer.from(buf.buffer, buf.byteOffset, 8).equals(MAGIC);
}

/**
 * Checks and splits a container. Sections are copied into fresh, aligned buffers.
 *
 * @param buf the whole file.
 * @param kind the kind expected.
 * @throws ContainerError saying what is wrong (digest, header, lengths, kind).
 */
export function decodeContainer(buf: Uint8Array, kind: string): { fields: Record<string, unknown>; sections: Map<string, Uint8Array> } {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (!isContainer(b)) throw new ContainerError(`not an lnsgd file (no '${CONTAINER_MAGIC}' magic)`);
  const end = b.length - DIGEST_BYTES;
  if (end < 12 || !createHash('sha256').update(b.subarray(0, end)).digest().equals(b.subarray(end))) {
    throw new ContainerError(`corrupted or truncated (${b.length} bytes; checksum mismatch: its SHA-256 does not match its contents)`);
  }
  const h = b.readUInt32LE(8);
  let header: ContainerHeader;
  try {
    header = JSON.parse(b.subarray(12, 12 + h).toString('utf8')) as ContainerHeader;
  } catch {
    throw new ContainerError('corrupt header');
  }
  if (header.kind !== kind) throw new ContainerError(`a ${String(header.kind)} file, not a ${kind} file`);
  const sections = new Map<string, Uint8Array>();
  let at = 12 + h;
  for (const s of header.sections) {
    sections.set(s.name, Uint8Array.prototype.slice.call(b, at, at + s.bytes));
    at += s.bytes;
  }
  if (at !== end) throw new ContainerError(`${end} bytes of content, its header implies ${at}: truncated or corrupt`);
  return { fields: header.fields, sections };
}

/**
 * Reads a container's JSON header from its first bytes (no digest check: for listing
 * files without reading their payload).
 *
 * @param head at least the first 12 + h bytes of the file.
 * @returns the header, or undefined when `head` is too short to hold it.
 * @throws ContainerError when the bytes are not a container.
 */
export function containerHeader(head: Uint8Array): ContainerHeader | undefined {
  if (!isContainer(head)) throw new ContainerError(`not an lnsgd file (no '${CONTAINER_MAGIC}' magic)`);
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length < 12) return undefined;
  const h = b.readUInt32LE(8);
  if (b.length < 12 + h) return undefined;
  try {
    return JSON.parse(b.subarray(12, 12 + h).toString('utf8')) as ContainerHeader;
  } catch {
    throw new ContainerError('corrupt header');
  }
}

/**
 * Writes a file so that readers see the old content or the new, never a part:
 * temporary sibling, fsync, rename, fsync of the directory. A failure (a full disk, a
 * read-only directory) removes the temporary file and rethrows; the target is untouched.
 *
 * @param path the target (its directory is created when missing).
 * @param data the content, or parts written in order.
 * @example writeFileAtomic('out/report.md', '# Report\n')
 */
export function writeFileAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const parts = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data;
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(tmp, 'w');
    try {
      for (const p of parts) {
        for (let off = 0; off < p.byteLength;) off += writeSync(fd, p, off);
      }
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
  } catch (err: unknown) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The directory itself is unusable (not a directory, gone): there is no temporary file.
    }
    throw err;
  }
}
