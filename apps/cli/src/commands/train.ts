import { Command, InvalidArgumentError, Option } from 'commander';
import { trainLocalCluster } from '../cluster/train_cluster';
import { parseBackendRequest, backendRequestFromEnv } from '@lnsgd/backend';
import {
  defaultSharpnessEvery,
  HYPER_KEYS,
  PARAM_TABLE,
  paramOption,
  paramOptions,
  resolveRunConfig,
  trainInProcess,
  type Hyper,
  type FinalSharpnessEvent,
  type TrainEvent,
  type TrainSummary,
} from '@lnsgd/trainer';
import { formatProgress, formatSummary } from '../format';
import { num } from '../parse_number';
import { createModel } from '@lnsgd/models';
import { checkOutputDir, checkOutputFile } from '../cluster/preflight';
import { readResumePoint, summarizeFinishedRun } from '../cluster/resume_check';
import { shardOptimizerFor } from '@lnsgd/ps';

/** Commander's values: the table's hyper-parameters (each optional: the preset's default) and the command's own flags. */
interface TrainFlags extends Partial<Hyper> {
  inprocess?: boolean;
  preset: string;
  backend?: string;
  json?: boolean;
  progressEvery?: number;
  saveParams?: string;
  sharpness?: boolean;
  workers?: number;
  shards?: number;
  microBatch?: number;
  wireDtype?: string;
  checkpointDir?: string;
  checkpointEvery?: number;
  checkpointKeep?: number;
  resume?: string;
  metrics?: boolean;
  metricsEverySteps?: number;
  metricsEverySeconds?: number;
  metricsPort?: number;
  metricsSharpness?: 'local' | 'distributed';
  metricsSharpnessBudget?: number;
  run?: string;
  onWorkerLoss?: 'wait' | 'rebalance' | 'fail';
  heartbeatTimeoutMs?: number;
  maxRestarts?: number;
  verbose?: boolean;
}

/**
 * `lnsgd train`: by default a local cluster (parameter-server shards and workers as
 * separate processes over ZeroMQ on loopback); `--inprocess` runs everything here.
 */
export function registerTrainCommand(program: Command): void {
  const train = program
    .command('train')
    .description('train a preset with label-noise SGD and print a summary')
    .option('--inprocess', 'run trainer, optimizer and data in this one process')
    .option('--workers <N>', 'cluster: worker processes sharing each step (default 1)', num('--workers'))
    .option('--shards <S>', 'cluster: parameter-server shards (default 1)', num('--shards'))
    .addOption(paramOption('microBatch', { description: `cluster: ${PARAM_TABLE.microBatch.doc}` }))
    .addOption(paramOption('wireDtype', { description: `cluster: ${PARAM_TABLE.wireDtype.doc}` }))
    .option('--checkpoint-dir <dir>', 'cluster: parameter-server checkpoints go here')
    .option('--checkpoint-every <k>', 'cluster: checkpoint every k steps (default: only at the end)', num('--checkpoint-every'))
    .option('--checkpoint-keep <k>', 'cluster: checkpoints kept per shard, newest first (default 3)', num('--checkpoint-keep'))
    .option('--resume <dir>', 'cluster: continue from the checkpoints in <dir>')
    .option('--no-metrics', 'no sharpness estimates while training (cluster: no sharpness monitor; every process still serves /metrics)')
    .option(
      '--metrics-every-steps <k>',
      'estimate λ_max, tr∇²L and R(θ) every k steps while training, the first at the start (default: steps/10, about ten estimates)',
      num('--metrics-every-steps'),
    )
    .option('--metrics-every-seconds <t>', 'cluster: the sharpness monitor estimates every t seconds', num('--metrics-every-seconds'))
    .option(
      '--metrics-port <p>',
      "cluster: port of the sharpness monitor's /metrics on 127.0.0.1 (default 0: a free one, listed in the endpoints event)",
      num('--metrics-port'),
    )
    .addOption(
      new Option(
        '--metrics-sharpness <where>',
        "cluster: the sharpness monitor's Hessian-vector products by estimation rounds on the workers (distributed, the default) or on its own process (local)",
      ).choices(['local', 'distributed']),
    )
    .option(
      '--metrics-sharpness-budget <f>',
      'cluster, distributed: most fraction of wall time the workers spend in estimation rounds; after a round of d s the next waits d·(1−f)/f (default 0.05; 1: back to back)',
      num('--metrics-sharpness-budget'),
    )
    .option('--run <id>', 'cluster: run id, the `run` label of every metric (default <preset>-<yyyymmdd-hhmmss>)')
    .addOption(
      new Option(
        '--on-worker-loss <policy>',
        "cluster: a lost worker's share is spread over the survivors keeping B and λ (rebalance), waited for (wait), or ends the run (fail)",
      )
        .choices(['rebalance', 'wait', 'fail'])
        .default('rebalance'),
    )
    .option('--heartbeat-timeout-ms <ms>', 'cluster: a worker silent this long is lost (default 10000)', num('--heartbeat-timeout-ms'))
    .option(
      '--max-restarts <n>',
      "cluster: processes that die are started again, this many times in all (a parameter server only with --checkpoint-dir; default 3; 0: none, a lost worker's share goes to the survivors)",
      num('--max-restarts'),
    )
    .addOption(paramOption('preset', { withDefault: true }));
  // Every hyper-parameter of the table, in its order.
  for (const o of paramOptions(HYPER_KEYS)) train.addOption(o);
  train
    .option('--backend <name>', 'auto | tensorflow-gpu | tensorflow | wasm | cpu (env LNSGD_BACKEND)')
    .option('--progress-every <n>', 'steps between progress events (default steps/100)', num('--progress-every'))
    .option('--save-params <file>', 'write the final parameters (for `lnsgd sharpness --checkpoint`)')
    .option('--no-sharpness', 'skip the sharpness estimate at the final parameters')
    .option('--json', 'JSON lines on stdout; the last line is the summary')
    .option('--verbose', 'print every field of the summary, not the short human one')
    .addHelpText(
      'after',
      `
Examples:
  $ lnsgd train --preset uv-toy --workers 2 --json
  $ lnsgd train --preset mlp --workers 2 --shards 2 --micro-batch 64 --steps 50
  $ lnsgd train --preset uv-toy --workers 2 --checkpoint-dir ckpt --checkpoint-every 100 --json
  $ lnsgd train --inprocess --preset uv-toy --json
  $ lnsgd train --inprocess --preset uv-toy --sigma 0 --steps 2000
  $ lnsgd train --inprocess --preset mlp --steps 50 --flip-prob 0.2 --backend wasm --no-sharpness`,
    )
    .action(async (flags: TrainFlags) => {
      const overrides = Object.fromEntries(HYPER_KEYS.map((k) => [k, flags[k]])) as Partial<Hyper>;
      const config = resolveRunConfig(flags.preset, overrides);
      // Everything is checked here, before any process starts or step runs.
      if (flags.metrics === false) {
        for (const [flag, v] of [
          ['--metrics-every-steps', flags.metricsEverySteps],
          ['--metrics-every-seconds', flags.metricsEverySeconds],
          ['--metrics-port', flags.metricsPort],
          ['--metrics-sharpness', flags.metricsSharpness],
          ['--metrics-sharpness-budget', flags.metricsSharpnessBudget],
        ] as const) {
          if (v !== undefined) throw new InvalidArgumentError(`${flag} conflicts with --no-metrics (no estimates are taken); drop one of them`);
        }
      }
      const checkCount = (name: string, v: number, max: number): void => {
        if (!Number.isInteger(v) || v < 1 || v > max) throw new InvalidArgumentError(`${name} must be an integer in [1, ${max}], got ${v}`);
      };
      if (flags.metricsEverySteps !== undefined) checkCount('--metrics-every-steps', flags.metricsEverySteps, 1e9);
      if (flags.progressEvery !== undefined) checkCount('--progress-every', flags.progressEvery, 1e9);
      if (flags.backend !== undefined) parseBackendRequest(flags.backend);
      if (flags.saveParams !== undefined) checkOutputFile('--save-params', flags.saveParams);
      if (flags.inprocess !== true) {
        const workers = flags.workers ?? 1;
        const shards = flags.shards ?? 1;
        const microBatch = flags.microBatch ?? 0;
        checkCount('--workers', workers, 256);
        checkCount('--shards', shards, 64);
        // Each shard owns at least one parameter.
        const numParams = createModel(config.preset.model.name, config.preset.model.options ?? {}).numParams;
        if (shards > numParams)
          throw new InvalidArgumentError(
            `--shards must be an integer in [1, ${Math.min(64, numParams)}] for ${config.preset.name} (${numParams} parameters), got ${shards}`,
          );
        if (!Number.isInteger(microBatch) || microBatch < 0) throw new InvalidArgumentError(`--micro-batch must be an integer >= 0, got ${microBatch}`);
        // The PS refuses whole-vector recipes (LARS, clipping) with several shards: say so before any process starts.
        try {
          shardOptimizerFor(config.hyper, { shards });
        } catch (err: unknown) {
          throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
        }
        if (flags.checkpointEvery !== undefined) checkCount('--checkpoint-every', flags.checkpointEvery, 1e9);
        if (flags.checkpointEvery !== undefined && flags.checkpointDir === undefined)
          throw new InvalidArgumentError('--checkpoint-every needs --checkpoint-dir (where the checkpoints go)');
        if (flags.checkpointKeep !== undefined) checkCount('--checkpoint-keep', flags.checkpointKeep, 1e6);
        if (flags.checkpointDir !== undefined) checkOutputDir('--checkpoint-dir', flags.checkpointDir);
        if (flags.metricsEverySeconds !== undefined && !(flags.metricsEverySeconds > 0))
          throw new InvalidArgumentError(`--metrics-every-seconds must be > 0, got ${flags.metricsEverySeconds}`);
        if (flags.metricsSharpnessBudget !== undefined) {
          if (!(flags.metricsSharpnessBudget > 0 && flags.metricsSharpnessBudget <= 1))
            throw new InvalidArgumentError(`--metrics-sharpness-budget must be in (0, 1], got ${flags.metricsSharpnessBudget}`);
          if (flags.metricsSharpness === 'local')
            throw new InvalidArgumentError('--metrics-sharpness-budget paces estimation rounds on the workers: it conflicts with --metrics-sharpness local');
        }
        if (flags.metricsPort !== undefined && (!Number.isInteger(flags.metricsPort) || flags.metricsPort < 0 || flags.metricsPort > 65535)) {
          throw new InvalidArgumentError(`--metrics-port must be an integer in [0, 65535], got ${flags.metricsPort}`);
        }
        if (flags.run !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(flags.run)) {
          throw new InvalidArgumentError(`--run must be 1–128 of A–Z a–z 0–9 _ . : - starting with a letter or digit, got '${flags.run}'`);
        }
        if (flags.heartbeatTimeoutMs !== undefined) checkCount('--heartbeat-timeout-ms', flags.heartbeatTimeoutMs, 3_600_000);
        if (flags.maxRestarts !== undefined && (!Number.isInteger(flags.maxRestarts) || flags.maxRestarts < 0 || flags.maxRestarts > 1000)) {
          throw new InvalidArgumentError(`--max-restarts must be an integer in [0, 1000], got ${flags.maxRestarts}`);
        }
        const json = flags.json === true;
        let resumeStep: number | undefined;
        if (flags.resume !== undefined) {
          const point = readResumePoint(flags.resume, config, { shards, microBatch, wireDtype: flags.wireDtype });
          // Said in --json mode too: stderr carries the logs, and a passed-over checkpoint needs a look.
          for (const why of point.skipped) process.stderr.write(`lnsgd: --resume ${flags.resume}: passed over ${why}\n`);
          if (point.skipped.length > 0)
            process.stderr.write(`lnsgd: --resume ${flags.resume}: resuming at step ${point.step}, the newest step every shard has intact\n`);
          resumeStep = point.step;
          if (point.step >= config.hyper.steps) {
            // Nothing is left to train: the summary of the checkpoint, at once.
            if (!json)
              process.stderr.write(
                `lnsgd: the checkpoints in ${flags.resume} are at step ${point.step}, the run's last (--steps ${config.hyper.steps}): nothing to train; summarizing them\n`,
              );
            const summary = await summarizeFinishedRun({
              run: config,
              point,
              backend: flags.backend !== undefined ? parseBackendRequest(flags.backend) : backendRequestFromEnv(process.env),
              sharpness: flags.sharpness !== false,
              saveParams: flags.saveParams,
            });
            const out = { ...summary, workers, shards, resumed_at_step: point.step };
            process.stdout.write(json ? `${JSON.stringify(out)}\n` : formatSummary(out, flags.verbose === true));
            return;
          }
        }
        const hyperArgs = HYPER_KEYS.flatMap((key) => (flags[key] === undefined ? [] : [PARAM_TABLE[key].flag, String(flags[key])]));
        await trainLocalCluster({
          preset: config.preset.name,
          hyperArgs,
          workers,
          shards,
          microBatch,
          wireDtype: flags.wireDtype,
          backend: flags.backend,
          progressEvery: flags.progressEvery,
          sharpness: flags.sharpness !== false,
          checkpointDir: flags.checkpointDir,
          checkpointEvery: flags.checkpointEvery,
          resume: flags.resume,
          resumeStep,
          checkpointKeep: flags.checkpointKeep,
          saveParams: flags.saveParams,
          metrics: flags.metrics !== false,
          // Without a schedule, about ten estimates over the run, the first at its start.
          metricsEverySteps: flags.metricsEverySteps ?? (flags.metricsEverySeconds === undefined ? defaultSharpnessEvery(config.hyper.steps) : undefined),
          metricsEverySeconds: flags.metricsEverySeconds,
          metricsPort: flags.metricsPort,
          // The workers compute the products; local (the monitor alone) stays as a fallback.
          metricsSharpness: flags.metricsSharpness ?? 'distributed',
          metricsSharpnessBudget: flags.metricsSharpnessBudget,
          runId: flags.run,
          onWorkerLoss: flags.onWorkerLoss ?? 'rebalance',
          heartbeatTimeoutMs: flags.heartbeatTimeoutMs ?? 10_000,
          maxRestarts: flags.maxRestarts ?? 3,
          json,
          verbose: flags.verbose === true,
          totalSteps: config.hyper.steps,
          eta: config.hyper.lr,
          beta: config.hyper.momentum,
        });
        return;
      }
      for (const [flag, v] of [
        ['--workers', flags.workers],
        ['--shards', flags.shards],
        ['--micro-batch', flags.microBatch],
        ['--wire-dtype', flags.wireDtype],
        ['--checkpoint-dir', flags.checkpointDir],
        ['--resume', flags.resume],
        ['--checkpoint-every', flags.checkpointEvery],
        ['--checkpoint-keep', flags.checkpointKeep],
        ['--metrics-every-seconds', flags.metricsEverySeconds],
        ['--on-worker-loss', flags.onWorkerLoss === 'rebalance' ? undefined : flags.onWorkerLoss],
        ['--heartbeat-timeout-ms', flags.heartbeatTimeoutMs],
        ['--max-restarts', flags.maxRestarts],
        ['--metrics-port', flags.metricsPort],
        ['--metrics-sharpness', flags.metricsSharpness],
        ['--metrics-sharpness-budget', flags.metricsSharpnessBudget],
        ['--run', flags.run],
      ] as const) {
        if (v !== undefined) throw new InvalidArgumentError(`${flag} applies to the cluster mode; drop --inprocess to use it`);
      }
      const backend = flags.backend !== undefined ? parseBackendRequest(flags.backend) : backendRequestFromEnv(process.env);
      const json = flags.json === true;
      let stopRequested = false;
      const onSigint = (): void => {
        if (stopRequested) process.exit(130);
        stopRequested = true;
        process.stderr.write('\nlnsgd: stopping after this step; the summary follows without the final sharpness estimate (Ctrl-C again to abort)\n');
      };
      process.on('SIGINT', onSigint);
      let lastPrint = 0;
      const onEvent = (e: TrainEvent): void => {
        if (json) {
          process.stdout.write(`${JSON.stringify(e)}\n`);
          return;
        }
        if (e.event === 'start') {
          process.stderr.write(
            `lnsgd: preset ${e.preset}, model ${e.model} (${e.num_params} params), backend ${e.backend} (${e.backend_reason}), B = ${e.global_batch}, η = ${e.eta}, λ = ${e.lambda ?? 'n/a'}\n`,
          );
        } else if (e.event === 'progress') {
          const now = Date.now();
          if (now - lastPrint >= 1000 || e.eta_s === 0) {
            lastPrint = now;
            process.stderr.write(`${formatProgress(e, config.hyper.steps)}\n`);
          }
        } else {
          process.stdout.write(formatSummary(e, flags.verbose === true));
        }
      };
      let ticker: NodeJS.Timeout | undefined;
      const onFinalSharpness = (e: FinalSharpnessEvent): void => {
        if (json) {
          process.stdout.write(`${JSON.stringify(e)}\n`);
          return;
        }
        const about = e.expected_s === null ? '' : `, about ${e.expected_s < 1 ? '<1' : e.expected_s.toFixed(0)} s like the last one`;
        process.stderr.write(
          `lnsgd: training done at step ${e.step}; estimating λ_max, tr∇²L and R(θ) at the final θ (${e.hvps} Hessian-vector products${about}; Ctrl-C skips it)\n`,
        );
        const t0 = Date.now();
        // Runs while a long estimate works in its thread (a short one ends before the first tick).
        ticker = setInterval(() => {
          const s = (Date.now() - t0) / 1000;
          process.stderr.write(`lnsgd: final sharpness estimate: ${s.toFixed(0)} s${e.expected_s === null ? '' : ` of about ${e.expected_s.toFixed(0)} s`}\n`);
        }, 5000);
      };
      let summary: TrainSummary | undefined;
      try {
        summary = await trainInProcess({
          config,
          backend,
          onEvent,
          onFinalSharpness,
          progressEvery: flags.progressEvery,
          shouldStop: () => stopRequested,
          saveParams: flags.saveParams,
          sharpness: flags.sharpness === false ? false : {},
          sharpnessEvery: flags.metrics === false ? 0 : (flags.metricsEverySteps ?? defaultSharpnessEvery(config.hyper.steps)),
        });
      } finally {
        process.off('SIGINT', onSigint);
        clearInterval(ticker);
      }
      if (summary.interrupted === true) process.exitCode = 130;
    });
}
