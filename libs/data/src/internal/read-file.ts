import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../data-error';

/**
 * Reads `path`, gunzipping it when it starts with the gzip magic 1f 8b (so
 * `foo` and `foo.gz` both work whatever their name says).
 */
export function readMaybeGzip(path: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e: unknown) {
    throw new DataError('FILE_NOT_FOUND', `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, e);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes);
    } catch (e: unknown) {
      throw new DataError('BAD_FORMAT', `${path}: expected a valid gzip stream, found a corrupt one (${e instanceof Error ? e.message : String(e)})`, e);
    }
  }
  return bytes;
}

/** The first of `candidates` (file names in `dir`) that exists, or undefined. */
export function findFile(dir: string, candidates: readonly string[]): string | undefined {
  for (const name of candidates) {
    const path = `${dir}/${name}`;
    if (existsSync(path)) return path;
  }
  return undefined;
}
