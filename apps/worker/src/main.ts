import * as tf from '@tensorflow/tfjs';
import { Registry } from 'prom-client';
import { createTelemetry, startMetricsServer } from '@lnsgd/telemetry';
import { curveConfigFromEnv, sharedPairCurve } from '@lnsgd/transport';
import { parseWorkerConfig } from './config';
import { createHvpExecutor, runWorker, serveHvpRounds, type HvpRoundWorker } from '@lnsgd/trainer';

/**
 * Entry of one worker process. Configuration comes from flags and LNSGD_* variables;
 * stdout first carries {"event":"listening","metrics_url":…} (its /metrics, /healthz
 * and /readyz; ready once registered), then with --events the worker holding share 0
 * of the batch (rank 0 unless it was lost) prints JSON lines (start, progress,
 * summary); logs
 * go to stderr. The parameter server ends the run, so a first SIGINT (a terminal's
 * Ctrl-C reaches the whole process group) is left to it; SIGTERM or a second SIGINT
 * leaves at once.
 *
 * @param argv arguments after the script name.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const config = parseWorkerConfig(argv, process.env);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
  });
  process.on('SIGTERM', () => process.exit(143));
  if (config.exitWithParent) {
    process.stdin.on('end', () => process.exit(1));
    process.stdin.on('error', () => process.exit(1));
    process.stdin.resume();
  }
  const registry = new Registry();
  const metrics = await startMetricsServer({ registry, host: config.metricsHost, port: config.metricsPort });
  process.stdout.write(`${JSON.stringify({ event: 'listening', role: 'worker', metrics_url: metrics.metricsUrl, pid: process.pid })}\n`);
  /** Round servers of this process (one per model, i.e. per registration). */
  const roundServers: HvpRoundWorker[] = [];
  try {
    await runWorker({
      config,
      curve: curveConfigFromEnv(process.env, 'client'),
      log,
      onEvent: (e) => void process.stdout.write(`${JSON.stringify(e)}\n`),
      onModelReady: ({ rank, model, train, seed }) => {
        const endpoint = config.hvpEndpoint;
        if (endpoint === undefined) return () => Promise.resolve();
        // Rounds are answered on this event loop, between the steps' awaits: training
        // waits while this worker computes its share of a product.
        const executor = createHvpExecutor({ model, ds: train, seed, samples: config.hvpSamples, chunks: config.hvpChunks });
        // Rounds are optional to training: a silent host is logged once, and training goes on.
        const rounds = serveHvpRounds({
          endpoint,
          rank,
          executor,
          curve: sharedPairCurve(curveConfigFromEnv(process.env, 'client'), 'client'),
          onHostSilent: (ms) => log(`worker rank ${rank}: estimation-round host ${endpoint} silent for ${ms} ms; training goes on without rounds`),
          onHostBack: () => log(`worker rank ${rank}: estimation-round host ${endpoint} answers again`),
        });
        roundServers.push(rounds);
        log(`worker rank ${rank}: serving estimation rounds of ${endpoint}`);
        return () => rounds.close();
      },
      // The rank label is known only once the parameter server assigns it.
      telemetryFor: (rank) => {
        const t = createTelemetry({ registry, identity: { run: config.runId, role: 'worker', rank } });
        // Read at scrape time: a count that grows with the steps is a tensor leak.
        t.addSource(() => ({ tfjsTensors: tf.memory().numTensors, hvpRoundWorkerSeconds: roundServers.reduce((a, r) => a + r.busySeconds(), 0) }));
        metrics.setReady(true);
        return t;
      },
    });
  } finally {
    await metrics.close();
  }
  process.exit(0);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`worker: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
