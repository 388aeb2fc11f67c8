import type { WireDtype } from '@lnsgd/tensor-codec';
import { decodeOptimizerState, encodeOptimizerState, implicitRegularizationStrength } from '@lnsgd/optim';
import { keyRanges, type CurveConfig, type KeyRange, type KvServerStats } from '@lnsgd/transport';
import type { Telemetry } from '@lnsgd/telemetry';
import { randomUUID } from 'node:crypto';
import { listCheckpoints, readCheckpoint, writeCheckpoint } from './checkpoint';
import { configHash, type ShardRun } from './config_hash';
import { initialParams } from './initial_params';
import type { WorkerLossPolicy } from './membership';
import { ParameterShard, shardOptimizerFor } from './parameter_shard';
import { serveShard } from './serve_shard';
import type { ShardCounters } from './shard_core';
import { rejectedByReason } from './refusals';

/** Events a shard reports to its owner (main prints them as JSON lines). */
export type ShardEvent =
  | {
      readonly event: 'listening';
      readonly role: 'ps';
      readonly shard: number;
      readonly shards: number;
      readonly endpoint: string;
      readonly pid: number;
      readonly version: number;
    }
  | { readonly event: 'checkpoint'; readonly shard: number; readonly version: number; readonly path: string }
  | { readonly event: 'checkpoint-failed'; readonly shard: number; readonly version: number; readonly error: string; readonly failures: number }
  | {
      readonly event: 'ps-done';
      readonly shard: number;
      readonly version: number;
      readonly counters: ShardCounters;
      readonly transport: KvServerStats;
      /** Set when the run failed (`--on-worker-loss fail`). */
      readonly failure?: string;
    };

/** What a shard is configured with, validated by its owner (the parameter-server app's config extends it). */
export interface ShardServerConfig {
  readonly run: ShardRun;
  /** Largest micro-batch workers evaluate at once (0: a worker's whole share). */
  readonly microBatch: number;
  /** Element type of gradient pushes (default float32); a push in another dtype is refused BAD_SHAPE. */
  readonly wireDtype?: WireDtype;
  /** Workers N the run waits for. */
  readonly workers: number;
  /** This shard's index s in [0, shards). */
  readonly shard: number;
  readonly shards: number;
  /** ZeroMQ endpoint to bind (port 0: any free port, reported on stdout). */
  readonly bind: string;
  readonly checkpointDir?: string;
  /** Write a checkpoint every this many steps (0: only at the end). */
  readonly checkpointEvery: number;
  /** Checkpoints of this shard kept in `checkpointDir` (the newest k). */
  readonly checkpointKeep: number;
  /** Directory of a checkpoint to continue from. */
  readonly resume?: string;
  /** Resume from the newest intact checkpoint at or before this step (the launcher: the newest every shard has intact). */
  readonly resumeStep?: number;
  /**
   * Continue from this shard's checkpoint in `checkpointDir` when there is one,
   * start fresh when there is none: a restarted PS pod (Kubernetes restarts the
   * container with the same volume) resumes instead of silently starting over.
   */
  readonly resumeIfPresent: boolean;
  /**
   * Keep serving once the run is over (its last step applied, or a checkpoint already
   * at it) until stopped by a signal, instead of exiting: under a supervisor that
   * restarts every exit (a StatefulSet), exiting would only restart the shard.
   */
  readonly stayAfterRun: boolean;
  readonly maxMessageBytes: number;
  /**
   * Bytes per part in which pushes are combined, stepped and answered (default
   * {@link DEFAULT_PART_BYTES}; 0: whole ranges). Announced to workers in the Assignment.
   */
  readonly partBytes?: number;
  /** Attach CRC-32 checksums to parameter frames. */
  readonly checksum: boolean;
  readonly authToken: string;
  readonly heartbeatTimeoutMs: number;
  /**
   * Shard 0's answer to a member that stops heartbeating: `rebalance` (default)
   * spreads B over the survivors and recomputes the open step, `wait` holds the step
   * until a replacement takes the rank, `fail` ends the run with exit code 1.
   */
  readonly onWorkerLoss: WorkerLossPolicy;
  /**
   * A worker that has not pushed since it registered is lost only after this long:
   * loading the model and data blocks its heartbeats.
   */
  readonly startupGraceMs: number;
  readonly noiseEmaDecay: number;
}

/** Options of {@link startShard}. */
export interface StartShardOptions {
  readonly config: ShardServerConfig;
  /** The run's task: a regression run also exports the implicit regularization strength λ. */
  readonly task?: 'regression' | 'classification';
  readonly curve?: CurveConfig;
  readonly log: (line: string) => void;
  readonly onEvent: (e: ShardEvent) => void;
  /** Metrics of role `ps`: the shard exposes its counters through it and times pushes, pulls and steps. */
  readonly telemetry?: Telemetry;
  /** A clock for liveness (ms); with it no timer runs: the owner calls `tick()` (tests). Default: Date.now and a timer. */
  readonly now?: () => number;
}

/** A running shard. */
export interface ShardServer {
  readonly endpoint: string;
  readonly counters: ShardCounters;
  /** Ends the run at the next step boundary (immediately when no step is open). */
  requestStop(reason: string): void;
  /** Resolves with the final version once the run is over and the socket is closed. */
  readonly done: Promise<number>;
  /** Why the run failed (`--on-worker-loss fail`), once it has; undefined for a run that ended normally. */
  readonly failure: () => string | undefined;
  /** Whether the run is over here (its last step closed, a stop, or a checkpoint already at the last step): no more training work. */
  readonly finished: () => boolean;
  /** Checks liveness at the clock's time now (the timer does this unless a clock was given). */
  tick(): void;
  /** Closes the socket now, wherever the run is (tests, and a second signal); resolves once closed. */
  close(): Promise<void>;
}

/**
 * Starts one parameter-server shard: binds its ROUTER socket, waits for N workers to
 * register, then runs synchronous steps — a step closes when every live worker has
 * pushed; the combined update is published as the reply to each push (push and
 * pull fused). Bad input gets a typed Error reply, a counter and a log line, and
 * never touches the parameters.
 *
 * @param options validated config, CURVE keys, log and event sinks.
 */
export async function startShard(options: StartShardOptions): Promise<ShardServer> {
  const { config, log } = options;
  const { run } = config;
  const { hyper } = run;
  const resumeDir = resumeFrom(config, log);
  // θ₀ only for a fresh start: a resumed shard takes its slice from the checkpoint.
  const init = await initialParams({
    model: { name: run.preset.model.name, options: run.preset.model.options ?? {} },
    seed: hyper.seed,
    shards: resumeDir === undefined ? { shard: config.shard, shards: config.shards } : undefined,
  });
  const ranges = keyRanges(init.numParams, config.shards);
  const range: KeyRange = ranges[config.shard];
  const wireDtype = config.wireDtype ?? 'float32';
  const hash = configHash(run, { microBatch: config.microBatch, shards: config.shards, wireDtype });
  // LARS's layers are the model's weight tensors; with one shard its key range is all of θ.
  const layers = config.shards === 1 ? init.layers : undefined;
  const optimizer = shardOptimizerFor(hyper, { shards: config.shards, layers });
  const session = randomUUID();

  let shard: ParameterShard;
  if (resumeDir !== undefined) {
    // Name what the user set: --resume, or (a restarted pod) --resume-if-present finding a file.
    const ckpt = readCheckpoint(resumeDir, { shard: config.shard, shards: config.shards }, config.resumeStep);
    for (const s of ckpt.skipped) log(`ps[${config.shard}]: passed over ${s.reason}`);
    const from = config.resume !== undefined ? `--resume ${resumeDir}: checkpoint ${ckpt.path}` : `--resume-if-present: the checkpoint ${ckpt.path}`;
    const fix = config.resume !== undefined ? '' : ' (a checkpoint directory left by another run? give this run its own, or delete the file)';
    const h = ckpt.header;
    if (h.configHash !== hash) {
      throw new Error(
        `parameter-server: ${from} is of another run (config hash ${h.configHash.slice(0, 12)}…, this run ${hash.slice(0, 12)}…); use the same preset, hyper-parameters, --micro-batch and --shards${fix}`,
      );
    }
    if (h.offset !== range.offset || h.length !== range.length) {
      throw new Error(`parameter-server: ${from} covers keys [${h.offset}, +${h.length}), this shard owns [${range.offset}, +${range.length})${fix}`);
    }
    shard = new ParameterShard({
      params: ckpt.params,
      hyper,
      layers,
      version: h.version,
      optimizerState: decodeOptimizerState(ckpt.optimizerState, optimizer.init(ckpt.params)),
      noiseEmaDecay: config.noiseEmaDecay,
      noiseEmaState: h.noiseEma,
      reuseParams: true,
      partLength: partLengthOf(config),
    });
    log(
      `ps[${config.shard}]: resumed from ${resumeDir} at step ${h.version} (${ckpt.path}${ckpt.skipped.length > 0 ? `; ${ckpt.skipped.length} newer passed over` : ''})`,
    );
  } else {
    if (init.slice === undefined) throw new Error('parameter-server: the model thread returned no initial parameters');
    shard = new ParameterShard({ params: init.slice, hyper, layers, noiseEmaDecay: config.noiseEmaDecay, reuseParams: true, partLength: partLengthOf(config) });
  }

  const finishedAtStart = shard.version >= hyper.steps;
  if (finishedAtStart) {
    // A checkpoint already at the run's last step: a PS restarted after the run ended (a
    // StatefulSet restarts every exit). The run is over; never wait for workers that will
    // not come. Snapshots and pulls get the final θ, registrations are refused.
    log(
      `ps[${config.shard}]: the checkpoint is at step ${shard.version}, the run's last: the run is over; ` +
        (config.stayAfterRun ? 'serving the final parameters until stopped (--stay-after-run)' : 'exiting'),
    );
  }
  const telemetry = options.telemetry;
  const served = await serveShard({
    bind: config.bind,
    maxMessageBytes: config.maxMessageBytes,
    curve: options.curve,
    log,
    now: options.now,
    core: {
      config: {
        shard: config.shard,
        shards: config.shards,
        workers: config.workers,
        batch: hyper.batch,
        steps: hyper.steps,
        onWorkerLoss: config.onWorkerLoss,
        heartbeatTimeoutMs: config.heartbeatTimeoutMs,
        startupGraceMs: config.startupGraceMs,
        authToken: config.authToken,
        checksum: config.checksum,
        wireDtype,
        stayAfterRun: config.stayAfterRun,
      },
      range,
      session,
      shard,
      assignment: {
        worldSize: config.workers,
        // Every hyper-parameter under its own name: the trainer's parameter table keeps each
        // key equal to protobufjs's camelCase of its RunSpec field (a test checks it).
        run: { preset: run.preset.name, ...hyper, microBatch: config.microBatch, wireDtype, configHash: hash },
        range: { shard: range.shard, offset: range.offset, length: range.length },
        numShards: config.shards,
        numParams: init.numParams,
      },
    },
    observe: telemetry === undefined ? undefined : (timing, seconds) => telemetry.observe(timing, seconds),
    onClosed: ({ version, final }) => {
      if (config.checkpointDir !== undefined && (final || (config.checkpointEvery > 0 && version % config.checkpointEvery === 0)))
        checkpoint(config.checkpointDir);
    },
    onDone: (d) => options.onEvent({ event: 'ps-done', shard: config.shard, ...d }),
  });
  const c = served.core;
  options.onEvent({
    event: 'listening',
    role: 'ps',
    shard: config.shard,
    shards: config.shards,
    endpoint: served.endpoint,
    pid: process.pid,
    version: shard.version,
  });
  if (telemetry !== undefined) exposeMetrics(telemetry);
  if (finishedAtStart && !config.stayAfterRun) setImmediate(() => void served.close());

  /** Reads the counters at scrape time (no copies on the hot path); the run's constants are set once. */
  function exposeMetrics(t: Telemetry): void {
    const stats = served.transport;
    const counters = c.counters;
    t.update({
      expectedWorkers: config.workers,
      learningRate: hyper.lr,
      labelNoiseSigma: hyper.sigma,
      labelFlipProbability: hyper.flipProb,
      batchSize: hyper.batch,
      momentum: hyper.momentum,
      regularizationStrength:
        options.task === 'regression'
          ? implicitRegularizationStrength({ eta: hyper.lr, sigma: hyper.sigma, batchSize: hyper.batch, beta: hyper.momentum })
          : undefined,
    });
    t.addSource(() => {
      const ema = shard.noiseEma;
      return {
        trainStep: shard.version,
        runFinished: c.finished ? 1 : 0,
        trainLoss: c.lastClose?.loss,
        liveWorkers: c.membership.liveCount,
        pushDelay: c.pushDelays.map((ms) => (ms === undefined ? undefined : ms / 1000)),
        sentBytes: stats.bytesSent,
        receivedBytes: stats.bytesReceived,
        // B_simple needs the sums over every coordinate: one shard has them all only when it is alone
        // (with several shards the metrics service exports the whole-vector value).
        gradientNoiseScale: config.shards === 1 && ema.count > 0 && ema.gradSqNorm > 0 ? ema.traceSigma / ema.gradSqNorm : undefined,
        checkpointsWritten: counters.checkpointsWritten,
        checkpointFailures: counters.checkpointFailures,
        rejectedMessages: rejectedByReason(counters, stats),
      };
    });
  }

  /** A failed write (full disk, read-only directory) is logged and counted; training goes on from memory and the older checkpoints stay. */
  function checkpoint(dir: string): void {
    let path: string;
    try {
      path = writeCheckpoint(
        dir,
        {
          header: {
            shard: config.shard,
            shards: config.shards,
            offset: range.offset,
            length: range.length,
            version: shard.version,
            configHash: hash,
            noiseEma: shard.noiseEma,
          },
          params: shard.params,
          optimizerState: encodeOptimizerState(shard.optimizerState),
        },
        config.checkpointKeep,
      );
    } catch (err: unknown) {
      const error = err instanceof Error ? err.message : String(err);
      const failures = ++c.counters.checkpointFailures;
      log(`ps[${config.shard}]: checkpoint at step ${shard.version} failed (${failures} so far); training goes on: ${error}`);
      options.onEvent({ event: 'checkpoint-failed', shard: config.shard, version: shard.version, error, failures });
      return;
    }
    c.counters.checkpointsWritten++;
    options.onEvent({ event: 'checkpoint', shard: config.shard, version: shard.version, path });
  }

  return {
    endpoint: served.endpoint,
    counters: c.counters,
    requestStop: (reason) => c.requestStop(reason),
    done: served.done,
    failure: () => c.failure,
    finished: () => c.finished,
    tick: () => served.tick(),
    close: () => served.close(),
  };
}

/**
 * The directory to resume from: `--resume`, or with `--resume-if-present` the
 * checkpoint directory when this shard's checkpoint file is in it (a PS restarted
 * in place); undefined for a fresh start.
 */
function resumeFrom(config: ShardServerConfig, log: (line: string) => void): string | undefined {
  if (config.resume !== undefined) return config.resume;
  if (!config.resumeIfPresent || config.checkpointDir === undefined) return undefined;
  if (listCheckpoints(config.checkpointDir, config).length > 0) return config.checkpointDir;
  log(`ps[${config.shard}]: no checkpoint of shard ${config.shard} of ${config.shards} in ${config.checkpointDir}: starting fresh (--resume-if-present)`);
  return undefined;
}

/**
 * Default bytes per push part: small enough that the shard's per-part work
 * overlaps the transfer of the next parts, large enough that the per-message cost
 * stays small (chosen with `npm run bench -- exchange`; see docs/benchmarks.md).
 */
export const DEFAULT_PART_BYTES = 1 << 20;

/** Elements per part from the configured bytes (0: whole ranges). */
function partLengthOf(config: ShardServerConfig): number {
  return partLengthForBytes(config.partBytes);
}

/** float32 elements per part for a --part-bytes value (default DEFAULT_PART_BYTES; 0: whole, as ParameterShard's partLength 0). */
export function partLengthForBytes(bytes: number = DEFAULT_PART_BYTES): number {
  return bytes <= 0 ? 0 : Math.max(1, Math.floor(bytes / 4));
}
