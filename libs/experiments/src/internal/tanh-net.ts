import { CounterRng, RngDomain } from '@lnsgd/random';

/**
 * A scalar-input, scalar-output network with one hidden layer of `hidden` tanh units,
 * f(x) = Σ_h a_h·tanh(w_h·x + b_h) + c, in float64 with a hand-written gradient.
 * θ = [w (H), b (H), a (H), c]. At 301 parameters and 20 samples the host loop is
 * far faster than a tensor backend and float64 keeps finite-difference HVPs exact
 * to ~1e-8, which the edge-of-stability plot (λ_max against 2/η) needs.
 */
export interface TanhNet {
  readonly hidden: number;
  readonly numParams: number;
  /** PyTorch's default init: w, b ~ U(−1, 1) (fan-in 1), a, c ~ U(−1/√H, 1/√H). */
  init(seed: number): Float64Array;
  /** ½·mean((f(x_i) − y_i)²) and its gradient; `grad` is written into `out` when given. */
  lossAndGradient(
    theta: Float64Array,
    data: { readonly x: ArrayLike<number>; readonly y: ArrayLike<number> },
    out?: Float64Array,
  ): { loss: number; grad: Float64Array };
}

/**
 * Creates the network.
 *
 * @param hidden number of tanh units (default 100).
 * @example const net = tanhNet(100); net.lossAndGradient(net.init(0), { x, y })
 */
export function tanhNet(hidden = 100): TanhNet {
  if (!Number.isInteger(hidden) || hidden < 1) throw new RangeError(`tanhNet: hidden must be an integer >= 1, got ${hidden}`);
  const H = hidden;
  const numParams = 3 * H + 1;
  const t = new Float64Array(H);
  return {
    hidden,
    numParams,
    init: (seed: number) => {
      const rng = new CounterRng(seed, RngDomain.MODEL_INIT);
      const theta = new Float64Array(numParams);
      const outScale = 1 / Math.sqrt(H);
      for (let i = 0; i < numParams; i++) {
        const u = 2 * rng.uniform(i) - 1;
        theta[i] = i < 2 * H ? u : u * outScale;
      }
      return theta;
    },
    lossAndGradient: (theta, data, out) => {
      if (theta.length !== numParams) throw new RangeError(`tanhNet.lossAndGradient: theta has length ${theta.length}, expected ${numParams}`);
      const grad = out ?? new Float64Array(numParams);
      grad.fill(0);
      const n = data.x.length;
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const x = data.x[i];
        let f = theta[3 * H];
        for (let h = 0; h < H; h++) {
          t[h] = Math.tanh(theta[h] * x + theta[H + h]);
          f += theta[2 * H + h] * t[h];
        }
        const r = f - data.y[i];
        loss += 0.5 * r * r;
        const g = r / n;
        for (let h = 0; h < H; h++) {
          const back = g * theta[2 * H + h] * (1 - t[h] * t[h]);
          grad[h] += back * x;
          grad[H + h] += back;
          grad[2 * H + h] += g * t[h];
        }
        grad[3 * H] += g;
      }
      return { loss: loss / n, grad };
    },
  };
}
