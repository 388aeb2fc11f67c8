/**
 * Cost model of one synchronous data-parallel step through S parameter-server shards.
 *
 * A step is a critical path (BytePS / ps-lite style key-range sharding, every worker
 * waits for θ_{k+1} before computing step k+1):
 *
 *   compute    c0 + cs · B/N                      (the N workers in parallel, B/N samples each)
 *   worker     S · w0 + wb · M                    (the worker's serial per-message and per-byte work:
 *                                                  encoding, checksums, decoding the replies)
 *   transfer   2·L + 2·max(M/r, N·(M/S)/r, host copies)
 *                                                 (push, then pull, each through the busiest link at
 *                                                  rate r: a worker's carries M, a shard's N·M/S)
 *   ps         N · (p0 + pb · M/S) + u · M/S      (each shard, in parallel: every worker's push is
 *                                                  checked, combined and answered; one optimizer step)
 *
 * Today's shard does its work after a whole message has arrived, so the terms add up;
 * with `pipelined` (a partitioned data plane that works on parts as they arrive) the
 * shard's work overlaps the transfer and only the larger of the two counts. Every term
 * is measured (see Calibration); none is fitted to the step times it predicts.
 */

/** Bytes in a megabyte as the model counts them (decimal, as link rates are quoted). */
export const MB = 1e6;

/** The measured terms, per machine. Times in ms; per-byte terms in ms per MB (1e6 bytes). */
export interface StepTerms {
  /** A worker's compute for b samples is computeMsFixed + computeMsPerSample · b. */
  readonly computeMsFixed: number;
  readonly computeMsPerSample: number;
  /** The worker's serial work per shard message (beyond a raw ZeroMQ round trip). */
  readonly workerMsPerMessage: number;
  /** The worker's serial work per MB of the model it pushes and pulls (beyond a raw round trip). */
  readonly workerMsPerMB: number;
  /** A shard's CPU per worker message (beyond a raw echo's). */
  readonly psMsPerMessage: number;
  /** A shard's CPU per MB of one worker's push and its reply (check, combine, encode; beyond a raw echo's). */
  readonly psMsPerMB: number;
  /** A shard's optimizer step per MB of its slice, once per step. */
  readonly stepMsPerMB: number;
  /** Host cost of moving 1 MB one way through the transport (kernel copies, ZeroMQ framing). */
  readonly hostMsPerMB: number;
  /** One-way latency of the transport the terms were measured on (loopback: the stack's own). */
  readonly latencyMs: number;
}

/** The network between hosts. */
export interface Network {
  /** Each host's link rate in bits/s, both directions; null: no wire (loopback, host costs only). */
  readonly bitsPerS: number | null;
  /** One-way latency added by the network, ms (on top of StepTerms.latencyMs). */
  readonly latencyMs: number;
  /**
   * Share of the link rate that carries payload (default 1): TCP/IP and Ethernet headers
   * take the rest, e.g. 1448/1538 on Ethernet at MTU 1500 (preamble and gap included).
   */
  readonly payloadFraction?: number;
}

/** One synchronous run's shape. */
export interface Layout {
  /** Workers N (each on its own host). */
  readonly workers: number;
  /** Parameter-server shards S (each on its own host), key ranges of M/S bytes. */
  readonly shards: number;
  /** Model size M in bytes (float32: 4 · parameters). */
  readonly modelBytes: number;
  /** Global batch B (each worker computes B/N samples). */
  readonly batch: number;
  /** A shard's work overlaps the transfer (partitioned data plane) instead of following it. */
  readonly pipelined?: boolean;
}

/** A predicted step, in ms, by term. */
export interface StepPrediction {
  readonly computeMs: number;
  readonly workerMs: number;
  /** Both legs: latency each way and the busiest of the worker link, the shard link and host copies. */
  readonly transferMs: number;
  /** The busiest shard's CPU for the step (every shard is alike). */
  readonly psMs: number;
  /** Which term bounds the transfer. */
  readonly transferBound: 'wire: worker link' | 'wire: shard link' | 'host copies';
  readonly totalMs: number;
}

function checkLayout(l: Layout): void {
  const intOk = (x: number): boolean => Number.isInteger(x) && x >= 1;
  if (!intOk(l.workers)) throw new RangeError(`plan: workers must be an integer >= 1, got ${l.workers}`);
  if (!intOk(l.shards)) throw new RangeError(`plan: shards must be an integer >= 1, got ${l.shards}`);
  if (!(Number.isFinite(l.modelBytes) && l.modelBytes > 0)) throw new RangeError(`plan: model bytes must be > 0, got ${l.modelBytes}`);
  if (!(Number.isFinite(l.batch) && l.batch >= l.workers)) throw new RangeError(`plan: batch must be >= workers (${l.workers}), got ${l.batch}`);
}

/** Throws a RangeError naming the first term that is negative or not finite. */
export function checkTerms(t: StepTerms): void {
  for (const [k, v] of Object.entries(t))
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`plan: term ${k} must be a finite number >= 0, got ${String(v)}`);
}

function checkNetwork(n: Network): void {
  if (n.bitsPerS !== null && !(Number.isFinite(n.bitsPerS) && n.bitsPerS > 0)) throw new RangeError(`plan: link rate must be > 0 bits/s, got ${n.bitsPerS}`);
  if (!(Number.isFinite(n.latencyMs) && n.latencyMs >= 0)) throw new RangeError(`plan: latency must be >= 0 ms, got ${n.latencyMs}`);
  const f = n.payloadFraction ?? 1;
  if (!(f > 0 && f <= 1)) throw new RangeError(`plan: payload fraction must be in (0, 1], got ${f}`);
}

/**
 * The predicted time of one synchronous step.
 *
 * @example stepTime(terms, { bitsPerS: 1e9, latencyMs: 0.1 }, { workers: 8, shards: 2, modelBytes: 44.7e6, batch: 256 })
 */
export function stepTime(terms: StepTerms, network: Network, layout: Layout): StepPrediction {
  checkTerms(terms);
  checkNetwork(network);
  checkLayout(layout);
  const { workers: n, shards: s, modelBytes: m, batch: b } = layout;
  const mb = m / MB;
  const shardMB = mb / s;
  const computeMs = terms.computeMsFixed + (terms.computeMsPerSample * b) / n;
  const workerMs = s * terms.workerMsPerMessage + terms.workerMsPerMB * mb;
  // Each direction of the busiest link: a worker's carries M (its S key ranges, side by
  // side), a shard's N·M/S (the N workers' flows share it). Push and pull do not overlap:
  // a worker's next push waits for its whole reply, and the shard's replies share its link.
  const msPerMB = network.bitsPerS === null ? 0 : (8 * MB * 1000) / (network.bitsPerS * (network.payloadFraction ?? 1));
  const workerWire = 2 * msPerMB * mb;
  const shardWire = 2 * n * msPerMB * shardMB;
  const host = 2 * terms.hostMsPerMB * Math.max(mb, n * shardMB);
  const busiest = Math.max(workerWire, shardWire, host);
  const transferBound =
    host === busiest && host > Math.max(workerWire, shardWire) ? 'host copies' : shardWire > workerWire ? 'wire: shard link' : 'wire: worker link';
  const transferMs = 2 * (terms.latencyMs + network.latencyMs) + busiest;
  const psMs = n * (terms.psMsPerMessage + terms.psMsPerMB * shardMB) + terms.stepMsPerMB * shardMB;
  const exchange = layout.pipelined === true ? Math.max(transferMs, psMs) : transferMs + psMs;
  return { computeMs, workerMs, transferMs, psMs, transferBound, totalMs: computeMs + workerMs + exchange };
}

/** A layout's throughput against one worker's with one shard, at the same global batch. */
export interface Scaling {
  readonly stepMs: number;
  readonly samplesPerS: number;
  /** t(1 worker, 1 shard) / t(N, S). */
  readonly speedup: number;
  /** speedup / N. */
  readonly efficiency: number;
}

/** Step time, samples/s, speed-up and scaling efficiency of a layout against N = 1, S = 1. */
export function scaling(terms: StepTerms, network: Network, layout: Layout): Scaling {
  const t = stepTime(terms, network, layout).totalMs;
  const one = stepTime(terms, network, { ...layout, workers: 1, shards: 1 }).totalMs;
  return { stepMs: t, samplesPerS: layout.batch / (t / 1000), speedup: one / t, efficiency: one / t / layout.workers };
}

/** The recommendation: the fewest shards within `tolerance` of the best step time. */
export interface ShardAdvice {
  readonly shards: number;
  readonly stepMs: number;
  /** Every S tried, 1..maxShards. */
  readonly table: readonly { readonly shards: number; readonly stepMs: number; readonly efficiency: number }[];
}

/**
 * Recommends S for N workers: each shard costs a host, so the smallest S whose step is
 * within `tolerance` (default 5%) of the fastest S in 1..maxShards (default 16).
 */
export function recommendShards(terms: StepTerms, network: Network, query: Omit<Layout, 'shards'> & { maxShards?: number; tolerance?: number }): ShardAdvice {
  const { maxShards = 16, tolerance = 0.05, ...layout } = query;
  if (!(Number.isInteger(maxShards) && maxShards >= 1)) throw new RangeError(`plan: maxShards must be an integer >= 1, got ${maxShards}`);
  if (!(tolerance >= 0 && Number.isFinite(tolerance))) throw new RangeError(`plan: tolerance must be >= 0, got ${tolerance}`);
  const table = Array.from({ length: maxShards }, (_, i) => {
    const sc = scaling(terms, network, { ...layout, shards: i + 1 });
    return { shards: i + 1, stepMs: sc.stepMs, efficiency: sc.efficiency };
  });
  const best = Math.min(...table.map((r) => r.stepMs));
  const pick = table.find((r) => r.stepMs <= best * (1 + tolerance)) ?? table[0];
  return { shards: pick.shards, stepMs: pick.stepMs, table };
}
