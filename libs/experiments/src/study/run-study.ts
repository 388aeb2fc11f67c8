import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendJsonLine, readJsonLines, writeFileAtomic } from '@lnsgd/report';
import { ExperimentError } from '../experiment-error';
import type { StudyPoint } from './study-plan';
import type { StudyRow } from './study-row';

/** Progress over the whole study, for one progress bar. */
export interface StudyProgress {
  /** Runs finished in this invocation, and runs this invocation has to do. */
  readonly runsDone: number;
  readonly runsToDo: number;
  /** Runs that were already in results.jsonl and are skipped. */
  readonly runsSkipped: number;
  /** The run in progress and its fraction done in [0, 1]. */
  readonly current: StudyPoint | null;
  readonly currentFraction: number;
  /** Fraction of this invocation's work done, in [0, 1]. */
  readonly fraction: number;
}

/** Trains one point and returns its row; `onFraction` reports progress within the run. */
export type StudyRunner = (point: StudyPoint, onFraction: (f: number) => void) => Promise<StudyRow | 'interrupted'>;

/** Options of {@link runStudy}. */
export interface RunStudyOptions {
  readonly points: readonly StudyPoint[];
  /** Output directory; `results.jsonl` in it is the record of finished runs. */
  readonly out: string;
  /** What the study is (preset, mode, grid, steps): written to study.json, checked on resume. */
  readonly description: Readonly<Record<string, unknown>>;
  readonly runOne: StudyRunner;
  readonly onProgress?: (p: StudyProgress) => void;
  /** Called before each run: true stops the study (finished runs stay recorded). */
  readonly shouldStop?: () => boolean;
}

/** What {@link runStudy} did. */
export interface StudyOutcome {
  /** One row per point of the plan that has finished (now or earlier), in plan order. */
  readonly rows: StudyRow[];
  readonly completed: number;
  readonly skipped: number;
  /** Points still missing (interrupted). */
  readonly missing: number;
}

/** The file of finished runs, one JSON line per run, appended as each run finishes. */
export const STUDY_RESULTS_FILE = 'results.jsonl';

/**
 * Runs every point of a study that `out/results.jsonl` does not already hold, one
 * after another, appending each finished run's row to it at once (one write + fsync
 * per line; a torn last line from a crash is ignored). Rerunning the same command
 * after an interruption therefore does only the missing runs.
 *
 * @param o the plan, output directory, runner and hooks.
 * @throws ExperimentError INVALID_ARGUMENT when `out` holds a study of another preset or mode.
 */
export async function runStudy(o: RunStudyOptions): Promise<StudyOutcome> {
  fs.mkdirSync(o.out, { recursive: true });
  checkSameStudy(o.out, o.description);
  writeFileAtomic(path.join(o.out, 'study.json'), `${JSON.stringify({ ...o.description, runs: o.points.map((p) => p.run_id) }, null, 2)}\n`);
  const resultsFile = path.join(o.out, STUDY_RESULTS_FILE);
  const finished = new Map<string, StudyRow>();
  for (const v of readJsonLines(resultsFile).values) {
    const row = v as StudyRow;
    if (typeof row.run_id === 'string') finished.set(row.run_id, row);
  }
  const toDo = o.points.filter((p) => !finished.has(p.run_id));
  const skipped = o.points.length - toDo.length;
  let done = 0;
  const report = (current: StudyPoint | null, f: number): void =>
    o.onProgress?.({
      runsDone: done,
      runsToDo: toDo.length,
      runsSkipped: skipped,
      current,
      currentFraction: f,
      fraction: toDo.length === 0 ? 1 : (done + f) / toDo.length,
    });
  report(null, 0);
  for (const point of toDo) {
    if (o.shouldStop?.() === true) break;
    const row = await o.runOne(point, (f) => report(point, f));
    if (row === 'interrupted') break;
    appendJsonLine(resultsFile, row);
    finished.set(point.run_id, row);
    done++;
    report(null, 0);
  }
  const rows = o.points.flatMap((p) => {
    const r = finished.get(p.run_id);
    return r === undefined ? [] : [r];
  });
  return { rows, completed: done, skipped, missing: o.points.length - rows.length };
}

/** Refuses to mix two different studies in one directory (rows would be incomparable). */
function checkSameStudy(out: string, description: Readonly<Record<string, unknown>>): void {
  const file = path.join(out, 'study.json');
  if (!fs.existsSync(file)) return;
  let previous: Record<string, unknown>;
  try {
    previous = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return; // unreadable: the next write replaces it
  }
  for (const key of ['preset', 'steps']) {
    if (key in previous && JSON.stringify(previous[key]) !== JSON.stringify(description[key])) {
      throw new ExperimentError(
        'INVALID_ARGUMENT',
        `runStudy: ${out} holds a study with ${key} = ${JSON.stringify(previous[key])}, not ${JSON.stringify(description[key])}; use another --out to start a new study`,
      );
    }
  }
}
