import { uvToyData } from '@lnsgd/data';
import { uvToyLossAndGradient } from '@lnsgd/models';
import { implicitRegularizationStrength } from '@lnsgd/optim';
import { lineChart, markdownChart, markdownTable, type Row } from '@lnsgd/report';
import type { Experiment, ExperimentContext, ExperimentOutcome } from './experiment';
import { progressCounter } from './internal/progress';
import { runRegressionSgd } from './internal/regression-sgd';
import { uvToyRegularizer, uvToyRegularizerGradient } from './internal/uv-toy-math';

/**
 * Settings: the uv toy (η = 0.1, B = 8) from the minimizer (2, 0.5) at several σ, each run for
 * the same regularized-flow time T = η·λ·steps = 10 (long enough for ζ to reach
 * u = v = 1), so smaller λ runs proportionally more steps. Measured max‖θ − ζ‖/√λ:
 * 2.06, 2.01, 2.23 for σ = 1, 0.5, 0.25. From the sharper (4, 0.25) (ηλ_max ≈ 1.6) the
 * early transient lags by ≈ 0.3 whatever σ is, so the ratio grew as λ shrank.
 */
export const REGULARIZED_TRAJECTORY_SETTINGS = {
  n: 1024,
  eta: 0.1,
  batch: 8,
  quickSigmas: [1, 0.5],
  fullSigmas: [1, 0.5, 0.25],
  flowTime: 10,
  start: [2, 0.5],
  seed: 0,
  records: 200,
} as const;

/**
 * Damian et al. 2021, Lemma 1 at toy scale: label-noise SGD θ_k stays within O(√λ)
 * of ζ_k, gradient descent on the regularized loss L + λR with the same η, from the
 * same start. The uv toy has a closed-form 2×2 Hessian, so R(θ) = −1/(2η)·tr log(I −
 * (η/2)∇²L) is exact and ∇R comes from float64 central differences of it. For each
 * σ we report max_k ‖θ_k − ζ_k‖/√λ: it should stay O(1) as λ shrinks.
 */
export const regularizedTrajectory: Experiment = {
  name: 'regularized-trajectory',
  description: 'uv toy: label-noise SGD tracks gradient descent on L + λR within O(√λ) (Lemma 1)',
  run: (ctx: ExperimentContext): Promise<ExperimentOutcome> => {
    const s = REGULARIZED_TRAJECTORY_SETTINGS;
    const sigmas = ctx.quick ? s.quickSigmas : s.fullSigmas;
    const { train, meta } = uvToyData({ n: s.n, nTest: 16, seed: s.seed });
    const m = meta?.['meanXSquared'] as number;
    const plan = sigmas.map((sigma) => {
      const lambda = implicitRegularizationStrength({ eta: s.eta, sigma, batchSize: s.batch });
      return { sigma, lambda, steps: Math.ceil(s.flowTime / (s.eta * lambda)) };
    });
    const progress = progressCounter(
      ctx,
      plan.reduce((a, p) => a + 2 * p.steps, 0),
    );
    const series: Row[] = [];
    const results: {
      sigma: number;
      lambda: number;
      steps: number;
      maxDistance: number;
      finalDistance: number;
      ratio: number;
      lateRatio: number;
      theta: Float64Array;
      zeta: Float64Array;
    }[] = [];
    for (const { sigma, lambda, steps } of plan) {
      const recordEvery = Math.max(1, Math.floor(steps / s.records));
      // ζ: full-batch GD on L + λR, recorded at the same steps as θ.
      const zetaAt = new Map<number, Float64Array>();
      const zeta = Float64Array.from(s.start);
      const onZeta = progress(`L + λR, σ = ${sigma}`);
      zetaAt.set(0, Float64Array.from(zeta));
      for (let k = 1; k <= steps; k++) {
        const gl = uvToyLossAndGradient(zeta, train.x, train.y).grad;
        const gr = uvToyRegularizerGradient(zeta, { m, eta: s.eta });
        zeta[0] -= s.eta * (gl[0] + lambda * gr[0]);
        zeta[1] -= s.eta * (gl[1] + lambda * gr[1]);
        if (k % recordEvery === 0 || k === steps) zetaAt.set(k, Float64Array.from(zeta));
        onZeta(k);
      }
      let maxDistance = 0;
      let maxDistanceLate = 0;
      let finalDistance = 0;
      const theta = runRegressionSgd({
        lossAndGradient: (t, b) => uvToyLossAndGradient(t, b.x, b.y),
        train,
        theta0: s.start,
        eta: s.eta,
        batch: s.batch,
        sigma,
        steps,
        seed: s.seed,
        recordEvery,
        record: (step, t) => {
          const z = zetaAt.get(step) ?? zeta;
          const distance = Math.hypot(t[0] - z[0], t[1] - z[1]);
          maxDistance = Math.max(maxDistance, distance);
          if (s.eta * lambda * step >= 1) maxDistanceLate = Math.max(maxDistanceLate, distance);
          finalDistance = distance;
          series.push({
            sigma,
            lambda,
            series: `σ = ${sigma} (λ = ${lambda.toExponential(1)})`,
            step,
            flow_time: s.eta * lambda * step,
            u_sgd: t[0],
            v_sgd: t[1],
            u_regularized: z[0],
            v_regularized: z[1],
            distance,
            distance_over_sqrt_lambda: distance / Math.sqrt(lambda),
            regularizer_sgd: uvToyRegularizer(t, { m, eta: s.eta }),
            regularizer_regularized: uvToyRegularizer(z, { m, eta: s.eta }),
          });
        },
        onStep: progress(`label-noise SGD, σ = ${sigma}`),
      });
      results.push({
        sigma,
        lambda,
        steps,
        maxDistance,
        finalDistance,
        ratio: maxDistance / Math.sqrt(lambda),
        lateRatio: maxDistanceLate / Math.sqrt(lambda),
        theta,
        zeta: Float64Array.from(zeta),
      });
    }
    const worst = results.reduce((a, r) => (r.ratio > a.ratio ? r : a));
    const summary = {
      max_distance_over_sqrt_lambda: worst.ratio,
      max_distance_over_sqrt_lambda_after_flow_time_1: Math.max(...results.map((r) => r.lateRatio)),
      ...Object.fromEntries(results.map((r) => [`max_distance_over_sqrt_lambda_sigma_${r.sigma}`, r.ratio])),
      lambda_smallest: Math.min(...results.map((r) => r.lambda)),
      lambda_largest: Math.max(...results.map((r) => r.lambda)),
      eta: s.eta,
      global_batch: s.batch,
      flow_time: s.flowTime,
    };
    const color = { field: 'series', title: 'noise' };
    const charts = [
      {
        name: 'distance',
        spec: lineChart({
          title: '‖θ_k − ζ_k‖ / √λ against flow time ηλk',
          values: series,
          x: { field: 'flow_time', title: 'ηλk' },
          y: { field: 'distance_over_sqrt_lambda', title: '‖θ − ζ‖ / √λ' },
          color,
        }),
      },
      {
        name: 'regularizer',
        spec: lineChart({
          title: 'R(θ) of label-noise SGD (θ) and of GD on L + λR (ζ)',
          values: series.flatMap((r) => [
            { flow_time: r['flow_time'], R: r['regularizer_sgd'], curve: `SGD, ${String(r['series'])}` },
            { flow_time: r['flow_time'], R: r['regularizer_regularized'], curve: `L + λR, ${String(r['series'])}` },
          ]),
          x: { field: 'flow_time', title: 'ηλk' },
          y: { field: 'R', title: 'R(θ)', scale: 'log' },
          color: { field: 'curve', title: 'trajectory' },
        }),
      },
    ];
    const report = `# Regularized trajectory: label-noise SGD follows gradient descent on L + λR

Lemma 1 of Damian, Ma, Lee (2021) couples label-noise SGD θ_k with ζ_k, gradient descent on the regularized loss L + λR(θ), R(θ) = −1/(2η)·tr log(I − (η/2)∇²L(θ)), from the same start and with the same η: they stay O(√λ) apart. Model: the uv toy f(x) = u·v·x (n = ${s.n}, teacher y = x) from (${s.start[0]}, ${s.start[1]}), η = ${s.eta}, B = ${s.batch}; R is exact (closed-form 2×2 Hessian) and ∇R comes from float64 central differences of R. Each σ runs for the same flow time ηλk = ${s.flowTime}.

## Result

${markdownTable(
  results.map((r) => ({
    sigma: r.sigma,
    lambda: r.lambda,
    steps: r.steps,
    max_distance: r.maxDistance,
    max_distance_over_sqrt_lambda: r.ratio,
    after_flow_time_1: r.lateRatio,
    final_sgd: `(${r.theta[0].toFixed(3)}, ${r.theta[1].toFixed(3)})`,
    final_regularized: `(${r.zeta[0].toFixed(3)}, ${r.zeta[1].toFixed(3)})`,
  })),
)}
The distance divided by √λ stays of order one for every λ (largest: ${worst.ratio.toFixed(2)} at σ = ${worst.sigma}; after flow time 1 at most ${summary.max_distance_over_sqrt_lambda_after_flow_time_1.toFixed(2)}), so the distance itself shrinks like √λ, as the lemma says; both trajectories end at the flattest minimizer u = v = 1. The start (${s.start[0]}, ${s.start[1]}) is a minimizer with ηλ_max ≈ ${(s.eta * 4.25).toFixed(2)}; from the sharper (4, 0.25) of the uv-toy experiment (ηλ_max ≈ 1.6, near the stability limit 2) we measured a transient lag along the manifold of ≈ 0.3 for every σ (ratios 2.7, 6.1, 10.3 for σ = 1, 0.5, 0.25), i.e. outside the regime where the O(√λ) constant is small.

${markdownChart('distance', 'Distance between the trajectories over √λ, against flow time')}
${markdownChart('regularizer', 'R along both trajectories, log scale')}
Files: \`results.jsonl\` / \`results.csv\` (one row per σ and recorded step), \`summary.json\`.
`;
    return Promise.resolve({ experiment: 'regularized-trajectory', summary, series, charts, report });
  },
};
