import { writeFileSync } from 'node:fs';
import { initBackend } from '@lnsgd/backend';
import type { SharpnessFields } from '@lnsgd/trainer';
import { runCase, spread, type Case as CalibrationCase } from '@lnsgd/trainer/sharpness-calibration';
import type { Suite, SuiteResult } from '../suite';

const CASES: readonly { readonly c: CalibrationCase; readonly seeds: number; readonly sampleParts?: number }[] = [
  // 80 probe seeds: a 68% coverage then has a binomial standard deviation of 5 points.
  { c: { model: 'mlp', options: { sizes: [12, 24, 3] }, samples: 64, steps: 40 }, seeds: 80, sampleParts: 1 },
  // 50 seeds for the conv models: coverage to ±7 points (binomial sd at 68%). Each
  // resnet18 run is ~10 s of wasm (per-op overhead of ~300 small ops per gradient).
  { c: { model: 'cnn-small', options: { inputShape: [4, 4, 1], numClasses: 3 }, samples: 8, steps: 10 }, seeds: 50 },
  // 16×16 inputs: at 8×8 the last stage's GroupNorm normalises 8 values and float32
  // gradients lose 5e-6 relative against float64 (loss still to 8e-8).
  { c: { model: 'resnet18', options: { width: 1, inputShape: [16, 16, 3], numClasses: 3, groups: 1 }, samples: 4, steps: 5 }, seeds: 50 },
];

const DESCRIPTION =
  'measureSharpness with defaults (frozen-kink HVP, 20 Lanczos steps, 10 SLQ probes × 15 steps, 5 deflated) against the float64 PyTorch Hessian (libs/sharpness/src/reference/hessian_reference.py), teacher-labelled samples, θ = init(1) and after full-batch GD steps (lr 0.2), η = 1/λ_max, probe seeds 0…seeds−1. rel_*: relative to |reference|; within_1/2/3: fraction of seeds within 1/2/3 reported errors.';

/**
 * `npm run bench -- sharpness-calibration`: measureSharpness against the float64
 * PyTorch Hessian (libs/sharpness/src/reference/hessian_reference.py, needs
 * /usr/bin/python3 with python3-torch) for mlp, cnn-small and resnet18 at init and
 * after training: the relative error of the mean estimate, the mean reported error
 * against the actual spread, and the coverage within 1 and 2 reported errors.
 */
export const sharpnessCalibrationSuite: Suite = {
  name: 'sharpness-calibration',
  description: 'λ_max, tr∇²L and R(θ) against a float64 PyTorch Hessian: bias, error bars, coverage over probe seeds',
  async run(opts): Promise<SuiteResult> {
    await initBackend({ request: 'wasm' });
    const rows: Record<string, string | number | null>[] = [];
    // LNSGD_CALIBRATION_MODELS=cnn-small,resnet18 runs a subset.
    const only = process.env['LNSGD_CALIBRATION_MODELS']?.split(',');
    const cases = CASES.filter(({ c }) => only === undefined || only.includes(c.model));
    for (const { c, seeds, sampleParts } of opts.quick ? cases.slice(0, 1) : cases) {
      opts.log(`${c.model}: ${seeds} probe seeds at init and after ${c.steps} steps`);
      const onRun = (steps: number, seed: number, r: SharpnessFields): void => opts.log(JSON.stringify({ event: 'run', model: c.model, steps, seed, ...r }));
      for (const { steps, ref, runs } of runCase(c, { seeds: opts.quick ? 8 : seeds, sampleParts, onRun })) {
        const quantities = [
          ['top_eigenvalue', ref.top_eigenvalue, runs.map((r) => r.top_eigenvalue), runs.map((r) => r.top_eigenvalue_error)],
          ['trace_hessian', ref.trace_hessian, runs.map((r) => r.trace_hessian), runs.map((r) => r.trace_hessian_stderr)],
          [
            'implicit_regularizer',
            ref.implicit_regularizer ?? NaN,
            runs.map((r) => r.implicit_regularizer ?? NaN),
            runs.map((r) => r.implicit_regularizer_stderr ?? NaN),
          ],
        ] as const;
        for (const [quantity, truth, values, errors] of quantities) {
          const s = spread([...values], [...errors], truth);
          const row = {
            model: c.model,
            dim: ref.dim,
            steps,
            quantity,
            seeds: values.length,
            reference: truth,
            rel_bias: s.bias / Math.abs(truth),
            rel_mean_reported_error: s.meanError / Math.abs(truth),
            rel_spread: s.sd / Math.abs(truth),
            within_1: s.within1,
            within_2: s.within2,
            within_3: s.within3,
          };
          rows.push(row);
          opts.log(JSON.stringify(row));
        }
        const r0 = runs[0];
        opts.log(
          `  step ${steps}: hvp_relative_error ${r0.hvp_relative_error.toExponential(2)}, reference reproduces loss/grad to ${ref.loss_rel_err.toExponential(1)}/${ref.grad_rel_err.toExponential(1)}`,
        );
      }
    }
    // LNSGD_CALIBRATION_OUT=docs/benchmarks/sharpness_calibration_zoo.json writes the rows
    // (docs/sharpness-accuracy.md's tables are rendered from those files).
    const outFile = process.env['LNSGD_CALIBRATION_OUT'];
    if (outFile !== undefined) {
      const description = `npm run bench -- sharpness-calibration (LNSGD_CALIBRATION_MODELS=${cases.map(({ c }) => c.model).join(',')}): ${DESCRIPTION} ${cases.map(({ c, seeds, sampleParts }) => `${c.model} ${JSON.stringify(c.options)}, ${c.samples} samples, ${c.steps} steps, ${seeds} probe seeds${sampleParts === undefined ? '' : `, sampleParts ${sampleParts}`}.`).join(' ')}`;
      writeFileSync(outFile, `${JSON.stringify({ description, rows }, null, 1)}\n`);
    }
    const worstBias = Math.max(...rows.map((r) => Math.abs(Number(r['rel_bias']))));
    return {
      rows,
      summary: { worst_relative_bias: worstBias },
      notes: [
        'within_1/2/3: fraction of seeds whose estimate lies within 1/2/3 reported errors of the reference (target 68%/95% for trace and R; λ_max ≥ 90% within 1)',
      ],
    };
  },
};
