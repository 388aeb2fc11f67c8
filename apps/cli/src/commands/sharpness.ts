import { Command, InvalidArgumentError } from 'commander';
import { backendRequestFromEnv, initBackend, parseBackendRequest } from '@lnsgd/backend';
import { createModel } from '@lnsgd/models';
import { stabilityThreshold } from '@lnsgd/optim';
import { SHARPNESS_DEFAULTS } from '@lnsgd/sharpness';
import {
  getPreset,
  loadPresetData,
  measureSharpness,
  measureSharpnessToTarget,
  paramOption,
  readParamsFile,
  type SharpnessBudget,
  type SharpnessFields,
  type SharpnessProgress,
} from '@lnsgd/trainer';
import { num } from '../parse_number';

interface SharpnessFlags {
  preset: string;
  checkpoint?: string;
  lr?: number;
  momentum?: number;
  probes?: number;
  lanczosSteps?: number;
  slqSteps?: number;
  samples?: number;
  seed?: number;
  backend?: string;
  json?: boolean;
  targetRelError?: number;
  maxHvps?: number;
}

/** `lnsgd sharpness`: λ_max, tr∇²L and R(θ) of a preset at init or at a saved θ. */
export function registerSharpnessCommand(program: Command): void {
  program
    .command('sharpness')
    .description('estimate the top Hessian eigenvalue, the Hessian trace and the implicit regularizer R(θ)')
    // The calibration preset by default: its Hessian is known exactly.
    .addOption(paramOption('preset', { description: 'preset whose model and data to use', withDefault: 'linreg-diag' }))
    .option('--checkpoint <file>', "parameter file written by `lnsgd train --save-params` (default: the preset's initial θ)")
    .addOption(paramOption('lr', { description: "η for R(θ) and the stability threshold 2(1+β)/η (default: the preset's)" }))
    .addOption(paramOption('momentum', { description: "β for R(θ) (default: the preset's)" }))
    .option('--probes <n>', 'SLQ probe vectors for the trace and R(θ) (default 10)', num('--probes'))
    .option('--lanczos-steps <n>', 'Lanczos steps for the top eigenvalues (default 20)', num('--lanczos-steps'))
    .option('--slq-steps <n>', 'Lanczos steps per SLQ probe (default 15)', num('--slq-steps'))
    .option('--samples <n>', 'size of the fixed, noise-free evaluation batch (default min(n, 1024))', num('--samples'))
    .addOption(
      paramOption('seed', { description: "seed of the estimator's probes (with --checkpoint the data and evaluation batch come from the file's run seed)" }),
    )
    .option('--backend <name>', 'auto | tensorflow-gpu | tensorflow | wasm | cpu (env LNSGD_BACKEND)')
    .option(
      '--target-rel-error <r>',
      'estimate again with twice the probes (or, when the evaluation subsample dominates, twice the samples) until every reported error is within r of its value',
      num('--target-rel-error'),
    )
    .option('--max-hvps <n>', 'budget of Hessian-vector products for --target-rel-error, all rounds together (default 5000)', num('--max-hvps'))
    .option('--json', 'print one JSON line')
    .addHelpText(
      'after',
      `
Examples:
  $ lnsgd sharpness --preset linreg-diag --lr 1 --json
  $ lnsgd train --inprocess --preset uv-toy --save-params uv.bin && lnsgd sharpness --preset uv-toy --checkpoint uv.bin`,
    )
    .action(async (flags: SharpnessFlags, cmd: Command) => {
      const file = flags.checkpoint === undefined ? undefined : readParamsFile(flags.checkpoint);
      // With a checkpoint the file's run decides the preset, the data (its seed), η and β;
      // flags given explicitly override, with a note when they differ from the file's.
      const explicit = (name: string): boolean => cmd.getOptionValueSource(name) === 'cli';
      const note = (what: string, flag: string | number, fromFile: string | number | undefined): void => {
        if (file !== undefined && fromFile !== undefined && flag !== fromFile) {
          process.stderr.write(`note: ${what} ${String(flag)} differs from the checkpoint's ${String(fromFile)}\n`);
        }
      };
      if (explicit('preset')) note('--preset', flags.preset, file?.header.preset);
      const preset = getPreset(file !== undefined && !explicit('preset') ? file.header.preset : flags.preset);
      const backend = await initBackend({
        request: flags.backend !== undefined ? parseBackendRequest(flags.backend) : backendRequestFromEnv(process.env),
      });
      const seed = flags.seed ?? file?.header.seed ?? preset.defaults.seed;
      const dataSeed = file?.header.seed ?? seed;
      if (flags.lr !== undefined) note('--lr', flags.lr, file?.header.eta);
      if (flags.momentum !== undefined) note('--momentum', flags.momentum, file?.header.beta);
      const eta = flags.lr ?? file?.header.eta ?? preset.defaults.lr;
      const beta = flags.momentum ?? file?.header.beta ?? preset.defaults.momentum;
      const threshold = stabilityThreshold({ eta, beta });
      const model = createModel(preset.model.name, preset.model.options ?? {});
      let theta = model.init(seed);
      let step = 0;
      if (file !== undefined) {
        if (file.header.numParams !== model.numParams) {
          throw new InvalidArgumentError(
            `${flags.checkpoint} holds ${file.header.numParams} parameters (preset ${file.header.preset}) but preset ${preset.name} has ${model.numParams}`,
          );
        }
        theta = file.theta;
        step = file.header.step;
      }
      const data = loadPresetData(preset.data, dataSeed);
      const target = flags.targetRelError;
      if (target !== undefined && !(target > 0)) throw new InvalidArgumentError(`--target-rel-error must be > 0, got ${target}`);
      const maxHvps = flags.maxHvps ?? 5000;
      const budget = {
        probes: flags.probes ?? SHARPNESS_DEFAULTS.probes,
        lanczosSteps: flags.lanczosSteps,
        slqSteps: flags.slqSteps,
        samples: Math.min(data.train.n, flags.samples ?? 1024),
      };
      const measure = (b: SharpnessBudget): SharpnessFields =>
        measureSharpness({ model, theta, ds: data.train, seed, dataSeed, eta, beta, budget: b, onProgress: progressOnStderr() });
      let fields: SharpnessFields;
      let targetFields = {};
      if (target === undefined) {
        fields = measure(budget);
      } else {
        const onRetry = (worst: { value: number }, next: { probes: number; samples: number }): void => {
          process.stderr.write(
            `sharpness: worst relative error ${worst.value.toPrecision(2)} > ${target}; again with ${next.probes} probes on ${next.samples} samples\n`,
          );
        };
        const r = measureSharpnessToTarget({ target, maxHvps, pool: data.train.n, onRetry }, budget, measure);
        fields = r.fields;
        targetFields = {
          target_rel_error: target,
          target_reached: r.stoppedBy === 'target',
          worst_rel_error: r.worst.value,
          stopped_by: r.stoppedBy,
          probes: r.budget.probes,
          hvp_count_total: r.spent,
        };
      }
      const out = {
        event: 'sharpness',
        preset: preset.name,
        backend: backend.name,
        step,
        num_params: model.numParams,
        eta,
        beta,
        stability_threshold: threshold,
        ...fields,
        ...targetFields,
      };
      if (flags.json === true) {
        // JSON has no Infinity: a standard error from one probe prints as the string "Infinity"
        // (null is reserved for "R undefined").
        process.stdout.write(`${JSON.stringify(out, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}\n`);
        return;
      }
      const pm = (v: number | null, e: number | null, sample?: number | null): string =>
        v === null
          ? 'undefined'
          : `${v.toPrecision(6)} ± ${(e ?? 0).toPrecision(2)}${sample === undefined || sample === null ? '' : ` (± ${sample.toPrecision(2)} over evaluation samples)`}`;
      process.stdout.write(
        [
          `preset ${preset.name} (${model.numParams} params) at step ${step}, backend ${backend.name}, η = ${eta}, β = ${beta}`,
          `top eigenvalue λ_max   ${pm(fields.top_eigenvalue, fields.top_eigenvalue_error, fields.top_eigenvalue_sample_stderr)}  (2(1+β)/η = ${threshold.toPrecision(4)})`,
          `Hessian trace          ${pm(fields.trace_hessian, fields.trace_hessian_stderr, fields.trace_hessian_sample_stderr)}`,
          `implicit regularizer R ${pm(fields.implicit_regularizer, fields.implicit_regularizer_stderr, fields.implicit_regularizer_sample_stderr)}${
            fields.unstable_eigenvalues.length > 0
              ? `  (eigenvalues at or above 2(1+β)/η: ${fields.unstable_eigenvalues.map((x) => x.toPrecision(4)).join(', ')})`
              : ''
          }`,
          `${fields.hvp_count} Hessian-vector products on ${fields.sharpness_samples} samples in ${fields.sharpness_wall_s.toFixed(2)} s`,
        ].join('\n') + '\n',
      );
    });
}

/** A stderr line every few seconds while a long estimate runs: HVPs done of the budget, and an ETA from the rate so far. */
function progressOnStderr(everyS = 3): (p: SharpnessProgress) => void {
  let next = everyS;
  return (p) => {
    if (p.elapsedS < next || p.hvps >= p.planned) return;
    next = p.elapsedS + everyS;
    const eta = (p.elapsedS / p.hvps) * (p.planned - p.hvps);
    process.stderr.write(`sharpness: ${p.hvps}/${p.planned} Hessian-vector products, ${p.elapsedS.toFixed(0)} s, about ${eta.toFixed(0)} s left\n`);
  };
}
