import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { paramsDigest } from './params_digest';

/**
 * A parameter file: the flat float32 θ of a run plus what is needed to use it.
 *
 * Layout: the 8 ASCII bytes `LNSGDPv1`, a uint32 LE header length h, h bytes of
 * UTF-8 JSON ({@link ParamsFileHeader}), then θ as little-endian float32.
 */
export interface ParamsFileHeader {
  readonly preset: string;
  readonly numParams: number;
  /** Steps taken to reach θ. */
  readonly step: number;
  /** The run's seed: it generated the preset's synthetic data (loadPresetData) and θ_0. */
  readonly seed: number;
  /** The run's learning rate η and momentum β, when the writer recorded them. */
  readonly eta?: number;
  readonly beta?: number;
  /** SHA-256 of the float32 bytes, checked on load. */
  readonly sha256: string;
}

const MAGIC = Buffer.from('LNSGDPv1', 'ascii');

/** A parameter file that is missing, truncated, corrupt or for another model. */
export class ParamsFileError extends Error {
  override readonly name = 'ParamsFileError';
}

/**
 * Writes θ atomically (temporary file, fsync, rename), so a crash never leaves a
 * half-written file under the final name.
 *
 * @param path destination.
 * @param file header fields (sha256 is computed here) and θ.
 */
export function writeParamsFile(path: string, file: { header: Omit<ParamsFileHeader, 'sha256' | 'numParams'>; theta: Float32Array }): void {
  const { theta } = file;
  const header: ParamsFileHeader = { ...file.header, numParams: theta.length, sha256: paramsDigest(theta).sha256 };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length, 0);
  const body = Buffer.alloc(theta.length * 4);
  for (let i = 0; i < theta.length; i++) body.writeFloatLE(theta[i], i * 4);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    for (const part of [MAGIC, len, json, body]) writeSync(fd, part);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * Reads and verifies a parameter file.
 *
 * @param path the file.
 * @throws ParamsFileError naming the file and what was wrong with it.
 */
export function readParamsFile(path: string): { header: ParamsFileHeader; theta: Float32Array } {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err: unknown) {
    throw new ParamsFileError(`cannot read parameter file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (buf.length < 12 || !buf.subarray(0, 8).equals(MAGIC)) {
    throw new ParamsFileError(`${path} is not an lnsgd parameter file (expected it to start with 'LNSGDPv1')`);
  }
  const h = buf.readUInt32LE(8);
  if (12 + h > buf.length) throw new ParamsFileError(`${path} is truncated: header of ${h} bytes, file of ${buf.length}`);
  let header: ParamsFileHeader;
  try {
    header = JSON.parse(buf.subarray(12, 12 + h).toString('utf8')) as ParamsFileHeader;
  } catch {
    throw new ParamsFileError(`${path} has a corrupt header`);
  }
  const bodyLen = buf.length - 12 - h;
  if (typeof header !== 'object' || header === null) throw new ParamsFileError(`${path} has a corrupt header (not a JSON object)`);
  if (!Number.isInteger(header.numParams) || bodyLen !== header.numParams * 4) {
    throw new ParamsFileError(`${path}: header says ${header.numParams} parameters (${header.numParams * 4} bytes) but ${bodyLen} bytes follow`);
  }
  const theta = new Float32Array(header.numParams);
  for (let i = 0; i < theta.length; i++) theta[i] = buf.readFloatLE(12 + h + i * 4);
  const sha = paramsDigest(theta).sha256;
  if (sha !== header.sha256) throw new ParamsFileError(`${path}: checksum mismatch (header ${header.sha256}, data ${sha}): the file is corrupt`);
  return { header, theta };
}
