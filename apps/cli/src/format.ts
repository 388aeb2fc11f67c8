import type { ProgressEvent, TrainSummary } from '@lnsgd/trainer';

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One human progress line: step, loss, throughput, ETA. */
export function formatProgress(e: ProgressEvent, totalSteps: number): string {
  const pct = ((100 * e.step) / totalSteps).toFixed(0).padStart(3);
  return `step ${String(e.step).padStart(String(totalSteps).length)}/${totalSteps} ${pct}%  loss ${e.loss.toPrecision(4)}  ${e.samples_per_s.toFixed(0)} samples/s  elapsed ${duration(e.elapsed_s)}  ETA ${duration(e.eta_s)}`;
}

/** The summary as an aligned key/value block for people. */
export function formatSummary(s: TrainSummary): string {
  const rows = Object.entries(s).filter(([k]) => k !== 'event');
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `${k.padEnd(width)}  ${typeof v === 'number' ? String(Number(v.toPrecision(8))) : String(v)}`).join('\n')}\n`;
}
