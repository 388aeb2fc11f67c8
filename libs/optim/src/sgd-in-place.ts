import { withWarmup } from './internal/warmup';
import { sgd, type SgdOptions, type SgdState } from './sgd';
import type { HeavyBallState } from './heavy-ball';
import type { SgdArena } from './wasm/sgd_arena';

/** One worker's gradient and its weight (e.g. its sample count) in a weighted mean. */
export interface WeightedGradient {
  /** w_r > 0, finite. */
  readonly weight: number;
  readonly values: Float32Array;
}

/** The arguments of {@link SgdInPlace.step}. */
export interface SgdInPlaceStepArgs {
  /**
   * g_k: either the gradient itself, or weighted parts whose mean
   * g = (Σ_r w_r g_r) / (Σ_r w_r), summed in float64 in the given order, is used
   * (each g_i rounded to float32 once, as a parameter server combining workers does).
   */
  readonly grads: Float32Array | readonly WeightedGradient[];
  /** θ_k (only read; may be `out`). */
  readonly params: Float32Array;
  /** Receives θ_{k+1}; may be `params` itself. Must not alias a gradient or the velocity. */
  readonly out: Float32Array;
  /** The state of step k; its velocity vector (momentum > 0) is overwritten in place. */
  readonly state: SgdState;
  /**
   * Read v_k from here instead of the state's velocity, which then only receives
   * v_{k+1} (no copy of v_k into it first: a shard stages the next velocity this way).
   * Same length; may be the state's velocity itself.
   */
  readonly velocityIn?: Float32Array;
}

/** What {@link SgdInPlace.step} returns. */
export interface SgdInPlaceStepResult {
  /** The state of step k + 1; it shares the (updated) velocity vector of the state passed in. */
  readonly state: SgdState;
  /** Σ_i g_{r,i}² of each weighted part, in float64 (empty for a plain gradient). */
  readonly partSqNorms: readonly number[];
  /** Σ_i g_i² of the gradient used (the mean, as rounded to float32), in float64. */
  readonly sqNorm: number;
}

/** An in-place, single-pass form of {@link sgd}: see {@link sgdInPlace}. */
export interface SgdInPlace {
  /**
   * The WebAssembly arena the kernel was given, if any: a step whose vectors all
   * live in it runs the SIMD pass (sgd_wat.ts), any other step the JS loops.
   */
  readonly arena: SgdArena | undefined;
  /** The state before the first step: the same layout and values as `sgd(opts).init`. */
  init(params: Float32Array): SgdState;
  /**
   * One step, bit-identical to `const [u, s] = sgd(opts).update(g, state, θ); θ = applyUpdates(θ, u)`
   * (and, for weighted parts, to forming g in float64 first), but in one pass over
   * the vectors and without allocating a parameter-sized array. Everything is
   * checked before anything is written, so a throw leaves `out` and `state` untouched.
   *
   * @param args gradients, θ_k, the output array and the state.
   * @throws RangeError on mismatched lengths, a bad state or weight, or a non-finite η_k.
   */
  step(args: SgdInPlaceStepArgs): SgdInPlaceStepResult;
}

/**
 * {@link sgd} as a fused in-place kernel, for hot loops such as a parameter-server
 * shard: with g_k the gradient (optionally the weighted mean of several workers'),
 *   u = −η_k (g_k + wd·θ_k),  v_k = u + β v_{k−1},  θ_{k+1} = θ_k + v_k,
 * each intermediate rounded to float32 exactly where `sgd`'s chain stores it, so the
 * results are bit-identical to the generic chain followed by `applyUpdates`. The
 * state is `sgd`'s, so `encodeOptimizerState`/`decodeOptimizerState` checkpoints are
 * interchangeable between the two; unlike `sgd`'s `update`, `step` overwrites the
 * velocity vector of the state it is given.
 *
 * With an `arena` (`SgdArena.create()`), steps whose vectors (gradients, θ, out,
 * velocity) all view the arena run the same pass in WebAssembly SIMD, two float64
 * lanes at a time with the same roundings (bit-identical; tested against the JS
 * loops); the float64 scratch of a multi-worker combine is then taken from it too.
 *
 * @param opts η (or schedule), β, wd, warm-up — as for {@link sgd}.
 * @param kernel optionally, the arena whose vectors get the SIMD pass.
 * @example
 * const opt = sgdInPlace({ learningRate: 0.1, momentum: 0.9 });
 * let state = opt.init(theta);
 * state = opt.step({ grads: g, params: theta, out: theta, state }).state;
 */
export function sgdInPlace(opts: SgdOptions, kernel: { readonly arena?: SgdArena } = {}): SgdInPlace {
  const { arena } = kernel;
  const fn = 'sgdInPlace';
  // The generic recipe validates the options with sgd's messages and provides init.
  const generic = sgd(opts);
  const { momentum: beta = 0, weightDecay: wd = 0, warmupSteps = 0 } = opts;
  // The same schedule object sgd builds (named 'sgd' so its errors read the same).
  const schedule = withWarmup('sgd', { learningRate: opts.learningRate, warmupSteps });
  let scratch: Float64Array | undefined;

  const step = (args: SgdInPlaceStepArgs): SgdInPlaceStepResult => {
    const { grads, params, out, state } = args;
    const n = params.length;
    if (out.length !== n) throw new RangeError(`${fn}: out.length (${out.length}) must equal params.length (${n})`);
    const { count, velocity } = checkState(fn, state, { n, momentum: beta > 0 });
    const vin = args.velocityIn ?? velocity;
    if (vin !== undefined && vin.length !== n) throw new RangeError(`${fn}: velocityIn.length (${vin.length}) must equal params.length (${n})`);
    const eta = schedule(count);
    if (!Number.isFinite(eta)) throw new RangeError(`scaleByLearningRate: the schedule gave ${eta} at step ${count}`);
    const parts = grads instanceof Float32Array ? undefined : grads;
    let total = 0;
    if (parts === undefined) {
      if (grads.length !== n) throw new RangeError(`${fn}: grads.length (${grads.length}) must equal params.length (${n})`);
    } else {
      if (parts.length === 0) throw new RangeError(`${fn}: grads has no parts`);
      parts.forEach((p, r) => {
        if (p.values.length !== n) throw new RangeError(`${fn}: grads[${r}].values.length (${p.values.length}) must equal params.length (${n})`);
        if (!(Number.isFinite(p.weight) && p.weight > 0)) throw new RangeError(`${fn}: grads[${r}].weight must be finite and > 0, got ${p.weight}`);
        total += p.weight;
      });
    }
    // Nothing below throws: the state and `out` change only on success.
    const partSqNorms: number[] = [];
    let last: Float32Array;
    let lastWeight = 1;
    let acc: Float64Array | undefined;
    if (parts === undefined) {
      last = grads as Float32Array;
    } else {
      // Every part but the last is summed into float64 scratch; the last one is added
      // in the fused pass below, so one worker costs exactly one pass.
      if (parts.length > 1) {
        // Grown, never shrunk: a shard stepping in parts of two lengths must not
        // reallocate it every part.
        // (From the arena, a grown scratch's old block is not reused: it grows only up to the longest part.)
        if (scratch === undefined || scratch.length < n) scratch = scratchOf(arena, n);
        acc = scratch.length === n ? scratch : scratch.subarray(0, n);
        const inArena = arena !== undefined && arena.holds(acc) && parts.every((p) => arena.holds(p.values));
        for (let r = 0; r < parts.length - 1; r++) {
          const p = parts[r];
          partSqNorms.push(inArena ? arena.accumulate(acc, { g: p.values, w: p.weight, first: r === 0 }) : accumulate(acc, { part: p, first: r === 0 }));
        }
      }
      const p = parts[parts.length - 1];
      last = p.values;
      lastWeight = p.weight;
    }
    // One part with an integer weight w ≤ 2^29: w·g_i is exact in float64 (≤ 29 + 24
    // significant bits), so (0 + w·g_i)/w is exactly g_i + 0 — skip the division.
    const mean = parts === undefined ? 'none' : acc === undefined && Number.isInteger(lastWeight) && lastWeight <= 2 ** 29 ? 'exact' : 'divide';
    const vectors = { g: last, w: lastWeight, acc, total, theta: params, out, velocity, vin };
    let pass: { sqNorm: number; lastSq: number };
    if (arena !== undefined && inArenaAll(arena, vectors)) {
      const m = mean === 'divide' ? (acc === undefined ? 'div' : 'divacc') : 'z';
      pass = arena.pass(m, vectors, { w: lastWeight, total, negEta: -eta, wd, beta, z: mean === 'exact' ? 0 : -0 });
    } else {
      pass = mean === 'divide' ? fusedPass(vectors, { negEta: -eta, wd, beta }) : directPass(vectors, { negEta: -eta, wd, beta, exact: mean === 'exact' });
    }
    if (parts !== undefined) partSqNorms.push(pass.lastSq);
    const next: SgdState = [state[0], { count: count + 1 }, state[2]];
    return { state: next, partSqNorms, sqNorm: pass.sqNorm };
  };

  return { arena, init: (params) => generic.init(params), step };
}

/** n float64 from the arena when there is one and it can grow, else a plain array (then the JS loops run). */
function scratchOf(arena: SgdArena | undefined, n: number): Float64Array {
  if (arena !== undefined) {
    try {
      return arena.float64(n);
    } catch {
      // Out of WebAssembly memory: the JS loops give the same bits.
    }
  }
  return new Float64Array(n);
}

/** Whether every vector of a pass views the arena (the WebAssembly pass can read and write them). */
function inArenaAll(arena: SgdArena, v: PassVectors): boolean {
  const { g, acc, theta, out, velocity, vin } = v;
  return (
    arena.holds(g) &&
    arena.holds(theta) &&
    arena.holds(out) &&
    (acc === undefined || arena.holds(acc)) &&
    (velocity === undefined || arena.holds(velocity)) &&
    (vin === undefined || arena.holds(vin))
  );
}

/** Validates sgd's 3-tuple state and returns the step count and velocity (when β > 0). */
function checkState(fn: string, state: SgdState, want: { n: number; momentum: boolean }): { count: number; velocity: Float32Array | undefined } {
  if (!Array.isArray(state) || state.length !== 3) {
    throw new RangeError(
      `${fn}: state must be sgd's [weight decay, learning rate, momentum] tuple (from init), got ${Array.isArray(state) ? `length ${state.length}` : typeof state}`,
    );
  }
  const { count } = state[1];
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`scaleByLearningRate: state.count must be an integer >= 0, got ${count}`);
  if (!want.momentum) return { count, velocity: undefined };
  const velocity = (state[2] as HeavyBallState).velocity as Float32Array | undefined;
  if (!(velocity instanceof Float32Array) || velocity.length !== want.n) {
    throw new RangeError(
      `${fn}: state[2].velocity must be a Float32Array of ${want.n} values, got ${velocity instanceof Float32Array ? `length ${velocity.length}` : typeof velocity}`,
    );
  }
  return { count, velocity };
}

/** acc (+)= w·g in float64 (the first part initialises acc as 0 + w·g); returns Σ g². */
function accumulate(acc: Float64Array, spec: { part: WeightedGradient; first: boolean }): number {
  const g = spec.part.values;
  const w = spec.part.weight;
  let sq = 0;
  if (spec.first) {
    for (let i = 0; i < g.length; i++) {
      const gi = g[i];
      acc[i] = 0 + w * gi;
      sq += gi * gi;
    }
  } else {
    for (let i = 0; i < g.length; i++) {
      const gi = g[i];
      acc[i] += w * gi;
      sq += gi * gi;
    }
  }
  return sq;
}

interface PassVectors {
  /** The plain gradient, or the last weighted part. */
  readonly g: Float32Array;
  readonly w: number;
  /** Float64 sum of the earlier parts (none with one part). */
  readonly acc: Float64Array | undefined;
  readonly total: number;
  readonly theta: Float32Array;
  readonly out: Float32Array;
  readonly velocity: Float32Array | undefined;
  /** Where v_k is read (the velocity itself unless `velocityIn` was given). */
  readonly vin: Float32Array | undefined;
}

interface PassScalars {
  readonly negEta: number;
  readonly wd: number;
  readonly beta: number;
}

/*
 * The one pass. Each line mirrors one stored float32 (f32 = Math.fround) of the generic path:
 *   combine (ParameterShard / caller):  c = f32(((0 | acc_i) + w·g_i) / total)
 *   addDecayedWeights (wd > 0):         u = f32(c + wd·θ_i)
 *   scaleByLearningRate:                u = f32(−η·u)
 *   heavyBall (β > 0):                  v_i = f32(u + β·v_i); u = v_i
 *   applyUpdates:                       θ'_i = f32(θ_i + u)
 * Arithmetic is in double as in the generic members. The branches are loop-invariant.
 * (Math.fround is called directly: through an alias V8 does not inline it, ~2x slower.)
 */
function fusedPass(v: PassVectors, s: PassScalars): { sqNorm: number; lastSq: number } {
  const { g, w, acc, total, theta, out, velocity, vin } = v;
  const { negEta, wd, beta } = s;
  const hasWd = wd > 0;
  const n = theta.length;
  let sqNorm = 0;
  let lastSq = 0;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    lastSq += gi * gi;
    const c = Math.fround(((acc === undefined ? 0 : acc[i]) + w * gi) / total);
    sqNorm += c * c;
    const th = theta[i];
    let u = hasWd ? Math.fround(c + wd * th) : c;
    u = Math.fround(negEta * u);
    if (velocity !== undefined) {
      u = Math.fround(u + beta * (vin as Float32Array)[i]);
      velocity[i] = u;
    }
    out[i] = th + u;
  }
  return { sqNorm, lastSq };
}

/*
 * The same pass when c_i is g_i itself ('none') or g_i + 0 ('exact': one part whose
 * division is exact; + 0 turns -0 into +0 as 0 + w·(-0) does). c = g_i + z with
 * z = -0 or +0 covers both without a branch (x + -0 = x for every x), and Σ c² = Σ g²
 * serves as both sums. One loop per (weight decay, momentum) pair, with no branch
 * inside: ~25% faster than the general loop, which matters at 10M parameters.
 */
function directPass(v: PassVectors, s: PassScalars & { readonly exact: boolean }): { sqNorm: number; lastSq: number } {
  const { g, theta, out, velocity } = v;
  const vin = v.vin as Float32Array;
  const { negEta, wd, beta } = s;
  const z = s.exact ? 0 : -0;
  const n = theta.length;
  let sq = 0;
  if (wd > 0 && velocity !== undefined) {
    for (let i = 0; i < n; i++) {
      const c = g[i] + z;
      sq += c * c;
      const th = theta[i];
      const u = Math.fround(negEta * Math.fround(c + wd * th));
      const vi = Math.fround(u + beta * vin[i]);
      velocity[i] = vi;
      out[i] = th + vi;
    }
  } else if (velocity !== undefined) {
    for (let i = 0; i < n; i++) {
      const c = g[i] + z;
      sq += c * c;
      const vi = Math.fround(Math.fround(negEta * c) + beta * vin[i]);
      velocity[i] = vi;
      out[i] = theta[i] + vi;
    }
  } else if (wd > 0) {
    for (let i = 0; i < n; i++) {
      const c = g[i] + z;
      sq += c * c;
      const th = theta[i];
      out[i] = th + Math.fround(negEta * Math.fround(c + wd * th));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const c = g[i] + z;
      sq += c * c;
      out[i] = theta[i] + Math.fround(negEta * c);
    }
  }
  return { sqNorm: sq, lastSq: sq };
}
