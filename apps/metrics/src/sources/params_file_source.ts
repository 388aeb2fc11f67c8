import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readParamsFile, readParamsFileHeader as readHeader, type ParamsFileHeader } from '@lnsgd/trainer';
import { SnapshotSourceError, type Snapshot, type SnapshotSource } from '../snapshot';

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
        throw new SnapshotSourceError(
          'mismatch',
          `paramsFileSource: ${path} holds ${header.numParams} parameters (preset ${header.preset}) but the run's model has ${opts.numParams}`,
        );
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
