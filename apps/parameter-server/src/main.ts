import { Registry } from 'prom-client';
import { createTelemetry, startMetricsServer } from '@lnsgd/telemetry';
import { curveConfigFromEnv } from '@lnsgd/transport';
import { parseServerConfig } from './config';
import { startShardServer } from './shard_server';

/**
 * Entry of one parameter-server shard process. Configuration comes from flags and
 * LNSGD_* environment variables; stdout carries JSON-lines events (first
 * {"event":"listening",…} with the bound endpoint and the `metrics_url` of its
 * /metrics, /healthz and /readyz), stderr carries log lines.
 * SIGINT/SIGTERM end the run at the next step boundary; a second signal exits at once.
 *
 * @param argv arguments after the script name.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const config = parseServerConfig(argv, process.env);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const telemetry = createTelemetry({ registry: new Registry(), identity: { run: config.runId, role: 'ps', shard: config.shard } });
  const metrics = await startMetricsServer({ registry: telemetry.registry, host: config.metricsHost, port: config.metricsPort });
  const server = await startShardServer({
    config,
    curve: curveConfigFromEnv(process.env, 'server'),
    log,
    telemetry,
    onEvent: (e) => void process.stdout.write(`${JSON.stringify(e.event === 'listening' ? { ...e, metrics_url: metrics.metricsUrl } : e)}\n`),
  }).catch(async (err: unknown) => {
    await metrics.close();
    throw err;
  });
  // Ready while the shard takes training work. A finished shard kept up by
  // --stay-after-run still serves the final θ (the headless Service publishes
  // not-ready addresses), but is not ready, so that the PodDisruptionBudget
  // (unhealthyPodEvictionPolicy: AlwaysAllow) lets a node drain evict it.
  metrics.setReady(() => !server.finished());
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) process.exit(130);
    server.requestStop(sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (config.exitWithParent) {
    // The launcher holds our stdin open; EOF means it died: do not outlive it.
    process.stdin.on('end', () => process.exit(1));
    process.stdin.on('error', () => process.exit(1));
    process.stdin.resume();
  }
  await server.done;
  await metrics.close();
  const failure = server.failure();
  if (failure !== undefined) process.stderr.write(`parameter-server: ${failure}\n`);
  process.exit(failure === undefined ? 0 : 1);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`parameter-server: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
