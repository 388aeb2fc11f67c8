import { initBackend } from '@lnsgd/backend';
import { createModel, type ModelName } from '@lnsgd/models';
import { createHvpExecutor } from './hvp_executor';
import { HVP_HOST_SILENT_EXIT, serveHvpRounds } from './hvp_round_worker';
import { loadPresetData } from './preset_data';
import { resolveRunConfig } from './run_config';
import { teacherData } from './sharpness_calibration';

/** argv[2] of this process (JSON): a round worker for the e2e tests and `npm run bench -- hvp`. */
export interface HvpRoundWorkerArgs {
  readonly endpoint: string;
  readonly rank: number;
  /** A preset's model and data, or a zoo model on a synthetic teacher set of `n` samples. */
  readonly model: { readonly preset: string } | { readonly name: ModelName; readonly options: object; readonly n: number };
  readonly seed: number;
  readonly samples: number;
  readonly chunks: number;
  /** Fault injection for tests: exit (code 3) on receiving its n-th task, before answering. */
  readonly exitAtTask?: number;
  /** Milliseconds between pings of the host (default HVP_PING_MS); the process exits (code 4) after HVP_SILENT_PINGS unanswered. */
  readonly pingMs?: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as HvpRoundWorkerArgs;
  await initBackend({ request: 'wasm' });
  const m = args.model;
  const { model, ds } =
    'preset' in m
      ? (() => {
          const config = resolveRunConfig(m.preset, {});
          const mdl = createModel(config.preset.model.name, config.preset.model.options ?? {});
          return { model: mdl, ds: loadPresetData(config.preset.data, args.seed).train };
        })()
      : (() => {
          // The options come from the test or bench that spawned us, written for this model.
          const mdl = createModel(m.name, m.options as never);
          return { model: mdl, ds: teacherData(mdl, m.n) };
        })();
  const executor = createHvpExecutor({ model, ds, seed: args.seed, samples: args.samples, chunks: args.chunks });
  const exitAt = args.exitAtTask;
  let tasks = 0;
  const worker = serveHvpRounds({
    endpoint: args.endpoint,
    rank: args.rank,
    executor: {
      chunks: executor.chunks,
      endRound: () => executor.endRound(),
      answer: (a) => {
        if (exitAt !== undefined && ++tasks >= exitAt) process.exit(3);
        return executor.answer(a);
      },
    },
    ...(args.pingMs !== undefined ? { pingMs: args.pingMs } : {}),
    // Serving rounds is all this process is for: with its host gone it has nothing to do.
    onHostSilent: (ms) => {
      process.stderr.write(`hvp round worker rank ${args.rank}: host ${args.endpoint} silent for ${ms} ms; exiting\n`);
      void worker.close().then(() => process.exit(HVP_HOST_SILENT_EXIT));
    },
  });
  const stop = (): void => void worker.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
