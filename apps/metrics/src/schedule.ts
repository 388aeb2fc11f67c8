/** When snapshots are due: every `everySteps` steps and/or every `everySeconds` seconds. */
export interface ScheduleConfig {
  readonly everySteps?: number;
  readonly everySeconds?: number;
}

/** What the scheduler remembers between ticks (plain data). */
export interface ScheduleState {
  /** Step of the last snapshot that fell due (estimated or skipped). */
  readonly lastDueStep?: number;
  /** When it fell due, in milliseconds. */
  readonly lastDueAtMs: number;
  /** Step of the last snapshot an estimate was started on. */
  readonly lastStartedStep?: number;
  /** A snapshot fell due while an estimate ran: the newest is estimated once it ends. */
  readonly pending?: boolean;
}

/**
 * `estimate`: start one now (on the newest snapshot); `defer`: one fell due while an
 * estimate runs and waits for it; `skip`: another fell due meanwhile, so the one waiting
 * is passed over for it (count it); `wait`: nothing due.
 */
export type ScheduleDecision = 'estimate' | 'defer' | 'skip' | 'wait';

/**
 * Decides one tick. A snapshot falls due when the producer's step has advanced by
 * `everySteps`, or `everySeconds` have passed and the step moved at all (θ unchanged
 * is not worth re-estimating); the very first snapshot is always due, and so is the
 * final one of a finished run once the estimator is free. Snapshots that fall due
 * while an estimate is running coalesce: the newest waits and starts as soon as the
 * estimate ends, the older ones are skipped, so a slow estimator runs back to back on
 * fresh snapshots and never builds a queue.
 *
 * @param args the schedule, the state, the newest step, the clock, whether an estimate runs and whether the run is over.
 * @returns the decision and the next state.
 */
export function decideSnapshot(args: {
  readonly config: ScheduleConfig;
  readonly state: ScheduleState;
  readonly step: number | undefined;
  readonly nowMs: number;
  readonly busy: boolean;
  readonly finished: boolean;
}): { decision: ScheduleDecision; state: ScheduleState } {
  const { config, state, step, nowMs, busy } = args;
  if (step === undefined) return { decision: 'wait', state };
  const last = state.lastDueStep;
  let due = last === undefined;
  if (last !== undefined && step > last) {
    const bySteps = config.everySteps !== undefined && step - last >= config.everySteps;
    const byTime = config.everySeconds !== undefined && nowMs - state.lastDueAtMs >= config.everySeconds * 1000;
    due = bySteps || byTime;
  }
  if (!due && args.finished && !busy && step !== state.lastStartedStep) due = true;
  if (!busy && state.pending === true)
    return { decision: 'estimate', state: { ...state, ...(due ? { lastDueStep: step, lastDueAtMs: nowMs } : {}), pending: false, lastStartedStep: step } };
  if (!due) return { decision: 'wait', state };
  const next = { ...state, lastDueStep: step, lastDueAtMs: nowMs };
  if (busy) return { decision: state.pending === true ? 'skip' : 'defer', state: { ...next, pending: true } };
  return { decision: 'estimate', state: { ...next, lastStartedStep: step } };
}
