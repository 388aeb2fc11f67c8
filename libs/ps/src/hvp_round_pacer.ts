/**
 * Pacing and loss limits of estimation rounds, as pure code (the clock is passed in).
 *
 * Workers answer a round instead of training, so the host spaces the rounds out: after a
 * round that took d, the next one (of this estimate or the next) starts no earlier than
 * d·(1−f)/f after it ended. Every round is then followed by the pause that pays for it,
 * and over any span from one round's start to a later round's start the workers spend at
 * most the fraction f of the wall time in rounds. Pacing only delays rounds: their
 * directions and products, and so the estimate, are the same bits.
 */

/** The pause owed after a round of `durationMs` at budget f ∈ (0, 1]: d·(1−f)/f (0 at f = 1). */
export function roundPauseMs(durationMs: number, budget: number): number {
  return budget >= 1 ? 0 : (Math.max(0, durationMs) * (1 - budget)) / budget;
}

/** Checks a round budget: the fraction of wall time the workers may spend in rounds. */
export function checkRoundBudget(budget: number): number {
  if (!(budget > 0 && budget <= 1)) throw new RangeError(`round budget must be in (0, 1], got ${budget}`);
  return budget;
}

/**
 * When the next round may start. Plain state: the earliest start, and the totals of
 * round time and pause time so far (what the host exports).
 */
export class RoundPacer {
  private notBefore = Number.NEGATIVE_INFINITY;
  private busy = 0;
  private paused = 0;

  /** @param budget f ∈ (0, 1]: 1 runs rounds back to back. */
  constructor(readonly budget: number) {
    checkRoundBudget(budget);
  }

  /** Milliseconds a round wanted at `nowMs` must wait (0 when it may start now). */
  waitMs(nowMs: number): number {
    return Math.max(0, this.notBefore - nowMs);
  }

  /** A round ran from `startMs` to `endMs` after waiting `waitedMs` for the budget. */
  record(r: { readonly startMs: number; readonly endMs: number; readonly waitedMs: number }): void {
    const d = Math.max(0, r.endMs - r.startMs);
    this.busy += d;
    this.paused += Math.max(0, r.waitedMs);
    this.notBefore = r.endMs + roundPauseMs(d, this.budget);
  }

  /** Milliseconds spent in rounds, in all. */
  get busyMs(): number {
    return this.busy;
  }

  /** Milliseconds rounds waited for the budget, in all. */
  get pausedMs(): number {
    return this.paused;
  }
}

/**
 * `run` behind the pacer: waits what the budget asks (with `sleep`), runs the round and
 * records it, also when it fails (a failed round cost the workers its time too).
 *
 * @param p the pacer, the clock and the sleep (fake ones in tests).
 */
export async function pacedRound<T>(
  p: { readonly pacer: RoundPacer; readonly now: () => number; readonly sleep: (ms: number) => Promise<void> },
  run: () => Promise<T>,
): Promise<T> {
  const waitedMs = p.pacer.waitMs(p.now());
  if (waitedMs > 0) await p.sleep(waitedMs);
  const startMs = p.now();
  try {
    return await run();
  } finally {
    p.pacer.record({ startMs, endMs: p.now(), waitedMs });
  }
}

/** What the round-loss limit is derived from: the run's membership timeouts and the rounds seen so far. */
export interface RoundLossLimits {
  /** The run's heartbeat timeout: a worker silent this long misses a step. */
  readonly heartbeatTimeoutMs: number;
  /** The run's start-up grace: the limit until a first round has closed (model set-up, first kinks). */
  readonly startupGraceMs: number;
}

/**
 * How long a rank may owe a task before it is lost, as Membership does for a step: the
 * heartbeat timeout, or 3 typical rounds if longer; before any round closed, at least the
 * start-up grace. A round's time scales with its block, so the typical round is the last
 * round that closed without a loss (a loss adds the limit itself), per direction, times
 * this round's block.
 *
 * @param limits the run's timeouts.
 * @param seen that round's milliseconds per direction (undefined: none yet), and this round's block.
 */
export function roundLossLimitMs(limits: RoundLossLimits, seen: { readonly msPerDirection: number | undefined; readonly block: number }): number {
  const steady = Math.max(limits.heartbeatTimeoutMs, 3 * (seen.msPerDirection ?? 0) * seen.block);
  return seen.msPerDirection === undefined ? Math.max(steady, limits.startupGraceMs) : steady;
}
