import type { ProgressEvent, TrainSummary } from '@lnsgd/trainer';

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A number for people: 4 significant digits, no float noise. */
function g(v: number, digits = 4): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : String(v);
}

/**
 * One human progress line: step, the noisy batch loss, the latest sharpness estimate
 * (λ_max beside 2(1+β)/η, tr∇²L, R(θ) and the step it was measured at), throughput, ETA.
 */
export function formatProgress(e: ProgressEvent, totalSteps: number): string {
  const pct = ((100 * e.step) / totalSteps).toFixed(0).padStart(3);
  const sharp =
    e.top_eigenvalue === undefined
      ? ''
      : `  λ_max ${g(e.top_eigenvalue, 3)} (2(1+β)/η ${g(e.stability_threshold ?? Number.NaN, 3)})  tr∇²L ${g(e.trace_hessian ?? Number.NaN, 3)}  R(θ) ${e.implicit_regularizer === null || e.implicit_regularizer === undefined ? 'undef.' : g(e.implicit_regularizer, 3)} @${String(e.sharpness_step)}`;
  return `step ${String(e.step).padStart(String(totalSteps).length)}/${totalSteps} ${pct}%  noisy batch loss ${e.loss.toPrecision(4)}${sharp}  ${e.samples_per_s.toFixed(0)} samples/s  elapsed ${duration(e.elapsed_s)}  ETA ${duration(e.eta_s)}`;
}

/** The summary as an aligned key/value block (every field, as in --json). */
export function formatSummaryTable(s: TrainSummary): string {
  const rows = Object.entries(s).filter(([k]) => k !== 'event');
  const width = Math.max(...rows.map(([k]) => k.length));
  const show = (v: unknown): string =>
    typeof v === 'number' ? String(Number(v.toPrecision(8))) : Array.isArray(v) ? (v.length === 0 ? '(none)' : v.map(String).join(', ')) : String(v);
  return `${rows.map(([k, v]) => `${k.padEnd(width)}  ${show(v)}`).join('\n')}\n`;
}

/**
 * The summary for people in a few lines: what ran, the clean loss and test metric,
 * λ_max from start to end against 2(1+β)/η, tr∇²L and R(θ) with their errors, tr G
 * (regression), ‖θ‖ and the time. `verbose` gives every field instead ({@link formatSummaryTable}).
 */
export function formatSummary(s: TrainSummary, verbose = false): string {
  if (verbose) return formatSummaryTable(s);
  const r = s as unknown as Record<string, unknown>;
  const n = (k: string): number | undefined => (typeof r[k] === 'number' ? r[k] : undefined);
  const lines: string[] = [];
  const where = typeof r['workers'] === 'number' ? `, ${String(r['workers'])} worker(s) × ${String(r['shards'])} shard(s)` : ' in process';
  const noise = s.flip_prob > 0 ? `flip p = ${g(s.flip_prob)}` : `σ = ${g(s.sigma)}`;
  lines.push(
    `${s.preset} on ${s.backend}${where}: ${s.interrupted === true ? `interrupted at step ${s.steps}` : `${s.steps} steps`}, B = ${s.global_batch}, η = ${g(s.eta)}, ${noise}, β = ${g(s.beta)}${s.lambda === null ? '' : `, λ = ${g(s.lambda)}`}`,
  );
  const last = typeof s.last_batch_loss === 'number' && Number.isFinite(s.last_batch_loss) ? `   (last noisy batch loss ${g(s.last_batch_loss)})` : '';
  lines.push(`clean train loss ${g(s.train_loss)}   test ${s.test_metric_name} ${g(s.test_metric)}${last}`);
  const top = n('top_eigenvalue');
  const threshold = n('stability_threshold');
  const start = n('top_eigenvalue_start');
  const vs = threshold === undefined ? '' : `   (2(1+β)/η = ${g(threshold)})`;
  const trG =
    typeof s.trace_noise_covariance === 'number' ? `   tr G ${g(s.trace_noise_covariance)} ± ${g(s.trace_noise_covariance_stderr ?? Number.NaN, 2)}` : '';
  if (top !== undefined) {
    const from = start === undefined ? '' : `${g(start)} at step ${String(r['top_eigenvalue_start_step'])} → `;
    lines.push(`λ_max ${from}${g(top)} at the end ± ${g(n('top_eigenvalue_error') ?? Number.NaN, 2)}${vs}`);
    const rt = r['implicit_regularizer'];
    const unstable = Array.isArray(r['unstable_eigenvalues']) ? (r['unstable_eigenvalues'] as unknown[]).length : 0;
    const reg =
      typeof rt === 'number'
        ? `R(θ) ${g(rt)} ± ${g(n('implicit_regularizer_stderr') ?? Number.NaN, 2)}`
        : `R(θ) undefined: ${unstable} eigenvalue(s) at or above 2(1+β)/η`;
    lines.push(`tr∇²L ${g(n('trace_hessian') ?? Number.NaN)} ± ${g(n('trace_hessian_stderr') ?? Number.NaN, 2)}   ${reg}${trG}`);
  } else {
    const why = s.interrupted === true ? 'skipped (interrupted)' : 'skipped (--no-sharpness)';
    lines.push(
      `sharpness at the final θ: ${why}${start === undefined ? '' : `; λ_max was ${g(start)} at step ${String(r['top_eigenvalue_start_step'])}`}${vs}${trG}`,
    );
  }
  lines.push(`params_l2 ${g(s.params_l2)}   sha256 ${s.params_sha256.slice(0, 12)}…`);
  const sw = n('sharpness_wall_s');
  lines.push(
    `time ${g(s.wall_s, 3)} s training and evaluation${sw === undefined ? '' : `, ${g(sw, 3)} s final sharpness`}   (--verbose: every field; --json: machine-readable)`,
  );
  return `${lines.join('\n')}\n`;
}
