import {
  applyUpdatesInPlace,
  cloneOptimizerState,
  fusedKernelFor,
  inPlaceOf,
  optimizerFromSpec,
  type InPlaceTransformation,
  OPTIMIZER_DEFAULTS,
  type LayerSlice,
  type OptimizerSpec,
  type OptimizerState,
  type SgdInPlace,
  type WeightedGradient,
} from '@lnsgd/optim';
// The tfjs-free entry point: the package index loads TensorFlow.js.
import { noiseScaleFromTwoBatches } from '@lnsgd/sharpness/noise-scale';
import { noiseScaleEma, type NoiseScaleEmaState } from '@lnsgd/sharpness/noise-scale-ema';

/** One worker's push for the open step, kept until the step closes. */
export interface PendingPush {
  readonly rank: number;
  readonly samples: number;
  readonly loss: number;
  /** Mean gradient over the worker's samples, restricted to this shard's keys (may view a ZeroMQ frame). */
  readonly grad: Float32Array;
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
  /**
   * Use the fused kernel registered for the recipe, if any (default true); false runs
   * the in-place chain (the bench and the tests compare the two).
   */
  readonly fusedKernel?: boolean;
  /** Initial (or resumed) parameter slice. */
  readonly params: Float32Array;
  /**
   * The run's optimizer fields (its `hyper`): η, β, wd, warm-up, and optionally the
   * recipe, schedule (with the run's steps), clipping and τ (absent: OPTIMIZER_DEFAULTS).
   */
  readonly hyper: Pick<OptimizerSpec, 'lr' | 'momentum' | 'weightDecay' | 'warmupSteps'> & Partial<Omit<OptimizerSpec, 'layers'>>;
  /** The model's weight tensors as slices of this shard's key range (LARS's layers). */
  readonly layers?: readonly LayerSlice[];
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
 * in-place form over one owned update buffer ({@link applyStepPart}), its state
 * owned and updated in place. Where a fused kernel is registered for the recipe
 * (`fusedKernelFor`: plain SGD, which `npm run bench -- optim` measures against the chain), the combine and
 * the step run fused in one pass per worker instead, bit-identical to the chain
 * (tested in the optimizers' property table). Each step writes its parameters into one new
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

  constructor(options: ParameterShardOptions) {
    this.reuseParams = options.reuseParams === true;
    // Reused buffers are our own: the caller's array is never written.
    this.paramsValue = this.reuseParams ? options.params.slice() : options.params;
    const { hyper } = options;
    this.optimizer = shardOptimizer(hyper, options.layers);
    this.fused = options.fusedKernel === false ? undefined : fusedKernelFor(optimizerSpec(hyper, options.layers));
    // The state's vectors are updated in place: own a copy, so the caller's state is never modified.
    this.state = options.optimizerState === undefined ? this.optimizer.init(options.params) : cloneOptimizerState(options.optimizerState);
    this.versionValue = options.version ?? 0;
    this.ema = noiseScaleEma({ decay: options.noiseEmaDecay ?? 0.95 });
    this.emaState = options.noiseEmaState ?? this.ema.init();
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
   * vectors are updated in place by the next {@link closeStep}: encode it
   * (`encodeOptimizerState`) before then rather than keeping it.
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
    this.pushes.set(push.rank, push);
    return true;
  }

  /** Forgets a rank's push of the open step (a worker declared dead before the close). */
  dropPush(rank: number): void {
    this.pushes.delete(rank);
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
    let lossSum = 0;
    const parts: WeightedGradient[] = [];
    for (const r of ranks) {
      const p = this.pushes.get(r);
      if (p === undefined || p.samples === 0) continue;
      parts.push({ weight: p.samples, values: p.grad });
      lossSum += p.samples * p.loss;
    }
    // A new array per step, or the spare buffer (see `params`); the combine, the SGD
    // step and the squared norms of the noise-scale estimate all come out of one pass
    // per worker.
    const out = this.spare ?? new Float32Array(this.paramsValue.length);
    const step = this.fused !== undefined ? this.fusedStep(parts, out) : this.chainStep(parts, { total, out });
    if (this.reuseParams) this.spare = this.paramsValue;
    this.paramsValue = out;
    this.versionValue++;
    this.pushes.clear();
    const sqNorms = parts.map((p, i) => ({ samples: p.weight, sq: step.partSqNorms[i] }));
    const noise = this.updateNoiseScale(sqNorms, { total, bigSq: step.sqNorm });
    return { version: this.versionValue, loss: lossSum / total, noise };
  }

  private fusedStep(parts: readonly WeightedGradient[], out: Float32Array): { partSqNorms: readonly number[]; sqNorm: number } {
    const fused = this.fused as SgdInPlace;
    // The registered kernel only exists for sgd's recipe, whose state it takes.
    const step = fused.step({ grads: parts, params: this.paramsValue, out, state: this.state as Parameters<SgdInPlace['step']>[0]['state'] });
    this.state = step.state;
    return step;
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
    this.applyStepPart(u, { out: io.out, start: 0, end: n });
    this.state = this.optimizer.advance(this.state);
    return { partSqNorms, sqNorm };
  }

  /**
   * The one place the PS calls the optimizer: transforms the combined gradient
   * u[start, end) in place and writes θ + u there into `out`. An elementwise recipe
   * may be applied part by part (then the state is advanced once after the last
   * part); any other only over [0, n).
   */
  private applyStepPart(combined: Float32Array, at: { out: Float32Array; start: number; end: number }): void {
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
