import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { backendRequestFromEnv, parseBackendRequest, type BackendRequest } from '@lnsgd/backend';
import {
  analyseTimeToTarget,
  ExperimentError,
  formatTimeToTarget,
  parseGrid,
  parseTarget,
  readTrajectory,
  writeTrajectory,
  type Target,
  type TrajectoryPoint,
  planStudy,
  runStudy,
  writeStudyReport,
  type StudyMode,
  type StudyPoint,
  type StudyProgress,
  type StudyRow,
  type StudyRunner,
} from '@lnsgd/experiments';
import { paramOption, presetTask, resolveRunConfig, trainInProcess, TrainingError, type TrainSummary } from '@lnsgd/trainer';
import { num } from '../parse_number';

interface StudyFlags {
  grid: string[];
  preset: string;
  constantLambda?: boolean;
  linearScaling?: boolean;
  seeds: number;
  steps?: number;
  out?: string;
  backend?: string;
  json?: boolean;
  recordEvery?: number;
  target: string[];
  sharpnessEvery?: number;
}

/** `lnsgd study`: a resumable sweep over η, B, σ, β and workers with one results table and plots. */
export function registerStudyCommand(program: Command): void {
  program
    .command('study')
    .description('run every configuration of a hyper-parameter grid (resumable), then write results.csv, plots and report.md')
    .requiredOption(
      '--grid <axes>',
      'axis=v1,v2,… (repeatable, or several in one quoted value), e.g. --grid lr=0.05,0.1 --grid batch=64,256; axes lr, batch, sigma, momentum, workers',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .addOption(paramOption('preset', { withDefault: true }))
    .option('--constant-lambda', 'hold λ = ησ²/(B(1−β)) fixed: σ is set per run; the sigma axis gives the λ levels at the first lr/batch/momentum')
    .option('--linear-scaling', 'hold η/B fixed: B = B₀·η/η₀ with B₀ from the batch axis and η₀ the first lr')
    .option('--seeds <n>', 'seeds per configuration', num('--seeds'), 1)
    .addOption(paramOption('steps', { description: "steps per run (default: the preset's)" }))
    .option('--out <dir>', 'output directory; rerunning with the same one resumes (default runs/study-<preset>)')
    .option('--backend <name>', 'auto | tensorflow-gpu | tensorflow | wasm | cpu (env LNSGD_BACKEND)')
    .option('--json', 'JSON lines on stdout: one per finished run, then {"event":"summary",…}')
    .option(
      '--record-every <k>',
      "record each run's trajectory (clean train loss, test metric, gradient noise scale, latest sharpness) every k steps into <out>/trajectories/ (default with --target: steps/50)",
      num('--record-every'),
    )
    .option(
      '--target <metric>',
      'report steps and samples to reach a target per configuration, and B_crit across batch sizes: test_metric<=X, train_loss<=X, or >= (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option(
      '--sharpness-every <k>',
      'estimate sharpness every k steps during each run, recorded in the trajectory (default 0: final estimate only)',
      num('--sharpness-every'),
    )
    .addHelpText(
      'after',
      `
Runs with workers=1 train in this process; workers > 1 run as a local cluster
(\`lnsgd train --workers N\`, one process per worker and PS shard).
Interrupt with Ctrl-C (stops after the current run) or kill it: rerunning the same
command skips every run already in <out>/results.jsonl.

Examples:
  $ lnsgd study --preset uv-toy --grid lr=0.05,0.1 --steps 2000
  $ lnsgd study --preset uv-toy --grid lr=0.05,0.1 --grid batch=8,32 --steps 5000          # (long)
  $ lnsgd study --preset uv-toy --grid 'lr=0.025,0.05,0.1 batch=8 sigma=0.5,1' --constant-lambda --seeds 3  # (long)
  $ lnsgd study --preset quadratic-sparse --grid 'lr=0.005,0.01 batch=20' --linear-scaling  # (long)
  $ lnsgd study --preset linreg-diag --grid batch=4,8,16,32,64 --seeds 3 --steps 3000 --target 'train_loss<=0.05' --record-every 25  # (long)`,
    )
    .action(async (flags: StudyFlags) => {
      if (flags.constantLambda === true && flags.linearScaling === true) {
        throw new InvalidArgumentError('--constant-lambda and --linear-scaling are exclusive: pick the quantity to hold fixed');
      }
      if (!Number.isInteger(flags.seeds) || flags.seeds < 1) throw new InvalidArgumentError(`--seeds expects an integer >= 1, got ${flags.seeds}`);
      const mode: StudyMode = flags.constantLambda === true ? 'constant-lambda' : flags.linearScaling === true ? 'linear-scaling' : 'grid';
      // Every --grid adds axes; an axis given twice is an error (parseGrid's).
      const gridText = flags.grid.join(' ');
      let grid;
      try {
        grid = parseGrid(gridText);
      } catch (err: unknown) {
        throw new InvalidArgumentError(`--grid: ${(err instanceof Error ? err.message : String(err)).replace(/^parseGrid: /, '')}`);
      }
      const base = resolveRunConfig(flags.preset, { steps: flags.steps });
      const d = base.hyper;
      let targets: Target[];
      try {
        targets = flags.target.map(parseTarget);
      } catch (err: unknown) {
        throw new InvalidArgumentError(`--target: ${(err instanceof Error ? err.message : String(err)).replace(/^parseTarget: /, '')}`);
      }
      for (const [name, v] of [
        ['--record-every', flags.recordEvery],
        ['--sharpness-every', flags.sharpnessEvery],
      ] as const) {
        if (v !== undefined && (!Number.isInteger(v) || v < (name === '--record-every' ? 1 : 0))) {
          throw new InvalidArgumentError(`${name} expects an integer >= ${name === '--record-every' ? 1 : 0}, got ${v}`);
        }
      }
      // Targets are read off trajectories, so asking for one turns recording on.
      const recordEvery = flags.recordEvery ?? (targets.length > 0 ? Math.max(1, Math.floor(d.steps / 50)) : 0);
      const points = planStudy({
        grid,
        defaults: { lr: d.lr, batch: d.batch, sigma: d.sigma, momentum: d.momentum, flip_prob: d.flipProb },
        task: presetTask(base.preset),
        mode,
        seeds: flags.seeds,
      });
      // Validate every point before the first run, so a bad grid fails in a second, not an hour in.
      for (const p of points) resolveRunConfig(flags.preset, hyperOf(p, d.steps));
      if (recordEvery > 0 && points.some((p) => p.workers > 1)) {
        throw new InvalidArgumentError(
          '--record-every and --target record trajectories in process (workers=1); runs with workers > 1 record final values only: drop the workers axis',
        );
      }
      const out = path.resolve(flags.out ?? path.join('runs', `study-${flags.preset}`));
      const description = {
        preset: flags.preset,
        mode,
        grid: gridText,
        seeds: flags.seeds,
        steps: d.steps,
        record_every: recordEvery,
        targets: targets.map((t) => t.label),
      };
      const backend = flags.backend !== undefined ? parseBackendRequest(flags.backend) : backendRequestFromEnv(process.env);
      const json = flags.json === true;
      let stopRequested = false;
      const onSigint = (): void => {
        if (stopRequested) process.exit(130);
        stopRequested = true;
        process.stderr.write('\nlnsgd: stopping after the current run (Ctrl-C again to abort; rerun the same command to resume)\n');
      };
      process.on('SIGINT', onSigint);
      const bar = progressBar();
      const inProcess = inProcessRunner({ preset: flags.preset, steps: d.steps, backend, out, recordEvery, sharpnessEvery: flags.sharpnessEvery ?? 0 });
      const runOne: StudyRunner = async (p, onFraction) => {
        const row =
          p.workers > 1 ? await clusterRunner({ preset: flags.preset, steps: d.steps, backend: flags.backend })(p, onFraction) : await inProcess(p, onFraction);
        if (json && row !== 'interrupted') process.stdout.write(`${JSON.stringify({ event: 'run', ...row })}\n`);
        return row;
      };
      try {
        process.stderr.write(`lnsgd: study of ${points.length} run(s) (${flags.preset}, ${mode}) in ${out}\n`);
        const outcome = await runStudy({ points, out, description, runOne, onProgress: bar, shouldStop: () => stopRequested });
        bar.end();
        const trajectories = new Map<string, TrajectoryPoint[]>();
        for (const r of outcome.rows) {
          const t = readTrajectory(out, r.run_id);
          if (t !== undefined) trajectories.set(r.run_id, t);
        }
        const timeToTarget = targets.length > 0 ? analyseTimeToTarget({ rows: outcome.rows, trajectories, targets, mode }) : undefined;
        const files = await writeStudyReport({ out, rows: outcome.rows, description, timeToTarget });
        const summary = {
          event: 'summary',
          study: flags.preset,
          mode,
          runs_total: points.length,
          runs_completed: outcome.completed,
          runs_skipped: outcome.skipped,
          runs_missing: outcome.missing,
          results: files.csv,
          report: files.report,
          plots: files.charts,
          // +∞ (censored) becomes null in JSON; `reached` says how many seeds got there.
          ...(timeToTarget !== undefined ? { time_to_target: timeToTarget } : {}),
        };
        if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        else {
          if (timeToTarget !== undefined) process.stdout.write(formatTimeToTarget(timeToTarget));
          process.stdout.write(
            `study: ${outcome.rows.length}/${points.length} runs finished (${outcome.completed} now, ${outcome.skipped} from earlier)${outcome.missing > 0 ? `, ${outcome.missing} missing: rerun to resume` : ''}\nreport: ${files.report}\n`,
          );
        }
        if (outcome.missing > 0) process.exitCode = 130;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}

function hyperOf(p: StudyPoint, steps: number): { steps: number; lr: number; batch: number; sigma: number; momentum: number; flipProb: number; seed: number } {
  return { steps, lr: p.lr, batch: p.batch, sigma: p.sigma, momentum: p.momentum, flipProb: p.flip_prob, seed: p.seed };
}

function rowOf(p: StudyPoint, s: TrainSummary, extra: { readonly preset: string; readonly wall_s: number }): StudyRow {
  const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const r = s as unknown as Record<string, unknown>;
  return {
    ...p,
    status: 'ok',
    preset: extra.preset,
    steps: s.steps,
    train_loss: numOrNull(s.train_loss),
    test_metric: numOrNull(s.test_metric),
    test_metric_name: s.test_metric_name,
    top_eigenvalue: numOrNull(r['top_eigenvalue']),
    trace_hessian: numOrNull(r['trace_hessian']),
    implicit_regularizer: numOrNull(r['implicit_regularizer']),
    params_l2: numOrNull(s.params_l2),
    wall_s: extra.wall_s,
    finished_at: new Date().toISOString(),
  };
}

function divergedRow(p: StudyPoint, extra: { readonly preset: string; readonly steps: number; readonly wall_s: number }): StudyRow {
  return {
    ...p,
    status: 'diverged',
    preset: extra.preset,
    steps: extra.steps,
    train_loss: null,
    test_metric: null,
    test_metric_name: null,
    top_eigenvalue: null,
    trace_hessian: null,
    implicit_regularizer: null,
    params_l2: null,
    wall_s: extra.wall_s,
    finished_at: new Date().toISOString(),
  };
}

/** Trains a point with workers = 1 in this process. */
function inProcessRunner(o: {
  readonly preset: string;
  readonly steps: number;
  readonly backend: BackendRequest;
  readonly out: string;
  readonly recordEvery: number;
  readonly sharpnessEvery: number;
}): StudyRunner {
  return async (p, onFraction) => {
    const t0 = performance.now();
    const config = resolveRunConfig(o.preset, hyperOf(p, o.steps));
    const trajectory: TrajectoryPoint[] = [];
    try {
      const s = await trainInProcess({
        config,
        backend: o.backend,
        progressEvery: Math.max(1, Math.floor(o.steps / 50)),
        // By default a study records the final sharpness only; estimates during each run cost time.
        sharpnessEvery: o.sharpnessEvery,
        recordEvery: o.recordEvery,
        onRecord: (r) => trajectory.push(r),
        onEvent: (e) => {
          if (e.event === 'progress') onFraction(e.step / o.steps);
        },
      });
      if (s.steps < o.steps) return 'interrupted';
      // Before the row: a run in results.jsonl always has its trajectory on disk.
      if (o.recordEvery > 0) writeTrajectory(o.out, p.run_id, trajectory);
      return rowOf(p, s, { preset: o.preset, wall_s: (performance.now() - t0) / 1000 });
    } catch (err: unknown) {
      if (err instanceof TrainingError && err.code === 'DIVERGED')
        return divergedRow(p, { preset: o.preset, steps: err.step ?? 0, wall_s: (performance.now() - t0) / 1000 });
      throw err;
    }
  };
}

/**
 * Trains a point with workers > 1 through `lnsgd train --workers N --json` in a child
 * process (the local cluster), reading its progress and summary lines.
 */
function clusterRunner(o: { readonly preset: string; readonly steps: number; readonly backend?: string }): StudyRunner {
  return (p, onFraction) =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const h = hyperOf(p, o.steps);
      const args = [
        process.argv[1],
        'train',
        '--workers',
        String(p.workers),
        '--preset',
        o.preset,
        '--steps',
        String(h.steps),
        '--lr',
        String(h.lr),
        '--batch',
        String(h.batch),
        '--sigma',
        String(h.sigma),
        '--momentum',
        String(h.momentum),
        '--flip-prob',
        String(h.flipProb),
        '--seed',
        String(h.seed),
        '--json',
        ...(o.backend !== undefined ? ['--backend', o.backend] : []),
      ];
      // A process group of its own: a terminal's Ctrl-C stops the study after this run,
      // and this run goes on to its end. It watches its stdin and ends with the study.
      const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], detached: true, env: { ...process.env, LNSGD_EXIT_WITH_PARENT: '1' } });
      child.stdin.on('error', () => undefined);
      let buffer = '';
      let summary: TrainSummary | undefined;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          try {
            const e = JSON.parse(line) as { event?: string; step?: number };
            if (e.event === 'progress' && typeof e.step === 'number') onFraction(e.step / h.steps);
            if (e.event === 'summary') summary = e as TrainSummary;
          } catch {
            // not a JSON line: the child's human output, ignore
          }
        }
      });
      child.on('error', reject);
      child.on('close', (code) => {
        if (summary !== undefined && summary.steps >= h.steps) resolve(rowOf(p, summary, { preset: o.preset, wall_s: (performance.now() - t0) / 1000 }));
        else if (summary !== undefined) resolve('interrupted');
        else
          reject(
            new ExperimentError(
              'INVALID_ARGUMENT',
              `study: \`lnsgd train --workers ${p.workers}\` for ${p.run_id} exited with code ${String(code)} and no summary`,
            ),
          );
      });
    });
}

/** A one-line progress bar over the whole study on stderr (redrawn in place on a terminal). */
function progressBar(): ((p: StudyProgress) => void) & { end(): void } {
  const tty = process.stderr.isTTY;
  const t0 = Date.now();
  let lastPrint = 0;
  let lastLine = '';
  const update = (p: StudyProgress): void => {
    const now = Date.now();
    const width = 30;
    const filled = Math.round(p.fraction * width);
    const elapsed = (now - t0) / 1000;
    const eta = p.fraction > 0 ? (elapsed * (1 - p.fraction)) / p.fraction : Number.NaN;
    const current = p.current === null ? '' : `  run ${p.runsDone + 1}/${p.runsToDo}: ${p.current.run_id} ${(100 * p.currentFraction).toFixed(0)}%`;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * p.fraction).toFixed(0).padStart(3)}%  ${p.runsDone}/${p.runsToDo} runs done${p.runsSkipped > 0 ? ` (${p.runsSkipped} skipped: already finished)` : ''}  ETA ${Number.isFinite(eta) ? `${eta.toFixed(0)}s` : '?'}${current}`;
    // On a pipe, print at most every 2 s or when a run finishes, to keep logs short.
    if (tty) {
      if (now - lastPrint < 100 && p.current !== null) return;
      process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 120) - 1).padEnd(lastLine.length)}`);
    } else {
      if (now - lastPrint < 2000 && p.current !== null) return;
      process.stderr.write(`${line}\n`);
    }
    lastPrint = now;
    lastLine = line;
  };
  return Object.assign(update, {
    end: (): void => {
      if (tty && lastLine !== '') process.stderr.write('\n');
    },
  });
}
