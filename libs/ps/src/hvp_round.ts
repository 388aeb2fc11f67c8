/**
 * A sharpness estimation round at one shard, as pure code (no sockets, no clock).
 *
 * The evaluation batch is cut into `chunks` fixed parts (keyed by seed and round, the
 * same for any worker count). A task is a contiguous chunk range; at the start rank r of
 * N gets chunks [⌊rC/N⌋, ⌊(r+1)C/N⌋). A worker answers a task with Σ_c n_c·H_c v for each
 * direction of the block, sliced to this shard's key range, and the sample count Σ n_c.
 * The round closes once the done tasks cover every chunk; the result is the sum of the
 * tasks' answers in chunk order divided by the samples: the sample-weighted mean over
 * the batch, as a step combines gradients. A worker lost before answering has its tasks
 * cut among the survivors in rank order, so the round closes with the same chunks and
 * the same per-chunk products (to float64 summation order).
 */

/** A contiguous range of evaluation chunks [lo, hi). */
export interface HvpTask {
  readonly lo: number;
  readonly hi: number;
}

/** Options of {@link HvpRound}. */
export interface HvpRoundOptions {
  readonly round: number;
  /** Evaluation chunks (fixed per run, ≥ the worker count). */
  readonly chunks: number;
  /** Samples in chunk c (length `chunks`). */
  readonly chunkSamples: readonly number[];
  /** Directions in the block. */
  readonly block: number;
  /** Length of this shard's key range (each direction's slice). */
  readonly sliceLength: number;
  /** Ranks of the live workers at the start, any order. */
  readonly ranks: readonly number[];
}

/** One worker's answer to a task: `block` vectors of `sliceLength`, flat (direction-major). */
export interface HvpAnswer {
  readonly rank: number;
  readonly task: HvpTask;
  readonly samples: number;
  readonly products: Float64Array;
}

/** The round's verdict on an answer; refusals change nothing. */
export type HvpOffer =
  | { readonly kind: 'accepted'; readonly closed: boolean }
  /** The same task answered again (a resend or a reassigned task's late original): ignored. */
  | { readonly kind: 'duplicate'; readonly message: string }
  | { readonly kind: 'refused'; readonly reason: 'not-assigned' | 'bad-shape' | 'bad-samples' | 'not-finite' | 'closed'; readonly message: string };

/** Counters a shard exports. */
export interface HvpRoundCounters {
  accepted: number;
  duplicates: number;
  refused: number;
  reassigned: number;
}

const key = (t: HvpTask): string => `${t.lo}:${t.hi}`;

/**
 * Splits chunks [lo, hi) among `ranks` (sorted) in rank order: contiguous, as even as
 * possible, empty ranges dropped (more ranks than chunks).
 */
export function splitTasks(range: HvpTask, ranks: readonly number[]): Map<number, HvpTask[]> {
  const out = new Map<number, HvpTask[]>();
  const n = ranks.length;
  const span = range.hi - range.lo;
  ranks.forEach((r, i) => {
    const lo = range.lo + Math.floor((i * span) / n);
    const hi = range.lo + Math.floor(((i + 1) * span) / n);
    if (hi > lo) out.set(r, [{ lo, hi }]);
  });
  return out;
}

/** One estimation round's bookkeeping and combination (see the file comment). */
export class HvpRound {
  readonly round: number;
  readonly block: number;
  readonly sliceLength: number;
  readonly counters: HvpRoundCounters = { accepted: 0, duplicates: 0, refused: 0, reassigned: 0 };
  private readonly chunkSamples: readonly number[];
  /** Open tasks by rank. */
  private readonly assigned = new Map<number, HvpTask[]>();
  /** Answers by task key (a task is answered once). */
  private readonly done = new Map<string, HvpAnswer>();
  private readonly live = new Set<number>();
  private covered = 0;
  private result: Float64Array | undefined;

  constructor(private readonly opts: HvpRoundOptions) {
    const { chunks, chunkSamples, block, sliceLength, ranks } = opts;
    if (!Number.isInteger(chunks) || chunks < 1) throw new RangeError(`HvpRound: chunks must be an integer ≥ 1, got ${chunks}`);
    if (chunkSamples.length !== chunks || chunkSamples.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new RangeError(`HvpRound: chunkSamples must be ${chunks} integers ≥ 1`);
    }
    if (!Number.isInteger(block) || block < 1) throw new RangeError(`HvpRound: block must be an integer ≥ 1, got ${block}`);
    if (!Number.isInteger(sliceLength) || sliceLength < 0) throw new RangeError(`HvpRound: sliceLength must be an integer ≥ 0, got ${sliceLength}`);
    if (ranks.length === 0) throw new RangeError('HvpRound: no live workers');
    this.round = opts.round;
    this.block = block;
    this.sliceLength = sliceLength;
    this.chunkSamples = chunkSamples;
    const sorted = [...new Set(ranks)].sort((a, b) => a - b);
    for (const r of sorted) this.live.add(r);
    for (const [r, tasks] of splitTasks({ lo: 0, hi: chunks }, sorted)) this.assigned.set(r, tasks);
  }

  /** The tasks `rank` still owes (empty when none or not a member). */
  tasksOf(rank: number): readonly HvpTask[] {
    return this.assigned.get(rank) ?? [];
  }

  /** Whether every chunk has been answered. */
  get closed(): boolean {
    return this.result !== undefined;
  }

  /** Live ranks that still owe tasks. */
  get waitingFor(): number[] {
    return [...this.assigned.entries()].filter(([, t]) => t.length > 0).map(([r]) => r);
  }

  /** Samples a task covers. */
  samplesOf(task: HvpTask): number {
    let s = 0;
    for (let c = task.lo; c < task.hi; c++) s += this.chunkSamples[c];
    return s;
  }

  /** Offers an answer; checks assignment, shape, samples and finiteness before it changes anything. */
  offer(a: HvpAnswer): HvpOffer {
    const refuse = (reason: Extract<HvpOffer, { kind: 'refused' }>['reason'], message: string): HvpOffer => {
      this.counters.refused++;
      return { kind: 'refused', reason, message: `round ${this.round}: ${message}` };
    };
    if (this.done.has(key(a.task))) {
      this.counters.duplicates++;
      return { kind: 'duplicate', message: `round ${this.round}: chunks [${a.task.lo}, ${a.task.hi}) already answered` };
    }
    if (this.closed) return refuse('closed', 'the round is closed');
    const owed = this.assigned.get(a.rank) ?? [];
    const i = owed.findIndex((t) => t.lo === a.task.lo && t.hi === a.task.hi);
    if (i < 0) return refuse('not-assigned', `rank ${a.rank} owes no task [${a.task.lo}, ${a.task.hi})`);
    const want = this.block * this.sliceLength;
    if (a.products.length !== want) return refuse('bad-shape', `products have length ${a.products.length}, expected ${this.block}×${this.sliceLength}`);
    const samples = this.samplesOf(a.task);
    if (a.samples !== samples) return refuse('bad-samples', `samples ${a.samples}, chunks [${a.task.lo}, ${a.task.hi}) hold ${samples}`);
    for (let j = 0; j < want; j++) if (!Number.isFinite(a.products[j])) return refuse('not-finite', `product ${j} is ${a.products[j]}`);
    owed.splice(i, 1);
    this.done.set(key(a.task), { ...a, products: Float64Array.from(a.products) });
    this.counters.accepted++;
    this.covered += a.task.hi - a.task.lo;
    if (this.covered === this.opts.chunks) this.result = this.combine();
    return { kind: 'accepted', closed: this.closed };
  }

  /**
   * A worker left (lost or said bye): its open tasks are cut among the survivors in
   * rank order. Returns the new tasks by rank (to send), empty when it owed none.
   * Throws when no worker is left and chunks remain: the round cannot close.
   */
  lose(rank: number): Map<number, HvpTask[]> {
    if (!this.live.delete(rank)) return new Map();
    const owed = this.assigned.get(rank) ?? [];
    this.assigned.delete(rank);
    const added = new Map<number, HvpTask[]>();
    if (owed.length === 0 || this.closed) return added;
    const survivors = [...this.live].sort((a, b) => a - b);
    if (survivors.length === 0) throw new Error(`round ${this.round}: every worker is lost with ${owed.length} task(s) open`);
    for (const t of owed) {
      for (const [r, tasks] of splitTasks(t, survivors)) {
        this.assigned.set(r, [...(this.assigned.get(r) ?? []), ...tasks]);
        added.set(r, [...(added.get(r) ?? []), ...tasks]);
        this.counters.reassigned += tasks.length;
      }
    }
    return added;
  }

  /** The combined block (direction-major, `block`×`sliceLength`), once closed. */
  get combined(): Float64Array | undefined {
    return this.result;
  }

  private combine(): Float64Array {
    const answers = [...this.done.values()].sort((x, y) => x.task.lo - y.task.lo);
    const out = new Float64Array(this.block * this.sliceLength);
    let samples = 0;
    for (const a of answers) {
      samples += a.samples;
      for (let j = 0; j < out.length; j++) out[j] += a.products[j];
    }
    for (let j = 0; j < out.length; j++) out[j] /= samples;
    return out;
  }
}
