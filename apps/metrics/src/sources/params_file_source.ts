import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readParamsFile, type ParamsFileHeader } from '@lnsgd/trainer';
import type { Snapshot, SnapshotSource } from '../snapshot';

/** Options of {@link paramsFileSource}. */
export interface ParamsFileSourceOptions {
  /** A parameter file (`lnsgd train --save-params`) or a directory of `*.bin` parameter files. */
  readonly path: string;
  /** Number of parameters the run's model has; other files are an error. */
  readonly numParams: number;
  /** A file whose step reaches this marks the run as finished (default: never). */
  readonly finalStep?: number;
}

/**
 * Polls a parameter file, or the newest-step file of a directory. Files are written
 * atomically (temporary file + rename), so a reader never sees a half-written one;
 * `latestStep` reads only the headers.
 *
 * @param opts the path, the expected parameter count and the run's last step.
 * @example paramsFileSource({path: 'runs/uv', numParams: 2, finalStep: 20000})
 */
export function paramsFileSource(opts: ParamsFileSourceOptions): SnapshotSource {
  const newest = async (): Promise<{ path: string; header: ParamsFileHeader } | undefined> => {
    let files: string[];
    try {
      files = (await stat(opts.path)).isDirectory()
        ? (await readdir(opts.path)).filter((f) => f.endsWith('.bin') && !f.startsWith('.')).map((f) => join(opts.path, f))
        : [opts.path];
    } catch (err: unknown) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // not written yet
      throw err;
    }
    let best: { path: string; header: ParamsFileHeader } | undefined;
    for (const path of files) {
      const header = await readHeader(path);
      if (header === undefined) continue;
      if (header.numParams !== opts.numParams) {
        throw new Error(`paramsFileSource: ${path} holds ${header.numParams} parameters (preset ${header.preset}) but the run's model has ${opts.numParams}`);
      }
      if (best === undefined || header.step > best.header.step) best = { path, header };
    }
    return best;
  };
  return {
    latestStep: async () => (await newest())?.header.step,
    fetch: async (): Promise<Snapshot | undefined> => {
      const found = await newest();
      if (found === undefined) return undefined;
      const file = readParamsFile(found.path);
      return { step: file.header.step, theta: file.theta };
    },
    finished: async () => opts.finalStep !== undefined && ((await newest())?.header.step ?? -1) >= opts.finalStep,
    close: () => Promise.resolve(),
  };
}

/** Reads only the JSON header of a parameter file (layout: see `@lnsgd/trainer` writeParamsFile). */
async function readHeader(path: string): Promise<ParamsFileHeader | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // renamed away between readdir and open
    throw err;
  }
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await fh.read(head, 0, 12, 0);
    if (bytesRead < 12 || head.toString('ascii', 0, 8) !== 'LNSGDPv1') throw new Error(`paramsFileSource: ${path} is not an lnsgd parameter file`);
    const len = head.readUInt32LE(8);
    // A corrupt length field must not allocate up to 4 GB: the header lies inside the file.
    const { size } = await fh.stat();
    if (12 + len > size) throw new Error(`paramsFileSource: ${path} is truncated or corrupt: header of ${len} bytes, file of ${size}`);
    const json = Buffer.alloc(len);
    await fh.read(json, 0, len, 12);
    return JSON.parse(json.toString('utf8')) as ParamsFileHeader;
  } finally {
    await fh.close();
  }
}
