import {
  applyUpdatesInPlace,
  cloneOptimizerState,
  fusedKernelFor,
  inPlaceOf,
  optimizerFromSpec,
  type InPlaceTransformation,
  OPTIMIZER_DEFAULTS,
  SgdArena,
  type LayerSlice,
  type OptimizerSpec,
  type OptimizerState,
  type SgdInPlace,
  type SgdState,
  type WeightedGradient,
} from '@lnsgd/optim';
// The tfjs-free entry point: the package index loads TensorFlow.js.
import { noiseScaleFromTwoBatches } from '@lnsgd/sharpness/noise-scale';
import { noiseScaleEma, type NoiseScaleEmaState } from '@lnsgd/sharpness/noise-scale-ema';
import { firstNonFinite } from '@lnsgd/tensor-codec';

/** One worker's push for the open step, kept until the step closes. */
export interface PendingPush {
  readonly rank: number;
  readonly samples: number;
  readonly loss: number;
  /** Mean gradient over the worker's samples, restricted to this shard's keys (may view a ZeroMQ frame). */
  readonly grad: Float32Array;
  /** Keys [0, received) of `grad` have arrived (a push in parts); absent: all of them. */
  readonly received?: number;
}

/** A key range [start, end) of the shard's slice (indices into it, not global keys). */
export interface PartRange {
  readonly start: number;
  readonly end: number;
}

/** What closing a step produced. */
export interface ClosedStep {
  /** The new version (= steps applied). */
  readonly version: number;
  /** Sample-weighted mean noisy loss of the step. */
  readonly loss: number;
  /** This shard's additive part of |G|² and tr Σ for the step (null with one contributing worker). */
  readonly noise: { readonly gradSqNorm: number; readonly traceSigma: number } | null;
}

/** Options of {@link ParameterShard}. */
export interface ParameterShardOptions {
  /** Initial (or resumed) parameter slice. */
  readonly params: Float32Array;
  /**
   * The run's optimizer fields (its `hyper`): η, β, wd, warm-up, and optionally the
   * recipe, schedule (with the run's steps), clipping and τ (absent: OPTIMIZER_DEFAULTS).
   */
  readonly hyper: Pick<OptimizerSpec, 'lr' | 'momentum' | 'weightDecay' | 'warmupSteps'> & Partial<Omit<OptimizerSpec, 'layers'>>;
  /** The model's weight tensors as slices of this shard's key range (LARS's layers). */
  readonly layers?: readonly LayerSlice[];
  /**
   * Use the fused kernel registered for the recipe, if any (default true); false runs
   * the in-place chain (the bench and the tests compare the two).
   */
  readonly fusedKernel?: boolean;
  /**
   * With `reuseParams` and the fused kernel: keep θ, the velocity, the receive
   * buffers and the scratch in a WebAssembly arena, where the kernel's SIMD pass
   * steps them in place (default true; false, or an engine without wasm SIMD: the
   * JS loops, with the same bits).
   */
  readonly wasmKernel?: boolean;
  /** Steps already applied (0 for a fresh run). */
  readonly version?: number;
  /** Resumed optimizer state (default: a fresh one). */
  readonly optimizerState?: OptimizerState;
  readonly noiseEmaDecay?: number;
  readonly noiseEmaState?: NoiseScaleEmaState;
  /**
   * Two parameter buffers instead of a new array per step: version v+2 is written
   * into the buffer that held version v (default false). Only for a caller that sends
   * a version without copying solely to workers whose next push proves they received
   * it (see `ShardServer`), and copies it for anything else.
   */
  readonly reuseParams?: boolean;
  /**
   * Elements per part: the step is combined and applied part by part as soon as
   * every push holds a part's keys ({@link stepReadyParts}); 0 (default): one part.
   * Any part length gives the same bits, since the combine and SGD are element-wise.
   * Only the fused SGD kernel steps early; the chain's recipes receive in parts and
   * step at the close.
   */
  readonly partLength?: number;
}

/**
 * The math of one parameter-server shard, without sockets: a contiguous parameter
 * slice, its SGD state and the version counter. Gradients of the open step are
 * collected per rank; {@link closeStep} combines them in ascending rank order,
 * weighted by sample counts (g = Σ_r n_r g_r / Σ_r n_r in float64), and applies one
 * optimizer step — so a run is reproducible whatever order pushes arrive in. An
 * elementwise recipe (SGD and its schedules) lets S shards stepping their slices equal
 * one shard stepping all; the others need one shard (see {@link shardOptimizerFor}).
 *
 * The optimizer is the one the run names (`optimizerFromSpec`: SGD with heavy
 * ball, weight decay, warm-up and a schedule, LARS, clipping), stepped through its
 * in-place form over one owned update buffer ({@link applyChain}), its state
 * owned and updated in place. Where a fused kernel is registered for the recipe
 * (`fusedKernelFor`: plain SGD, which `npm run bench -- optim` measures against the
 * chain), the combine and the step run fused in one pass per worker instead,
 * bit-identical to the chain (tested in the optimizers' property table), and part by
 * part as pushes arrive ({@link stepReadyParts}). Each step writes its parameters into one new
 * array (the previous one may still be on the wire: ZeroMQ sends large frames
 * without copying) — or, with `reuseParams`, into the buffer of the version before
 * the current one, which saves the page faults and the GC of a fresh array per step
 * (~3 ms a step at 1M parameters, ~30 ms at 10M on these machines).
 */
export class ParameterShard {
  private paramsValue: Float32Array;
  private state: OptimizerState;
  private versionValue: number;
  /** The run's optimizer in its in-place form. */
  private readonly optimizer: InPlaceTransformation<OptimizerState>;
  /** The fused kernel registered for the recipe, if any (then used instead of the chain). */
  private readonly fused: SgdInPlace | undefined;
  /** The chain's owned update buffer and the combine's float64 sum (allocated once). */
  private updates: Float32Array | undefined;
  private combineSum: Float64Array | undefined;
  private readonly pushes = new Map<number, PendingPush>();
  private readonly ema;
  private emaState: NoiseScaleEmaState;
  private readonly reuseParams: boolean;
  /** With `reuseParams`: the buffer of the version before the current one (written by the next step). */
  private spare: Float32Array | undefined;
  private readonly partLengthValue: number;
  /** The open step's output so far: keys [0, stepped) of θ_{k+1} and of the next velocity. */
  private staged: { out: Float32Array; velocity: Float32Array | undefined; partSq: number[]; bigSq: number } | undefined;
  private steppedValue = 0;
  /** The velocity buffer the step before the last one used (the next step stages into it). */
  private spareVelocity: Float32Array | undefined;
  /** Receive buffers of pushes that arrive in parts, by share index, reused every step. */
  private readonly receive = new Map<number, Float32Array>();
  /** The fused kernel's WebAssembly arena, where the shard's vectors live (see `wasmKernel`). */
  private readonly arena: SgdArena | undefined;
  /** A buffer a whole push or a first part is read into before it is accepted (see {@link landing}). */
  private landingBuffer: Float32Array | undefined;

  constructor(options: ParameterShardOptions) {
    this.reuseParams = options.reuseParams === true;
    const { hyper } = options;
    this.optimizer = shardOptimizer(hyper, options.layers);
    const spec = optimizerSpec(hyper, options.layers);
    // Only reused buffers can live in the arena: it never frees, and without reuse every step publishes a new θ.
    const arena =
      this.reuseParams && options.fusedKernel !== false && options.wasmKernel !== false && fusedKernelFor(spec) !== undefined ? SgdArena.create() : undefined;
    this.arena = arena;
    this.fused = options.fusedKernel === false ? undefined : fusedKernelFor(spec, { arena });
    // Reused buffers are our own: the caller's array is never written.
    this.paramsValue = this.reuseParams ? this.copyOf(options.params) : options.params;
    // The state's vectors are updated in place: own a copy, so the caller's state is never modified.
    this.state = options.optimizerState === undefined ? this.optimizer.init(options.params) : cloneOptimizerState(options.optimizerState);
    const velocity = (this.state as SgdState)[2] as { velocity?: unknown } | undefined;
    if (arena !== undefined && this.fused !== undefined && velocity?.velocity instanceof Float32Array) {
      const s = this.state as SgdState;
      this.state = [s[0], s[1], { velocity: this.copyOf(velocity.velocity) }] as SgdState;
    }
    this.versionValue = options.version ?? 0;
    this.ema = noiseScaleEma({ decay: options.noiseEmaDecay ?? 0.95 });
    this.emaState = options.noiseEmaState ?? this.ema.init();
    const part = options.partLength ?? 0;
    if (!Number.isInteger(part) || part < 0) throw new RangeError(`ParameterShard: partLength must be an integer >= 0, got ${part}`);
    this.partLengthValue = part === 0 ? Math.max(1, this.paramsValue.length) : part;
  }

  /** Elements per part (the whole slice when parts are off). */
  get partLength(): number {
    return this.partLengthValue;
  }

  /** Keys [0, stepped) of the open step are combined and stepped (0 when it has not started). */
  get stepped(): number {
    return this.steppedValue;
  }

  /**
   * θ_{k+1} over the stepped keys [start, end) of the open step (a view of the staged
   * buffer, which becomes {@link params} at the close).
   */
  stagedParams(r: PartRange): Float32Array {
    if (this.staged === undefined || r.end > this.steppedValue)
      throw new RangeError(`ParameterShard.stagedParams: keys [${r.start}, ${r.end}) are not stepped yet (${this.steppedValue})`);
    return this.staged.out.subarray(r.start, r.end);
  }

  /**
   * The current parameter slice. Without `reuseParams`: a new array after every
   * step, never mutated in place, so a frame viewing it stays valid while it is sent
   * (and after). With it: valid until the second {@link closeStep} from now, which
   * writes the next-but-one version into it.
   */
  get params(): Float32Array {
    return this.paramsValue;
  }

  /** Steps applied so far; the open step is `version`. */
  get version(): number {
    return this.versionValue;
  }

  /** Whether the run's optimizer may be applied part by part (see `InPlaceTransformation`). */
  get elementwise(): boolean {
    return this.optimizer.elementwise;
  }

  /**
   * Optimizer state (plain data in the recipe's layout, for checkpoints). Its
   * vectors may be updated in place by the next {@link closeStep} (or, stepped in
   * parts, reused by the one after): encode it (`encodeOptimizerState`) before then
   * rather than keeping it.
   */
  get optimizerState(): OptimizerState {
    return this.state;
  }

  /** Noise-scale EMA state (for checkpoints and snapshots). */
  get noiseEma(): NoiseScaleEmaState {
    return this.emaState;
  }

  /** Ranks that pushed for the open step. */
  pushedRanks(): number[] {
    return [...this.pushes.keys()].sort((a, b) => a - b);
  }

  /** The push of `rank` for the open step, if any. */
  pushOf(rank: number): PendingPush | undefined {
    return this.pushes.get(rank);
  }

  /**
   * Records a rank's gradient for the open step (the caller has validated it).
   *
   * @param push rank, samples, loss and gradient slice.
   * @returns false when that rank already pushed for this step (the first push is kept).
   */
  addPush(push: PendingPush): boolean {
    if (push.grad.length !== this.paramsValue.length) {
      throw new RangeError(`ParameterShard.addPush: gradient of rank ${push.rank} has ${push.grad.length} values, the shard holds ${this.paramsValue.length}`);
    }
    if (this.pushes.has(push.rank)) return false;
    const landing = this.landingBuffer;
    if (landing !== undefined && push.grad.buffer === landing.buffer && push.grad.byteOffset === landing.byteOffset) {
      // Read into the landing buffer: it becomes this rank's receive buffer, and that one the next landing buffer (no copy).
      this.landingBuffer = this.receive.get(push.rank);
      this.receive.set(push.rank, landing);
    } else if (this.arena !== undefined && !this.arena.holds(push.grad)) {
      // Into the arena, where the SIMD pass can read it (a memcpy, against a pass that takes half the time).
      const buf = this.receiveBuffer(push.rank);
      buf.set(push.grad);
      this.pushes.set(push.rank, { ...push, grad: buf });
      return true;
    }
    this.pushes.set(push.rank, push);
    return true;
  }

  /**
   * A buffer of the slice's length to read a whole push or the first part of a push
   * in parts into before it is checked and accepted: a push given to {@link addPush}
   * in it is adopted without a copy. In the arena when the shard has one; reused.
   */
  landing(): Float32Array {
    this.landingBuffer ??= this.allocate(this.paramsValue.length);
    return this.landingBuffer;
  }

  /**
   * Keys [start, start + length) of the receive buffer of a push open in parts, to read
   * its next part into (then {@link addPart} copies nothing); undefined when no push
   * in parts is open for `rank` or the keys do not continue it.
   */
  partSlot(rank: number, r: { start: number; length: number }): Float32Array | undefined {
    const p = this.pushes.get(rank);
    if (p?.received === undefined || r.start !== p.received || r.start + r.length > p.grad.length) return undefined;
    return p.grad.subarray(r.start, r.start + r.length);
  }

  /** Whether the shard's vectors live in a WebAssembly arena (then pushes are best read into {@link landing}). */
  get steppedInArena(): boolean {
    return this.arena !== undefined;
  }

  /** Index of the first NaN or ±Infinity in `values`, or -1 (in the arena's SIMD scan when `values` live there). */
  firstNonFinite(values: Float32Array): number {
    return this.arena?.holds(values) === true ? this.arena.firstNonFinite(values) : firstNonFinite(values);
  }

  private receiveBuffer(rank: number): Float32Array {
    let buf = this.receive.get(rank);
    if (buf === undefined) {
      buf = this.allocate(this.paramsValue.length);
      this.receive.set(rank, buf);
    }
    return buf;
  }

  /**
   * A zeroed vector: in the arena when the shard has one (kept for the shard's life),
   * else — or when the arena cannot grow — a plain array (steps touching it take the JS loops).
   */
  private allocate(n: number): Float32Array {
    if (this.arena !== undefined) {
      try {
        return this.arena.float32(n);
      } catch {
        // Out of WebAssembly memory: same bits from the JS loops.
      }
    }
    return new Float32Array(n);
  }

  private copyOf(a: Float32Array): Float32Array {
    if (this.arena === undefined) return a.slice();
    const out = this.allocate(a.length);
    out.set(a);
    return out;
  }

  /**
   * Opens a push that arrives in parts: its gradient is assembled in a receive
   * buffer of this shard's (one per share index, reused every step, so no
   * payload-sized allocation per step) by {@link addPart}.
   *
   * @returns false when that rank already pushed for this step.
   */
  beginPush(push: Omit<PendingPush, 'grad' | 'received'>): boolean {
    if (this.pushes.has(push.rank)) return false;
    this.pushes.set(push.rank, { ...push, grad: this.receiveBuffer(push.rank), received: 0 });
    return true;
  }

  /**
   * Appends the next keys of a push begun with {@link beginPush} (copied: the frame
   * may be reused by the transport).
   *
   * @throws RangeError when `values` do not start at the keys received so far or overrun the slice.
   */
  addPart(rank: number, part: { start: number; values: Float32Array }): void {
    const p = this.pushes.get(rank);
    const received = p?.received;
    if (p === undefined || received === undefined) throw new RangeError(`ParameterShard.addPart: rank ${rank} has no push in parts open`);
    const end = part.start + part.values.length;
    if (part.start !== received || end > p.grad.length) {
      throw new RangeError(`ParameterShard.addPart: part [${part.start}, ${end}) of rank ${rank} does not continue [0, ${received}) of ${p.grad.length} keys`);
    }
    // A part read into its slot (partSlot) is in place already.
    if (part.values.buffer !== p.grad.buffer || part.values.byteOffset !== p.grad.byteOffset + 4 * part.start) p.grad.set(part.values, part.start);
    this.pushes.set(rank, { ...p, received: end });
  }

  /** Forgets a rank's push of the open step (a worker declared dead before the close); the staged parts are discarded. */
  dropPush(rank: number): void {
    this.pushes.delete(rank);
    // θ and the velocity are untouched until the close: dropping the staged parts is enough.
    this.steppedValue = 0;
    this.staged = undefined;
  }

  /**
   * Combines and steps every part whose keys all pushes hold, in key order, into
   * the staged buffers (θ and the velocity change only at {@link closeStep}). Call
   * it only once the step's pushes are all known (the barrier is complete). Only the
   * fused SGD kernel steps early (its staging knows sgd's state); a chain recipe steps
   * at {@link closeStep}, so this returns nothing for it.
   *
   * @returns the ranges stepped by this call.
   */
  stepReadyParts(): PartRange[] {
    if (this.fused === undefined) return [];
    const n = this.paramsValue.length;
    const ready = this.readyUpTo();
    const done: PartRange[] = [];
    while (this.steppedValue < n) {
      const start = this.steppedValue;
      const end = Math.min(n, start + this.partLengthValue);
      if (end > ready) break;
      this.stepFusedPart({ start, end });
      this.steppedValue = end;
      done.push({ start, end });
    }
    return done;
  }

  /** Whether every push of the open step holds all its keys (nothing is still arriving in parts). */
  allReceived(): boolean {
    return this.readyUpTo() >= this.paramsValue.length;
  }

  /** The keys every push with samples holds: min over pushes of `received`. */
  private readyUpTo(): number {
    let ready = this.paramsValue.length;
    for (const p of this.pushes.values()) if (p.samples > 0 && p.received !== undefined) ready = Math.min(ready, p.received);
    return ready;
  }

  /**
   * The fused kernel's step: keys [start, end) of the open step, combined in
   * ascending rank order and stepped into the staged buffers. SGD is element-wise,
   * so stepping a slice part by part is bit-identical to one whole pass.
   */
  private stepFusedPart(r: PartRange, how: { velocityInPlace: boolean } = { velocityInPlace: false }): void {
    const { start, end } = r;
    const weighted = this.weightedPushes();
    if (weighted.length === 0) throw new RangeError(`ParameterShard.closeStep: step ${this.versionValue} has no samples`);
    this.staged ??= this.stageBuffers(weighted.length, how.velocityInPlace);
    const st = this.staged;
    let state = this.state as SgdState;
    const velocity = (state[2] as { velocity?: unknown }).velocity;
    let velocityIn: Float32Array | undefined;
    if (!how.velocityInPlace && velocity instanceof Float32Array && st.velocity !== undefined) {
      // Stage the velocity: the step reads v_k from the current one and writes v_{k+1} into the staged one.
      velocityIn = velocity.subarray(start, end);
      state = [state[0], state[1], { velocity: st.velocity.subarray(start, end) }] as SgdState;
    }
    // Only called with the fused kernel, whose state is sgd's (see stepReadyParts).
    const step = (this.fused as SgdInPlace).step({
      grads: weighted.map((p) => ({ weight: p.samples, values: p.grad.subarray(start, end) })),
      params: this.paramsValue.subarray(start, end),
      out: st.out.subarray(start, end),
      state,
      velocityIn,
    });
    step.partSqNorms.forEach((sq, i) => (st.partSq[i] += sq));
    st.bigSq += step.sqNorm;
  }

  private stageBuffers(parts: number, velocityInPlace = false): NonNullable<ParameterShard['staged']> {
    const n = this.paramsValue.length;
    const velocity = ((this.state as SgdState)[2] as { velocity?: unknown }).velocity;
    let v: Float32Array | undefined;
    if (velocity instanceof Float32Array && !velocityInPlace) {
      v = this.spareVelocity?.length === n && this.spareVelocity !== velocity ? this.spareVelocity : this.allocate(n);
      // Kept at once (nothing outside the shard views a staged velocity): a dropped step's buffer is reused, not leaked from the arena.
      this.spareVelocity = v;
    }
    return { out: this.spare ?? this.allocate(n), velocity: v, partSq: new Array<number>(parts).fill(0), bigSq: 0 };
  }

  private weightedPushes(): PendingPush[] {
    const out: PendingPush[] = [];
    for (const r of this.pushedRanks()) {
      const p = this.pushes.get(r);
      if (p !== undefined && p.samples > 0) out.push(p);
    }
    return out;
  }

  /**
   * Combines the collected gradients in ascending rank order, weighted by sample
   * counts, and applies one optimizer step.
   *
   * @throws RangeError when no gradient with samples was pushed.
   */
  closeStep(): ClosedStep {
    const ranks = this.pushedRanks();
    let total = 0;
    for (const r of ranks) total += this.pushes.get(r)?.samples ?? 0;
    if (total <= 0) throw new RangeError(`ParameterShard.closeStep: step ${this.versionValue} has no samples (pushes from ranks [${ranks.join(', ')}])`);
    if (this.readyUpTo() < this.paramsValue.length)
      throw new RangeError(`ParameterShard.closeStep: step ${this.versionValue} has pushes still arriving in parts`);
    const weighted = this.weightedPushes();
    let lossSum = 0;
    for (const p of weighted) lossSum += p.samples * p.loss;
    if (this.fused === undefined) return this.closeChainStep(weighted, { total, loss: lossSum / total });
    // The parts not stepped yet (all of them without parts), into the staged buffers:
    // a new array per step or the spare one (see `params`); the combine, the SGD step
    // and the squared norms of the noise-scale estimate come out of one pass per worker.
    // Nothing staged yet (one part, or every push arrived whole): the close is atomic,
    // so the velocity is stepped in place, as a single pass with no copy.
    const atOnce = this.steppedValue === 0;
    if (atOnce) this.stepFusedPart({ start: 0, end: this.paramsValue.length }, { velocityInPlace: true });
    else this.stepReadyParts();
    const st = this.staged ?? this.stageBuffers(weighted.length);
    if (this.reuseParams) this.spare = this.paramsValue;
    this.paramsValue = st.out;
    const sgdState = this.state as SgdState;
    const oldVelocity = (sgdState[2] as { velocity?: unknown }).velocity;
    const count = sgdState[1].count;
    const staged = !atOnce && st.velocity !== undefined;
    this.state = [sgdState[0], { ...sgdState[1], count: count + 1 }, staged ? { velocity: st.velocity } : sgdState[2]] as SgdState;
    if (staged && oldVelocity instanceof Float32Array) this.spareVelocity = oldVelocity;
    this.staged = undefined;
    this.steppedValue = 0;
    this.versionValue++;
    this.pushes.clear();
    const sqNorms = weighted.map((p, i) => ({ samples: p.samples, sq: st.partSq[i] }));
    const noise = this.updateNoiseScale(sqNorms, { total, bigSq: st.bigSq });
    return { version: this.versionValue, loss: lossSum / total, noise };
  }

  /** {@link closeStep} for a recipe without a fused kernel: the whole vector, through the chain. */
  private closeChainStep(weighted: readonly PendingPush[], at: { total: number; loss: number }): ClosedStep {
    // A new array per step, or the spare buffer (see `params`).
    const out = this.spare ?? new Float32Array(this.paramsValue.length);
    const step = this.chainStep(
      weighted.map((p) => ({ weight: p.samples, values: p.grad })),
      { total: at.total, out },
    );
    if (this.reuseParams) this.spare = this.paramsValue;
    this.paramsValue = out;
    this.versionValue++;
    this.pushes.clear();
    const sqNorms = weighted.map((p, i) => ({ samples: p.samples, sq: step.partSqNorms[i] }));
    const noise = this.updateNoiseScale(sqNorms, { total: at.total, bigSq: step.sqNorm });
    return { version: this.versionValue, loss: at.loss, noise };
  }

  /**
   * The combine (g = Σ_r w_r g_r / Σ_r w_r in float64, in rank order, rounded once)
   * into the owned update buffer, then the in-place chain over the whole vector.
   */
  private chainStep(parts: readonly WeightedGradient[], io: { total: number; out: Float32Array }): { partSqNorms: readonly number[]; sqNorm: number } {
    const n = this.paramsValue.length;
    if (this.updates?.length !== n) this.updates = new Float32Array(n);
    const u = this.updates;
    const partSqNorms: number[] = [];
    const last = parts.length - 1;
    // Every part but the last into the float64 sum (one loop each, no branch inside).
    if (last > 0 && this.combineSum?.length !== n) this.combineSum = new Float64Array(n);
    const sum = this.combineSum as Float64Array;
    for (let r = 0; r < last; r++) {
      const { values: g, weight: w } = parts[r];
      let sq = 0;
      if (r === 0) {
        for (let i = 0; i < n; i++) {
          sum[i] = 0 + w * g[i];
          sq += g[i] * g[i];
        }
      } else {
        for (let i = 0; i < n; i++) {
          sum[i] += w * g[i];
          sq += g[i] * g[i];
        }
      }
      partSqNorms.push(sq);
    }
    // The last part finishes the mean, rounded once to float32, into the update buffer.
    const { values: g, weight: w } = parts[last];
    const total = io.total;
    let sq = 0;
    let sqNorm = 0;
    if (last === 0) {
      for (let i = 0; i < n; i++) {
        const c = Math.fround((0 + w * g[i]) / total);
        u[i] = c;
        sq += g[i] * g[i];
        sqNorm += c * c;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const c = Math.fround((sum[i] + w * g[i]) / total);
        u[i] = c;
        sq += g[i] * g[i];
        sqNorm += c * c;
      }
    }
    partSqNorms.push(sq);
    this.applyChain(u, { out: io.out, start: 0, end: n });
    this.state = this.optimizer.advance(this.state);
    return { partSqNorms, sqNorm };
  }

  /**
   * The one place the PS calls the chain: transforms the combined gradient
   * u[start, end) in place and writes θ + u there into `out`. An elementwise recipe
   * may be applied part by part (then the state is advanced once after the last
   * part); any other only over [0, n).
   */
  private applyChain(combined: Float32Array, at: { out: Float32Array; start: number; end: number }): void {
    this.optimizer.updateInPlace(combined, this.state, { params: this.paramsValue, start: at.start, end: at.end });
    applyUpdatesInPlace(this.paramsValue, combined, at);
  }

  // McCandlish et al.'s two-batch estimate with each worker's gradient as the small
  // batch and the combined one as the big batch, averaged over workers. Both |G|² and
  // tr Σ are sums over coordinates, so the shards' parts add up to the full estimate.
  private updateNoiseScale(small: readonly { samples: number; sq: number }[], big: { total: number; bigSq: number }): ClosedStep['noise'] {
    const usable = small.filter((s) => s.samples < big.total);
    if (usable.length === 0) return null;
    let gradSqNorm = 0;
    let traceSigma = 0;
    for (const s of usable) {
      const e = noiseScaleFromTwoBatches({ bSmall: s.samples, gSmallSqNorm: s.sq, bBig: big.total, gBigSqNorm: big.bigSq });
      gradSqNorm += e.gradSqNorm / usable.length;
      traceSigma += e.traceSigma / usable.length;
    }
    this.emaState = this.ema.update(this.emaState, { gradSqNorm, traceSigma });
    return { gradSqNorm, traceSigma };
  }
}

/** The spec of a shard's optimizer: the run's fields over OPTIMIZER_DEFAULTS. */
function optimizerSpec(hyper: ParameterShardOptions['hyper'], layers: readonly LayerSlice[] | undefined): OptimizerSpec {
  // steps 0 when absent: only the cosine schedule reads it, and it refuses 0.
  return { ...OPTIMIZER_DEFAULTS, steps: 0, ...hyper, layers };
}

/**
 * The optimizer of a shard of a run split into `shards` key ranges, refusing a recipe
 * that reduces over the whole vector (clipping's global norm, LARS's per-layer trust
 * ratios) when there is more than one shard: each shard sees only its range, and a
 * shard-local norm would silently be another optimizer.
 *
 * @param hyper the run's optimizer fields.
 * @param layout the shard count and, with one shard, the model's layers.
 * @throws Error naming the flags to change.
 */
export function shardOptimizerFor(
  hyper: ParameterShardOptions['hyper'],
  layout: { readonly shards: number; readonly layers?: readonly LayerSlice[] },
): InPlaceTransformation<OptimizerState> {
  const optimizer = shardOptimizer(hyper, layout.layers ?? []);
  if (!optimizer.elementwise && layout.shards > 1) {
    const clip = (hyper.clipNorm ?? 0) > 0 ? ` with --clip-norm ${hyper.clipNorm}` : '';
    throw new Error(
      `--optimizer ${hyper.optimizer ?? OPTIMIZER_DEFAULTS.optimizer}${clip} reduces over the whole parameter vector (global norm, per-layer trust ratios), which spans shards; run it with --shards 1 (got --shards ${layout.shards})`,
    );
  }
  return optimizer;
}

/**
 * The in-place optimizer a shard steps with (also the template a checkpoint's
 * optimizer state is decoded against).
 *
 * @param hyper the run's optimizer fields, as for {@link ParameterShardOptions}.
 * @param layers the model's layers within this shard's key range (for LARS).
 * @throws RangeError for an unknown optimizer or schedule name (optimizerFromSpec's message).
 */
export function shardOptimizer(hyper: ParameterShardOptions['hyper'], layers?: readonly LayerSlice[]): InPlaceTransformation<OptimizerState> {
  const optimizer = inPlaceOf(optimizerFromSpec(optimizerSpec(hyper, layers)));
  // Every recipe optimizerFromSpec builds has one; this guards a future foreign member.
  if (optimizer === undefined) throw new TypeError('ParameterShard: the optimizer has no in-place form');
  return optimizer;
}
