/**
 * Entry of the worker thread that takes a run's final sharpness estimate when it is
 * long: the main thread stays free to show its progress and to skip it on Ctrl-C
 * (by terminating this thread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, type BackendName } from '@lnsgd/backend';
import { createModel } from '@lnsgd/models';
import { measureSharpness, type SharpnessBudget } from './measure_sharpness';
import { loadPresetData } from './preset_data';
import { resolveRunConfig } from './run_config';
import type { Hyper } from './presets';

/** What the thread is given. */
export interface FinalSharpnessThreadData {
  readonly preset: string;
  readonly hyper: Hyper;
  readonly theta: Float32Array;
  readonly budget: SharpnessBudget;
  readonly backend: BackendName;
}

async function run(port: NonNullable<typeof parentPort>, data: FinalSharpnessThreadData): Promise<void> {
  await initBackend({ request: data.backend });
  const { preset, hyper } = resolveRunConfig(data.preset, data.hyper);
  const { train } = loadPresetData(preset.data, hyper.seed);
  const model = createModel(preset.model.name, preset.model.options ?? {});
  const fields = measureSharpness({ model, theta: data.theta, ds: train, seed: hyper.seed, eta: hyper.lr, beta: hyper.momentum, budget: data.budget });
  port.postMessage({ kind: 'result', fields });
}

const port = parentPort;
if (port !== null) {
  run(port, workerData as FinalSharpnessThreadData).catch((err: unknown) =>
    port.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
}
