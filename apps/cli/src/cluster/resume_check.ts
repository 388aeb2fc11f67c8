import { InvalidArgumentError } from 'commander';
import { initBackend, type BackendRequest } from '@lnsgd/backend';
import { createModel } from '@lnsgd/models';
import { configHash, listCheckpoints, readCheckpointFile } from '@lnsgd/ps';
import { loadPresetData, summarizeRun, writeParamsFile, type RunConfig, type TrainSummary } from '@lnsgd/trainer';
import { checkResumeDir } from './preflight';

/** What the `--resume` checkpoints hold. */
export interface ResumePoint {
  /** The newest step at which every shard has an intact checkpoint. */
  readonly step: number;
  /** The full parameter vector, assembled from the shards' slices. */
  readonly theta: Float32Array;
  /** Newer checkpoint files passed over, each with why (damaged, or a step another shard lacks). */
  readonly skipped: readonly string[];
}

/**
 * Reads and checks every shard checkpoint of a `--resume` directory before any process
 * starts: each one's SHA-256, that it belongs to this run (preset, hyper-parameters,
 * --micro-batch, --shards), and the step it is at; picks the newest step at which every
 * shard has an intact one, and names the newer files it passed over.
 *
 * @throws InvalidArgumentError naming --resume and the file.
 */
export function readResumePoint(
  dir: string,
  run: RunConfig,
  layout: { readonly shards: number; readonly microBatch: number; readonly wireDtype?: string },
): ResumePoint {
  checkResumeDir(dir, layout.shards);
  // Key order matters to configHash: the same literal as the parameter server's.
  const hash = configHash(run, { microBatch: layout.microBatch, shards: layout.shards, wireDtype: layout.wireDtype });
  // Every file of every shard is read (SHA-256 checked), keeping only its step: the chosen ones are read again.
  const intact: Map<number, string>[] = [];
  const damaged: { version?: number; reason: string }[][] = [];
  for (let s = 0; s < layout.shards; s++) {
    const mine = new Map<number, string>();
    const bad: { version?: number; reason: string }[] = [];
    for (const { path, version } of listCheckpoints(dir, { shard: s, shards: layout.shards })) {
      let h;
      try {
        h = readCheckpointFile(path).header;
      } catch (err: unknown) {
        bad.push({ version, reason: err instanceof Error ? err.message : String(err) });
        continue;
      }
      if (h.configHash !== hash) {
        throw new InvalidArgumentError(
          `--resume ${dir}: ${path} is of another run; use the preset, hyper-parameter flags, --micro-batch, --shards and --wire-dtype it was trained with (only --steps may differ)`,
        );
      }
      if (!mine.has(h.version)) mine.set(h.version, path);
    }
    intact.push(mine);
    damaged.push(bad);
  }
  const common = [...intact[0].keys()].filter((v) => intact.every((m) => m.has(v)));
  if (common.length === 0) {
    const why = damaged
      .flat()
      .map((d) => `\n  - ${d.reason}`)
      .join('');
    throw new InvalidArgumentError(
      `--resume ${dir}: no step at which all ${layout.shards} shard(s) have an intact checkpoint${why === '' ? '' : `; passed over:${why}`}`,
    );
  }
  const step = Math.max(...common);
  const skipped: string[] = [];
  for (let s = 0; s < layout.shards; s++) {
    for (const d of damaged[s]) if (d.version === undefined || d.version > step) skipped.push(d.reason);
    for (const [v, path] of intact[s]) if (v > step) skipped.push(`checkpoint ${path}: at step ${v}, but not every shard has an intact checkpoint there`);
  }
  const parts = intact.map((m) => {
    try {
      return readCheckpointFile(m.get(step) ?? '');
    } catch (err: unknown) {
      throw new InvalidArgumentError(`--resume ${dir}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const length = Math.max(...parts.map((p) => p.header.offset + p.header.length));
  const theta = new Float32Array(length);
  for (const p of parts) theta.set(p.params, p.header.offset);
  return { step, theta, skipped };
}

/**
 * The summary of a run whose checkpoint is already at its last step, computed here
 * from the checkpoint's θ: nothing is left to train, so no process is started.
 *
 * @param o the run, the checkpoint, the backend, whether to estimate sharpness, and where to save θ.
 */
export async function summarizeFinishedRun(o: {
  readonly run: RunConfig;
  readonly point: ResumePoint;
  readonly backend: BackendRequest;
  readonly sharpness: boolean;
  readonly saveParams?: string;
}): Promise<TrainSummary> {
  const { preset, hyper } = o.run;
  const backend = await initBackend({ request: o.backend });
  const data = loadPresetData(preset.data, hyper.seed);
  const model = createModel(preset.model.name, preset.model.options ?? {});
  if (model.numParams !== o.point.theta.length) {
    throw new InvalidArgumentError(`--resume: the checkpoints hold ${o.point.theta.length} parameters, ${preset.name}'s model has ${model.numParams}`);
  }
  if (o.saveParams !== undefined)
    writeParamsFile(o.saveParams, {
      header: { preset: preset.name, step: o.point.step, seed: hyper.seed, eta: hyper.lr, beta: hyper.momentum },
      theta: o.point.theta,
    });
  return summarizeRun({
    config: o.run,
    model,
    data,
    backend: backend.name,
    theta: o.point.theta,
    steps: o.point.step,
    lastBatchLoss: Number.NaN,
    startedAt: performance.now(),
    sharpness: o.sharpness ? {} : false,
  });
}
