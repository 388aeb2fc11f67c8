import { bindRouter, type CurveConfig, type Van } from '@lnsgd/transport';
import { HvpRound, type HvpTask } from './hvp_round';
import { pacedRound, RoundPacer, roundLossLimitMs } from './hvp_round_pacer';

/**
 * The wire of an estimation round (documented in proto/README.md, "Estimation rounds").
 * Frame 0 is a UTF-8 JSON header; θ travels as float32 and directions and products as
 * float64 little-endian frames, flat and direction-major.
 */
export type HvpWireHeader =
  | { readonly t: 'hello'; readonly rank: number }
  | {
      readonly t: 'task';
      readonly round: number;
      readonly estimate: number;
      readonly lo: number;
      readonly hi: number;
      readonly epsilon: number;
      readonly block: number;
      readonly withTheta: boolean;
    }
  | { readonly t: 'answer'; readonly round: number; readonly lo: number; readonly hi: number; readonly samples: number }
  | { readonly t: 'error'; readonly round: number; readonly message: string }
  /** A worker asks whether the host is still there; a rank the host does not know (it restarted) counts as a hello. */
  | { readonly t: 'ping'; readonly rank: number }
  | { readonly t: 'pong' };

/** Options of {@link startHvpRoundHost}. */
export interface HvpRoundHostOptions {
  /** e.g. tcp://127.0.0.1:0 */
  readonly endpoint: string;
  /** Samples of each evaluation chunk (the run's fixed chunking). */
  readonly chunkSamples: readonly number[];
  /**
   * The run's heartbeat timeout: a worker that has not answered a task this long after it
   * was sent (or 3 typical rounds, if longer) is lost for the rest of the run, as a silent
   * worker misses a step (see roundLossLimitMs).
   */
  readonly lossTimeoutMs: number;
  /** The limit until a first round has closed, if longer (the run's start-up grace; default lossTimeoutMs). */
  readonly startupGraceMs?: number;
  /** Fraction f ∈ (0, 1] of wall time the workers may spend in rounds (default 1: back to back); see RoundPacer. */
  readonly budget?: number;
  /** CURVE (with an allowlist: only those clients' hellos arrive); default plain TCP. */
  readonly curve?: CurveConfig;
  readonly log?: (line: string) => void;
}

/** Counters a host exports. */
export interface HvpRoundHostCounters {
  rounds: number;
  answers: number;
  refused: number;
  malformed: number;
  lost: number;
  reassigned: number;
  /** Seconds spent in rounds (from the first task sent to the close). */
  roundSeconds: number;
  /** Seconds rounds waited for the budget before they started. */
  pausedSeconds: number;
  /** Pings answered (workers checking that the host is there). */
  pings: number;
}

/** The driver's end of estimation rounds, over one ROUTER socket. */
export interface HvpRoundHost {
  readonly endpoint: string;
  readonly counters: HvpRoundHostCounters;
  /** The round budget f (1: unpaced). */
  readonly budget: number;
  /** Resolves once `workers` distinct ranks have said hello. */
  waitForWorkers(workers: number, timeoutMs: number): Promise<void>;
  /** Ranks live now, sorted (a lost rank is live again once a new process says hello with it). */
  liveRanks(): number[];
  /**
   * One round: once the budget allows (see RoundPacer), every live worker gets its tasks
   * (θ sent once per estimate), the answers are combined by {@link HvpRound}; a worker
   * silent past the loss limit is lost and its tasks go to the others. Resolves to the
   * combined block (direction-major).
   */
  runRound(r: { readonly estimate: number; readonly theta: Float32Array; readonly epsilon: number; readonly directions: Float64Array }): Promise<Float64Array>;
  close(): Promise<void>;
}

/** The header of a message, or undefined when it is not a JSON object with a string `t` (never throws). */
export function parseHeader(frame: Buffer | undefined): HvpWireHeader | undefined {
  if (frame === undefined || frame.byteLength > 4096) return undefined;
  try {
    const h: unknown = JSON.parse(frame.toString('utf8'));
    return typeof h === 'object' && h !== null && typeof (h as { t?: unknown }).t === 'string' ? (h as HvpWireHeader) : undefined;
  } catch {
    return undefined;
  }
}

const f64Frame = (a: Float64Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Binds the round host. One round runs at a time; answers to another round, from a lost
 * worker, or malformed are counted and dropped (a malformed message never throws).
 *
 * @param opts endpoint, the chunking, the loss timeout and a log.
 */
export async function startHvpRoundHost(opts: HvpRoundHostOptions): Promise<HvpRoundHost> {
  const log = opts.log ?? (() => undefined);
  const counters: HvpRoundHostCounters = {
    rounds: 0,
    answers: 0,
    refused: 0,
    malformed: 0,
    lost: 0,
    reassigned: 0,
    roundSeconds: 0,
    pausedSeconds: 0,
    pings: 0,
  };
  const pacer = new RoundPacer(opts.budget ?? 1);
  const limits = { heartbeatTimeoutMs: opts.lossTimeoutMs, startupGraceMs: opts.startupGraceMs ?? opts.lossTimeoutMs };
  /** The last loss-free round's milliseconds per direction (the loss limit scales with it). */
  let msPerDirection: number | undefined;
  /** rank → ROUTER identity. */
  const peers = new Map<number, Buffer>();
  const lost = new Set<number>();
  /** The estimate whose θ each rank holds. */
  const thetaOf = new Map<number, number>();
  /** A round is waiting for the budget or open. */
  let inRound = false;
  let closing = false;
  let cancelPause: (() => void) | undefined;
  let helloWaiter: (() => void) | undefined;
  let open:
    | {
        round: HvpRound;
        estimate: number;
        theta: Float32Array;
        epsilon: number;
        directions: Float64Array;
        /** Milliseconds a rank may owe a task (roundLossLimitMs at the round's start). */
        limitMs: number;
        /** Per rank: when its oldest unanswered task was sent. */
        sentAt: Map<number, number>;
        resolve: (v: Float64Array) => void;
        reject: (e: Error) => void;
      }
    | undefined;
  const sendTasks = async (rank: number, tasks: readonly HvpTask[]): Promise<void> => {
    const o = open;
    const id = peers.get(rank);
    if (o === undefined || id === undefined) return;
    for (const t of tasks) {
      const withTheta = thetaOf.get(rank) !== o.estimate;
      const header: HvpWireHeader = {
        t: 'task',
        round: o.round.round,
        estimate: o.estimate,
        lo: t.lo,
        hi: t.hi,
        epsilon: o.epsilon,
        block: o.round.block,
        withTheta,
      };
      const frames: Uint8Array[] = [id, Buffer.from(JSON.stringify(header))];
      if (withTheta) frames.push(new Uint8Array(o.theta.buffer, o.theta.byteOffset, o.theta.byteLength));
      frames.push(f64Frame(o.directions));
      thetaOf.set(rank, o.estimate);
      if (!o.sentAt.has(rank)) o.sentAt.set(rank, Date.now());
      await van.send(frames);
    }
  };
  const finishIfClosed = (): void => {
    const o = open;
    if (o === undefined || !o.round.closed) return;
    open = undefined;
    const out = o.round.combined;
    if (out === undefined) return o.reject(new Error(`round ${o.round.round}: closed without a result`));
    o.resolve(out);
  };
  const loseRank = (rank: number, why: string): void => {
    if (lost.has(rank)) return;
    lost.add(rank);
    counters.lost++;
    log(`hvp round host: rank ${rank} lost (${why})`);
    const o = open;
    if (o === undefined) return;
    o.sentAt.delete(rank);
    let added: Map<number, HvpTask[]>;
    try {
      added = o.round.lose(rank);
    } catch (e: unknown) {
      open = undefined;
      return o.reject(e instanceof Error ? e : new Error(String(e)));
    }
    for (const [r, tasks] of added) {
      counters.reassigned += tasks.length;
      sendTasks(r, tasks).catch((e: unknown) => log(`hvp round host: cannot send rank ${r} its tasks: ${e instanceof Error ? e.message : String(e)}`));
    }
  };
  const onFrames = (frames: Buffer[]): void => {
    const [id, head, ...data] = frames;
    const h = parseHeader(head);
    if (h === undefined) return void counters.malformed++;
    if (h.t === 'ping' && Number.isInteger(h.rank) && h.rank >= 0) {
      counters.pings++;
      van.send([id, Buffer.from(JSON.stringify({ t: 'pong' } satisfies HvpWireHeader))]).catch(() => undefined);
      if (peers.has(h.rank)) return;
      // A host that restarted never got this worker's hello: take it from the ping.
    }
    if ((h.t === 'hello' || h.t === 'ping') && Number.isInteger(h.rank) && h.rank >= 0) {
      if (lost.has(h.rank)) {
        // The lost process's late hello stays refused; a new process (another identity) takes the rank back for later rounds.
        if (peers.get(h.rank)?.equals(id) === true) return void counters.refused++;
        lost.delete(h.rank);
        thetaOf.delete(h.rank);
      }
      peers.set(h.rank, id);
      helloWaiter?.();
      return;
    }
    if (h.t === 'error') {
      log(`hvp round host: a worker failed round ${h.round}: ${h.message}`);
      const rank = [...peers.entries()].find(([, b]) => b.equals(id))?.[0];
      if (rank !== undefined) loseRank(rank, h.message);
      return;
    }
    if (h.t !== 'answer' || data.length !== 1 || data[0].byteLength % 8 !== 0) return void counters.malformed++;
    const rank = [...peers.entries()].find(([, b]) => b.equals(id))?.[0];
    const o = open;
    if (rank === undefined || o === undefined || h.round !== o.round.round) return void counters.refused++;
    // Copy: the frame's buffer may be unaligned for a Float64Array view.
    const products = new Float64Array(data[0].byteLength / 8);
    new Uint8Array(products.buffer).set(data[0]);
    const verdict = o.round.offer({ rank, task: { lo: h.lo, hi: h.hi }, samples: h.samples, products });
    if (verdict.kind !== 'accepted') {
      counters.refused++;
      log(`hvp round host: ${verdict.message}`);
      return;
    }
    counters.answers++;
    if (o.round.tasksOf(rank).length === 0) o.sentAt.delete(rank);
    else o.sentAt.set(rank, Date.now());
    finishIfClosed();
  };
  const van: Van = await bindRouter(opts.endpoint, { onFrames, curve: opts.curve, log });
  const liveRanks = (): number[] => [...peers.keys()].filter((r) => !lost.has(r)).sort((a, b) => a - b);
  const watchdog = setInterval(
    () => {
      const o = open;
      if (o === undefined) return;
      const now = Date.now();
      for (const [rank, at] of [...o.sentAt]) if (now - at > o.limitMs) loseRank(rank, `no answer in ${now - at} ms (limit ${Math.round(o.limitMs)} ms)`);
    },
    Math.max(10, Math.floor(opts.lossTimeoutMs / 4)),
  );
  watchdog.unref();
  return {
    endpoint: van.endpoint,
    counters,
    budget: pacer.budget,
    liveRanks,
    async waitForWorkers(workers, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (liveRanks().length < workers) {
        if (Date.now() > deadline) throw new Error(`hvp round host: ${liveRanks().length} of ${workers} workers after ${timeoutMs} ms`);
        await new Promise<void>((res) => {
          helloWaiter = res;
          setTimeout(res, 50).unref();
        });
      }
    },
    async runRound({ estimate, theta, epsilon, directions }) {
      if (inRound) throw new Error('hvp round host: a round is already open');
      if (directions.length === 0 || directions.length % theta.length !== 0) {
        throw new RangeError(`hvp round host: directions have length ${directions.length}, not a multiple of ${theta.length}`);
      }
      const block = directions.length / theta.length;
      // A pause can be minutes long: close() cuts it short.
      const sleep = (ms: number): Promise<void> =>
        new Promise((res, rej) => {
          const timer = setTimeout(() => {
            cancelPause = undefined;
            res();
          }, ms);
          cancelPause = () => {
            clearTimeout(timer);
            rej(new Error('hvp round host: closed'));
          };
        });
      // Taken now, so that a second call while this one waits for the budget is refused too.
      inRound = true;
      const run = async (): Promise<Float64Array> => {
        if (closing) throw new Error('hvp round host: closed');
        const ranks = liveRanks();
        const lostBefore = counters.lost;
        const t0 = performance.now();
        counters.rounds++;
        const round = new HvpRound({
          round: counters.rounds,
          chunks: opts.chunkSamples.length,
          chunkSamples: opts.chunkSamples,
          block,
          sliceLength: theta.length,
          ranks,
        });
        const limitMs = roundLossLimitMs(limits, { msPerDirection, block });
        const result = new Promise<Float64Array>((resolve, reject) => {
          open = { round, estimate, theta, epsilon, directions, limitMs, sentAt: new Map(), resolve, reject };
        });
        for (const r of ranks) await sendTasks(r, round.tasksOf(r));
        try {
          const out = await result;
          if (counters.lost === lostBefore) msPerDirection = (performance.now() - t0) / block;
          return out;
        } finally {
          counters.roundSeconds += (performance.now() - t0) / 1000;
        }
      };
      try {
        return await pacedRound({ pacer, now: () => performance.now(), sleep }, run);
      } finally {
        inRound = false;
        counters.pausedSeconds = pacer.pausedMs / 1000;
      }
    },
    async close() {
      clearInterval(watchdog);
      closing = true;
      cancelPause?.();
      open?.reject(new Error('hvp round host: closed'));
      open = undefined;
      van.close();
      await van.done.catch(() => undefined);
    },
  };
}
