import { createModel } from '@lnsgd/models';
import { decodeOptimizerState, encodeOptimizerState, sgd } from '@lnsgd/optim';
import { firstNonFinite } from '@lnsgd/tensor-codec';
import {
  float32Frame,
  keyRanges,
  KvServer,
  pb,
  readFloat32Frame,
  TransportError,
  type CurveConfig,
  type KeyRange,
  type pbTypes,
  type ServerRequest,
} from '@lnsgd/transport';
import type { Telemetry } from '@lnsgd/telemetry';
import { implicitRegularizationStrength } from '@lnsgd/optim';
import { presetTask } from '@lnsgd/trainer';
import { randomUUID } from 'node:crypto';
import { readCheckpoint, writeCheckpoint } from './checkpoint';
import { configHash } from './config_hash';
import type { ServerConfig } from './config';
import { ParameterShard } from './parameter_shard';

/** Counters of a shard (plain numbers; a metrics exporter reads them). */
export interface ShardCounters {
  stepsClosed: number;
  pushesAccepted: number;
  pushesDuplicate: number;
  pushesStale: number;
  malformed: number;
  badShape: number;
  nonFinite: number;
  checksumMismatch: number;
  unknownWorker: number;
  tooLarge: number;
  notAuthorized: number;
  versionMismatch: number;
  stepMismatch: number;
  checkpointsWritten: number;
  workersLost: number;
}

interface WorkerEntry {
  readonly rank: number;
  readonly workerId: string;
  peer: Buffer;
  lastSeen: number;
  alive: boolean;
  bye: boolean;
}

interface ReplyRoute {
  readonly peer: Buffer;
  readonly requestId: number;
}

interface LastClose {
  readonly version: number;
  readonly loss: number;
  readonly final: boolean;
  readonly header: pbTypes.TensorFrame.$Properties;
  readonly bytes: Uint8Array;
}

/** Events a shard reports to its owner (main prints them as JSON lines). */
export type ShardEvent =
  | { readonly event: 'listening'; readonly role: 'ps'; readonly shard: number; readonly shards: number; readonly endpoint: string; readonly pid: number; readonly version: number }
  | { readonly event: 'checkpoint'; readonly shard: number; readonly version: number; readonly path: string }
  | { readonly event: 'ps-done'; readonly shard: number; readonly version: number; readonly counters: ShardCounters; readonly transport: KvServer['stats'] };

/** Options of {@link startShardServer}. */
export interface ShardServerOptions {
  readonly config: ServerConfig;
  readonly curve?: CurveConfig;
  readonly log: (line: string) => void;
  readonly onEvent: (e: ShardEvent) => void;
  /** Metrics of role `ps`: the shard exposes its counters through it and times pushes, pulls and steps. */
  readonly telemetry?: Telemetry;
}

/** A running shard. */
export interface ShardServer {
  readonly endpoint: string;
  readonly counters: ShardCounters;
  /** Ends the run at the next step boundary (immediately when no step is open). */
  requestStop(reason: string): void;
  /** Resolves with the final version once the run is over and the socket is closed. */
  readonly done: Promise<number>;
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
export async function startShardServer(options: ShardServerOptions): Promise<ShardServer> {
  const { config, log } = options;
  const { run } = config;
  const { hyper } = run;
  const model = createModel(run.preset.model.name, run.preset.model.options ?? {});
  const ranges = keyRanges(model.numParams, config.shards);
  const range: KeyRange = ranges[config.shard];
  const hash = configHash(run, { microBatch: config.microBatch, shards: config.shards });
  const session = randomUUID();

  let shard: ParameterShard;
  if (config.resume !== undefined) {
    const ckpt = readCheckpoint(config.resume, { shard: config.shard, shards: config.shards });
    const h = ckpt.header;
    if (h.configHash !== hash) {
      throw new Error(`parameter-server: --resume ${config.resume}: checkpoint is of another run (config hash ${h.configHash.slice(0, 12)}…, this run ${hash.slice(0, 12)}…); use the same preset, hyper-parameters, --micro-batch and --shards`);
    }
    if (h.offset !== range.offset || h.length !== range.length) {
      throw new Error(`parameter-server: --resume ${config.resume}: checkpoint covers keys [${h.offset}, +${h.length}), this shard owns [${range.offset}, +${range.length})`);
    }
    const opt = sgd({ learningRate: hyper.lr, momentum: hyper.momentum, weightDecay: hyper.weightDecay, warmupSteps: hyper.warmupSteps });
    shard = new ParameterShard({
      params: ckpt.params,
      hyper,
      version: h.version,
      optimizerState: decodeOptimizerState(ckpt.optimizerState, opt.init(ckpt.params)),
      noiseEmaDecay: config.noiseEmaDecay,
      noiseEmaState: h.noiseEma,
    });
    log(`ps[${config.shard}]: resumed from ${config.resume} at step ${h.version}`);
  } else {
    const theta = model.init(hyper.seed);
    shard = new ParameterShard({ params: theta.slice(range.offset, range.offset + range.length), hyper, noiseEmaDecay: config.noiseEmaDecay });
  }

  const counters: ShardCounters = {
    stepsClosed: 0,
    pushesAccepted: 0,
    pushesDuplicate: 0,
    pushesStale: 0,
    malformed: 0,
    badShape: 0,
    nonFinite: 0,
    checksumMismatch: 0,
    unknownWorker: 0,
    tooLarge: 0,
    notAuthorized: 0,
    versionMismatch: 0,
    stepMismatch: 0,
    checkpointsWritten: 0,
    workersLost: 0,
  };
  const workers = new Map<number, WorkerEntry>();
  const byId = new Map<string, WorkerEntry>();
  const waitingRegs = new Map<string, ReplyRoute>();
  const replyTo = new Map<number, ReplyRoute>();
  let started = false;
  let stopRequested = false;
  let finished = false;
  let lastClose: LastClose | undefined;
  let lastNoise: { gradSqNorm: number; traceSigma: number } | null = null;
  let resolveDone: (v: number) => void = () => undefined;
  const done = new Promise<number>((r) => (resolveDone = r));

  const server = await KvServer.bind({
    endpoint: config.bind,
    maxMessageBytes: config.maxMessageBytes,
    // libzmq's own cap drops a connection outright; keep it well above ours so our
    // typed TOO_LARGE reply is what a client normally sees.
    hardMaxMessageBytes: Math.min(2 ** 31 - 1, config.maxMessageBytes * 2 + (1 << 20)),
    curve: options.curve,
    log,
    onRequest: (req) => {
      try {
        handle(req);
      } catch (err: unknown) {
        // A bug or unexpected input must not take the shard down: answer and count it.
        counters.malformed++;
        log(`ps[${config.shard}]: request ${req.message.envelope.body ?? '?'} failed: ${err instanceof Error ? err.message : String(err)}`);
        refuse(req, pb.ErrorCode.MALFORMED, err instanceof Error ? err.message : String(err));
      }
    },
  });
  options.onEvent({ event: 'listening', role: 'ps', shard: config.shard, shards: config.shards, endpoint: server.endpoint, pid: process.pid, version: shard.version });
  const telemetry = options.telemetry;
  let stepOpenedAt = performance.now();
  if (telemetry !== undefined) exposeMetrics(telemetry);

  const liveness = setInterval(checkLiveness, Math.min(1000, Math.max(50, config.heartbeatTimeoutMs / 4)));

  function refuse(req: ServerRequest, code: number, message: string): void {
    void server.sendError({ peer: req.peer, requestId: req.message.envelope.requestId }, { code, message, currentVersion: shard.version });
  }

  function assignment(rank: number): pbTypes.Envelope.$Properties['assignment'] {
    return {
      rank,
      worldSize: config.workers,
      run: {
        preset: run.preset.name,
        steps: hyper.steps,
        lr: hyper.lr,
        batch: hyper.batch,
        sigma: hyper.sigma,
        noise: hyper.noise,
        flipProb: hyper.flipProb,
        momentum: hyper.momentum,
        weightDecay: hyper.weightDecay,
        warmupSteps: hyper.warmupSteps,
        seed: hyper.seed,
        microBatch: config.microBatch,
        configHash: hash,
      },
      range: { shard: range.shard, offset: range.offset, length: range.length },
      numShards: config.shards,
      numParams: model.numParams,
      startStep: shard.version,
      session,
      heartbeatIntervalMs: Math.max(50, Math.floor(config.heartbeatTimeoutMs / 6)),
    };
  }

  function handle(req: ServerRequest): void {
    const env = req.message.envelope;
    switch (env.body) {
      case 'register':
        return onRegister(req, env.register ?? {});
      case 'push': {
        const t0 = performance.now();
        onPush(req, env.push ?? {});
        telemetry?.observe('pushDuration', (performance.now() - t0) / 1000);
        return;
      }
      case 'pull': {
        const t0 = performance.now();
        onPull(req, env.pull ?? {});
        telemetry?.observe('pullDuration', (performance.now() - t0) / 1000);
        return;
      }
      case 'heartbeat': {
        const w = knownWorker(env.heartbeat?.rank, env.heartbeat?.session);
        if (w !== undefined) touch(w, req.peer);
        if (env.requestId !== 0) void server.send(req.peer, { requestId: env.requestId, heartbeatAck: { version: shard.version } });
        return;
      }
      case 'snapshotRequest':
        return onSnapshot(req, env.snapshotRequest ?? {});
      case 'stop': {
        // From a worker: it has the final parameters and is leaving.
        const rank = Number(env.stop?.reason?.match(/^done rank (\d+)$/)?.[1] ?? -1);
        const w = workers.get(rank);
        // Only the worker's own connection may say goodbye for its rank: a stranger's
        // Stop would otherwise let the shard exit before that worker has its last reply.
        if (w === undefined || !w.peer.equals(req.peer)) {
          counters.unknownWorker++;
          log(`ps[${config.shard}]: ignored a stop ('${env.stop?.reason ?? ''}') from a peer that is not rank ${rank}'s connection`);
          return;
        }
        w.bye = true;
        maybeExit();
        return;
      }
      case 'assignment':
      case 'params':
      case 'heartbeatAck':
      case 'snapshot':
      case 'error':
      case undefined:
        counters.malformed++;
        log(`ps[${config.shard}]: unexpected ${env.body ?? 'empty'} message from a client`);
        return refuse(req, pb.ErrorCode.MALFORMED, `a server does not accept ${env.body ?? 'empty'} messages`);
    }
  }

  function onRegister(req: ServerRequest, r: pbTypes.IRegister): void {
    if (config.authToken !== '' && r.authToken !== config.authToken) {
      counters.notAuthorized++;
      log(`ps[${config.shard}]: refused registration of '${r.workerId ?? ''}': wrong auth token`);
      return refuse(req, pb.ErrorCode.NOT_AUTHORIZED, 'registration refused: wrong or missing auth token (LNSGD_AUTH_TOKEN)');
    }
    const workerId = r.workerId ?? '';
    if (workerId === '') return refuse(req, pb.ErrorCode.MALFORMED, 'Register.worker_id is empty');
    if (stopRequested || finished) return refuse(req, pb.ErrorCode.SHUTTING_DOWN, 'the run is over');
    const route = { peer: req.peer, requestId: req.message.envelope.requestId };
    if (!started) {
      waitingRegs.set(workerId, route);
      const requested = r.requestedRank ?? -1;
      if (requested >= config.workers) {
        waitingRegs.delete(workerId);
        return refuse(req, pb.ErrorCode.RUN_FULL, `requested rank ${requested} is outside [0, ${config.workers})`);
      }
      ranksWanted.set(workerId, requested);
      if (waitingRegs.size === config.workers) beginRun();
      return;
    }
    let w = byId.get(workerId);
    if (w === undefined) {
      // A replacement for a lost worker takes over its rank (B stays fixed).
      const dead = [...workers.values()].find((x) => !x.alive);
      if (dead === undefined) {
        counters.unknownWorker++;
        return refuse(req, pb.ErrorCode.RUN_FULL, `all ${config.workers} ranks are taken`);
      }
      byId.delete(dead.workerId);
      w = { rank: dead.rank, workerId, peer: req.peer, lastSeen: Date.now(), alive: true, bye: false };
      workers.set(w.rank, w);
      byId.set(workerId, w);
      log(`ps[${config.shard}]: worker '${workerId}' takes over rank ${w.rank} at step ${shard.version}`);
    }
    touch(w, req.peer);
    w.alive = true;
    void server.send(req.peer, { requestId: route.requestId, assignment: assignment(w.rank) });
  }

  const ranksWanted = new Map<string, number>();
  function beginRun(): void {
    // Requested ranks first (shard 0's choice, echoed to the others), then the rest in id order.
    const taken = new Set<number>();
    const ids = [...waitingRegs.keys()].sort();
    const rankOf = new Map<string, number>();
    for (const id of ids) {
      const want = ranksWanted.get(id) ?? -1;
      if (want >= 0 && !taken.has(want)) {
        rankOf.set(id, want);
        taken.add(want);
      }
    }
    let next = 0;
    for (const id of ids) {
      if (rankOf.has(id)) continue;
      while (taken.has(next)) next++;
      rankOf.set(id, next);
      taken.add(next);
    }
    started = true;
    stepOpenedAt = performance.now();
    for (const id of ids) {
      const route = waitingRegs.get(id);
      const rank = rankOf.get(id);
      if (route === undefined || rank === undefined) continue;
      const w: WorkerEntry = { rank, workerId: id, peer: route.peer, lastSeen: Date.now(), alive: true, bye: false };
      workers.set(rank, w);
      byId.set(id, w);
      void server.send(route.peer, { requestId: route.requestId, assignment: assignment(rank) });
    }
    waitingRegs.clear();
    log(`ps[${config.shard}]: ${config.workers} worker(s) registered; run starts at step ${shard.version}`);
  }

  function knownWorker(rank: number | null | undefined, sess: string | null | undefined): WorkerEntry | undefined {
    if (sess !== session || rank === null || rank === undefined) return undefined;
    return workers.get(rank);
  }

  function touch(w: WorkerEntry, peer: Buffer): void {
    w.lastSeen = Date.now();
    w.peer = peer;
  }

  function onPush(req: ServerRequest, p: pbTypes.IPushGradient): void {
    const requestId = req.message.envelope.requestId;
    const w = knownWorker(p.rank, p.session);
    if (w === undefined || !w.alive) {
      counters.unknownWorker++;
      log(`ps[${config.shard}]: push from unknown worker (rank ${String(p.rank)}, session ${p.session ?? ''})`);
      return refuse(req, pb.ErrorCode.UNKNOWN_WORKER, `rank ${String(p.rank)} is not registered in session ${session}; register again`);
    }
    touch(w, req.peer);
    const step = p.step ?? 0;
    if (lastClose !== undefined && step === lastClose.version - 1) {
      // The reply to this push was lost or is late: resend it (idempotent).
      counters.pushesDuplicate++;
      sendParams({ peer: req.peer, requestId }, lastClose);
      return;
    }
    if (step < shard.version) {
      counters.pushesStale++;
      log(`ps[${config.shard}]: stale push from rank ${w.rank} for step ${step}, current step ${shard.version}`);
      return refuse(req, pb.ErrorCode.STALE_PUSH, `push for step ${step}, the server is at step ${shard.version}: pull and continue`);
    }
    if (step > shard.version) {
      counters.stepMismatch++;
      log(`ps[${config.shard}]: push from rank ${w.rank} for step ${step}, the open step is ${shard.version}`);
      return refuse(req, pb.ErrorCode.STEP_MISMATCH, `push for step ${step}, the open step is ${shard.version}`);
    }
    if (req.message.frames.length !== 1) {
      counters.badShape++;
      log(`ps[${config.shard}]: push from rank ${w.rank} has ${req.message.frames.length} data frames, expected 1`);
      return refuse(req, pb.ErrorCode.BAD_SHAPE, `push has ${req.message.frames.length} data frames, expected 1`);
    }
    let grad: Float32Array;
    try {
      grad = readFloat32Frame(p.grad, req.message.frames[0], { offset: range.offset, length: range.length, what: `push from rank ${w.rank}` });
    } catch (err: unknown) {
      if (!(err instanceof TransportError)) throw err;
      const checksum = err.code === 'CHECKSUM_MISMATCH';
      if (checksum) counters.checksumMismatch++;
      else counters.badShape++;
      log(`ps[${config.shard}]: ${err.message}`);
      return refuse(req, checksum ? pb.ErrorCode.CHECKSUM_MISMATCH : pb.ErrorCode.BAD_SHAPE, err.message);
    }
    const samples = p.numSamples ?? 0;
    if (!Number.isInteger(samples) || samples > hyper.batch) {
      counters.badShape++;
      return refuse(req, pb.ErrorCode.BAD_SHAPE, `num_samples ${samples} exceeds the global batch ${hyper.batch}`);
    }
    const loss = p.loss ?? 0;
    const bad = firstNonFinite(grad);
    if (bad >= 0 || (samples > 0 && !Number.isFinite(loss))) {
      counters.nonFinite++;
      const what = bad >= 0 ? `gradient[${range.offset + bad}] = ${grad[bad]}` : `loss = ${loss}`;
      log(`ps[${config.shard}]: refused push from rank ${w.rank} at step ${step}: ${what}`);
      return refuse(req, pb.ErrorCode.NON_FINITE, `push from rank ${w.rank} at step ${step} has ${what}; lower the learning rate`);
    }
    if (!shard.addPush({ rank: w.rank, samples, loss, grad })) {
      counters.pushesDuplicate++;
      // A retry of the same push: keep the first, answer the newest request.
      replyTo.set(w.rank, { peer: req.peer, requestId });
      return;
    }
    counters.pushesAccepted++;
    replyTo.set(w.rank, { peer: req.peer, requestId });
    maybeCloseStep();
  }

  function maybeCloseStep(): void {
    if (!started || finished) return;
    const alive = [...workers.values()].filter((w) => w.alive);
    if (alive.length === 0) return;
    if (!alive.every((w) => shard.pushOf(w.rank) !== undefined)) return;
    if (shard.pushedRanks().every((r) => (shard.pushOf(r)?.samples ?? 0) === 0)) return;
    const closed = shard.closeStep();
    counters.stepsClosed++;
    const closedAt = performance.now();
    telemetry?.observe('trainStepDuration', (closedAt - stepOpenedAt) / 1000);
    stepOpenedAt = closedAt;
    if (closed.noise !== null) lastNoise = closed.noise;
    const final = closed.version >= hyper.steps || stopRequested;
    const { header, bytes } = float32Frame(shard.params, { offset: range.offset, checksum: config.checksum });
    lastClose = { version: closed.version, loss: closed.loss, final, header, bytes };
    for (const rank of [...replyTo.keys()].sort((a, b) => a - b)) {
      const route = replyTo.get(rank);
      if (route !== undefined) sendParams(route, lastClose);
    }
    replyTo.clear();
    if (config.checkpointDir !== undefined && (final || (config.checkpointEvery > 0 && closed.version % config.checkpointEvery === 0))) {
      checkpoint(config.checkpointDir);
    }
    if (final) {
      finished = true;
      tellSnapshotPeers(`run over at step ${closed.version}`);
      log(`ps[${config.shard}]: run over at step ${closed.version}${stopRequested && closed.version < hyper.steps ? ' (stop requested)' : ''}`);
      setTimeout(() => void exit(), 10_000).unref();
      maybeExit();
    }
  }

  function noiseMessage(): pbTypes.INoiseScale {
    const ema = shard.noiseEma;
    return {
      gradSqNorm: lastNoise?.gradSqNorm ?? 0,
      traceSigma: lastNoise?.traceSigma ?? 0,
      emaGradSqNorm: ema.gradSqNorm,
      emaTraceSigma: ema.traceSigma,
      count: ema.count,
    };
  }

  function sendParams(route: ReplyRoute, c: LastClose): void {
    void server.send(route.peer, { requestId: route.requestId, params: { version: c.version, params: c.header, loss: c.loss, final: c.final, noise: noiseMessage() } }, [c.bytes]);
  }

  function onPull(req: ServerRequest, p: pbTypes.IPull): void {
    const w = knownWorker(p.rank, p.session);
    if (w === undefined) {
      counters.unknownWorker++;
      return refuse(req, pb.ErrorCode.UNKNOWN_WORKER, `rank ${String(p.rank)} is not registered in session ${session}`);
    }
    touch(w, req.peer);
    const { header, bytes } = float32Frame(shard.params, { offset: range.offset, checksum: config.checksum });
    void server.send(
      req.peer,
      { requestId: req.message.envelope.requestId, params: { version: shard.version, params: header, loss: lastClose?.loss ?? Number.NaN, final: finished, noise: noiseMessage() } },
      [bytes],
    );
  }

  // Metrics services that asked for snapshots: told when the run is over (bounded: a few monitors at most).
  const snapshotPeers = new Map<string, Buffer>();
  function tellSnapshotPeers(reason: string): void {
    for (const peer of snapshotPeers.values()) void server.send(peer, { requestId: 0, stop: { reason } });
  }

  function onSnapshot(req: ServerRequest, s: pbTypes.ISnapshotRequest): void {
    if (snapshotPeers.size < 16) snapshotPeers.set(req.peer.toString('hex'), req.peer);
    const frame = s.includeParams === true ? float32Frame(shard.params, { offset: range.offset, checksum: config.checksum }) : undefined;
    const t = server.stats;
    void server.send(
      req.peer,
      {
        requestId: req.message.envelope.requestId,
        snapshot: {
          version: shard.version,
          range: { shard: range.shard, offset: range.offset, length: range.length },
          numShards: config.shards,
          params: frame?.header ?? null,
          noise: noiseMessage(),
          liveWorkers: [...workers.values()].filter((w) => w.alive).length,
          configHash: hash,
          stats: {
            ...counters,
            malformed: counters.malformed + t.malformed,
            tooLarge: counters.tooLarge + t.tooLarge,
            versionMismatch: counters.versionMismatch + t.versionMismatch,
            bytesReceived: t.bytesReceived,
            bytesSent: t.bytesSent,
          },
        },
      },
      frame === undefined ? [] : [frame.bytes],
    );
  }

  /** Reads the counters at scrape time (no copies on the hot path); the run's constants are set once. */
  function exposeMetrics(t: Telemetry): void {
    const stats = server.stats;
    t.update({
      expectedWorkers: config.workers,
      learningRate: hyper.lr,
      labelNoiseSigma: hyper.sigma,
      labelFlipProbability: hyper.flipProb,
      batchSize: hyper.batch,
      momentum: hyper.momentum,
      regularizationStrength:
        presetTask(run.preset) === 'regression' ? implicitRegularizationStrength({ eta: hyper.lr, sigma: hyper.sigma, batchSize: hyper.batch, beta: hyper.momentum }) : undefined,
    });
    t.addSource(() => {
      const ema = shard.noiseEma;
      let live = 0;
      for (const w of workers.values()) if (w.alive) live++;
      return {
        trainStep: shard.version,
        trainLoss: lastClose?.loss,
        liveWorkers: live,
        sentBytes: stats.bytesSent,
        receivedBytes: stats.bytesReceived,
        // B_simple needs the sums over every coordinate: one shard has them all only when it is alone
        // (with several shards the metrics service exports the whole-vector value).
        gradientNoiseScale: config.shards === 1 && ema.count > 0 && ema.gradSqNorm > 0 ? ema.traceSigma / ema.gradSqNorm : undefined,
        rejectedMessages: {
          stale_push: counters.pushesStale,
          duplicate_push: counters.pushesDuplicate,
          malformed: counters.malformed + stats.malformed,
          bad_shape: counters.badShape,
          non_finite: counters.nonFinite,
          checksum_mismatch: counters.checksumMismatch,
          unknown_worker: counters.unknownWorker,
          too_large: counters.tooLarge + stats.tooLarge,
          not_authorized: counters.notAuthorized,
          version_mismatch: counters.versionMismatch + stats.versionMismatch,
          step_mismatch: counters.stepMismatch,
        },
      };
    });
  }

  function checkpoint(dir: string): void {
    const path = writeCheckpoint(dir, {
      header: { shard: config.shard, shards: config.shards, offset: range.offset, length: range.length, version: shard.version, configHash: hash, noiseEma: shard.noiseEma },
      params: shard.params,
      optimizerState: encodeOptimizerState(shard.optimizerState),
    });
    counters.checkpointsWritten++;
    options.onEvent({ event: 'checkpoint', shard: config.shard, version: shard.version, path });
  }

  function checkLiveness(): void {
    if (!started || finished) return;
    const now = Date.now();
    for (const w of workers.values()) {
      if (w.alive && now - w.lastSeen > config.heartbeatTimeoutMs) {
        w.alive = false;
        counters.workersLost++;
        shard.dropPush(w.rank);
        replyTo.delete(w.rank);
        log(`ps[${config.shard}]: worker '${w.workerId}' (rank ${w.rank}) silent for ${now - w.lastSeen} ms: lost; steps now close without it (its samples are missing from B until a replacement registers)`);
      }
    }
    maybeCloseStep();
  }

  function maybeExit(): void {
    if (!finished) return;
    if ([...workers.values()].every((w) => w.bye || !w.alive)) void exit();
  }

  let exiting = false;
  async function exit(): Promise<void> {
    if (exiting) return;
    exiting = true;
    clearInterval(liveness);
    await server.close();
    options.onEvent({ event: 'ps-done', shard: config.shard, version: shard.version, counters: { ...counters }, transport: { ...server.stats } });
    resolveDone(shard.version);
  }

  return {
    endpoint: server.endpoint,
    counters,
    requestStop: (reason: string) => {
      if (stopRequested) return;
      stopRequested = true;
      log(`ps[${config.shard}]: stop requested (${reason})`);
      if (!started) {
        finished = true;
        void exit();
      } else {
        // Tell every worker now, so a long step does not hold the stop up.
        for (const w of workers.values()) void server.send(w.peer, { requestId: 0, stop: { reason } });
      }
    },
    done,
  };
}
