import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJsonLines, toJsonl, writeFileAtomic } from '@lnsgd/report';
import type { TrajectoryPoint } from './time-to-target';

/** Folder of per-run trajectories inside a study's output directory. */
export const TRAJECTORY_DIR = 'trajectories';

/** `<out>/trajectories/<run id with spaces as _>.jsonl`. */
export function trajectoryPath(out: string, runId: string): string {
  return path.join(out, TRAJECTORY_DIR, `${runId.replace(/[^A-Za-z0-9=._-]/g, '_')}.jsonl`);
}

/**
 * Writes a finished run's trajectory in one atomic write. A study writes it before
 * appending the run's row to results.jsonl, so a resumed study finds a trajectory for
 * every finished run; an interrupted run leaves none (it is rerun from scratch).
 */
export function writeTrajectory(out: string, runId: string, points: readonly TrajectoryPoint[]): string {
  const file = trajectoryPath(out, runId);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, toJsonl(points));
  return file;
}

/** A run's trajectory, or undefined when it has none (recorded without --record-every). */
export function readTrajectory(out: string, runId: string): TrajectoryPoint[] | undefined {
  const file = trajectoryPath(out, runId);
  if (!fs.existsSync(file)) return undefined;
  return readJsonLines(file).values as TrajectoryPoint[];
}
