import {
  gradientFrame,
  KvClient,
  pb,
  readFloat32Frame,
  releaseFrame,
  TransportError,
  type CurveConfig,
  type EnvelopeInit,
  type pbTypes,
  type WireMessage,
} from '@lnsgd/transport';
import { WIRE_DTYPES, type WireDtype } from '@lnsgd/tensor-codec';
import type { Share } from './membership';

/** Options of {@link KvWorker.connect}. */
export interface KvWorkerOptions {
  /** One endpoint per shard, in shard order. */
  readonly endpoints: readonly string[];
  readonly workerId: string;
  /** Rank wanted, or −1 for any. */
  readonly rank: number;
  readonly authToken: string;
  /** Per push or pull. */
  readonly timeoutMs: number;
  /** Resends of a timed-out push before registering again. */
  readonly retries: number;
  /** How long the first registration may wait (for the other workers). */
  readonly registerTimeoutMs: number;
  /** How long to keep registering again after a shard restarted or dropped this worker. */
  readonly reconnectTimeoutMs: number;
  /** CRC-32 on pushed frames. */
  readonly checksum: boolean;
  readonly curve?: CurveConfig;
  /** libzmq's own per-message cap on received messages (−1: none; default the transport's). */
  readonly hardMaxMessageBytes?: number;
  readonly log: (line: string) => void;
}

/** A worker's share of one step: its mean gradient over `samples` samples and their mean loss. */
export interface Gradient {
  readonly grad: Float32Array;
  readonly samples: number;
  readonly loss: number;
}

/** θ and where the run is, after a pull or a push. */
export interface Synced {
  readonly theta: Float32Array;
  readonly version: number;
  /** This worker's share of step `version`. */
  readonly share: Share;
  readonly final: boolean;
}

/** What one {@link KvWorker.pushPull} produced. */
export interface StepOutcome extends Synced {
  /** Sample-weighted mean loss of the step. */
  readonly loss: number;
  /** Samples this worker's (last) computation covered. */
  readonly samples: number;
  /** Samples the shards combined into the step (B in a healthy run). */
  readonly stepSamples: number;
  /** Times the step was computed again (the partition changed). */
  readonly recomputes: number;
  /** B_simple from the shards' EMAs, or null (one worker). */
  readonly noiseScale: number | null;
  /** performance.now() when the first push left (after the first compute). */
  readonly pushStart: number;
}

/** The worker must register again and resynchronise θ ({@link KvWorker.resync}). */
export class Resync extends Error {}

/** One shard as this worker sees it; `session` changes when the worker registers again. */
interface ShardLink {
  readonly client: KvClient;
  readonly offset: number;
  readonly length: number;
  /** Elements per push part (the shard's Assignment.part_length); 0: whole pushes. */
  readonly partLength: number;
  session: string;
}

type Inbound =
  /** A shard's reply: one message, or its parts in key order. */
  | { readonly kind: 'reply'; readonly shard: number; readonly attempt: number; readonly msgs: WireMessage[] }
  | { readonly kind: 'error'; readonly shard: number; readonly attempt: number; readonly err: unknown }
  | { readonly kind: 'membership'; readonly share: Share }
  | { readonly kind: 'restart'; readonly why: string }
  | { readonly kind: 'failed'; readonly why: string };

/** A FIFO the step loop awaits; socket callbacks and timers put into it. */
class Inbox<T> {
  private readonly items: T[] = [];
  private waiter: ((v: T) => void) | undefined;
  put(item: T): void {
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      w(item);
    } else {
      this.items.push(item);
    }
  }
  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise<T>((resolve) => (this.waiter = resolve));
  }
  clear(): void {
    this.items.length = 0;
  }
}

const toShare = (s: pbTypes.IShare | null | undefined): Share => ({ epoch: s?.epoch ?? 0, index: s?.index ?? 0, count: s?.count ?? 0 });

/** The share with the later epoch (ties keep the first). */
function newer(a: Share, b: Share): Share {
  return b.epoch > a.epoch ? b : a;
}

/** Whether an error means: register again (a restarted shard, this worker declared lost, or no reply). */
export function needsRejoin(err: unknown): boolean {
  return err instanceof TransportError && (err.code === 'TIMEOUT' || (err.code === 'REMOTE_ERROR' && err.remote?.code === pb.ErrorCode.UNKNOWN_WORKER));
}

/** Whether an error says the run is over (a registration refused SHUTTING_DOWN). */
export function runIsOver(err: unknown): boolean {
  return err instanceof TransportError && err.remote?.code === pb.ErrorCode.SHUTTING_DOWN;
}

/**
 * What a worker (and the bench, and the tests) see of the parameter servers
 * (ps-lite's KVWorker): registration with every shard (rank from shard 0, echoed to
 * the others), key-range slicing, `pushPull(step, compute) → θ` with resends after a
 * timeout, RECOMPUTE and Membership notes (the step computed again with the new
 * share, only for the shards that have not closed it), heartbeats that notice a
 * restarted shard, and `resync` (register again with backoff and pull θ).
 */
export class KvWorker {
  private readonly inbox = new Inbox<Inbound>();
  private readonly clients: KvClient[];
  private links: ShardLink[] = [];
  private assignmentValue: pbTypes.IAssignment = {};
  private heartbeat: NodeJS.Timeout | undefined;
  /** Bumped when a re-registration starts: heartbeats sent under an older value are void. */
  private generation = 0;
  private currentStep = 0;
  /** Times this worker registered again. */
  reregistrations = 0;

  private constructor(private readonly o: KvWorkerOptions) {
    this.clients = o.endpoints.map((endpoint, s) =>
      KvClient.connect({
        endpoint,
        timeoutMs: o.timeoutMs,
        curve: o.curve,
        ...(o.hardMaxMessageBytes !== undefined ? { hardMaxMessageBytes: o.hardMaxMessageBytes } : {}),
        onUnsolicited: (m) => {
          const body = m.envelope.body;
          if (body === 'stop') {
            const why = m.envelope.stop?.reason ?? '';
            o.log(`worker: ${endpoint} is stopping the run (${why})`);
            if (why.startsWith('failed:')) this.inbox.put({ kind: 'failed', why: `${endpoint}: ${why}` });
          } else if (body === 'membership' && s === 0) {
            this.inbox.put({ kind: 'membership', share: toShare(m.envelope.membership?.share) });
          }
        },
      }),
    );
  }

  /**
   * Connects to every shard and registers (retrying while a shard is unreachable or
   * the run is full, until registerTimeoutMs).
   *
   * @param o endpoints, identity, timeouts, CURVE and a log.
   * @returns the worker, or undefined when the run is already over (registration refused SHUTTING_DOWN).
   */
  static async connect(o: KvWorkerOptions): Promise<KvWorker | undefined> {
    const w = new KvWorker(o);
    try {
      await w.registerWithRetry(o.rank, Date.now() + o.registerTimeoutMs);
      return w;
    } catch (err: unknown) {
      await w.close();
      // A replacement that comes too late has nothing to do: not a failure.
      if (runIsOver(err)) {
        o.log(`worker: the run is over (${err instanceof Error ? err.message : String(err)}); leaving`);
        return undefined;
      }
      throw err;
    }
  }

  /** Shard 0's assignment (rank, world size, RunSpec, start step, share). */
  get assignment(): pbTypes.IAssignment {
    return this.assignmentValue;
  }

  get rank(): number {
    return this.assignmentValue.rank ?? 0;
  }

  /** Bytes sent and received over every shard connection. */
  bytes(): { sent: number; received: number } {
    let sent = 0;
    let received = 0;
    for (const c of this.clients) {
      sent += c.stats.bytesSent;
      received += c.stats.bytesReceived;
    }
    return { sent, received };
  }

  /** Heartbeats to every shard at the assignment's interval (one in flight per shard); a new session at a shard means: register again. */
  startHeartbeats(): void {
    const interval = this.assignmentValue.heartbeatIntervalMs ?? 10_000;
    const beating = new Set<number>();
    this.heartbeat = setInterval(() => {
      this.links.forEach((l, s) => {
        if (beating.has(s)) return;
        beating.add(s);
        const session = l.session;
        const generation = this.generation;
        l.client
          .request({ heartbeat: { rank: this.rank, step: this.currentStep, session } }, { timeoutMs: Math.max(1000, interval * 4) })
          .then((m) => {
            const e = m.envelope;
            // A beat sent before (or during) a re-registration answers for a session that is gone: judge only beats of the current one.
            if (this.generation !== generation || this.links[s] !== l || l.session !== session) return;
            if (
              (e.body === 'error' && e.error?.code === pb.ErrorCode.UNKNOWN_WORKER) ||
              (e.body === 'heartbeatAck' && (e.heartbeatAck?.session ?? '') !== session)
            ) {
              this.inbox.put({ kind: 'restart', why: `shard ${s} (${l.client.endpoint}) no longer knows session ${session}` });
            }
          })
          .catch(() => undefined)
          .finally(() => beating.delete(s));
      });
    }, interval);
    this.heartbeat.unref();
  }

  /**
   * Pulls θ from every shard (shard 0 first: it answers a worker admitted mid-run once
   * it is a member, with its share; then the others at shard 0's version), registering
   * again while a shard does not know this worker.
   *
   * @param into θ's buffer (with one shard the reply frame is θ itself).
   */
  async sync(into: Float32Array): Promise<Synced> {
    for (;;) {
      try {
        return await this.pull(into);
      } catch (err: unknown) {
        if (!needsRejoin(err)) throw err;
        await this.rejoin(err instanceof Error ? err.message : String(err));
      }
    }
  }

  /**
   * After a {@link Resync}: registers again (with backoff, up to reconnectTimeoutMs)
   * and pulls θ from the shards' version.
   *
   * @param why for the log.
   * @param into θ's buffer.
   * @returns θ, or undefined when the run ended while this worker was away.
   */
  async resync(why: string, into: Float32Array): Promise<Synced | undefined> {
    for (;;) {
      try {
        await this.rejoin(why);
        return await this.pull(into);
      } catch (e: unknown) {
        if (runIsOver(e)) return undefined;
        // A second loss while catching up: go round again.
        if (!needsRejoin(e)) throw e;
      }
    }
  }

  /**
   * One step: computes this worker's share, pushes each shard its key range in
   * parallel, and collects the shards' θ of step + 1 — computing the step again for
   * the shards that ask (RECOMPUTE, or a newer partition announced by shard 0) until
   * every shard has closed it. Resends a push that timed out (a push is idempotent).
   *
   * @param a step, θ_step, the share to compute, the buffer for θ_{step+1}, and the gradient function.
   * @throws Resync when the worker must register again (then call {@link resync}).
   */
  async pushPull(a: { step: number; theta: Float32Array; share: Share; next: Float32Array; compute: (share: Share) => Gradient }): Promise<StepOutcome> {
    const { step } = a;
    this.currentStep = step;
    const links = this.links;
    const S = links.length;
    const attempt = new Array<number>(S).fill(0);
    const retries = new Array<number>(S).fill(0);
    const replies = new Array<WireMessage[] | undefined>(S).fill(undefined);
    let current = a.share;
    let nextShare = a.share;
    let recomputes = 0;
    let out = a.compute(current);
    let outShare = current;
    const frames = new Array<{ header: pbTypes.ITensorFrame; bytes: Uint8Array }[] | undefined>(S).fill(undefined);
    /** Each shard's latest attempt's reply parts, written into a.next as they arrive. */
    const assembled = new Array<ReplyParts | undefined>(S).fill(undefined);
    /** Epoch of the share each shard's latest push used. */
    const usedEpoch = new Array<number>(S).fill(-1);
    const pushStart = performance.now();
    const send = (s: number, fresh: boolean): void => {
      const l = links[s];
      if (fresh || frames[s] === undefined)
        frames[s] = gradFrames(out.grad.subarray(l.offset, l.offset + l.length), {
          offset: l.offset,
          partLength: l.partLength,
          checksum: this.o.checksum,
          dtype: wireDtypeOf(this.assignmentValue.run),
        });
      const f = frames[s];
      if (f === undefined) return;
      const n = ++attempt[s];
      const parts = f.length > 1 ? new ReplyParts(a.next, l) : undefined;
      assembled[s] = parts;
      usedEpoch[s] = outShare.epoch;
      const push = (part: number, grad: pbTypes.ITensorFrame): EnvelopeInit => ({
        push: {
          rank: this.rank,
          step,
          numSamples: out.samples,
          loss: out.samples > 0 ? out.loss : 0,
          grad,
          session: l.session,
          share: outShare,
          ...(f.length > 1 ? { part, parts: f.length } : {}),
        },
      });
      // A push in parts: the shard steps and answers each part while the next ones are on the wire.
      const reply: Promise<WireMessage[]> =
        parts !== undefined
          ? l.client.callParts(
              f.map((x, i) => ({ envelope: push(i, x.header), frames: [x.bytes] })),
              // Parts of a superseded attempt are not written: its reply is ignored.
              {
                body: 'params',
                onPart: (m, i) => {
                  if (attempt[s] === n) parts.take(m, i);
                },
              },
            )
          : l.client.call(push(0, f[0].header), { body: 'params', frames: [f[0].bytes] }).then((m) => [m]);
      reply.then(
        (msgs) => this.inbox.put({ kind: 'reply', shard: s, attempt: n, msgs }),
        (err: unknown) => this.inbox.put({ kind: 'error', shard: s, attempt: n, err }),
      );
    };
    for (let s = 0; s < S; s++) send(s, true);
    const pending = (): number[] => replies.flatMap((r, s) => (r === undefined ? [s] : []));
    while (pending().length > 0) {
      const ev = await this.inbox.next();
      let recompute = false;
      switch (ev.kind) {
        case 'reply':
          if (ev.attempt !== attempt[ev.shard]) break;
          replies[ev.shard] = ev.msgs;
          if (ev.shard === 0) nextShare = newer(nextShare, toShare(lastOf(ev.msgs).envelope.params?.share));
          break;
        case 'error': {
          if (ev.attempt !== attempt[ev.shard]) break;
          const err = ev.err;
          if (err instanceof TransportError && err.code === 'TIMEOUT') {
            if (retries[ev.shard] >= this.o.retries)
              throw new Resync(`no reply from shard ${ev.shard} (${links[ev.shard].client.endpoint}) after ${this.o.retries + 1} tries`);
            retries[ev.shard]++;
            this.o.log(`worker: ${err.message}; resending (attempt ${retries[ev.shard] + 1} of ${this.o.retries + 1})`);
            send(ev.shard, false);
            break;
          }
          const code = err instanceof TransportError ? err.remote?.code : undefined;
          if (code === pb.ErrorCode.RECOMPUTE) {
            const given = err instanceof TransportError ? err.remote?.share : undefined;
            if (given !== undefined) {
              current = newer(current, given);
              nextShare = newer(nextShare, given);
            }
            // A follower's RECOMPUTE carries no share: the newer one comes from shard 0
            // (its reply or a Membership note), unless this worker already has it.
            recompute = true;
            break;
          }
          if (code === pb.ErrorCode.UNKNOWN_WORKER || code === pb.ErrorCode.STALE_PUSH || code === pb.ErrorCode.STEP_MISMATCH) {
            throw new Resync(err instanceof Error ? err.message : String(err));
          }
          throw err;
        }
        case 'membership':
          nextShare = newer(nextShare, ev.share);
          if (ev.share.epoch > current.epoch) {
            current = ev.share;
            recompute = true;
          }
          break;
        case 'restart':
          throw new Resync(ev.why);
        case 'failed':
          throw new Error(`worker rank ${this.rank}: the run failed: ${ev.why}`);
      }
      const stale = pending().filter((s) => usedEpoch[s] < current.epoch);
      if (recompute && stale.length > 0) {
        if (current.count === 0) throw new Resync(`shard 0 no longer counts rank ${this.rank} as a member`);
        if (outShare !== current) {
          recomputes++;
          this.o.log(
            `worker rank ${this.rank}: step ${step}: membership epoch ${current.epoch}, computing share ${current.index} of ${current.count} again for shard(s) ${stale.join(', ')}`,
          );
          out = a.compute(current);
          outShare = current;
        }
        for (const s of stale) send(s, true);
      }
    }
    const all = replies.filter((m): m is WireMessage[] => m !== undefined);
    let next = a.next;
    all.forEach((m, s) => {
      const parts = assembled[s];
      next = m.length > 1 && parts !== undefined ? parts.finish(m.length) : absorb({ theta: next, msg: m[0], link: links[s], single: S === 1 });
    });
    // The last part of each reply carries the step's loss, share and noise scale.
    const msgs = all.map(lastOf);
    const p0 = msgs[0].envelope.params ?? {};
    const v = p0.version ?? step + 1;
    if (msgs.some((m) => m.envelope.params?.version !== v) || v !== step + 1) {
      throw new Error(
        `worker rank ${this.rank}: after step ${step} the shards report versions [${msgs.map((m) => m.envelope.params?.version).join(', ')}], expected ${step + 1}`,
      );
    }
    return {
      theta: next,
      version: v,
      final: msgs.some((m) => m.envelope.params?.final === true),
      loss: p0.loss ?? Number.NaN,
      share: newer(nextShare, current),
      samples: out.samples,
      stepSamples: p0.stepSamples ?? 0,
      recomputes,
      noiseScale: noiseScale(msgs),
      pushStart,
    };
  }

  /** Tells every shard this worker has the final parameters and leaves (typed goodbye; the reason text is what older shards read). */
  goodbye(): void {
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    const rank = this.rank;
    this.links.forEach((l) => l.client.notify({ stop: { reason: `done rank ${rank}`, goodbye: { rank, session: l.session } } }));
  }

  /** Stops the heartbeats and closes every connection (after a moment for notes still queued). */
  async close(): Promise<void> {
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    // Give the goodbye notes a moment to leave before linger-0 sockets drop them.
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all(this.clients.map((c) => c.close()));
  }

  private async rejoin(why: string): Promise<void> {
    this.o.log(`worker rank ${this.rank}: ${why}; registering again`);
    this.reregistrations++;
    this.generation++;
    this.inbox.clear();
    await this.registerWithRetry(this.rank, Date.now() + this.o.reconnectTimeoutMs);
  }

  /** Registers with every shard, retrying with backoff (0.2 s doubling to 2 s) until `deadline`. */
  private async registerWithRetry(rank: number, deadline: number): Promise<void> {
    let backoff = 200;
    for (let attempt = 1; ; attempt++) {
      try {
        const timeoutMs = Math.max(100, Math.min(this.o.registerTimeoutMs, deadline - Date.now()));
        return await this.register(rank, timeoutMs);
      } catch (err: unknown) {
        // RUN_FULL: a replacement asks before shard 0 has noticed the loss it replaces.
        const retryable =
          err instanceof TransportError && (err.code === 'TIMEOUT' || (err.code === 'REMOTE_ERROR' && err.remote?.code === pb.ErrorCode.RUN_FULL));
        if (!retryable || Date.now() + backoff > deadline) throw err;
        this.o.log(`worker: registration attempt ${attempt} failed (${err.message}); retrying in ${backoff} ms`);
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(2000, backoff * 2);
      }
    }
  }

  /** Registers with shard 0, then asks every other shard for the rank shard 0 gave. */
  private async register(rank: number, timeoutMs: number): Promise<void> {
    const clients = this.clients;
    const reg = (c: KvClient, r: number): Promise<WireMessage> =>
      c.call({ register: { workerId: this.o.workerId, requestedRank: r, authToken: this.o.authToken } }, { body: 'assignment', timeoutMs });
    const first = await reg(clients[0], rank);
    const a0 = first.envelope.assignment ?? {};
    // A dtype this worker cannot encode fails the registration, not the first push.
    wireDtypeOf(a0.run);
    const rest = await Promise.all(clients.slice(1).map((c) => reg(c, a0.rank ?? -1)));
    this.links = [first, ...rest].map((m, s): ShardLink => {
      const a = m.envelope.assignment ?? {};
      const range = a.range ?? {};
      if (a.rank !== a0.rank || a.numShards !== clients.length || range.shard !== s || a.run?.configHash !== a0.run?.configHash) {
        throw new Error(
          `worker: shard ${s} (${clients[s].endpoint}) disagrees with shard 0: rank ${a.rank} vs ${a0.rank}, shards ${a.numShards} vs ${clients.length} endpoints, range.shard ${range.shard}, config ${a.run?.configHash?.slice(0, 12)} vs ${a0.run?.configHash?.slice(0, 12)}`,
        );
      }
      return { client: clients[s], offset: range.offset ?? 0, length: range.length ?? 0, partLength: a.partLength ?? 0, session: a.session ?? '' };
    });
    this.assignmentValue = a0;
  }

  private async pull(into: Float32Array): Promise<Synced> {
    const shards = this.links;
    const rank = this.rank;
    const first = await shards[0].client.call({ pull: { rank, session: shards[0].session, minVersion: 0 } }, { body: 'params' });
    const version = first.envelope.params?.version ?? 0;
    const rest = await Promise.all(shards.slice(1).map((l) => l.client.call({ pull: { rank, session: l.session, minVersion: version } }, { body: 'params' })));
    const all = [first, ...rest];
    if (all.some((m) => m.envelope.params?.version !== version)) {
      throw new Error(
        `worker: shards are at different steps [${all.map((m) => m.envelope.params?.version).join(', ')}]: resume every shard from the same checkpoint`,
      );
    }
    let theta = into;
    all.forEach((m, s) => (theta = absorb({ theta, msg: m, link: shards[s], single: shards.length === 1 })));
    this.currentStep = version;
    return { theta, version, share: toShare(first.envelope.params?.share), final: all.some((m) => m.envelope.params?.final === true) };
  }
}

// Writes a shard's whole parameter slice into θ. With one shard the reply frame IS θ
// (viewed in place, no copy).
function absorb(args: { theta: Float32Array; msg: WireMessage; link: ShardLink; single: boolean }): Float32Array {
  const { msg, link } = args;
  const values = readParams(msg, { offset: link.offset, length: link.length, what: `params from ${link.client.endpoint}` });
  if (args.single) return values;
  args.theta.set(values, link.offset);
  // Copied out: ZeroMQ's buffer can go now rather than at the next collection (releaseFrame).
  releaseFrame(msg.frames[0]);
  return args.theta;
}

/**
 * A shard's reply in parts, written into θ part by part as each arrives (KvClient's
 * onPart), each checked against the keys before it and its frame freed once copied: the
 * worker holds one part's frame at a time, not a whole reply's (at 40 MB, about one
 * mark-compact per round trip otherwise). A part sent again (the shard dropped a step)
 * is written again.
 */
class ReplyParts {
  private readonly ends: number[] = [];

  constructor(
    private readonly theta: Float32Array,
    private readonly link: ShardLink,
  ) {}

  /** @throws TransportError BAD_SHAPE for a part outside the keys that follow the parts before it. */
  take(m: WireMessage, index: number): void {
    const { link } = this;
    const what = `part ${index} of params from ${link.client.endpoint}`;
    const length = m.envelope.params?.params?.length ?? 0;
    const at = index === 0 ? link.offset : (this.ends[index - 1] ?? Number.NaN);
    const last = index === (m.envelope.params?.parts ?? 0) - 1;
    const end = link.offset + link.length;
    if (!(length >= 1 && at + length <= end && (!last || at + length === end))) {
      throw new TransportError('BAD_SHAPE', `worker: ${what} has ${length} keys at ${at}; the range is [${link.offset}, +${link.length})`);
    }
    this.theta.set(readParams(m, { offset: at, length, what }), at);
    releaseFrame(m.frames[0]);
    this.ends.length = index;
    this.ends.push(at + length);
  }

  /** θ, once the reply's `count` parts are in. */
  finish(count: number): Float32Array {
    if (this.ends.length !== count)
      throw new TransportError('BAD_SHAPE', `worker: ${this.ends.length} of ${count} reply parts from ${this.link.client.endpoint} were taken`);
    return this.theta;
  }
}

/** The last message of a reply (the one that carries its loss, share and noise scale). */
function lastOf(msgs: readonly WireMessage[]): WireMessage {
  return msgs[msgs.length - 1];
}

/**
 * The wire dtype of the run's gradient pushes ('' or absent: float32).
 *
 * @throws RangeError for a dtype this worker does not know (a newer server).
 */
export function wireDtypeOf(run: pbTypes.IRunSpec | null | undefined): WireDtype {
  const d = run?.wireDtype ?? '';
  if (d === '') return 'float32';
  if ((WIRE_DTYPES as readonly string[]).includes(d)) return d as WireDtype;
  throw new RangeError(`the run's wire dtype "${d}" is not one of ${WIRE_DTYPES.join(', ')}`);
}

/**
 * A gradient slice as push frames: one whole frame, or consecutive parts of
 * `partLength` keys (views of `grad`, not copies) when that is shorter than the slice.
 */
function gradFrames(
  grad: Float32Array,
  o: { offset: number; partLength: number; checksum: boolean; dtype: WireDtype },
): { header: pbTypes.ITensorFrame; bytes: Uint8Array }[] {
  if (o.partLength <= 0 || o.partLength >= grad.length) return [gradientFrame(grad, { offset: o.offset, checksum: o.checksum, dtype: o.dtype })];
  const out: { header: pbTypes.ITensorFrame; bytes: Uint8Array }[] = [];
  for (let s = 0; s < grad.length; s += o.partLength) {
    out.push(gradientFrame(grad.subarray(s, Math.min(grad.length, s + o.partLength)), { offset: o.offset + s, checksum: o.checksum, dtype: o.dtype }));
  }
  return out;
}

/**
 * A shard's parameter slice from its Params reply (pure, so that it can be fuzzed).
 *
 * @throws TransportError BAD_SHAPE or CHECKSUM_MISMATCH.
 */
export function readParams(msg: WireMessage, slice: { readonly offset: number; readonly length: number; readonly what: string }): Float32Array {
  return readFloat32Frame(msg.envelope.params?.params, msg.frames[0], slice);
}

/** The gradient noise scale tr(Σ)/|g|² from the shards' replies' EMAs (null before any). */
export function noiseScale(replies: readonly WireMessage[]): number | null {
  let g = 0;
  let t = 0;
  let count = 0;
  for (const m of replies) {
    const n = m.envelope.params?.noise;
    g += n?.emaGradSqNorm ?? 0;
    t += n?.emaTraceSigma ?? 0;
    count = Math.max(count, n?.count ?? 0);
  }
  if (count === 0) return null;
  // A reply's fields are not trusted: NaN or ±Inf EMAs give no estimate, not a NaN one.
  const scale = t / g;
  return g > 0 && Number.isFinite(scale) ? scale : null;
}
