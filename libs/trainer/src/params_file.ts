import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { containerHeader, decodeContainer, encodeContainer, float32Bytes, float32View, isContainer, writeFileAtomic } from '@lnsgd/tensor-codec';
import { paramsDigest } from './params_digest';

/**
 * A parameter file: the flat float32 θ of a run plus what is needed to use it.
 *
 * Layout: an lnsgd container (@lnsgd/tensor-codec, kind `params`) whose fields are the
 * {@link ParamsFileHeader} and whose one section `theta` is θ as little-endian float32.
 * Files of the older format (the 8 ASCII bytes `LNSGDPv1`, a uint32 LE header length
 * h, h bytes of UTF-8 JSON, then θ) are still read.
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

const KIND = 'params';
const MAGIC = Buffer.from('LNSGDPv1', 'ascii');

/** A parameter file that is missing, truncated, corrupt or for another model. */
export class ParamsFileError extends Error {
  override readonly name = 'ParamsFileError';
}

/**
 * Writes θ atomically (temporary file, fsync, rename, fsync of the directory), so a
 * crash never leaves a half-written file under the final name.
 *
 * @param path destination.
 * @param file header fields (sha256 is computed here) and θ.
 */
export function writeParamsFile(path: string, file: { header: Omit<ParamsFileHeader, 'sha256' | 'numParams'>; theta: Float32Array }): void {
  const { theta } = file;
  const header: ParamsFileHeader = { ...file.header, numParams: theta.length, sha256: paramsDigest(theta).sha256 };
  writeFileAtomic(path, encodeContainer(KIND, { ...header }, [{ name: 'theta', bytes: float32Bytes(theta) }]));
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
  if (isContainer(buf)) return readContainer(path, buf);
  if (buf.length < 12 || !buf.subarray(0, 8).equals(MAGIC)) {
    throw new ParamsFileError(`${path} is not an lnsgd parameter file (expected it to start with 'LNSGDC01')`);
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

function readContainer(path: string, buf: Buffer): { header: ParamsFileHeader; theta: Float32Array } {
  let c;
  try {
    c = decodeContainer(buf, KIND);
  } catch (err: unknown) {
    throw new ParamsFileError(`${path}: ${err instanceof Error ? err.message : String(err)}: the file is corrupt`);
  }
  const header = c.fields as unknown as ParamsFileHeader;
  const bytes = c.sections.get('theta');
  if (bytes === undefined || !Number.isInteger(header.numParams) || bytes.byteLength !== header.numParams * 4) {
    throw new ParamsFileError(`${path}: header says ${header.numParams} parameters (${header.numParams * 4} bytes) but ${bytes?.byteLength ?? 0} bytes follow`);
  }
  const theta = float32View(bytes, header.numParams).array;
  const sha = paramsDigest(theta).sha256;
  if (sha !== header.sha256) throw new ParamsFileError(`${path}: checksum mismatch (header ${header.sha256}, data ${sha}): the file is corrupt`);
  return { header, theta };
}

/**
 * Reads only the header of a parameter file (no θ, no checksum): for listing a
 * directory of them.
 *
 * @param path the file.
 * @returns the header; undefined when the file vanished (renamed away meanwhile).
 * @throws ParamsFileError when it is not a parameter file.
 */
export async function readParamsFileHeader(path: string): Promise<ParamsFileHeader | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await fh.read(head, 0, 12, 0);
    const magic = head.toString('ascii', 0, 8);
    if (bytesRead < 12 || (magic !== 'LNSGDPv1' && !isContainer(head))) throw new ParamsFileError(`${path} is not an lnsgd parameter file`);
    const len = head.readUInt32LE(8);
    // A corrupt length field must not allocate up to 4 GB: the header lies inside the file.
    const { size } = await fh.stat();
    if (12 + len > size) throw new ParamsFileError(`${path} is truncated or corrupt: header of ${len} bytes, file of ${size}`);
    const json = Buffer.alloc(len);
    await fh.read(json, 0, len, 12);
    if (magic === 'LNSGDPv1') return JSON.parse(json.toString('utf8')) as ParamsFileHeader;
    const h = containerHeader(Buffer.concat([head, json]));
    if (h?.kind !== KIND) throw new ParamsFileError(`${path} is not an lnsgd parameter file (a ${String(h?.kind)} file)`);
    return h.fields as unknown as ParamsFileHeader;
  } catch (err: unknown) {
    if (err instanceof ParamsFileError) throw err;
    throw new ParamsFileError(`${path}: unreadable header: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await fh.close();
  }
}
