import { InvalidArgumentError } from 'commander';
import { initBackend, type BackendRequest } from '@lnsgd/backend';
import { createModel } from '@lnsgd/models';
import { configHash, readCheckpoint } from '@lnsgd/ps';
import { loadPresetData, summarizeRun, writeParamsFile, type RunConfig, type TrainSummary } from '@lnsgd/trainer';
import { checkResumeDir } from './preflight';

/** What the `--resume` checkpoints hold. */
export interface ResumePoint {
  /** The step every shard's checkpoint is at (the smallest, if they differ). */
  readonly step: number;
  /** The full parameter vector, assembled from the shards' slices. */
  readonly theta: Float32Array;
}

/**
 * Reads and checks every shard checkpoint of a `--resume` directory before any process
 * starts: each one's SHA-256, that it belongs to this run (preset, hyper-parameters,
 * --micro-batch, --shards), and the step it is at.
 *
 * @throws InvalidArgumentError naming --resume and the file.
 */
export function readResumePoint(dir: string, run: RunConfig, layout: { readonly shards: number; readonly microBatch: number }): ResumePoint {
  checkResumeDir(dir, layout.shards);
  // Key order matters to configHash: the same literal as the parameter server's.
  const hash = configHash(run, { microBatch: layout.microBatch, shards: layout.shards });
  const parts = [];
  for (let s = 0; s < layout.shards; s++) {
    let c;
    try {
      c = readCheckpoint(dir, { shard: s, shards: layout.shards });
    } catch (err: unknown) {
      throw new InvalidArgumentError(`--resume ${dir}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (c.header.configHash !== hash) {
      throw new InvalidArgumentError(
        `--resume ${dir}: shard-${s}-of-${layout.shards}.ckpt is of another run; use the preset, hyper-parameter flags, --micro-batch and --shards it was trained with (only --steps may differ)`,
      );
    }
    parts.push(c);
  }
  const length = Math.max(...parts.map((p) => p.header.offset + p.header.length));
  const theta = new Float32Array(length);
  for (const p of parts) theta.set(p.params, p.header.offset);
  return { step: Math.min(...parts.map((p) => p.header.version)), theta };
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
  if (o.saveParams !== undefined) writeParamsFile(o.saveParams, { header: { preset: preset.name, step: o.point.step, seed: hyper.seed, eta: hyper.lr, beta: hyper.momentum }, theta: o.point.theta });
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
