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

/**
 * Says hello as `rank` and answers each task with the executor: θ (kept per estimate)
 * and the directions from the task, Σ n_c·H_c v back as float64. A task it cannot
 * compute is answered with an error header (the host then hands it to the others).
 *
 * @param opts the host's endpoint, this worker's rank, its executor and CURVE (default plain TCP).
 */
export function serveHvpRounds(opts: {
  readonly endpoint: string;
  readonly rank: number;
  readonly executor: HvpExecutor;
  readonly curve?: CurveConfig;
}): HvpRoundWorker {
  let theta: { estimate: number; value: Float32Array } | undefined;
  let answered = 0;
  let busySeconds = 0;
  let closed = false;
  // A send can fail only once the socket is closing (the worker is leaving): nothing to answer then.
  const send = (h: HvpWireHeader, data: Uint8Array[] = []): void => {
    if (!closed) van.send([Buffer.from(JSON.stringify(h)), ...data]).catch(() => undefined);
  };
  const van = connectDealer(opts.endpoint, {
    curve: opts.curve,
    onFrames: (frames) => {
      const h = parseHvpHeader(frames[0]);
      if (h?.t !== 'task' || closed) return;
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
        send({ t: 'answer', round: h.round, lo: h.lo, hi: h.hi, samples }, [new Uint8Array(products.buffer)]);
      } catch (e: unknown) {
        send({ t: 'error', round: h.round, message: e instanceof Error ? e.message : String(e) });
      } finally {
        busySeconds += (performance.now() - t0) / 1000;
      }
    },
  });
  send({ t: 'hello', rank: opts.rank });
  return {
    answered: () => answered,
    busySeconds: () => busySeconds,
    async close() {
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
