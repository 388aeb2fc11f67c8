/**
 * Cost model of one synchronous data-parallel step through S parameter-server shards.
 *
 * A step is a critical path (BytePS / ps-lite style key-range sharding, every worker
 * waits for θ_{k+1} before computing step k+1):
 *
 *   compute    c0 + cs · B/N                      (the N workers in parallel, B/N samples each)
 *   worker     S · w0 + wb · M                    (the worker's serial per-message and per-byte work:
 *                                                  encoding, checksums, decoding the replies)
 *   exchange   2·L + a three-stage pipeline over the parts of a key range (BytePS-style partitions):
 *              push part k (N parts through a shard's link, S through a worker's, at rate r or
 *              host-copy speed) → the shard checks, combines and steps it → its reply part k
 *   ps         N · (p0 + pb · M/S) + u · M/S      (each shard, in parallel: every worker's push is
 *                                                  checked and combined; one optimizer step)
 *
 * With whole messages (one part) the stages follow each other; with K parts a part's
 * reply travels while later parts are pushed and stepped. On cores shared by every
 * process (one machine), the exchange also takes at least its total CPU over the cores,
 * and N workers computing at once on C < N cores take N/C times as long. Every term is
 * measured (see Calibration); none is fitted to the step times it predicts.
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
  /** CPU, at both ends together, of moving 1 MB one way (kernel copies, ZeroMQ): what the processes spend on their bytes when they share cores. */
  readonly transportCpuMsPerMB: number;
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
  /**
   * Bytes a token-bucket shaper lets through at once after an idle spell (tc tbf's burst;
   * default 0, as a NIC): each direction's first bytes of a step gain that much wire time.
   */
  readonly burstBytes?: number;
}

/** One synchronous run's shape. */
export interface Layout {
  /** Workers N. */
  readonly workers: number;
  /** Parameter-server shards S, key ranges of M/S bytes. */
  readonly shards: number;
  /** Model size M in bytes (float32: 4 · parameters). */
  readonly modelBytes: number;
  /** Global batch B (each worker computes B/N samples). */
  readonly batch: number;
  /**
   * Bytes per part in which a key range is pushed, stepped and answered (the PS's
   * --part-bytes); 0 or absent: whole messages, the shard's work follows the transfer.
   */
  readonly partBytes?: number;
  /**
   * Cores that all N + S processes share (one machine, as the network-namespace testbed);
   * absent: each worker and each shard on a host of its own, as in a cluster.
   */
  readonly sharedCores?: number;
}

/** A predicted step, in ms, by term. */
export interface StepPrediction {
  /** The workers' compute, stretched when N workers share fewer than N cores. */
  readonly computeMs: number;
  readonly workerMs: number;
  /** Both legs one after the other, as if nothing overlapped: latency each way and the busiest of the worker link, the shard link and host copies. */
  readonly transferMs: number;
  /** The busiest shard's CPU for the step (every shard is alike). */
  readonly psMs: number;
  /** Push, shard work and reply, part after part (a three-stage pipeline), plus latency each way. */
  readonly exchangeMs: number;
  /** On shared cores: the CPU of the whole exchange (workers, shards, transport) over the cores; 0 with a host each. */
  readonly sharedCpuMs: number;
  /** What bounds the step's exchange. */
  readonly transferBound: 'wire: worker link' | 'wire: shard link' | 'host copies' | 'shared cores';
  readonly totalMs: number;
}

function checkLayout(l: Layout): void {
  const intOk = (x: number): boolean => Number.isInteger(x) && x >= 1;
  if (!intOk(l.workers)) throw new RangeError(`plan: workers must be an integer >= 1, got ${l.workers}`);
  if (!intOk(l.shards)) throw new RangeError(`plan: shards must be an integer >= 1, got ${l.shards}`);
  if (!(Number.isFinite(l.modelBytes) && l.modelBytes > 0)) throw new RangeError(`plan: model bytes must be > 0, got ${l.modelBytes}`);
  if (!(Number.isFinite(l.batch) && l.batch >= l.workers)) throw new RangeError(`plan: batch must be >= workers (${l.workers}), got ${l.batch}`);
  const part = l.partBytes ?? 0;
  if (!(Number.isFinite(part) && part >= 0)) throw new RangeError(`plan: part bytes must be >= 0 (0: whole messages), got ${part}`);
  if (l.sharedCores !== undefined && !(Number.isFinite(l.sharedCores) && l.sharedCores > 0))
    throw new RangeError(`plan: shared cores must be > 0 (or absent: a host each), got ${l.sharedCores}`);
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
  const b = n.burstBytes ?? 0;
  if (!(Number.isFinite(b) && b >= 0)) throw new RangeError(`plan: burst bytes must be >= 0, got ${b}`);
}

/**
 * Makespan of a permutation flow shop: jobs (rows) pass the stages (columns) in order,
 * each stage works on one job at a time. C[k][j] = max(C[k−1][j], C[k][j−1]) + t[k][j].
 */
export function flowShopMakespan(times: readonly (readonly number[])[]): number {
  const done = new Array<number>(times[0]?.length ?? 0).fill(0);
  for (const row of times) {
    let prev = 0;
    row.forEach((t, j) => {
      prev = Math.max(done[j], prev) + t;
      done[j] = prev;
    });
  }
  return done.length === 0 ? 0 : done[done.length - 1];
}

/** The sizes, in MB, of the parts a key range of `sliceMB` travels in (all of `partMB` but the last; one part when partMB is 0). */
export function partSizesMB(sliceMB: number, partMB: number): number[] {
  if (partMB <= 0 || partMB >= sliceMB) return [sliceMB];
  const k = Math.ceil(sliceMB / partMB - 1e-12);
  return Array.from({ length: k }, (_, i) => Math.min(partMB, sliceMB - i * partMB));
}

/**
 * The predicted time of one synchronous step.
 *
 * @example stepTime(terms, { bitsPerS: 1e9, latencyMs: 0.1 }, { workers: 8, shards: 2, modelBytes: 44.7e6, batch: 256, partBytes: 1 << 20 })
 */
export function stepTime(terms: StepTerms, network: Network, layout: Layout): StepPrediction {
  checkTerms(terms);
  checkNetwork(network);
  checkLayout(layout);
  const { workers: n, shards: s, modelBytes: m, batch: b } = layout;
  const mb = m / MB;
  const shardMB = mb / s;
  const cores = layout.sharedCores;
  // N single-threaded workers computing at once on fewer cores each get cores/N of one.
  const computeMs = (terms.computeMsFixed + (terms.computeMsPerSample * b) / n) * (cores === undefined ? 1 : Math.max(1, n / cores));
  const workerMs = s * terms.workerMsPerMessage + terms.workerMsPerMB * mb;
  const msPerMB = network.bitsPerS === null ? 0 : (8 * MB * 1000) / (network.bitsPerS * (network.payloadFraction ?? 1));
  // Round k of the exchange: part k of every worker's push into each shard, through the busiest
  // link: a shard's carries N parts (one from each worker), a worker's S (one to each shard).
  const parts = partSizesMB(shardMB, (layout.partBytes ?? 0) / MB);
  const wireOf = (partMB: number): number => msPerMB * Math.max(n, s) * partMB;
  const hostOf = (partMB: number): number => terms.hostMsPerMB * Math.max(n, s) * partMB;
  const legOf = (partMB: number): number => Math.max(wireOf(partMB), hostOf(partMB));
  // After an idle spell a token-bucket shaper lets its bucket through at once: the first round of each direction gains that.
  const burstMs = Math.min(network.burstBytes ?? 0, Math.max(n, s) * parts[0] * MB) * (msPerMB / MB);
  // Each shard checks and combines every part as it comes and steps what all N pushes hold:
  // N per-push costs with the first part, then per MB of each part, N pushes and one step.
  const shardOf = (partMB: number, k: number): number => (k === 0 ? n * terms.psMsPerMessage : 0) + (n * terms.psMsPerMB + terms.stepMsPerMB) * partMB;
  const rounds = parts.map((p, k) => [legOf(p) - (k === 0 ? burstMs : 0), shardOf(p, k), legOf(p) - (k === 0 ? burstMs : 0)].map((x) => Math.max(0, x)));
  const latency = 2 * (terms.latencyMs + network.latencyMs);
  const exchangeMs = latency + flowShopMakespan(rounds);
  const psMs = parts.reduce((a, p, k) => a + shardOf(p, k), 0);
  const workerWire = 2 * msPerMB * mb;
  const shardWire = 2 * n * msPerMB * shardMB;
  const host = 2 * terms.hostMsPerMB * Math.max(mb, n * shardMB);
  const busiest = Math.max(workerWire, shardWire, host);
  const transferMs = latency + busiest;
  // On cores shared by all N + S processes, the exchange also cannot beat its total CPU over
  // the cores: N workers' serial work, S shards', and the transport's at both ends of 2·N·M.
  const sharedCpuMs = cores === undefined ? 0 : (n * workerMs + s * psMs + terms.transportCpuMsPerMB * 2 * n * mb) / cores;
  const pathMs = workerMs + exchangeMs;
  const transferBound =
    sharedCpuMs > pathMs
      ? 'shared cores'
      : host === busiest && host > Math.max(workerWire, shardWire)
        ? 'host copies'
        : shardWire > workerWire
          ? 'wire: shard link'
          : 'wire: worker link';
  return { computeMs, workerMs, transferMs, psMs, exchangeMs, sharedCpuMs, transferBound, totalMs: computeMs + Math.max(pathMs, sharedCpuMs) };
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
