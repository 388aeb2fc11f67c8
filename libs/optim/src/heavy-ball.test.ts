import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdates } from './apply-updates';
import { chain } from './chain';
import { heavyBall } from './heavy-ball';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { cosineDecay } from './schedules/cosine-decay';
import { sgd } from './sgd';

/** θ ↦ Dθ for a diagonal D. */
const diagGrad = (d: readonly number[]) => (theta: ArrayLike<number>) => Float32Array.from(d, (di, i) => di * theta[i]);

/** Runs an optimizer for `etas.length` steps on the gradient field `grad`. */
function trajectory(
  opt: ReturnType<typeof sgd>,
  run: { theta0: readonly number[]; grad: (t: ArrayLike<number>) => Float32Array; steps: number },
): Float32Array[] {
  let params: Float32Array = Float32Array.from(run.theta0);
  let state = opt.init(params);
  const out = [params];
  for (let k = 0; k < run.steps; k++) {
    const [u, next] = opt.update(run.grad(params), state, params);
    params = applyUpdates(params, u);
    state = next;
    out.push(params);
  }
  return out;
}

/** The paper's recurrence, literally, in float64: θ_{k+1} = θ_k − η_k(g_k + wd θ_k) + β(θ_k − θ_{k−1}). */
function literal(run: {
  theta0: readonly number[];
  grad: (t: ArrayLike<number>) => ArrayLike<number>;
  etas: (k: number) => number;
  beta: number;
  wd?: number;
  steps: number;
}): number[][] {
  const wd = run.wd ?? 0;
  let prev = run.theta0.slice();
  let cur = run.theta0.slice();
  const out = [cur];
  for (let k = 0; k < run.steps; k++) {
    const g = run.grad(cur);
    const next = cur.map((t, i) => t - run.etas(k) * (g[i] + wd * t) + run.beta * (t - prev[i]));
    prev = cur;
    cur = next;
    out.push(cur);
  }
  return out;
}

void describe('heavy-ball SGD', () => {
  // Dyadic data (powers of two everywhere) keep every intermediate exactly
  // representable in float32, so the recurrence can be checked bit for bit.
  const d = [1, 0.5, 0.25];
  const theta0 = [1, -2, 4];
  const etaTable = [0.5, 0.25, 0.125, 0.5, 0.25, 0.125];
  const etas = (k: number) => etaTable[k];
  const steps = etaTable.length;

  void test('follows θ_{k+1} = θ_k − η_k ∇L̂(θ_k) + β(θ_k − θ_{k−1}) exactly, with a varying η_k', () => {
    for (const wd of [0, 0.25]) {
      const want = literal({ theta0, grad: diagGrad(d), etas, beta: 0.5, wd, steps });
      for (const row of want) for (const x of row) assert.equal(Math.fround(x), x, 'test data must stay exact in float32');
      const got = trajectory(sgd({ learningRate: etas, momentum: 0.5, weightDecay: wd }), { theta0, grad: diagGrad(d), steps });
      assert.deepEqual(
        got.map((p) => Array.from(p)),
        want,
      );
    }
  });

  void test('differs from momentum applied before the learning rate (so the test above discriminates)', () => {
    // m_k = g_k + β m_{k−1}; θ_{k+1} = θ_k − η_k m_k (optax trace-then-scale order).
    let theta = theta0.slice();
    let m = [0, 0, 0];
    for (let k = 0; k < steps; k++) {
      const g = diagGrad(d)(theta);
      m = m.map((mi, i) => g[i] + 0.5 * mi);
      theta = theta.map((t, i) => t - etas(k) * m[i]);
    }
    const got = trajectory(sgd({ learningRate: etas, momentum: 0.5 }), { theta0, grad: diagGrad(d), steps });
    assert.notDeepEqual(Array.from(got[steps]), theta);
  });

  void test('agrees with the float64 recurrence on general data to float32 accuracy', () => {
    const dd = [1.7, 0.9, 0.31, 0.05, 1.3];
    const t0 = [0.3, -1.1, 2.7, 0.01, -0.6];
    const schedule = cosineDecay({ init: 0.4, decaySteps: 60, alpha: 0.1 });
    const want = literal({ theta0: t0, grad: diagGrad(dd), etas: schedule, beta: 0.8, steps: 60 });
    const got = trajectory(sgd({ learningRate: schedule, momentum: 0.8 }), { theta0: t0, grad: diagGrad(dd), steps: 60 });
    let worst = 0;
    for (let k = 0; k <= 60; k++) for (let i = 0; i < 5; i++) worst = Math.max(worst, Math.abs(got[k][i] - want[k][i]));
    // Float32 rounding accumulated over 60 steps: measured 7.6e-8; bound 1e-6.
    assert.ok(worst < 1e-6, `max |Δθ| = ${worst}`);
  });

  void test('heavyBall alone: v_k = u_k + β v_{k−1}', () => {
    const hb = heavyBall(0.5);
    let state = hb.init(new Float32Array(2));
    let out: Float32Array;
    [out, state] = hb.update(Float32Array.from([1, 2]), state);
    assert.deepEqual(Array.from(out), [1, 2]);
    [out, state] = hb.update(Float32Array.from([4, -2]), state);
    assert.deepEqual(Array.from(out), [4.5, -1]);
    assert.deepEqual(Array.from(state.velocity), [4.5, -1]);
  });

  void test('the momentum state lives after the learning-rate scaling in sgd', () => {
    const opt = chain(scaleByLearningRate(0.5), heavyBall(0.9));
    const [, state] = opt.update(Float32Array.from([2]), opt.init(new Float32Array(1)));
    assert.deepEqual(Array.from(state[1].velocity), [-1]);
  });

  void test('rejects β outside [0, 1) and mismatched state', () => {
    assert.throws(() => heavyBall(1), /heavyBall: beta must be finite and in \[0, 1\), got 1/);
    assert.throws(() => heavyBall(Number.NaN), /heavyBall: beta.*NaN/);
    assert.throws(() => sgd({ learningRate: 0.1, momentum: -0.1 }), /sgd: momentum.*-0\.1/);
    const hb = heavyBall(0.5);
    assert.throws(
      () => hb.update(new Float32Array(3), hb.init(new Float32Array(2))),
      /heavyBall: updates\.length \(3\) must equal state\.velocity\.length \(2\)/,
    );
  });
});
