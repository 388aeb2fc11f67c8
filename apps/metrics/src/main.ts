import { Command } from 'commander';
import { Registry } from 'prom-client';
import { setPriority } from 'node:os';
import { createTelemetry, startMetricsServer } from '@lnsgd/telemetry';
import { implicitRegularizationStrength, stabilityThreshold } from '@lnsgd/optim';
import { createModel } from '@lnsgd/models';
import { startHvpRoundHost } from '@lnsgd/ps';
import { evalChunks, loadPresetData, PARAM_TABLE, paramOption, presetTask, resolveRunConfig, widestRoundBlock, type RunConfig } from '@lnsgd/trainer';
import { startEstimatorThread } from './estimator_client';
import { startMonitor, type MonitorOutcome } from './monitor';
import { trainingStepsLost } from './round_cost';
import { curveConfigFromEnv, sharedPairCurve } from '@lnsgd/transport';
import { resolveMetricsConfig, splitEndpoints, type MetricsConfig } from './config';
import { paramsFileSource } from './sources/params_file_source';
import { psSnapshotSource } from './sources/ps_source';
import type { SnapshotSource } from './snapshot';

// The readers of untrusted input, for the fuzzer.
export { paramsFileSource, resolveMetricsConfig };

const num =
  (flag: string) =>
  (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`${flag}: expected a number, got '${v}'`);
    return n;
  };

/** Builds the `lnsgd-metrics` command (exported so its help examples can be tested). */
export function metricsCommand(): Command {
  return new Command('lnsgd-metrics')
    .description('sharpness monitor: polls parameter snapshots, estimates λ_max, tr∇²L and R(θ) off the training path, serves /metrics')
    .option('--params <path>', 'parameter file or directory of *.bin parameter files to poll (env LNSGD_METRICS_PARAMS)')
    .option('--ps <endpoint,…>', 'parameter-server shard endpoints, in shard order, to ask for snapshots (env LNSGD_PS_ENDPOINTS)', splitEndpoints)
    .addOption(paramOption('preset', { description: `preset of the run (env ${PARAM_TABLE.preset.env})` }))
    .option('--run <id>', 'run id, the `run` label of every series (env LNSGD_RUN; default local)')
    .option('--host <addr>', 'interface for /metrics (env LNSGD_METRICS_HOST; default 127.0.0.1)')
    .option('--port <n>', 'port for /metrics, 0 for a free one (env LNSGD_METRICS_PORT; default 0)', num('--port'))
    .option('--every-steps <k>', 'estimate every k training steps (env LNSGD_METRICS_EVERY_STEPS)', num('--every-steps'))
    .option('--every-seconds <t>', 'estimate every t seconds (env LNSGD_METRICS_EVERY_SECONDS; default 10 when neither is set)', num('--every-seconds'))
    .option('--poll-seconds <t>', 'seconds between looks at the source (default 0.5)', num('--poll-seconds'))
    .option('--final-step <n>', "the run's last step: its snapshot finishes the source (default with --ps: the preset's steps)", num('--final-step'))
    .option(
      '--exit-when-done',
      'exit after the final snapshot is estimated; status 1 when its estimate fails or the source cannot be read (wrong parameter count)',
    )
    .option('--lanczos-steps <n>', 'Lanczos steps for λ_max and top-k (default 20)', num('--lanczos-steps'))
    .option('--probes <n>', 'SLQ probes for tr∇²L and R(θ) (default 10)', num('--probes'))
    .option('--slq-steps <n>', 'Lanczos steps per SLQ probe (default 15)', num('--slq-steps'))
    .option('--samples <n>', 'size of the fixed evaluation batch (default 1024)', num('--samples'))
    .option('--top-k <n>', 'top eigenvalues to export (default 5, at most 10)', num('--top-k'))
    .option('--test-samples <n>', 'test samples for the test metric (default 2048)', num('--test-samples'))
    .option('--nice <n>', 'CPU nice value of the service, 19 is lowest (env LNSGD_METRICS_NICE; default 10)', num('--nice'))
    .option(
      '--sharpness <where>',
      'local: products on this service; distributed: by estimation rounds on the workers (env LNSGD_METRICS_SHARPNESS; default distributed when --hvp-bind and --hvp-workers are given, else local)',
    )
    .option('--hvp-bind <endpoint>', 'endpoint the estimation-round host binds with --sharpness distributed (env LNSGD_METRICS_HVP_BIND)')
    .option('--hvp-workers <n>', 'workers to wait for before the first round (env LNSGD_METRICS_HVP_WORKERS)', num('--hvp-workers'))
    .option('--hvp-chunks <n>', 'chunks of the evaluation batch, the same on the workers (default 8)', num('--hvp-chunks'))
    .option(
      '--sharpness-budget <f>',
      'most fraction of wall time the workers spend in estimation rounds: after a round of d s the next waits d·(1−f)/f (env LNSGD_METRICS_SHARPNESS_BUDGET; default 0.05; 1: back to back)',
      num('--sharpness-budget'),
    )
    .option(
      '--heartbeat-timeout-ms <ms>',
      "the run's heartbeat timeout: a worker silent this long in a round, or 3 typical rounds if longer, is lost (env LNSGD_HEARTBEAT_TIMEOUT_MS; default 120000)",
      num('--heartbeat-timeout-ms'),
    )
    .option(
      '--startup-grace-ms <ms>',
      "the run's start-up grace: the loss limit before a first round closed, and the longest wait for --hvp-workers (env LNSGD_STARTUP_GRACE_MS; default 120000)",
      num('--startup-grace-ms'),
    )
    .option('--backend <name>', 'auto | tensorflow-gpu | tensorflow | wasm | cpu (env LNSGD_BACKEND)')
    .addOption(paramOption('lr', { description: "the run's η (default: the preset's)" }))
    .addOption(paramOption('momentum', { description: "the run's β" }))
    .addOption(paramOption('sigma', { description: "the run's σ" }))
    .addOption(paramOption('batch', { description: "the run's global batch B" }))
    .addOption(paramOption('seed', { description: "the run's seed (evaluation batch, θ_start)" }))
    .addHelpText(
      'after',
      `
Prints one JSON line {"event":"listening","metrics_url":…} once /metrics serves, then one
{"event":"estimate",…} line per estimate.

Examples:
  $ lnsgd train --inprocess --preset uv-toy --save-params runs/uv.bin && lnsgd-metrics --params runs/uv.bin --preset uv-toy --final-step 20000 --exit-when-done
  $ lnsgd-metrics --params runs/uv/ --preset uv-toy --every-steps 1000 --port 9400 --host 0.0.0.0
  $ lnsgd-metrics --ps tcp://127.0.0.1:7000,tcp://127.0.0.1:7001 --preset mlp --every-seconds 30`,
    );
}

/** Runs the service until SIGINT/SIGTERM (or the final estimate with --exit-when-done). */
export async function runMetricsCli(argv: readonly string[]): Promise<void> {
  const program = metricsCommand();
  program.parse([...argv]);
  let config: MetricsConfig;
  try {
    config = resolveMetricsConfig({ flags: program.opts(), env: process.env });
  } catch (err: unknown) {
    process.stderr.write(`lnsgd-metrics: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    await serve(config);
  } catch (err: unknown) {
    process.stderr.write(`lnsgd-metrics: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

const line = (o: object): void => void process.stdout.write(`${JSON.stringify(o)}\n`);

async function serve(config: MetricsConfig): Promise<void> {
  const overrides = { lr: config.lr, momentum: config.momentum, sigma: config.sigma, batch: config.batch, seed: config.seed };
  const run = resolveRunConfig(config.preset, overrides);
  let niceApplied = true;
  try {
    // The whole service yields the CPU to training; the estimator thread sets it again for itself.
    setPriority(config.nice);
  } catch {
    niceApplied = false;
  }
  const registry = new Registry();
  const telemetry = createTelemetry({ registry, identity: { run: config.run, role: 'metrics' } });
  describeRun(telemetry, run);
  const server = await startMetricsServer({ registry, host: config.host, port: config.port });
  line({ event: 'listening', metrics_url: server.metricsUrl, healthz_url: server.metricsUrl.replace(/metrics$/, 'healthz'), pid: process.pid });
  // --sharpness distributed: the estimator thread's products become estimation rounds
  // that this thread runs on the workers, at the θ of the snapshot being estimated.
  const host =
    config.sharpness === 'distributed' && config.hvpBind !== undefined
      ? await startHvpRoundHost({
          endpoint: config.hvpBind,
          chunkSamples: evalChunks({
            seed: run.hyper.seed,
            n: loadPresetData(run.preset.data, run.hyper.seed).train.n,
            size: config.samples,
            chunks: config.hvpChunks,
          }).samples,
          lossTimeoutMs: config.heartbeatTimeoutMs,
          startupGraceMs: config.startupGraceMs,
          budget: config.sharpnessBudget,
          // The workers hold the same client pair as this service: only they get in.
          curve: sharedPairCurve(curveConfigFromEnv(process.env, 'client'), 'server'),
          log: (l) => process.stderr.write(`lnsgd-metrics: ${l}\n`),
        })
      : undefined;
  if (host !== undefined) {
    line({ event: 'hvp_round_host', endpoint: host.endpoint, workers: config.hvpWorkers, budget: host.budget });
    telemetry.update({ sharpnessRoundBudget: host.budget });
  }
  let stopping = false;
  // Set once the source exists (it needs the estimator's parameter count); read for the steps trained during an estimate.
  const sourceRef: { current?: SnapshotSource } = {};
  const current: {
    estimate: number;
    theta: Float32Array<ArrayBufferLike>;
    started: boolean;
    /** When the estimate's first round was asked for, and the run's step then: the span its training rate is measured over. */
    span?: { atMs: number; step: number | undefined; roundSeconds: number };
  } = { estimate: 0, theta: new Float32Array(0), started: false };
  const spanOfCurrent = (): typeof current.span => current.span;
  const rounds =
    host === undefined
      ? undefined
      : {
          control: new SharedArrayBuffer(8),
          data: new SharedArrayBuffer(8 * createModel(run.preset.model.name, run.preset.model.options ?? {}).numParams * widestRoundBlock(config)),
        };
  const threaded = await startEstimatorThread(
    { preset: config.preset, overrides, budget: config, backend: config.backend, nice: config.nice, ...(rounds !== undefined ? { rounds } : {}) },
    host === undefined
      ? undefined
      : async (r) => {
          // All workers before the first round, for at most the start-up grace (then those
          // that came, as a step goes on without a worker that never registers); afterwards
          // the live ones (a lost worker's share goes to the others).
          if (!current.started) {
            const want = config.hvpWorkers ?? 1;
            await host.waitForWorkers(want, Math.max(config.startupGraceMs, config.heartbeatTimeoutMs)).catch(async (err: unknown) => {
              if (host.liveRanks().length === 0) await host.waitForWorkers(1, config.heartbeatTimeoutMs);
              process.stderr.write(`lnsgd-metrics: ${err instanceof Error ? err.message : String(err)}; going on with ranks ${host.liveRanks().join(', ')}\n`);
            });
          }
          current.started = true;
          // From here on the workers are in the run: waiting for them (and the estimator's own set-up) is no training time.
          current.span ??= {
            atMs: performance.now(),
            step: await sourceRef.current?.latestStep().catch(() => undefined),
            roundSeconds: host.counters.roundSeconds,
          };
          const [busy, paused] = [host.counters.roundSeconds, host.counters.pausedSeconds];
          const out = await host.runRound({ estimate: current.estimate, theta: current.theta, ...r });
          // One line per round: how far an estimate has got when rounds are paced minutes apart.
          const seconds = host.counters.roundSeconds - busy;
          const products = r.directions.length / current.theta.length;
          line({
            event: 'hvp_round',
            estimate: current.estimate,
            round: host.counters.rounds,
            products,
            seconds,
            paused_s: host.counters.pausedSeconds - paused,
          });
          return out;
        },
    (err) => void (stopping || process.stderr.write(`lnsgd-metrics: ${err.message}\n`)),
  ).catch(async (err: unknown) => {
    await host?.close();
    await server.close();
    throw err;
  });
  const estimator: typeof threaded =
    host === undefined
      ? threaded
      : {
          ...threaded,
          async estimate(snapshot) {
            current.estimate++;
            current.theta = snapshot.theta;
            current.span = undefined;
            const before = host.counters.roundSeconds;
            const pausedBefore = host.counters.pausedSeconds;
            const e = await threaded.estimate(snapshot);
            const roundSeconds = host.counters.roundSeconds - before;
            const roundPauseSeconds = host.counters.pausedSeconds - pausedBefore;
            // Read through a function: the round callback set it while the estimate ran.
            const span = spanOfCurrent();
            const stepNow = await sourceRef.current?.latestStep().catch(() => undefined);
            const roundTrainingSteps =
              span?.step === undefined || stepNow === undefined
                ? undefined
                : trainingStepsLost({
                    roundSeconds: host.counters.roundSeconds - span.roundSeconds,
                    wallSeconds: (performance.now() - span.atMs) / 1000,
                    steps: stepNow - span.step,
                  });
            // Unknown when no step moved: the last known value stays.
            telemetry.update({
              sharpnessRoundSeconds: roundSeconds,
              sharpnessRoundPauseSeconds: roundPauseSeconds,
              ...(roundTrainingSteps !== undefined ? { sharpnessRoundTrainingSteps: roundTrainingSteps } : {}),
            });
            return { ...e, roundSeconds, roundPauseSeconds, ...(roundTrainingSteps !== undefined ? { roundTrainingSteps } : {}) };
          },
          async close() {
            await threaded.close();
            await host.close();
          },
        };
  const numParams = estimator.info.numParams;
  // The estimator thread is where this service's tensors live; a count that grows with the estimates is a leak.
  telemetry.addSource(() => ({ tfjsTensors: estimator.numTensors() }));
  const snapshots: SnapshotSource =
    config.ps !== undefined
      ? psSnapshotSource({ endpoints: config.ps, numParams, finalStep: config.finalStep ?? run.hyper.steps, curve: curveConfigFromEnv(process.env, 'client') })
      : paramsFileSource({ path: config.params ?? '', numParams, finalStep: config.finalStep });
  sourceRef.current = snapshots;
  const monitor = startMonitor({
    source: snapshots,
    estimator,
    telemetry,
    schedule: config,
    pollSeconds: config.pollSeconds,
    onEstimate: (e) => line({ event: 'estimate', ...e }),
    // The estimate cut short by the shutdown is not news.
    onError: (err) => void (stopping || process.stderr.write(`lnsgd-metrics: ${err.message}\n`)),
  });
  server.setReady(true);
  line({ event: 'ready', backend: estimator.info.backend, nice: config.nice, nice_applied: niceApplied && estimator.info.niceApplied });

  const shutdown = async (): Promise<void> => {
    stopping = true;
    // First the round host: a round waiting for the budget (minutes, at a small budget) ends
    // now, so the running estimate fails at once instead of holding the exit.
    await host?.close();
    await monitor.stop();
    await estimator.close();
    await snapshots.close();
    await server.close();
  };
  // With --exit-when-done: how the monitor ended; a failed final estimate makes the exit status non-zero.
  let outcome: MonitorOutcome | undefined;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (process.env['LNSGD_EXIT_WITH_PARENT'] === '1') {
      // A launcher holds our stdin open; EOF means it died: do not outlive it.
      process.stdin.once('end', stop).once('error', stop).resume();
    }
    if (config.exitWhenDone)
      void monitor.done.then((o) => {
        outcome = o;
        stop();
      });
  });
  await shutdown();
  // Stop reading stdin (when watched for the launcher) so the event loop can drain.
  process.stdin.destroy();
  if (outcome?.ok === false) {
    const which = outcome.step === undefined ? 'no snapshot could be read' : `the final snapshot (step ${outcome.step}) could not be estimated`;
    throw new Error(`--exit-when-done: ${which}: ${outcome.error.message}`);
  }
}

/** The run's hyper-parameters, λ and 2(1+β)/η: constant for the run, set once. */
function describeRun(telemetry: ReturnType<typeof createTelemetry>, run: RunConfig): void {
  const { hyper } = run;
  telemetry.update({
    learningRate: hyper.lr,
    labelNoiseSigma: hyper.sigma,
    labelFlipProbability: hyper.flipProb,
    batchSize: hyper.batch,
    momentum: hyper.momentum,
    stabilityThreshold: stabilityThreshold({ eta: hyper.lr, beta: hyper.momentum }),
    regularizationStrength:
      presetTask(run.preset) === 'regression'
        ? implicitRegularizationStrength({ eta: hyper.lr, sigma: hyper.sigma, batchSize: hyper.batch, beta: hyper.momentum })
        : undefined,
  });
}
