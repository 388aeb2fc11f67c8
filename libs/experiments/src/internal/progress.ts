import type { ExperimentContext } from '../experiment';

/**
 * Turns per-phase step callbacks into overall progress reports over `total` units,
 * throttled to one report per 1% (callers call it every step).
 *
 * @param ctx the experiment context (its onProgress may be absent).
 * @param total the work units of the whole experiment.
 * @returns a factory: phase name → step callback (step counts from 1 within the phase).
 */
export function progressCounter(ctx: ExperimentContext, total: number): (phase: string) => (step: number) => void {
  let base = 0;
  let lastReported = -1;
  const granularity = Math.max(1, Math.floor(total / 100));
  return (phase: string) => {
    const start = base;
    return (step: number): void => {
      const done = start + step;
      base = done;
      if (ctx.onProgress !== undefined && (done - lastReported >= granularity || done === total)) {
        lastReported = done;
        ctx.onProgress({ phase, done, total });
      }
    };
  };
}
