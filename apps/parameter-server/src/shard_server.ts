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
// tfjs-free entry points: the package indexes load TensorFlow.js (see initial_params.ts).
import { presetTask } from '@lnsgd/trainer/run-config';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { checkpointPath, readCheckpoint, writeCheckpoint } from './checkpoint';
import { configHash } from './config_hash';
import type { ServerConfig } from './config';
import { initialParams } from './initial_params';
import { ParameterShard } from '@lnsgd/ps';

/** Counters of a shard (plain numbers; a metrics exporter reads them). */
export interface ShardCounters {
  stepsClosed: number;
  pushesAccepted: number;
  /** Pushes refused DUPLICATE_PUSH: a second push of a rank for a step, with different content. */
  pushesDuplicate: number;
  /** Identical resends of an accepted push (a lost or late reply), answered like the first. */
  pushesResent: number;
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
  /** Registrations refused because every rank is taken or the rank asked for does not exist. */
  runFull: number;
  /** Registrations refused because the run is over or stopping. */
  shuttingDown: number;
  checkpointsWritten: number;
  workersLost: number;
  /** Workers (re-)admitted to a running run (replacements, returning workers). */
  workersAdmitted: number;
  /** Membership epochs after the first (shard 0 only): every loss or admission under `rebalance`. */
  membershipChanges: number;
  /** Pushes refused with RECOMPUTE because the membership changed while their step was open. */
  pushesRecompute: number;
}

/** What shard 0 does when a member stops heartbeating (DESIGN.md "Fault tolerance"). */
export type WorkerLossPolicy = 'wait' | 'rebalance' | 'fail';

interface WorkerEntry {
  readonly rank: number;
  readonly workerId: string;
  peer: Buffer;
  lastSeen: number;
  alive: boolean;
  bye: boolean;
  /** Pushed since it registered (until then its model loading may block heartbeats). */
  pushed?: boolean;
}

interface ReplyRoute {
  readonly peer: Buffer;
  readonly requestId: number;
}

/** A pull answered once the shard reaches `minVersion` (and, at shard 0, once the rank is a member). */
interface DeferredPull {
  readonly rank: number;
  readonly route: ReplyRoute;
  readonly minVersion: number;
}

type Share = pbTypes.IShare;

interface LastClose {
  readonly version: number;
  readonly loss: number;
  readonly final: boolean;
  readonly header: pbTypes.TensorFrame.$Properties;
  readonly bytes: Uint8Array;
  /** Samples combined in the step (B in a healthy run). */
  readonly stepSamples: number;
}

/** Events a shard reports to its owner (main prints them as JSON lines). */
export type ShardEvent =
  | { readonly event: 'listening'; readonly role: 'ps'; readonly shard: number; readonly shards: number; readonly endpoint: string; readonly pid: number; readonly version: number }
  | { readonly event: 'checkpoint'; readonly shard: number; readonly version: number; readonly path: string }
  | {
      readonly event: 'ps-done';
      readonly shard: number;
      readonly version: number;
      readonly counters: ShardCounters;
      readonly transport: KvServer['stats'];
      /** Set when the run failed (`--on-worker-loss fail`). */
      readonly failure?: string;
    };

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
  /** Why the run failed (`--on-worker-loss fail`), once it has; undefined for a run that ended normally. */
  readonly failure: () => string | undefined;
  /** Whether the run is over here (its last step closed, a stop, or a checkpoint already at the last step): no more training work. */
  readonly finished: () => boolean;
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
export async function startShardServer(options: ShardServerOptions): Promise<ShardServer> {
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
  const hash = configHash(run, { microBatch: config.microBatch, shards: config.shards });
  const session = randomUUID();

  let shard: ParameterShard;
  if (resumeDir !== undefined) {
    // Name what the user set: --resume, or (a restarted pod) --resume-if-present finding a file.
    const from = config.resume !== undefined ? `--resume ${resumeDir}: checkpoint` : `--resume-if-present: the checkpoint ${checkpointPath(resumeDir, config)}`;
    const fix = config.resume !== undefined ? '' : ' (a checkpoint directory left by another run? give this run its own, or delete the file)';
    const ckpt = readCheckpoint(resumeDir, { shard: config.shard, shards: config.shards });
    const h = ckpt.header;
    if (h.configHash !== hash) {
      throw new Error(
        `parameter-server: ${from} is of another run (config hash ${h.configHash.slice(0, 12)}…, this run ${hash.slice(0, 12)}…); use the same preset, hyper-parameters, --micro-batch and --shards${fix}`,
      );
    }
    if (h.offset !== range.offset || h.length !== range.length) {
      throw new Error(`parameter-server: ${from} covers keys [${h.offset}, +${h.length}), this shard owns [${range.offset}, +${range.length})${fix}`);
    }
    const opt = sgd({ learningRate: hyper.lr, momentum: hyper.momentum, weightDecay: hyper.weightDecay, warmupSteps: hyper.warmupSteps });
    shard = new ParameterShard({
      params: ckpt.params,
      hyper,
      version: h.version,
      optimizerState: decodeOptimizerState(ckpt.optimizerState, opt.init(ckpt.params)),
      noiseEmaDecay: config.noiseEmaDecay,
      noiseEmaState: h.noiseEma,
      reuseParams: true,
    });
    log(`ps[${config.shard}]: resumed from ${resumeDir} at step ${h.version}`);
  } else {
    if (init.slice === undefined) throw new Error('parameter-server: the model thread returned no initial parameters');
    shard = new ParameterShard({ params: init.slice, hyper, noiseEmaDecay: config.noiseEmaDecay, reuseParams: true });
  }

  const counters: ShardCounters = {
    stepsClosed: 0,
    pushesAccepted: 0,
    pushesDuplicate: 0,
    pushesResent: 0,
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
    runFull: 0,
    shuttingDown: 0,
    checkpointsWritten: 0,
    workersLost: 0,
    workersAdmitted: 0,
    membershipChanges: 0,
    pushesRecompute: 0,
  };
  const workers = new Map<number, WorkerEntry>();
  const byId = new Map<string, WorkerEntry>();
  const waitingRegs = new Map<string, ReplyRoute>();
  /** Routes of the open step's accepted pushes (the first request and its identical resends), by worker rank. */
  const replyTo = new Map<number, ReplyRoute[]>();
  /** What each rank pushed for the open step, and (after a close) for the step just closed: resends are told from duplicates by it. */
  let openIdentity = new Map<number, PushIdentity>();
  let closedIdentity = new Map<number, PushIdentity>();
  // Membership. Shard 0 (the coordinator) decides it: `members` are the ranks whose
  // shares make up the open step's batch, `joiners` are admitted when it closes, and
  // `epoch` names the partition. A follower shard (shard > 0) takes each push's share
  // as given and closes a step when the pushes of one epoch cover every share.
  const coordinator = config.shard === 0;
  let epoch = 0;
  let members: number[] = [];
  const joiners = new Set<number>();
  /** Follower: epoch and share count of the open step's pushes. */
  let openEpoch = 0;
  let openCount = 0;
  /** Share of each rank's last accepted push (followers echo it in replies). */
  const lastShareOf = new Map<number, Share>();
  /** Share index → pushing rank, for the open step. */
  const rankOfIndex = new Map<number, number>();
  const deferredPulls: DeferredPull[] = [];
  let failure: string | undefined;
  /** EMA of the time between step closes, in ms (0 before the first). */
  let stepMsEma = 0;
  let started = false;
  let stopRequested = false;
  let finished = false;
  // A checkpoint already at the run's last step: a PS restarted after the run ended (a
  // StatefulSet restarts every exit). The run is over; never wait for workers that will
  // not come. Snapshots and pulls get the final θ, registrations are refused.
  if (shard.version >= hyper.steps) {
    finished = true;
    log(
      `ps[${config.shard}]: the checkpoint is at step ${shard.version}, the run's last: the run is over; ` +
        (config.stayAfterRun ? 'serving the final parameters until stopped (--stay-after-run)' : 'exiting'),
    );
  }
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
    currentVersion: () => shard.version,
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
  if (finished && !config.stayAfterRun) setImmediate(() => void exit());

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
      numParams: init.numParams,
      startStep: shard.version,
      session,
      heartbeatIntervalMs: Math.max(50, Math.floor(config.heartbeatTimeoutMs / 6)),
      share: shareOf(rank),
    };
  }

  /** A rank's share of the open step: shard 0's partition, or (follower) the share of its last push. */
  function shareOf(rank: number): Share {
    if (!coordinator) return lastShareOf.get(rank) ?? { epoch: 0, index: 0, count: 0 };
    const index = members.indexOf(rank);
    return index < 0 ? { epoch, index: 0, count: 0 } : { epoch, index, count: members.length };
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
        const w = knownWorker(env.heartbeat?.rank, env.heartbeat?.session, req.peer);
        if (w !== undefined) touch(w, req.peer);
        if (env.requestId === 0) return;
        if (w === undefined) {
          // Typically a worker of a previous incarnation of this shard: it re-registers on this.
          counters.unknownWorker++;
          return refuse(req, pb.ErrorCode.UNKNOWN_WORKER, `rank ${String(env.heartbeat?.rank)} is not registered on this connection with this session; register again`);
        }
        void server.send(req.peer, { requestId: env.requestId, heartbeatAck: { version: shard.version, session } });
        return;
      }
      case 'snapshotRequest':
        return onSnapshot(req, env.snapshotRequest ?? {});
      case 'stop':
        return onStop(req, env.stop ?? {});
      case 'assignment':
      case 'membership':
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

  /**
   * A Stop: a worker's goodbye (typed, or any Stop over a registered worker's own
   * connection, as workers of the first protocol revision sent), or the launcher's
   * request to end the run (with the run token when the shard has one). Only a rank's
   * own connection may say goodbye for it: a stranger's would let the shard exit
   * before that worker has its last reply.
   */
  function onStop(req: ServerRequest, st: pbTypes.IStop): void {
    const requestId = req.message.envelope.requestId;
    const own = [...workers.values()].find((x) => x.peer.equals(req.peer));
    const bye = st.goodbye;
    if (bye !== null && bye !== undefined) {
      const w = knownWorker(bye.rank ?? 0, bye.session, req.peer);
      if (w === undefined) {
        counters.unknownWorker++;
        log(`ps[${config.shard}]: ignored a stop (goodbye of rank ${bye.rank ?? 0}) from a peer that is not that rank's connection`);
        if (requestId !== 0) refuse(req, pb.ErrorCode.UNKNOWN_WORKER, `rank ${bye.rank ?? 0} is not registered on this connection with this session`);
        return;
      }
      return goodbye(w, req);
    }
    if (own !== undefined) return goodbye(own, req);
    const token = st.authToken ?? '';
    if (config.authToken !== '' && token !== config.authToken) {
      if (token === '') {
        // Neither a goodbye nor the launcher's: a forged goodbye of the first revision.
        counters.unknownWorker++;
        log(`ps[${config.shard}]: ignored a stop ('${st.reason ?? ''}') from a peer that is not a registered worker's connection`);
        if (requestId !== 0) refuse(req, pb.ErrorCode.UNKNOWN_WORKER, 'a stop without the run token from a peer that is not a registered worker');
        return;
      }
      counters.notAuthorized++;
      log(`ps[${config.shard}]: refused a stop ('${st.reason ?? ''}'): wrong auth token`);
      if (requestId !== 0) refuse(req, pb.ErrorCode.NOT_AUTHORIZED, 'stop refused: wrong auth token (LNSGD_AUTH_TOKEN)');
      return;
    }
    const reason = st.reason ?? '';
    if (requestId !== 0) void server.send(req.peer, { requestId, stop: { reason: `stopping at step ${shard.version}` } });
    stopRun(`stop from the launcher${reason === '' ? '' : `: ${reason}`}`);
  }

  function goodbye(w: WorkerEntry, req: ServerRequest): void {
    w.bye = true;
    if (req.message.envelope.requestId !== 0) void server.send(req.peer, { requestId: req.message.envelope.requestId, stop: { reason: 'goodbye' } });
    maybeExit();
  }

  function onRegister(req: ServerRequest, r: pbTypes.IRegister): void {
    if (config.authToken !== '' && r.authToken !== config.authToken) {
      counters.notAuthorized++;
      log(`ps[${config.shard}]: refused registration of '${r.workerId ?? ''}': wrong auth token`);
      return refuse(req, pb.ErrorCode.NOT_AUTHORIZED, 'registration refused: wrong or missing auth token (LNSGD_AUTH_TOKEN)');
    }
    const workerId = r.workerId ?? '';
    if (workerId === '') {
      counters.malformed++;
      log(`ps[${config.shard}]: refused a registration with an empty worker id`);
      return refuse(req, pb.ErrorCode.MALFORMED, 'Register.worker_id is empty');
    }
    if (stopRequested || finished) {
      counters.shuttingDown++;
      log(`ps[${config.shard}]: refused registration of '${workerId}': the run is over`);
      return refuse(req, pb.ErrorCode.SHUTTING_DOWN, 'the run is over');
    }
    const route = { peer: req.peer, requestId: req.message.envelope.requestId };
    if (!started) {
      waitingRegs.set(workerId, route);
      const requested = r.requestedRank ?? -1;
      if (requested >= config.workers) {
        waitingRegs.delete(workerId);
        counters.runFull++;
        log(`ps[${config.shard}]: refused registration of '${workerId}': rank ${requested} does not exist in a ${config.workers}-worker run`);
        return refuse(req, pb.ErrorCode.RUN_FULL, `requested rank ${requested} is outside [0, ${config.workers})`);
      }
      ranksWanted.set(workerId, requested);
      if (waitingRegs.size === config.workers) beginRun();
      return;
    }
    const requested = r.requestedRank ?? -1;
    let w = byId.get(workerId);
    if (w !== undefined && w.alive) {
      // A live worker asking again (its reply was lost): same rank, same share.
      touch(w, req.peer);
      void server.send(req.peer, { requestId: route.requestId, assignment: assignment(w.rank) });
      return;
    }
    // A replacement, or a worker that was declared lost and came back. Shard 0 picks
    // the rank (the one asked for if it is free, else the lowest free one); followers
    // take the rank shard 0 gave, which the worker asks for.
    const free = (rank: number): boolean => rank >= 0 && rank < config.workers && workers.get(rank)?.alive !== true;
    let rank = -1;
    if (coordinator) {
      if (free(requested)) rank = requested;
      else for (let q = 0; q < config.workers && rank < 0; q++) if (free(q)) rank = q;
    } else if (requested >= 0 && requested < config.workers) {
      rank = requested;
    }
    if (rank < 0) {
      counters.runFull++;
      log(`ps[${config.shard}]: refused registration of '${workerId}': no free rank (asked for ${requested})`);
      return refuse(req, pb.ErrorCode.RUN_FULL, coordinator ? `all ${config.workers} ranks are taken` : `requested rank ${requested} is outside [0, ${config.workers})`);
    }
    const old = workers.get(rank);
    if (old !== undefined && byId.get(old.workerId) === old) byId.delete(old.workerId);
    if (w !== undefined && w.rank !== rank && workers.get(w.rank) === w) workers.delete(w.rank);
    w = { rank, workerId, peer: req.peer, lastSeen: Date.now(), alive: true, bye: false };
    workers.set(rank, w);
    byId.set(workerId, w);
    counters.workersAdmitted++;
    if (coordinator && !members.includes(rank)) {
      if (members.length === 0) {
        // Nobody is computing: admit now rather than at a close that cannot come.
        joiners.add(rank);
        admitJoiners();
      } else {
        joiners.add(rank);
      }
    }
    const when = coordinator && !members.includes(rank) ? `joins at step ${shard.version + 1}` : `takes its share at step ${shard.version}`;
    log(`ps[${config.shard}]: worker '${workerId}' admitted as rank ${rank}; it ${when}`);
    void server.send(req.peer, { requestId: route.requestId, assignment: assignment(rank) });
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
    members = [...rankOf.values()].sort((a, b) => a - b);
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

  /**
   * The worker a request speaks for: its session must be this incarnation's and it
   * must come over the connection that registered the rank (ZeroMQ gives every
   * connection its own routing id), so knowing a session is not enough to act as a
   * rank. A worker that reconnects gets UNKNOWN_WORKER and registers again.
   */
  function knownWorker(rank: number | null | undefined, sess: string | null | undefined, peer: Buffer): WorkerEntry | undefined {
    if (sess !== session || rank === null || rank === undefined) return undefined;
    const w = workers.get(rank);
    return w !== undefined && w.peer.equals(peer) ? w : undefined;
  }

  function touch(w: WorkerEntry, peer: Buffer): void {
    w.lastSeen = Date.now();
    w.peer = peer;
  }

  function onPush(req: ServerRequest, p: pbTypes.IPushGradient): void {
    const requestId = req.message.envelope.requestId;
    const w = knownWorker(p.rank, p.session, req.peer);
    if (w === undefined || !w.alive) {
      counters.unknownWorker++;
      log(`ps[${config.shard}]: push from unknown worker (rank ${String(p.rank)}, session ${p.session ?? ''})`);
      return refuse(req, pb.ErrorCode.UNKNOWN_WORKER, `rank ${String(p.rank)} is not registered on this connection with this session; register again`);
    }
    touch(w, req.peer);
    w.pushed = true;
    const step = p.step ?? 0;
    if (lastClose !== undefined && step === lastClose.version - 1) {
      const first = closedIdentity.get(w.rank);
      if (first !== undefined && !sameIdentity(first, pushIdentity(p))) {
        counters.pushesDuplicate++;
        log(`ps[${config.shard}]: rank ${w.rank} pushed step ${step} again with different content`);
        return refuse(req, pb.ErrorCode.DUPLICATE_PUSH, `rank ${w.rank} already pushed step ${step} with different content`);
      }
      // The reply to this push was lost or is late: resend it (idempotent), from a copy
      // (see paramsFrame).
      counters.pushesResent++;
      sendParams({ route: { peer: req.peer, requestId }, rank: w.rank }, { ...lastClose, bytes: lastClose.bytes.slice() });
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
    const loss = p.loss ?? 0;
    const bad = firstNonFinite(grad);
    if (bad >= 0 || (samples > 0 && !Number.isFinite(loss))) {
      counters.nonFinite++;
      const what = bad >= 0 ? `gradient[${range.offset + bad}] = ${grad[bad]}` : `loss = ${loss}`;
      log(`ps[${config.shard}]: refused push from rank ${w.rank} at step ${step}: ${what}`);
      return refuse(req, pb.ErrorCode.NON_FINITE, `push from rank ${w.rank} at step ${step} has ${what}; lower the learning rate`);
    }
    // No share (a client of the static protocol): rank r of the N workers, epoch 0.
    const share = p.share ?? { epoch: 0, index: w.rank, count: config.workers };
    const count = share.count ?? 0;
    const index = share.index ?? 0;
    const shareEpoch = share.epoch ?? 0;
    if (count < 1 || count > config.workers || index >= count) {
      counters.badShape++;
      log(`ps[${config.shard}]: push from rank ${w.rank} carries share ${index}/${count}, which is not a block of the ${config.workers}-worker run`);
      return refuse(req, pb.ErrorCode.BAD_SHAPE, `push carries share index ${index} of ${count}: expected index < count <= ${config.workers}`);
    }
    const expected = shareSamples(hyper.batch, { index, count });
    if (samples !== expected) {
      counters.badShape++;
      log(`ps[${config.shard}]: push from rank ${w.rank} for step ${step} has num_samples ${samples}; share ${index} of ${count} of B = ${hyper.batch} is ${expected}`);
      return refuse(req, pb.ErrorCode.BAD_SHAPE, `num_samples ${samples} is not the size of share ${index} of ${count} of the global batch ${hyper.batch} (${expected})`);
    }
    if (coordinator) {
      const mine = shareOf(w.rank);
      if (mine.count === 0 || shareEpoch !== mine.epoch || index !== mine.index || count !== mine.count) {
        counters.pushesRecompute++;
        log(`ps[${config.shard}]: push from rank ${w.rank} for step ${step} used share ${index}/${count} of epoch ${shareEpoch}; the open step's is ${mine.index ?? 0}/${mine.count ?? 0} of epoch ${epoch}: recompute`);
        return sendRecompute({ peer: req.peer, requestId }, mine, `membership changed (epoch ${epoch}): compute step ${step} again as share ${mine.index ?? 0} of ${mine.count ?? 0}`);
      }
    } else {
      if (rankOfIndex.size === 0 && shareEpoch >= openEpoch) {
        openEpoch = shareEpoch;
        openCount = count;
      }
      if (shareEpoch < openEpoch) {
        counters.pushesRecompute++;
        return sendRecompute({ peer: req.peer, requestId }, undefined, `push of epoch ${shareEpoch} for step ${step}; this shard has pushes of epoch ${openEpoch}: take your share from shard 0`);
      }
      if (shareEpoch > openEpoch) {
        dropOpenPushes(`a push of epoch ${shareEpoch} superseded epoch ${openEpoch} for step ${step}`, () => undefined);
        openEpoch = shareEpoch;
        openCount = count;
      } else if (count !== openCount) {
        counters.badShape++;
        return refuse(req, pb.ErrorCode.BAD_SHAPE, `push of epoch ${shareEpoch} claims ${count} shares; other pushes of that epoch claim ${openCount}`);
      }
    }
    const holder = rankOfIndex.get(index);
    if (holder !== undefined && holder !== w.rank) {
      counters.pushesDuplicate++;
      return refuse(req, pb.ErrorCode.DUPLICATE_PUSH, `share ${index} of epoch ${shareEpoch} was already pushed by rank ${holder}`);
    }
    const pending = shard.pushOf(index);
    if (pending !== undefined) {
      const routes = replyTo.get(w.rank) ?? [];
      if (!sameIdentity(openIdentity.get(w.rank), pushIdentity(p)) || !sameBits(pending.grad, grad) || routes.length >= MAX_RESENDS) {
        counters.pushesDuplicate++;
        log(`ps[${config.shard}]: rank ${w.rank} pushed step ${step} again with different content`);
        return refuse(req, pb.ErrorCode.DUPLICATE_PUSH, `rank ${w.rank} already pushed step ${step} with different content${routes.length >= MAX_RESENDS ? ' (or resent it too often)' : ''}`);
      }
      // An identical resend (its reply was lost or is late): answered with the first.
      counters.pushesResent++;
      routes.push({ peer: req.peer, requestId });
      return;
    }
    shard.addPush({ rank: index, samples, loss, grad });
    rankOfIndex.set(index, w.rank);
    lastShareOf.set(w.rank, { epoch: shareEpoch, index, count });
    openIdentity.set(w.rank, pushIdentity(p));
    counters.pushesAccepted++;
    replyTo.set(w.rank, [{ peer: req.peer, requestId }]);
    maybeCloseStep();
  }

  function sendRecompute(route: ReplyRoute, share: Share | undefined, message: string): void {
    void server.send(route.peer, { requestId: route.requestId, error: { code: pb.ErrorCode.RECOMPUTE, message, currentVersion: shard.version, share: share ?? null } });
  }

  /** Drops every push of the open step and tells their senders to recompute (with their new share where known). */
  function dropOpenPushes(reason: string, shareFor: (rank: number) => Share | undefined): void {
    for (const index of rankOfIndex.keys()) shard.dropPush(index);
    rankOfIndex.clear();
    openIdentity.clear();
    for (const [rank, routes] of [...replyTo].sort((a, b) => a[0] - b[0])) {
      counters.pushesRecompute++;
      for (const route of routes) sendRecompute(route, shareFor(rank), `${reason}: compute step ${shard.version} again`);
    }
    replyTo.clear();
  }

  /** Shares of the open step: shard 0's members, or (follower) the open epoch's share count. */
  function openShares(): number {
    return coordinator ? members.length : openCount;
  }

  function maybeCloseStep(): void {
    if (!started || finished) return;
    const count = openShares();
    if (count === 0) return;
    let stepSamples = 0;
    for (let i = 0; i < count; i++) {
      const push = shard.pushOf(i);
      if (push === undefined) return;
      stepSamples += push.samples;
    }
    if (stepSamples === 0) return;
    const closed = shard.closeStep();
    rankOfIndex.clear();
    closedIdentity = openIdentity;
    openIdentity = new Map();
    counters.stepsClosed++;
    const closedAt = performance.now();
    telemetry?.observe('trainStepDuration', (closedAt - stepOpenedAt) / 1000);
    stepMsEma = stepMsEma === 0 ? closedAt - stepOpenedAt : 0.9 * stepMsEma + 0.1 * (closedAt - stepOpenedAt);
    stepOpenedAt = closedAt;
    if (closed.noise !== null) lastNoise = closed.noise;
    if (stepSamples !== hyper.batch) log(`ps[${config.shard}]: step ${closed.version - 1} combined ${stepSamples} samples, the run's B is ${hyper.batch}`);
    const final = closed.version >= hyper.steps || stopRequested;
    // Admissions take effect at the step boundary, so the replies below carry the new shares.
    if (coordinator && !final) admitJoiners();
    const { header, bytes } = paramsFrame('member-replies');
    const close: LastClose = { version: closed.version, loss: closed.loss, final, header, bytes, stepSamples };
    lastClose = close;
    // A final close also answers every waiting pull (joiners included) with the last θ.
    if (final) finished = true;
    for (const rank of [...replyTo.keys()].sort((a, b) => a - b)) {
      const routes = replyTo.get(rank) ?? [];
      // The first reply views the buffer; the resends' replies are copies (see paramsFrame).
      routes.forEach((route, i) => sendParams({ route, rank }, i === 0 ? close : { ...close, bytes: close.bytes.slice() }));
    }
    replyTo.clear();
    answerDeferredPulls();
    if (config.checkpointDir !== undefined && (final || (config.checkpointEvery > 0 && closed.version % config.checkpointEvery === 0))) {
      checkpoint(config.checkpointDir);
    }
    if (final) {
      tellSnapshotPeers(`run over at step ${closed.version}`);
      log(`ps[${config.shard}]: run over at step ${closed.version}${stopRequested && closed.version < hyper.steps ? ' (stop requested)' : ''}`);
      if (staying()) {
        log(`ps[${config.shard}]: serving the final parameters until stopped (--stay-after-run)`);
      } else {
        setTimeout(() => void exit(), 10_000).unref();
        maybeExit();
      }
    }
  }

  /** Shard 0: joiners become members; the partition gets a new epoch. */
  function admitJoiners(): void {
    if (joiners.size === 0) return;
    const admitted = [...joiners].filter((r) => workers.get(r)?.alive === true);
    joiners.clear();
    if (admitted.length === 0) return;
    // At a step boundary every member gets its new share in its reply (and each joiner
    // in its pull), so no note: one would only race the reply and cost a recompute.
    setMembers([...members, ...admitted], `admitted rank(s) ${admitted.join(', ')}`, { notify: false });
  }

  /** Shard 0: a new partition of B over `ranks`, announced to every member unless `notify` is false. */
  function setMembers(ranks: readonly number[], why: string, opts: { notify: boolean } = { notify: true }): void {
    members = [...new Set(ranks)].sort((a, b) => a - b);
    epoch++;
    counters.membershipChanges++;
    log(`ps[${config.shard}]: membership epoch ${epoch} at step ${shard.version} (${why}): B = ${hyper.batch} over rank(s) [${members.join(', ')}]`);
    if (!opts.notify) return;
    for (const rank of members) {
      const w = workers.get(rank);
      if (w !== undefined && w.alive) void server.send(w.peer, { requestId: 0, membership: { share: shareOf(rank), version: shard.version } });
    }
  }

  /** Answers the pulls that were waiting for a version (and, at shard 0, for membership). */
  function answerDeferredPulls(): void {
    if (deferredPulls.length === 0) return;
    const waiting = deferredPulls.splice(0);
    for (const d of waiting) {
      const w = workers.get(d.rank);
      if (w === undefined || !w.alive) continue;
      if (finished || (shard.version >= d.minVersion && (!coordinator || members.includes(d.rank)))) replyPull(d.route, d.rank);
      else deferredPulls.push(d);
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

  function sendParams(to: { route: ReplyRoute; rank: number }, c: LastClose): void {
    const params = { version: c.version, params: c.header, loss: c.loss, final: c.final, noise: noiseMessage(), share: shareOf(to.rank), stepSamples: c.stepSamples };
    void server.send(to.route.peer, { requestId: to.route.requestId, params }, [c.bytes]);
  }

  function onPull(req: ServerRequest, p: pbTypes.IPull): void {
    const w = knownWorker(p.rank, p.session, req.peer);
    if (w === undefined || !w.alive) {
      counters.unknownWorker++;
      return refuse(req, pb.ErrorCode.UNKNOWN_WORKER, `rank ${String(p.rank)} is not registered on this connection with this session; register again`);
    }
    touch(w, req.peer);
    const route = { peer: req.peer, requestId: req.message.envelope.requestId };
    const minVersion = p.minVersion ?? 0;
    if (!finished && (shard.version < minVersion || (coordinator && started && !members.includes(w.rank)))) {
      // A joiner waits here for its admission; bounded: one entry per live rank.
      const i = deferredPulls.findIndex((d) => d.rank === w.rank);
      if (i >= 0) deferredPulls.splice(i, 1);
      deferredPulls.push({ rank: w.rank, route, minVersion });
      return;
    }
    replyPull(route, w.rank);
  }

  /**
   * The current θ slice as a frame. The shard writes version v+2 into the buffer of
   * version v (reuseParams), and ZeroMQ sends frames without copying, so only the
   * replies to the closing step's pushes view the buffer: a member pushes step v only
   * after it has received version v from every shard, so by the time a buffer is
   * written again every reply viewing it has left the socket (and a reply to a peer
   * that vanished mid-send would fail its CRC). Everything else (pulls, snapshots,
   * resent replies) may sit in a queue for longer, and gets a copy.
   */
  function paramsFrame(use: 'member-replies' | 'copy'): ReturnType<typeof float32Frame> {
    return float32Frame(use === 'copy' ? shard.params.slice() : shard.params, { offset: range.offset, checksum: config.checksum });
  }

  function replyPull(route: ReplyRoute, rank: number): void {
    const { header, bytes } = paramsFrame('copy');
    const params = {
      version: shard.version,
      params: header,
      loss: lastClose?.loss ?? Number.NaN,
      final: finished,
      noise: noiseMessage(),
      share: shareOf(rank),
      stepSamples: lastClose?.stepSamples ?? 0,
    };
    void server.send(route.peer, { requestId: route.requestId, params }, [bytes]);
  }

  // Metrics services that asked for snapshots: told when the run is over (bounded: a few monitors at most).
  const snapshotPeers = new Map<string, Buffer>();
  function tellSnapshotPeers(reason: string): void {
    for (const peer of snapshotPeers.values()) void server.send(peer, { requestId: 0, stop: { reason } });
  }

  function onSnapshot(req: ServerRequest, s: pbTypes.ISnapshotRequest): void {
    if (snapshotPeers.size < 16) snapshotPeers.set(req.peer.toString('hex'), req.peer);
    const frame = s.includeParams === true ? paramsFrame('copy') : undefined;
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
        runFinished: finished ? 1 : 0,
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
          run_full: counters.runFull,
          shutting_down: counters.shuttingDown,
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
    // A worker computing a long step cannot heartbeat (tfjs on wasm runs on its one
    // thread): silence counts only beyond a few typical steps, and beyond the start-up
    // grace for a worker still loading its model.
    const steady = Math.max(config.heartbeatTimeoutMs, 3 * stepMsEma);
    for (const w of workers.values()) {
      const limit = w.pushed === true ? steady : Math.max(steady, config.startupGraceMs);
      if (w.alive && now - w.lastSeen > limit) {
        w.alive = false;
        counters.workersLost++;
        joiners.delete(w.rank);
        const pending = deferredPulls.findIndex((d) => d.rank === w.rank);
        if (pending >= 0) deferredPulls.splice(pending, 1);
        log(`ps[${config.shard}]: worker '${w.workerId}' (rank ${w.rank}) silent for ${now - w.lastSeen} ms: lost at step ${shard.version}`);
        if (coordinator && members.includes(w.rank)) onMemberLost(w);
      }
    }
  }

  /** Shard 0's policy for a member that stopped heartbeating (followers follow shard 0's shares). */
  function onMemberLost(w: WorkerEntry): void {
    switch (config.onWorkerLoss) {
      case 'wait':
        log(`ps[${config.shard}]: --on-worker-loss wait: step ${shard.version} waits until a replacement takes rank ${w.rank}`);
        return;
      case 'fail':
        failRun(`worker '${w.workerId}' (rank ${w.rank}) was lost at step ${shard.version} and --on-worker-loss is fail`);
        return;
      case 'rebalance': {
        // The open step's pushes were computed for the old partition: drop them all and
        // have the survivors compute the step again over the whole of B.
        setMembers(
          members.filter((r) => r !== w.rank),
          `lost rank ${w.rank}`,
        );
        dropOpenPushes(`rank ${w.rank} was lost`, (rank) => shareOf(rank));
        if (members.length > 0) return;
        // Nobody left to compute: admit the waiting joiners now, or wait for a registration.
        admitJoiners();
        answerDeferredPulls();
        if (members.length === 0) log(`ps[${config.shard}]: no worker left; step ${shard.version} waits for one to register`);
        return;
      }
    }
  }

  function failRun(reason: string): void {
    if (failure !== undefined) return;
    failure = reason;
    finished = true;
    log(`ps[${config.shard}]: run failed: ${reason}`);
    for (const w of workers.values()) void server.send(w.peer, { requestId: 0, stop: { reason: `failed: ${reason}` } });
    tellSnapshotPeers(`failed: ${reason}`);
    // Let the stop notes leave before the linger-0 socket closes.
    setTimeout(() => void exit(), 200).unref();
  }

  /** Whether a finished run keeps this shard up: --stay-after-run, unless a stop was asked for or the run failed. */
  function staying(): boolean {
    return config.stayAfterRun && !stopRequested && failure === undefined;
  }

  function maybeExit(): void {
    if (!finished || staying()) return;
    if ([...workers.values()].every((w) => w.bye || !w.alive)) void exit();
  }

  /** Ends the run at the next step boundary (at once when no step is open). */
  function stopRun(reason: string): void {
    if (stopRequested) return;
    stopRequested = true;
    log(`ps[${config.shard}]: stop requested (${reason})`);
    if (!started) {
      finished = true;
      void exit();
    } else if (finished) {
      // Over but kept up (--stay-after-run; without it the exit is already on its way):
      // nothing to wind down. Let anything queued leave before the linger-0 socket closes.
      if (config.stayAfterRun) setTimeout(() => void exit(), 200).unref();
    } else {
      // Tell every worker now, so a long step does not hold the stop up.
      for (const w of workers.values()) void server.send(w.peer, { requestId: 0, stop: { reason } });
    }
  }

  let exiting = false;
  async function exit(): Promise<void> {
    if (exiting) return;
    exiting = true;
    clearInterval(liveness);
    await server.close();
    options.onEvent({ event: 'ps-done', shard: config.shard, version: shard.version, counters: { ...counters }, transport: { ...server.stats }, ...(failure !== undefined ? { failure } : {}) });
    resolveDone(shard.version);
  }

  return {
    endpoint: server.endpoint,
    counters,
    requestStop: stopRun,
    done,
    failure: () => failure,
    finished: () => finished,
    close: async () => {
      finished = true;
      await exit();
      await done;
    },
  };
}

/**
 * The directory to resume from: `--resume`, or with `--resume-if-present` the
 * checkpoint directory when this shard's checkpoint file is in it (a PS restarted
 * in place); undefined for a fresh start.
 */
function resumeFrom(config: ServerConfig, log: (line: string) => void): string | undefined {
  if (config.resume !== undefined) return config.resume;
  if (!config.resumeIfPresent || config.checkpointDir === undefined) return undefined;
  const file = checkpointPath(config.checkpointDir, config);
  if (existsSync(file)) return config.checkpointDir;
  log(`ps[${config.shard}]: no checkpoint at ${file}: starting fresh (--resume-if-present)`);
  return undefined;
}

/** Identical resends a shard answers for one rank and step (a worker resends after each timeout, up to its --retries). */
const MAX_RESENDS = 16;

/** What a push says apart from its gradient (compared bitwise while the step is open; by checksum after). */
interface PushIdentity {
  readonly samples: number;
  readonly loss: number;
  readonly epoch: number;
  readonly index: number;
  readonly count: number;
  readonly checksumKind: number;
  readonly checksum: number;
}

function pushIdentity(p: pbTypes.IPushGradient): PushIdentity {
  return {
    samples: p.numSamples ?? 0,
    loss: p.loss ?? 0,
    epoch: p.share?.epoch ?? 0,
    index: p.share?.index ?? p.rank ?? 0,
    count: p.share?.count ?? 0,
    checksumKind: p.grad?.checksumKind ?? 0,
    checksum: p.grad?.checksum ?? 0,
  };
}

function sameIdentity(a: PushIdentity | undefined, b: PushIdentity): boolean {
  return (
    a !== undefined &&
    a.samples === b.samples &&
    Object.is(a.loss, b.loss) &&
    a.epoch === b.epoch &&
    a.index === b.index &&
    a.count === b.count &&
    a.checksumKind === b.checksumKind &&
    a.checksum === b.checksum
  );
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Samples in block `index` of `count` of a global batch B (the data library's microBatchSizes: the first B mod count blocks take one more). */
export function shareSamples(batch: number, share: { index: number; count: number }): number {
  return Math.floor(batch / share.count) + (share.index < batch % share.count ? 1 : 0);
}
