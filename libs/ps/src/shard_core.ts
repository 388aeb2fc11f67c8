import type { WireDtype } from '@lnsgd/tensor-codec';
import {
  float32Frame,
  pb,
  readFloat32Frame,
  releaseFrame,
  TransportError,
  type EnvelopeInit,
  type KeyRange,
  type pbTypes,
  type ServerRequest,
} from '@lnsgd/transport';
import { Membership, type MembershipEvent, type Share, type WorkerLossPolicy } from './membership';
import type { ParameterShard } from './parameter_shard';
import { checkPush, type PushRefusal } from './push_check';
import { REFUSALS, withTransportRefusals } from './refusals';
import { samePushHeader, StepBarrier, type Dropped, type PushIdentity } from './step_barrier';

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
  /** Checkpoint writes that failed (a full disk, a read-only directory); training went on. */
  checkpointFailures: number;
  workersLost: number;
  /** Workers (re-)admitted to a running run (replacements, returning workers). */
  workersAdmitted: number;
  /** Membership epochs after the first (shard 0 only): every loss or admission under `rebalance`. */
  membershipChanges: number;
  /** Pushes refused with RECOMPUTE because the membership changed while their step was open. */
  pushesRecompute: number;
}

/** The run as one shard serves it. */
export interface ShardCoreConfig {
  readonly shard: number;
  readonly shards: number;
  readonly workers: number;
  /** Global batch B and last step of the run. */
  readonly batch: number;
  readonly steps: number;
  readonly onWorkerLoss: WorkerLossPolicy;
  readonly heartbeatTimeoutMs: number;
  readonly startupGraceMs: number;
  /** Shared run token ('' for none). */
  readonly authToken: string;
  /** CRC-32 on parameter frames. */
  readonly checksum: boolean;
  /** Element type gradient pushes must have (default float32; decoded exactly to float32 for the float64 combine). */
  readonly wireDtype?: WireDtype;
  /** A finished run keeps the shard up (serving the final θ) until stopped. */
  readonly stayAfterRun: boolean;
}

/** What the core asks of its owner (the socket server, or a test). */
export interface ShardOutbox {
  /** Sends a message to a peer (the ROUTER identity); never throws. */
  send(peer: Buffer, envelope: EnvelopeInit, frames?: readonly Uint8Array[]): void;
  log(line: string): void;
  /** A step closed (checkpoints, metrics). */
  closed(c: { readonly version: number; readonly final: boolean; readonly stepMs: number }): void;
  /** The run is over here: close the socket after `delayMs` (0: at once). */
  exit(delayMs: number): void;
}

/** Options of {@link ShardCore}. */
export interface ShardCoreOptions {
  readonly config: ShardCoreConfig;
  readonly range: KeyRange;
  readonly session: string;
  readonly shard: ParameterShard;
  /** The Assignment fields that describe the run (RunSpec, parameter count); the core adds rank, share and session. */
  readonly assignment: Omit<pbTypes.IAssignment, 'rank' | 'share' | 'session' | 'startStep'>;
  readonly out: ShardOutbox;
  /** The clock for liveness and step times (ms). */
  readonly now: () => number;
}

interface Route {
  readonly peer: Buffer;
  readonly requestId: number;
  /** The push came in parts: its reply goes out in parts too (PushGradient.parts > 1). */
  readonly parted?: boolean;
}

/** A push of the open step that is arriving in parts. */
interface PartedPush {
  readonly index: number;
  readonly identity: PushIdentity;
  readonly parts: number;
  /** Keys [0, received) of the shard's range are in. */
  received: number;
}

/** Part frames (header with its CRC, bytes) by first key, shared by the routes one call sends the same keys to. */
type PartFrames = Map<number, ReturnType<typeof float32Frame>>;

interface LastClose {
  readonly version: number;
  readonly loss: number;
  readonly final: boolean;
  readonly header: pbTypes.TensorFrame.$Properties;
  /** The whole frame (empty when every push of the step came in parts: resends whole are sent from `values`). */
  readonly bytes: Uint8Array;
  /** θ of the version (the shard's buffer: copy before sending it to anyone but the closing step's pushers). */
  readonly values: Float32Array;
  /** Samples combined in the step (B in a healthy run). */
  readonly stepSamples: number;
}

// A push refusal's wire code and counter come from its ErrorCode row.
const CODE = (r: PushRefusal): number => pb.ErrorCode[r];

/**
 * One parameter-server shard without sockets or timers (BytePS's server loop: it
 * routes each request through Membership, checkPush, StepBarrier and ParameterShard
 * and holds no policy of its own). Every request gets exactly one reply — or none
 * for a notification (request id 0) — and bad input a typed Error, a counter and a
 * log line; a refused request never touches the parameters. It owns the data frames
 * of the requests it is given: a push's frame copied into the shard's buffers is
 * released at once (releaseFrame), so a caller must not read it afterwards.
 */
export class ShardCore {
  readonly counters: ShardCounters = {
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
    checkpointFailures: 0,
    workersLost: 0,
    workersAdmitted: 0,
    membershipChanges: 0,
    pushesRecompute: 0,
  };
  readonly membership: Membership;
  private readonly barrier: StepBarrier<Route>;
  /** Registrations waiting for the run to start, by worker id (a resent one is answered too; at most 8 kept). */
  private readonly held = new Map<string, Route[]>();
  private deferredPulls: { rank: number; route: Route; minVersion: number }[] = [];
  private readonly snapshotPeers = new Map<string, Buffer>();
  private lastCloseValue: LastClose | undefined;
  private lastNoiseValue: { gradSqNorm: number; traceSigma: number } | null = null;
  private stepMsEma = 0;
  private stepOpenedAt: number;
  /** Pushes of the open step arriving in parts, by rank. */
  private readonly partial = new Map<number, PartedPush>();
  /** Keys [0, partsSent) of the open step's θ went out to the pushes that came in parts. */
  private partsSent = 0;
  /** Straggler watch: when the open step's first push was accepted, and each rank's latest delay after it (ms). */
  private firstPushAt: number | undefined;
  private readonly pushDelayMs: (number | undefined)[] = [];
  private stopRequested = false;
  private finishedValue = false;
  private failureValue: string | undefined;
  private readonly prefix: string;

  constructor(private readonly o: ShardCoreOptions) {
    const c = o.config;
    this.membership = new Membership({
      workers: c.workers,
      coordinator: c.shard === 0,
      policy: c.onWorkerLoss,
      heartbeatTimeoutMs: c.heartbeatTimeoutMs,
      startupGraceMs: c.startupGraceMs,
    });
    this.barrier = new StepBarrier<Route>(c.shard === 0);
    this.prefix = `ps[${c.shard}]`;
    this.stepOpenedAt = o.now();
    // A checkpoint already at the run's last step: the run is over; never wait for workers that will not come.
    if (o.shard.version >= c.steps) this.finishedValue = true;
  }

  /** Whether the run is over here (last step closed, a stop, a failure, or resumed at the last step). */
  get finished(): boolean {
    return this.finishedValue;
  }

  /** Why the run failed (`--on-worker-loss fail`), if it has. */
  get failure(): string | undefined {
    return this.failureValue;
  }

  get version(): number {
    return this.o.shard.version;
  }

  /**
   * Per worker rank: how long after the step's first accepted push this rank's push
   * was accepted, for the latest step it pushed (ms; undefined before its first).
   * An honest rank stays near 0; a straggler shows its lateness.
   */
  get pushDelays(): readonly (number | undefined)[] {
    return this.pushDelayMs;
  }

  /** The last close (loss, samples), for metrics. */
  get lastClose(): { readonly loss: number; readonly stepSamples: number } | undefined {
    return this.lastCloseValue;
  }

  /** Routes one request; never throws (a bug answers MALFORMED and is counted). */
  handle(req: ServerRequest): void {
    try {
      this.route(req);
    } catch (err: unknown) {
      this.counters.malformed++;
      const why = err instanceof Error ? err.message : String(err);
      this.o.out.log(`${this.prefix}: request ${req.message.envelope.body ?? '?'} failed: ${why}`);
      this.refuse(req, pb.ErrorCode.MALFORMED, why);
    }
  }

  /** Liveness at the core's clock: lost members, and shard 0's loss policy. */
  tick(): void {
    if (!this.membership.started || this.finishedValue) return;
    const events = this.membership.tick(this.o.now(), this.stepMsEma);
    for (const e of events) this.apply(e);
    if (events.length > 0) this.answerDeferredPulls();
    this.endIfStoppedAndAlone();
  }

  /** A stop with no live worker left: no step can close any more, so the run ends here. */
  private endIfStoppedAndAlone(): void {
    if (!this.stopRequested || this.finishedValue || this.membership.liveCount > 0) return;
    this.finishedValue = true;
    this.o.out.log(`${this.prefix}: run over at step ${this.version} (stop requested, no worker left)`);
    this.tellSnapshotPeers(`run over at step ${this.version}`);
    this.o.out.exit(0);
  }

  /** Ends the run at the next step boundary (at once when no step is open). */
  requestStop(reason: string): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    this.o.out.log(`${this.prefix}: stop requested (${reason})`);
    if (!this.membership.started) {
      this.finishedValue = true;
      this.o.out.exit(0);
    } else if (this.finishedValue) {
      // Over but kept up (--stay-after-run): let anything queued leave first.
      if (this.o.config.stayAfterRun) this.o.out.exit(200);
    } else {
      // Tell every worker now, so a long step does not hold the stop up.
      for (const w of this.membership.all()) this.send(w.conn, { requestId: 0, stop: { reason } });
      this.endIfStoppedAndAlone();
    }
  }

  /** The Snapshot a metrics service asked for (the caller adds the transport's counters). */
  snapshot(req: ServerRequest, transport: { malformed: number; tooLarge: number; versionMismatch: number; bytesReceived: number; bytesSent: number }): void {
    const s = req.message.envelope.snapshotRequest ?? {};
    if (this.snapshotPeers.size < 16) this.snapshotPeers.set(req.peer.toString('hex'), req.peer);
    const frame = s.includeParams === true ? this.paramsFrame('copy') : undefined;
    const { range } = this.o;
    const c = this.counters;
    this.o.out.send(
      req.peer,
      {
        requestId: req.message.envelope.requestId,
        snapshot: {
          version: this.version,
          range: { shard: range.shard, offset: range.offset, length: range.length },
          numShards: this.o.config.shards,
          params: frame?.header ?? null,
          noise: this.noiseMessage(),
          liveWorkers: this.membership.liveCount,
          configHash: this.o.assignment.run?.configHash ?? '',
          stats: {
            ...withTransportRefusals(c, transport),
            bytesReceived: transport.bytesReceived,
            bytesSent: transport.bytesSent,
          },
        },
      },
      frame === undefined ? [] : [frame.bytes],
    );
  }

  /** The noise-scale parts of the last step and their EMAs. */
  noiseMessage(): pbTypes.INoiseScale {
    const ema = this.o.shard.noiseEma;
    return {
      gradSqNorm: this.lastNoiseValue?.gradSqNorm ?? 0,
      traceSigma: this.lastNoiseValue?.traceSigma ?? 0,
      emaGradSqNorm: ema.gradSqNorm,
      emaTraceSigma: ema.traceSigma,
      count: ema.count,
    };
  }

  private route(req: ServerRequest): void {
    const env = req.message.envelope;
    switch (env.body) {
      case 'register':
        return this.onRegister(req, env.register ?? {});
      case 'push':
        return this.onPush(req, env.push ?? {});
      case 'pull':
        return this.onPull(req, env.pull ?? {});
      case 'heartbeat':
        return this.onHeartbeat(req, env.heartbeat ?? {});
      case 'stop':
        return this.onStop(req, env.stop ?? {});
      case 'snapshotRequest':
        // Served by the owner (it holds the transport's counters); never reaches here from KvServer wiring.
        return this.snapshot(req, { malformed: 0, tooLarge: 0, versionMismatch: 0, bytesReceived: 0, bytesSent: 0 });
      case 'assignment':
      case 'membership':
      case 'params':
      case 'heartbeatAck':
      case 'snapshot':
      case 'error':
      case undefined:
        this.counters.malformed++;
        this.o.out.log(`${this.prefix}: unexpected ${env.body ?? 'empty'} message from a client`);
        return this.refuse(req, pb.ErrorCode.MALFORMED, `a server does not accept ${env.body ?? 'empty'} messages`);
    }
  }

  private refuse(req: ServerRequest, code: number, why: string | { readonly message: string; readonly share?: Share }): void {
    const { message, share } = typeof why === 'string' ? { message: why, share: undefined } : why;
    this.o.out.send(req.peer, { requestId: req.message.envelope.requestId, error: { code, message, currentVersion: this.version, share: share ?? null } });
  }

  private send(conn: string, envelope: EnvelopeInit): void {
    this.o.out.send(Buffer.from(conn, 'hex'), envelope);
  }

  /** The worker a request speaks for: this incarnation's session, over the connection that registered the rank. */
  private known(rank: number | null | undefined, session: string | null | undefined, peer: Buffer): ReturnType<Membership['known']> {
    if (session !== this.o.session || rank === null || rank === undefined) return undefined;
    return this.membership.known(rank, peer.toString('hex'));
  }

  private unknown(req: ServerRequest, rank: number | null | undefined): void {
    this.counters.unknownWorker++;
    this.refuse(req, pb.ErrorCode.UNKNOWN_WORKER, `rank ${String(rank)} is not registered on this connection with this session; register again`);
  }

  private assignment(rank: number): EnvelopeInit['assignment'] {
    const c = this.o.config;
    return {
      ...this.o.assignment,
      rank,
      startStep: this.version,
      session: this.o.session,
      heartbeatIntervalMs: Math.max(50, Math.floor(c.heartbeatTimeoutMs / 6)),
      share: this.membership.shareOf(rank),
      partLength: this.o.shard.partLength >= this.o.range.length ? 0 : this.o.shard.partLength,
    };
  }

  private onRegister(req: ServerRequest, r: pbTypes.IRegister): void {
    const c = this.o.config;
    const p = this.prefix;
    if (c.authToken !== '' && r.authToken !== c.authToken) {
      this.counters.notAuthorized++;
      this.o.out.log(`${p}: refused registration of '${r.workerId ?? ''}': wrong auth token`);
      return this.refuse(req, pb.ErrorCode.NOT_AUTHORIZED, 'registration refused: wrong or missing auth token (LNSGD_AUTH_TOKEN)');
    }
    const workerId = r.workerId ?? '';
    if (workerId === '') {
      this.counters.malformed++;
      this.o.out.log(`${p}: refused a registration with an empty worker id`);
      return this.refuse(req, pb.ErrorCode.MALFORMED, 'Register.worker_id is empty');
    }
    if (this.stopRequested || this.finishedValue) {
      this.counters.shuttingDown++;
      this.o.out.log(`${p}: refused registration of '${workerId}': the run is over`);
      return this.refuse(req, pb.ErrorCode.SHUTTING_DOWN, 'the run is over');
    }
    const requested = r.requestedRank ?? -1;
    const route = { peer: req.peer, requestId: req.message.envelope.requestId };
    const reg = this.membership.register({ workerId, requestedRank: requested, conn: req.peer.toString('hex') }, this.o.now());
    switch (reg.kind) {
      case 'held':
        this.hold(workerId, route);
        return;
      case 'refused':
        this.counters.runFull++;
        this.o.out.log(`${p}: refused registration of '${workerId}': ${reg.message} (asked for ${requested})`);
        return this.refuse(req, pb.ErrorCode.RUN_FULL, reg.message);
      case 'started': {
        this.hold(workerId, route);
        this.stepOpenedAt = this.o.now();
        for (const [id, rank] of reg.ranks) {
          for (const to of this.held.get(id) ?? []) this.o.out.send(to.peer, { requestId: to.requestId, assignment: this.assignment(rank) });
        }
        this.held.clear();
        this.o.out.log(`${p}: ${c.workers} worker(s) registered; run starts at step ${this.version}`);
        return;
      }
      case 'assigned': {
        if (reg.rejoin) {
          this.counters.workersAdmitted++;
          for (const e of reg.events) this.apply(e);
          const when = c.shard === 0 && !this.membership.isMember(reg.rank) ? `joins at step ${this.version + 1}` : `takes its share at step ${this.version}`;
          this.o.out.log(`${p}: worker '${workerId}' admitted as rank ${reg.rank}; it ${when}`);
        }
        this.o.out.send(req.peer, { requestId: route.requestId, assignment: this.assignment(reg.rank) });
        return;
      }
    }
  }

  private hold(workerId: string, route: Route): void {
    const routes = this.held.get(workerId) ?? [];
    if (routes.length < 8) routes.push(route);
    this.held.set(workerId, routes);
  }

  private onHeartbeat(req: ServerRequest, h: pbTypes.IHeartbeat): void {
    // A worker declared lost still gets its ack (its next push or pull learns it was lost).
    const w = h.session === this.o.session && typeof h.rank === 'number' ? this.membership.connected(h.rank, req.peer.toString('hex')) : undefined;
    if (w !== undefined) this.membership.touch(w, { conn: req.peer.toString('hex'), now: this.o.now() });
    const requestId = req.message.envelope.requestId;
    if (requestId === 0) return;
    // Typically a worker of a previous incarnation of this shard: it re-registers on this.
    if (w === undefined) return this.unknown(req, h.rank);
    this.o.out.send(req.peer, { requestId, heartbeatAck: { version: this.version, session: this.o.session } });
  }

  /**
   * A Stop: a worker's goodbye (typed, or any Stop over a registered worker's own
   * connection, as workers of the first protocol revision sent), or the launcher's
   * request to end the run (with the run token when the shard has one). Only a rank's
   * own connection may say goodbye for it: a stranger's would let the shard exit
   * before that worker has its last reply.
   */
  private onStop(req: ServerRequest, st: pbTypes.IStop): void {
    const requestId = req.message.envelope.requestId;
    const p = this.prefix;
    const bye = st.goodbye;
    if (bye !== null && bye !== undefined) {
      const w = bye.session === this.o.session ? this.membership.connected(bye.rank ?? 0, req.peer.toString('hex')) : undefined;
      if (w === undefined) {
        this.counters.unknownWorker++;
        this.o.out.log(`${p}: ignored a stop (goodbye of rank ${bye.rank ?? 0}) from a peer that is not that rank's connection`);
        if (requestId !== 0) this.refuse(req, pb.ErrorCode.UNKNOWN_WORKER, `rank ${bye.rank ?? 0} is not registered on this connection with this session`);
        return;
      }
      return this.goodbye(w, req);
    }
    const own = this.membership.byConn(req.peer.toString('hex'));
    if (own !== undefined) return this.goodbye(own, req);
    const token = st.authToken ?? '';
    const c = this.o.config;
    if (c.authToken !== '' && token !== c.authToken) {
      if (token === '') {
        // Neither a goodbye nor the launcher's: a forged goodbye of the first revision.
        this.counters.unknownWorker++;
        this.o.out.log(`${p}: ignored a stop ('${st.reason ?? ''}') from a peer that is not a registered worker's connection`);
        if (requestId !== 0) this.refuse(req, pb.ErrorCode.UNKNOWN_WORKER, 'a stop without the run token from a peer that is not a registered worker');
        return;
      }
      this.counters.notAuthorized++;
      this.o.out.log(`${p}: refused a stop ('${st.reason ?? ''}'): wrong auth token`);
      if (requestId !== 0) this.refuse(req, pb.ErrorCode.NOT_AUTHORIZED, 'stop refused: wrong auth token (LNSGD_AUTH_TOKEN)');
      return;
    }
    const reason = st.reason ?? '';
    if (requestId !== 0) this.o.out.send(req.peer, { requestId, stop: { reason: `stopping at step ${this.version}` } });
    this.requestStop(`stop from the launcher${reason === '' ? '' : `: ${reason}`}`);
  }

  private goodbye(w: Parameters<Membership['goodbye']>[0], req: ServerRequest): void {
    this.membership.goodbye(w);
    const requestId = req.message.envelope.requestId;
    if (requestId !== 0) this.o.out.send(req.peer, { requestId, stop: { reason: 'goodbye' } });
    this.maybeExit();
  }

  private onPush(req: ServerRequest, p: pbTypes.IPushGradient): void {
    const requestId = req.message.envelope.requestId;
    const part = p.part ?? 0;
    const parts = p.parts ?? 0;
    const parted = parts > 1;
    const route: Route = { peer: req.peer, requestId, parted };
    const pre = this.prefix;
    const w = this.known(p.rank, p.session, req.peer);
    if (w === undefined) {
      this.o.out.log(`${pre}: push from unknown worker (rank ${String(p.rank)})`);
      return this.unknown(req, p.rank);
    }
    this.membership.touch(w, { conn: req.peer.toString('hex'), now: this.o.now() });
    w.pushed = true;
    const step = p.step ?? 0;
    const last = this.lastCloseValue;
    const given = p.share === null || p.share === undefined ? undefined : { epoch: p.share.epoch ?? 0, index: p.share.index ?? 0, count: p.share.count ?? 0 };
    // No share (a client of the static protocol): rank r of the run's workers, epoch 0.
    const share = given ?? { epoch: 0, index: w.rank, count: this.o.config.workers };
    if (part >= Math.max(1, parts) || parts > this.o.range.length) {
      this.counters.badShape++;
      this.o.out.log(`${pre}: push from rank ${w.rank} is part ${part} of ${parts} (the range has ${this.o.range.length} keys)`);
      return this.refuse(req, pb.ErrorCode.BAD_SHAPE, `push is part ${part} of ${parts}; parts must be < part count <= ${this.o.range.length} keys`);
    }
    // Parts after the first belong to a request already answered (or to be answered) through its first part.
    if (last !== undefined && step === last.version - 1 && part > 0) return;
    if (last !== undefined && step === last.version - 1) {
      if (this.barrier.afterClose(w.rank, identityOf(p, share)) === 'duplicate') {
        this.counters.pushesDuplicate++;
        this.o.out.log(`${pre}: rank ${w.rank} pushed step ${step} again with different content`);
        return this.refuse(req, pb.ErrorCode.DUPLICATE_PUSH, `rank ${w.rank} already pushed step ${step} with different content`);
      }
      // The reply to this push was lost or is late: resend it, from a copy (see paramsFrame).
      this.counters.pushesResent++;
      if (parted) return this.sendParts(route, { values: last.values.slice(), from: 0, version: last.version, close: last, rank: w.rank });
      const copy = float32Frame(last.values.slice(), { offset: this.o.range.offset, checksum: this.o.config.checksum });
      return this.sendParams({ route, rank: w.rank }, { ...last, header: copy.header, bytes: copy.bytes });
    }
    if (step === this.version && req.message.frames.length !== 1) {
      this.counters.badShape++;
      this.o.out.log(`${pre}: push from rank ${w.rank} has ${req.message.frames.length} data frames, expected 1`);
      return this.refuse(req, pb.ErrorCode.BAD_SHAPE, `push has ${req.message.frames.length} data frames, expected 1`);
    }
    if (step === this.version && part > 0) return this.onPushPart(req, { p, rank: w.rank, share });
    let grad: Float32Array = new Float32Array(0);
    if (step === this.version) {
      const { range } = this.o;
      // The first part of a push in parts covers [offset, offset + its length): at least one key, short of the range's end.
      const length = parted ? Math.min(Math.max(1, p.grad?.length ?? 0), range.length - 1) : range.length;
      const dtype = this.o.config.wireDtype ?? 'float32';
      // Decoded (a 2-byte dtype) or copied (float32, when the shard steps in its arena) into the shard's landing
      // buffer, which addPush adopts: no payload-sized array per push. Otherwise a view of the frame.
      const into = dtype !== 'float32' || this.o.shard.steppedInArena ? this.o.shard.landing().subarray(0, length) : undefined;
      try {
        grad = readFloat32Frame(p.grad, req.message.frames[0], { offset: range.offset, length, dtype, what: `push from rank ${w.rank}`, into });
        // Copied out, so ZeroMQ's buffer can go now rather than at the next collection (releaseFrame).
        if (into !== undefined) releaseFrame(req.message.frames[0]);
      } catch (err: unknown) {
        if (!(err instanceof TransportError)) throw err;
        const checksum = err.code === 'CHECKSUM_MISMATCH';
        if (checksum) this.counters.checksumMismatch++;
        else this.counters.badShape++;
        this.o.out.log(`${pre}: ${err.message}`);
        return this.refuse(req, checksum ? pb.ErrorCode.CHECKSUM_MISMATCH : pb.ErrorCode.BAD_SHAPE, err.message);
      }
    }
    const coordinator = this.o.config.shard === 0;
    const verdict = checkPush(
      {
        rank: w.rank,
        step,
        samples: p.numSamples ?? 0,
        loss: p.loss ?? 0,
        share: given,
        firstNonFinite: step === this.version ? this.o.shard.firstNonFinite(grad) : -1,
      },
      {
        version: this.version,
        workers: this.o.config.workers,
        batch: this.o.config.batch,
        keyOffset: this.o.range.offset,
        expectedShare: coordinator ? this.membership.shareOf(w.rank) : undefined,
      },
    );
    if (!verdict.ok) {
      this.o.out.log(`${pre}: refused push from rank ${w.rank} at step ${step}: ${verdict.message}`);
      if (verdict.code === 'RECOMPUTE') {
        this.counters.pushesRecompute++;
        return this.refuse(req, pb.ErrorCode.RECOMPUTE, { message: verdict.message, share: verdict.share });
      }
      this.counters[REFUSALS[verdict.code].counter]++;
      return this.refuse(req, CODE(verdict.code), verdict.message);
    }
    const identity = identityOf(p, verdict.share);
    const index = verdict.share.index;
    const offer = this.barrier.offer(
      { rank: w.rank, identity, sameGradient: () => sameBits(this.o.shard.pushOf(index)?.grad.subarray(0, grad.length), grad) },
      route,
    );
    switch (offer.kind) {
      case 'resend':
        this.counters.pushesResent++;
        // A resend in parts joining a step already replied to in part: it gets those parts now.
        if (parted && this.partsSent > 0) {
          this.sendParts(route, {
            values: this.o.shard.stagedParams({ start: 0, end: this.partsSent }).slice(),
            from: 0,
            to: this.partsSent,
            version: this.version + 1,
          });
        }
        return;
      case 'duplicate':
        this.counters.pushesDuplicate++;
        this.o.out.log(`${pre}: refused push from rank ${w.rank} at step ${step}: ${offer.message}`);
        return this.refuse(req, pb.ErrorCode.DUPLICATE_PUSH, offer.message);
      case 'stale-epoch':
        this.counters.pushesRecompute++;
        return this.refuse(req, pb.ErrorCode.RECOMPUTE, `${offer.message} (step ${step})`);
      case 'bad-count':
        this.counters.badShape++;
        return this.refuse(req, pb.ErrorCode.BAD_SHAPE, offer.message);
      case 'accepted':
        break;
    }
    if (offer.dropped.length > 0) {
      // A follower saw a newer epoch: the older pushes are gone (their senders take the share from shard 0).
      for (let i = 0; i < this.o.config.workers; i++) this.o.shard.dropPush(i);
      this.forgetParts();
      this.recompute(offer.dropped, { why: `a push of epoch ${verdict.share.epoch} superseded the open step's pushes`, shareFor: () => undefined });
    }
    if (parted) {
      this.o.shard.beginPush({ rank: index, samples: p.numSamples ?? 0, loss: p.loss ?? 0 });
      this.o.shard.addPart(index, { start: 0, values: grad });
      this.partial.set(w.rank, { index, identity, parts, received: grad.length });
    } else {
      this.o.shard.addPush({ rank: index, samples: p.numSamples ?? 0, loss: p.loss ?? 0, grad });
    }
    if (!coordinator) this.membership.recordShare(w.rank, verdict.share);
    this.counters.pushesAccepted++;
    this.notePushDelay(w.rank);
    this.maybeCloseStep();
  }

  /**
   * A later part of a push in parts: it must continue the keys received so far
   * (a repeat of keys already held is a resend, compared bit for bit). A refused part
   * drops the whole push, so the worker's resend starts it again; its requests get
   * this refusal as their one reply. A part whose request is not one of the open
   * push's (its first part was refused) is dropped and counted without a reply: that
   * request's one reply was its first part's refusal.
   */
  private onPushPart(req: ServerRequest, a: { p: pbTypes.IPushGradient; rank: number; share: Share }): void {
    const { p, rank } = a;
    const pre = this.prefix;
    const { range } = this.o;
    const open = this.partial.get(rank);
    const requestId = req.message.envelope.requestId;
    const ours = open !== undefined && this.barrier.routesOf(open.index)?.some((r) => r.peer.equals(req.peer) && r.requestId === requestId);
    if (open === undefined || ours !== true) {
      this.counters.badShape++;
      this.o.out.log(`${pre}: part ${p.part ?? 0} of a push from rank ${rank} whose first part was not accepted: dropped`);
      return;
    }
    const identity = identityOf(p, a.share);
    if (!samePushHeader(open.identity, identity) || (p.parts ?? 0) !== open.parts) {
      this.counters.pushesDuplicate++;
      return this.dropPartedPush(req, {
        rank,
        open,
        code: pb.ErrorCode.DUPLICATE_PUSH,
        message: `part ${p.part ?? 0} of rank ${rank}'s push differs from its first part (samples, loss, share or part count)`,
      });
    }
    const offset = p.grad?.offset ?? 0;
    const length = p.grad?.length ?? 0;
    const start = offset - range.offset;
    const last = (p.part ?? 0) === open.parts - 1;
    let values: Float32Array;
    try {
      if (start < 0 || length < 1 || start + length > range.length || (last && start + length !== range.length) || start > open.received) {
        throw new TransportError(
          'BAD_SHAPE',
          `part ${p.part ?? 0} of ${open.parts} from rank ${rank} covers keys [${offset}, +${length}); the range is [${range.offset}, +${range.length}) and keys up to ${range.offset + open.received} are in`,
        );
      }
      // The next keys go straight into the push's receive buffer (keys above `received` hold nothing yet).
      const into = start === open.received ? this.o.shard.partSlot(open.index, { start, length }) : undefined;
      values = readFloat32Frame(p.grad, req.message.frames[0], {
        offset,
        length,
        dtype: this.o.config.wireDtype,
        what: `part ${p.part ?? 0} of a push from rank ${rank}`,
        into,
      });
      if (into !== undefined) releaseFrame(req.message.frames[0]);
    } catch (err: unknown) {
      if (!(err instanceof TransportError)) throw err;
      const checksum = err.code === 'CHECKSUM_MISMATCH';
      if (checksum) this.counters.checksumMismatch++;
      else this.counters.badShape++;
      return this.dropPartedPush(req, { rank, open, code: checksum ? pb.ErrorCode.CHECKSUM_MISMATCH : pb.ErrorCode.BAD_SHAPE, message: err.message });
    }
    if (start < open.received) {
      // Keys already held: a resend's part, the same bits or a different push.
      const held = this.o.shard.pushOf(open.index)?.grad.subarray(start, start + length);
      if (start + length <= open.received && sameBits(held, values)) return;
      this.counters.pushesDuplicate++;
      return this.dropPartedPush(req, {
        rank,
        open,
        code: pb.ErrorCode.DUPLICATE_PUSH,
        message: `part ${p.part ?? 0} of rank ${rank}'s push differs from the keys already received`,
      });
    }
    const bad = this.o.shard.firstNonFinite(values);
    if (bad >= 0) {
      this.counters.nonFinite++;
      return this.dropPartedPush(req, {
        rank,
        open,
        code: pb.ErrorCode.NON_FINITE,
        message: `gradient of rank ${rank} has ${values[bad]} at key ${offset + bad}`,
      });
    }
    this.o.shard.addPart(open.index, { start, values });
    open.received = start + length;
    this.maybeCloseStep();
  }

  private dropPartedPush(req: ServerRequest, d: { rank: number; open: PartedPush; code: number; message: string }): void {
    this.o.out.log(`${this.prefix}: refused a part of rank ${d.rank}'s push at step ${this.version}: ${d.message}`);
    const dropped = this.barrier.drop(d.open.index);
    this.o.shard.dropPush(d.open.index);
    this.partial.delete(d.rank);
    this.partsSent = 0;
    this.refuse(req, d.code, d.message);
    for (const r of dropped?.routes ?? []) {
      if (!(r.peer.equals(req.peer) && r.requestId === req.message.envelope.requestId)) {
        this.o.out.send(r.peer, { requestId: r.requestId, error: { code: d.code, message: d.message, currentVersion: this.version } });
      }
    }
  }

  /** The open step's pushes in parts are gone (dropped or closed). */
  private forgetParts(): void {
    this.partial.clear();
    this.partsSent = 0;
  }

  /**
   * Keys [from, to) of θ_{version} to a route whose push came in parts, one Params a
   * part of the shard's part length; the part that ends the range carries the
   * close's loss, share, noise and samples.
   */
  private sendParts(
    route: Route,
    src: { values: Float32Array; from: number; to?: number; version: number; close?: LastClose; rank?: number; frames?: PartFrames },
  ): void {
    const n = this.o.range.length;
    const len = this.o.shard.partLength;
    const parts = Math.max(1, Math.ceil(n / len));
    const to = src.to ?? n;
    for (let start = src.from; start < to; start += len) {
      const end = Math.min(to, start + len);
      // The same keys of the same buffer to several routes: one CRC per part, not one per worker.
      let f = src.frames?.get(start);
      if (f === undefined) {
        f = float32Frame(src.values.subarray(start, end), { offset: this.o.range.offset + start, checksum: this.o.config.checksum });
        src.frames?.set(start, f);
      }
      const c = end === n ? src.close : undefined;
      const meta =
        c === undefined
          ? {}
          : { loss: c.loss, final: c.final, noise: this.noiseMessage(), share: this.membership.shareOf(src.rank ?? -1), stepSamples: c.stepSamples };
      this.o.out.send(
        route.peer,
        { requestId: route.requestId, params: { version: src.version, params: f.header, part: Math.floor(start / len), parts, ...meta } },
        [f.bytes],
      );
    }
  }

  private notePushDelay(rank: number): void {
    const now = this.o.now();
    this.firstPushAt ??= now;
    this.pushDelayMs[rank] = now - this.firstPushAt;
  }

  private recompute(dropped: readonly Dropped<Route>[], how: { why: string; shareFor: (rank: number) => Share | undefined }): void {
    for (const d of dropped) {
      this.counters.pushesRecompute++;
      const share = how.shareFor(d.rank);
      for (const r of d.routes) {
        this.o.out.send(r.peer, {
          requestId: r.requestId,
          error: {
            code: pb.ErrorCode.RECOMPUTE,
            message: `${how.why}: compute step ${this.version} again`,
            currentVersion: this.version,
            share: share ?? null,
          },
        });
      }
    }
  }

  /** Drops every push of the open step and tells their senders to recompute (with their new share where known). */
  private dropOpenStep(why: string): void {
    for (const i of this.barrier.heldIndices()) this.o.shard.dropPush(i);
    this.forgetParts();
    this.recompute(this.barrier.dropAll(), { why, shareFor: (rank) => this.membership.shareOf(rank) });
  }

  private apply(e: MembershipEvent): void {
    const p = this.prefix;
    const c = this.o.config;
    switch (e.kind) {
      case 'lost': {
        this.counters.workersLost++;
        const i = this.deferredPulls.findIndex((d) => d.rank === e.rank);
        if (i >= 0) this.deferredPulls.splice(i, 1);
        this.o.out.log(`${p}: worker '${e.workerId}' (rank ${e.rank}) silent for ${e.silentMs} ms: lost at step ${this.version}`);
        return;
      }
      case 'epoch':
        this.counters.membershipChanges++;
        this.o.out.log(`${p}: membership epoch ${e.epoch} at step ${this.version} (${e.why}): B = ${c.batch} over rank(s) [${e.members.join(', ')}]`);
        if (e.notify) {
          for (const rank of e.members) {
            const w = this.membership.get(rank);
            if (w !== undefined && w.alive) this.send(w.conn, { requestId: 0, membership: { share: this.membership.shareOf(rank), version: this.version } });
          }
        }
        return;
      case 'drop-open-step':
        this.dropOpenStep(e.why);
        if (this.membership.members.length === 0) this.o.out.log(`${p}: no worker left; step ${this.version} waits for one to register`);
        return;
      case 'wait':
        this.o.out.log(`${p}: --on-worker-loss wait: step ${this.version} waits until a replacement takes rank ${e.rank}`);
        return;
      case 'failed':
        return this.failRun(`${e.reason} at step ${this.version} and --on-worker-loss is fail`);
    }
  }

  private maybeCloseStep(): void {
    if (!this.membership.started || this.finishedValue) return;
    const partition = this.membership.members.length;
    if (!this.barrier.complete(partition)) return;
    const shard = this.o.shard;
    const c = this.o.config;
    if (!shard.allReceived()) {
      // Pushes still arriving in parts: step what every push holds, and send it on.
      shard.stepReadyParts();
      const to = shard.stepped;
      if (to > this.partsSent) {
        const values = shard.stagedParams({ start: 0, end: to });
        const frames: PartFrames = new Map();
        for (const d of this.barrier.routes())
          for (const route of d.routes)
            if (route.parted === true) this.sendParts(route, { values, from: this.partsSent, to, version: this.version + 1, frames });
        this.partsSent = to;
      }
      return;
    }
    const sentBefore = this.partsSent;
    this.forgetParts();
    const closedBarrier = this.barrier.close();
    const stepSamples = closedBarrier.samples;
    const closed = shard.closeStep();
    this.counters.stepsClosed++;
    const now = this.o.now();
    const stepMs = now - this.stepOpenedAt;
    this.stepMsEma = this.stepMsEma === 0 ? stepMs : 0.9 * this.stepMsEma + 0.1 * stepMs;
    this.stepOpenedAt = now;
    this.firstPushAt = undefined;
    if (closed.noise !== null) this.lastNoiseValue = closed.noise;
    if (stepSamples !== c.batch) this.o.out.log(`${this.prefix}: step ${closed.version - 1} combined ${stepSamples} samples, the run's B is ${c.batch}`);
    const final = closed.version >= c.steps || this.stopRequested;
    // Admissions take effect at the step boundary, so the replies below carry the new shares.
    if (c.shard === 0 && !final) for (const e of this.membership.admitJoiners()) this.apply(e);
    const wholeReplies = closedBarrier.replies.some((d) => d.routes.some((r) => r.parted !== true));
    // The whole frame's CRC is paid only when some push came whole.
    const { header, bytes } = wholeReplies ? this.paramsFrame('member-replies') : { header: {}, bytes: new Uint8Array(0) };
    const close: LastClose = { version: closed.version, loss: closed.loss, final, header, bytes, values: shard.params, stepSamples };
    this.lastCloseValue = close;
    if (final) this.finishedValue = true;
    const frames: PartFrames = new Map();
    for (const d of closedBarrier.replies) {
      // The first reply views the buffer; the resends' replies are copies (see paramsFrame).
      d.routes.forEach((route, i) => {
        const values = i === 0 ? shard.params : shard.params.slice();
        // Every parted route holds parts [0, sentBefore): the first got them as they were stepped, a resend when it joined.
        const shared = i === 0 ? { frames } : {};
        if (route.parted === true) this.sendParts(route, { values, from: sentBefore, ...shared, version: closed.version, close, rank: d.rank });
        else this.sendParams({ route, rank: d.rank }, i === 0 ? close : { ...close, bytes: close.bytes.slice() });
      });
    }
    this.answerDeferredPulls();
    this.o.out.closed({ version: closed.version, final, stepMs });
    if (final) {
      this.tellSnapshotPeers(`run over at step ${closed.version}`);
      this.o.out.log(`${this.prefix}: run over at step ${closed.version}${this.stopRequested && closed.version < c.steps ? ' (stop requested)' : ''}`);
      if (this.staying()) {
        this.o.out.log(`${this.prefix}: serving the final parameters until stopped (--stay-after-run)`);
      } else {
        // Workers say goodbye; one that vanished must not keep the shard up.
        this.o.out.exit(10_000);
        this.maybeExit();
      }
    }
  }

  private onPull(req: ServerRequest, p: pbTypes.IPull): void {
    const w = this.known(p.rank, p.session, req.peer);
    if (w === undefined) return this.unknown(req, p.rank);
    this.membership.touch(w, { conn: req.peer.toString('hex'), now: this.o.now() });
    const route = { peer: req.peer, requestId: req.message.envelope.requestId };
    const minVersion = p.minVersion ?? 0;
    if (!this.finishedValue && (this.version < minVersion || (this.membership.started && !this.membership.isMember(w.rank)))) {
      // A joiner waits here for its admission; bounded: one entry per live rank.
      const i = this.deferredPulls.findIndex((d) => d.rank === w.rank);
      if (i >= 0) this.deferredPulls.splice(i, 1);
      this.deferredPulls.push({ rank: w.rank, route, minVersion });
      return;
    }
    this.replyPull(route, w.rank);
  }

  /** Answers the pulls that were waiting for a version (and, at shard 0, for membership). */
  private answerDeferredPulls(): void {
    if (this.deferredPulls.length === 0) return;
    const waiting = this.deferredPulls;
    this.deferredPulls = [];
    for (const d of waiting) {
      const w = this.membership.get(d.rank);
      if (w === undefined || !w.alive) continue;
      if (this.finishedValue || (this.version >= d.minVersion && this.membership.isMember(d.rank))) this.replyPull(d.route, d.rank);
      else this.deferredPulls.push(d);
    }
  }

  /**
   * The current θ slice as a frame. The shard writes version v+2 into the buffer of
   * version v (reuseParams), and ZeroMQ sends frames without copying, so only the
   * replies to the closing step's pushes view the buffer: a member pushes step v only
   * after it has received version v from every shard, so by the time a buffer is
   * written again every reply viewing it has left the socket. Everything else (pulls,
   * snapshots, resent replies) may sit in a queue for longer, and gets a copy.
   */
  private paramsFrame(use: 'member-replies' | 'copy'): ReturnType<typeof float32Frame> {
    const params = this.o.shard.params;
    return float32Frame(use === 'copy' ? params.slice() : params, { offset: this.o.range.offset, checksum: this.o.config.checksum });
  }

  private sendParams(to: { route: Route; rank: number }, c: LastClose): void {
    const params = {
      version: c.version,
      params: c.header,
      loss: c.loss,
      final: c.final,
      noise: this.noiseMessage(),
      share: this.membership.shareOf(to.rank),
      stepSamples: c.stepSamples,
    };
    this.o.out.send(to.route.peer, { requestId: to.route.requestId, params }, [c.bytes]);
  }

  private replyPull(route: Route, rank: number): void {
    const { header, bytes } = this.paramsFrame('copy');
    const last = this.lastCloseValue;
    const params = {
      version: this.version,
      params: header,
      loss: last?.loss ?? Number.NaN,
      final: this.finishedValue,
      noise: this.noiseMessage(),
      share: this.membership.shareOf(rank),
      stepSamples: last?.stepSamples ?? 0,
    };
    this.o.out.send(route.peer, { requestId: route.requestId, params }, [bytes]);
  }

  private tellSnapshotPeers(reason: string): void {
    for (const peer of this.snapshotPeers.values()) this.o.out.send(peer, { requestId: 0, stop: { reason } });
  }

  private failRun(reason: string): void {
    if (this.failureValue !== undefined) return;
    this.failureValue = reason;
    this.finishedValue = true;
    this.o.out.log(`${this.prefix}: run failed: ${reason}`);
    for (const w of this.membership.all()) this.send(w.conn, { requestId: 0, stop: { reason: `failed: ${reason}` } });
    this.tellSnapshotPeers(`failed: ${reason}`);
    // Let the stop notes leave before the linger-0 socket closes.
    this.o.out.exit(200);
  }

  /** Whether a finished run keeps this shard up: --stay-after-run, unless a stop was asked for or the run failed. */
  private staying(): boolean {
    return this.o.config.stayAfterRun && !this.stopRequested && this.failureValue === undefined;
  }

  private maybeExit(): void {
    if (!this.finishedValue || this.staying()) return;
    if (this.membership.allGone()) this.o.out.exit(0);
  }
}

function identityOf(p: pbTypes.IPushGradient, share: Share): PushIdentity {
  return {
    samples: p.numSamples ?? 0,
    loss: p.loss ?? 0,
    share,
    checksumKind: p.grad?.checksumKind ?? 0,
    checksum: p.grad?.checksum ?? 0,
  };
}

function sameBits(a: Float32Array | undefined, b: Float32Array): boolean {
  return a !== undefined && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
