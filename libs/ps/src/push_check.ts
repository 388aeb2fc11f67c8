import type { Share } from './membership';

/** Why a push is refused: the proto's ErrorCode names (the server maps them to codes and counters). */
export type PushRefusal = 'STALE_PUSH' | 'STEP_MISMATCH' | 'BAD_SHAPE' | 'NON_FINITE' | 'RECOMPUTE';

/** A push as the check sees it (its gradient already decoded and checked for length and checksum). */
export interface PushFacts {
  readonly rank: number;
  readonly step: number;
  readonly samples: number;
  readonly loss: number;
  /** The share the push carries; absent: the static protocol's share (index = rank of the run's workers, epoch 0). */
  readonly share: Share | undefined;
  /** Index of the first NaN or ±Infinity in the gradient, or −1. */
  readonly firstNonFinite: number;
}

/** The shard's side: its open step, the run, and (at shard 0) the rank's share of the open step. */
export interface PushContext {
  /** The open step (= the shard's version). */
  readonly version: number;
  readonly workers: number;
  /** The run's global batch B. */
  readonly batch: number;
  /** First key of the shard (for messages). */
  readonly keyOffset: number;
  /** Shard 0: the rank's share of the open step (count 0: not a member). Followers: undefined. */
  readonly expectedShare: Share | undefined;
}

/** The verdict: the share to combine the push under, or one typed reason. */
export type PushVerdict =
  { readonly ok: true; readonly share: Share } | { readonly ok: false; readonly code: PushRefusal; readonly message: string; readonly share?: Share };

/** Samples in block `index` of `count` of a global batch B (the data library's microBatchSizes: the first B mod count blocks take one more). */
export function shareSamples(batch: number, share: { readonly index: number; readonly count: number }): number {
  return Math.floor(batch / share.count) + (share.index < batch % share.count ? 1 : 0);
}

/**
 * Checks a push of a registered rank against the open step (pure): the step, the
 * gradient's values and loss, the share, and that `num_samples` is exactly the size
 * of the share's block of B. Resends of the step that closed last are the barrier's
 * business and must be handled before.
 *
 * @param p what the push says.
 * @param ctx the open step and the run.
 */
export function checkPush(p: PushFacts, ctx: PushContext): PushVerdict {
  if (p.step < ctx.version)
    return { ok: false, code: 'STALE_PUSH', message: `push for step ${p.step}, the server is at step ${ctx.version}: pull and continue` };
  if (p.step > ctx.version) return { ok: false, code: 'STEP_MISMATCH', message: `push for step ${p.step}, the open step is ${ctx.version}` };
  const share = p.share ?? { epoch: 0, index: p.rank, count: ctx.workers };
  if (p.firstNonFinite >= 0 || (p.samples > 0 && !Number.isFinite(p.loss))) {
    const what = p.firstNonFinite >= 0 ? `gradient[${ctx.keyOffset + p.firstNonFinite}]` : `loss = ${p.loss}`;
    return { ok: false, code: 'NON_FINITE', message: `push from rank ${p.rank} at step ${p.step} has a non-finite ${what}; lower the learning rate` };
  }
  if (share.count < 1 || share.count > ctx.workers || share.index >= share.count) {
    return { ok: false, code: 'BAD_SHAPE', message: `push carries share index ${share.index} of ${share.count}: expected index < count <= ${ctx.workers}` };
  }
  const expected = shareSamples(ctx.batch, share);
  if (p.samples !== expected) {
    return {
      ok: false,
      code: 'BAD_SHAPE',
      message: `num_samples ${p.samples} is not the size of share ${share.index} of ${share.count} of the global batch ${ctx.batch} (${expected})`,
    };
  }
  const mine = ctx.expectedShare;
  if (mine !== undefined && (mine.count === 0 || share.epoch !== mine.epoch || share.index !== mine.index || share.count !== mine.count)) {
    return {
      ok: false,
      code: 'RECOMPUTE',
      message: `membership changed (epoch ${mine.epoch}): compute step ${p.step} again as share ${mine.index} of ${mine.count}`,
      share: mine,
    };
  }
  return { ok: true, share };
}
