/**
 * Training steps' worth of the time rounds took: while a round runs the synchronous step
 * waits for the worker computing it, so training moves only outside rounds, at
 * steps/(wall − round seconds); undefined when no step moved (the run is over or idle).
 */
export function trainingStepsLost(a: { readonly roundSeconds: number; readonly wallSeconds: number; readonly steps: number }): number | undefined {
  const trainingSeconds = a.wallSeconds - a.roundSeconds;
  if (a.steps <= 0 || trainingSeconds <= 0) return undefined;
  return (a.roundSeconds * a.steps) / trainingSeconds;
}
