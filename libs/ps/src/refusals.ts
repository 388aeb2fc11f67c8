import type { pb } from '@lnsgd/transport';
import type { RejectReason } from '@lnsgd/telemetry';
import type { ShardCounters } from './shard_core';

/** Every refusal the wire protocol names: proto/trainer.proto's ErrorCode less the unset value. */
export type RefusalCode = Exclude<keyof typeof pb.ErrorCode, 'ERROR_UNSPECIFIED'>;

/** Refusals the transport answers before a request reaches the shard (KvServerStats fields). */
type TransportRefusal = 'malformed' | 'tooLarge' | 'versionMismatch';

/** Where one refusal is counted. */
export interface RefusalRow {
  /** The shard counter (also its ShardStats field). */
  readonly counter: keyof ShardCounters;
  /** The `reason` label of lnsgd_rejected_messages_total; none for RECOMPUTE, which drops a push rather than refusing it. */
  readonly reason?: RejectReason;
  /** The transport's count of the same refusal, added to the shard's. */
  readonly transport?: TransportRefusal;
}

/**
 * The counter and metric label of each ErrorCode. Keyed by the generated enum's names, so
 * a new code in the .proto does not compile until it has a row; the ShardStats fields,
 * the refusal counters and the `reason` labels are derived from these rows (a test checks
 * them against the proto and the metric table).
 */
export const REFUSALS: { readonly [C in RefusalCode]: RefusalRow } = {
  MALFORMED: { counter: 'malformed', reason: 'malformed', transport: 'malformed' },
  UNKNOWN_WORKER: { counter: 'unknownWorker', reason: 'unknown_worker' },
  VERSION_MISMATCH: { counter: 'versionMismatch', reason: 'version_mismatch', transport: 'versionMismatch' },
  STEP_MISMATCH: { counter: 'stepMismatch', reason: 'step_mismatch' },
  BAD_SHAPE: { counter: 'badShape', reason: 'bad_shape' },
  CHECKSUM_MISMATCH: { counter: 'checksumMismatch', reason: 'checksum_mismatch' },
  STALE_PUSH: { counter: 'pushesStale', reason: 'stale_push' },
  DUPLICATE_PUSH: { counter: 'pushesDuplicate', reason: 'duplicate_push' },
  NOT_AUTHORIZED: { counter: 'notAuthorized', reason: 'not_authorized' },
  NON_FINITE: { counter: 'nonFinite', reason: 'non_finite' },
  TOO_LARGE: { counter: 'tooLarge', reason: 'too_large', transport: 'tooLarge' },
  RUN_FULL: { counter: 'runFull', reason: 'run_full' },
  SHUTTING_DOWN: { counter: 'shuttingDown', reason: 'shutting_down' },
  RECOMPUTE: { counter: 'pushesRecompute' },
};

/**
 * The shard's counters with the transport's refusals added (what ShardStats reports).
 *
 * @param counters the shard core's counters.
 * @param transport the KvServer's counts of the refusals it answers itself.
 */
export function withTransportRefusals(counters: ShardCounters, transport: Readonly<Record<TransportRefusal, number>>): ShardCounters {
  const out = { ...counters };
  for (const row of Object.values(REFUSALS)) if (row.transport !== undefined) out[row.counter] += transport[row.transport];
  return out;
}

/**
 * lnsgd_rejected_messages_total by `reason`, from the shard's counters and the transport's.
 *
 * @example rejectedByReason(core.counters, server.stats()).stale_push // core.counters.pushesStale
 */
export function rejectedByReason(counters: ShardCounters, transport: Readonly<Record<TransportRefusal, number>>): Record<RejectReason, number> {
  const all = withTransportRefusals(counters, transport);
  const out: Partial<Record<RejectReason, number>> = {};
  for (const row of Object.values(REFUSALS)) if (row.reason !== undefined) out[row.reason] = all[row.counter];
  return out as Record<RejectReason, number>;
}
