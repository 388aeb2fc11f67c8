import { join } from 'node:path';
import { connectDealer, type CurveConfig } from '@lnsgd/transport';
import { parseHvpHeader, type HvpWireHeader } from '@lnsgd/ps';
import type { HvpExecutor } from './hvp_executor';

/** A worker's connection to an estimation-round host. */
export interface HvpRoundWorker {
  /** Tasks answered. */
  readonly answered: () => number;
  /** Seconds spent computing answers: this event loop (and so the worker's training) waits meanwhile. */
  readonly busySeconds: () => number;
  close(): Promise<void>;
}

/** Copies a frame into an aligned typed array (a frame's bytes may sit at any offset). */
function floats<T extends Float32Array | Float64Array>(frame: Buffer, make: (n: number) => T): T {
  const bytes = make(0).BYTES_PER_ELEMENT;
  if (frame.byteLength % bytes !== 0) throw new RangeError(`frame of ${frame.byteLength} bytes is not a whole number of ${bytes}-byte floats`);
  const out = make(frame.byteLength / bytes);
  new Uint8Array(out.buffer).set(frame);
  return out;
}

/** Default milliseconds between a round worker's pings of its host. */
export const HVP_PING_MS = 5000;
/** Pings in a row without a word from the host after which a round worker calls it silent. */
export const HVP_SILENT_PINGS = 3;
/** Exit status of a round-worker process (hvp_round_worker_process) whose host went silent. */
export const HVP_HOST_SILENT_EXIT = 4;

/**
 * Says hello as `rank` and answers each task with the executor: θ (kept per estimate)
 * and the directions from the task, Σ n_c·H_c v back as float64. A task it cannot
 * compute is answered with an error header (the host then hands it to the others).
 * Every `pingMs` it pings the host (which answers `pong`; a restarted host takes the
 * ping as a hello); after `silentPings` pings without a word from the host, `onHostSilent`
 * is called once, and `onHostBack` when the host is heard again.
 *
 * @param opts the host's endpoint, this worker's rank, its executor, CURVE (default plain TCP) and the host watch.
 */
export function serveHvpRounds(opts: {
  readonly endpoint: string;
  readonly rank: number;
  readonly executor: HvpExecutor;
  readonly curve?: CurveConfig;
  /** Milliseconds between pings (default {@link HVP_PING_MS}). */
  readonly pingMs?: number;
  /** Pings without a word from the host that make it silent (default {@link HVP_SILENT_PINGS}). */
  readonly silentPings?: number;
  readonly onHostSilent?: (silentMs: number) => void;
  readonly onHostBack?: () => void;
}): HvpRoundWorker {
  let theta: { estimate: number; value: Float32Array } | undefined;
  let answered = 0;
  let busySeconds = 0;
  let closed = false;
  const pingMs = opts.pingMs ?? HVP_PING_MS;
  const silentAfterMs = pingMs * (opts.silentPings ?? HVP_SILENT_PINGS);
  let heardAt = Date.now();
  let silent = false;
  // One ping at a time: while the host is away a send may wait on ZeroMQ's queue, and pings must not pile up behind it.
  let pinging = false;
  // A send can fail only once the socket is closing (the worker is leaving): nothing to answer then.
  const send = (h: HvpWireHeader, data: Uint8Array[] = []): Promise<void> =>
    closed ? Promise.resolve() : van.send([Buffer.from(JSON.stringify(h)), ...data]).catch(() => undefined);
  const heard = (): void => {
    heardAt = Date.now();
    if (!silent) return;
    silent = false;
    opts.onHostBack?.();
  };
  const van = connectDealer(opts.endpoint, {
    curve: opts.curve,
    onFrames: (frames) => {
      const h = parseHvpHeader(frames[0]);
      if (closed) return;
      if (h?.t === 'pong') return heard();
      if (h?.t !== 'task') return;
      heard();
      const t0 = performance.now();
      try {
        const data = frames.slice(1);
        if (h.withTheta) theta = { estimate: h.estimate, value: floats(data.shift() ?? Buffer.alloc(0), (n) => new Float32Array(n)) };
        if (theta?.estimate !== h.estimate) throw new Error(`task of estimate ${h.estimate} without its θ`);
        const directions = floats(data.shift() ?? Buffer.alloc(0), (n) => new Float64Array(n));
        const products = opts.executor.answer({ theta: theta.value, epsilon: h.epsilon, task: { lo: h.lo, hi: h.hi }, directions });
        let samples = 0;
        for (let c = h.lo; c < h.hi; c++) samples += opts.executor.chunks.samples[c];
        answered++;
        void send({ t: 'answer', round: h.round, lo: h.lo, hi: h.hi, samples }, [new Uint8Array(products.buffer)]);
      } catch (e: unknown) {
        void send({ t: 'error', round: h.round, message: e instanceof Error ? e.message : String(e) });
      } finally {
        busySeconds += (performance.now() - t0) / 1000;
        // Silence is counted from when this worker could listen again, not from the task's arrival.
        heardAt = Date.now();
      }
    },
  });
  void send({ t: 'hello', rank: opts.rank });
  const watch = setInterval(() => {
    const quietMs = Date.now() - heardAt;
    if (!silent && quietMs >= silentAfterMs) {
      silent = true;
      opts.onHostSilent?.(quietMs);
    }
    if (pinging) return;
    pinging = true;
    void send({ t: 'ping', rank: opts.rank }).finally(() => (pinging = false));
  }, pingMs);
  // The watch alone does not keep a process alive: the socket's receive loop does.
  watch.unref();
  return {
    answered: () => answered,
    busySeconds: () => busySeconds,
    async close() {
      clearInterval(watch);
      closed = true;
      opts.executor.endRound();
      van.close();
      await van.done.catch(() => undefined);
    },
  };
}

/** Path of the round-worker process script (argv[2]: HvpRoundWorkerArgs as JSON), for tests and benches that spawn workers. */
export function hvpRoundWorkerScript(): string {
  return join(__dirname, 'hvp_round_worker_process.js');
}
