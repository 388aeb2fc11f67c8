import type { Share } from './membership';

/** What a push says apart from its gradient bytes (compared bitwise while its step is open). */
export interface PushIdentity {
  readonly samples: number;
  readonly loss: number;
  readonly share: Share;
  /** The frame's checksum (kind and value): after a close, resends are told apart by it. */
  readonly checksumKind: number;
  readonly checksum: number;
}

/** A push the barrier is offered: its rank, identity, and how to compare its gradient with the one held. */
export interface OfferedPush {
  readonly rank: number;
  readonly identity: PushIdentity;
  /** Whether the gradient equals the one already held for this rank's share (called only for a second push). */
  readonly sameGradient: () => boolean;
}

/** Senders whose pushes were dropped (they must compute the step again), with the requests to answer. */
export interface Dropped<R> {
  readonly rank: number;
  readonly routes: readonly R[];
}

/** The barrier's verdict on a push. */
export type Offer<R> =
  | { readonly kind: 'accepted'; readonly dropped: readonly Dropped<R>[] }
  /** An identical resend: its route waits for the same reply. */
  | { readonly kind: 'resend' }
  | { readonly kind: 'duplicate'; readonly message: string }
  /** A follower holds pushes of a newer epoch: compute again with shard 0's share. */
  | { readonly kind: 'stale-epoch'; readonly message: string }
  | { readonly kind: 'bad-count'; readonly message: string };

/** A closed step: the pushes' requests in rank order, and the samples combined. */
export interface Closed<R> {
  readonly replies: readonly Dropped<R>[];
  readonly samples: number;
}

interface Held<R> {
  readonly rank: number;
  readonly identity: PushIdentity;
  readonly routes: R[];
}

/** Identical resends answered for one rank and step (a worker resends after each timeout, up to its --retries). */
export const MAX_RESENDS = 16;

/**
 * When a step closes (pure; R is whatever identifies a request to answer). The open
 * step's pushes are held by share index; the step closes once the pushes of one epoch
 * cover every index in [0, count) — count is shard 0's partition at the coordinator,
 * the pushes' own count at a follower, where a newer epoch's push drops the older ones.
 * A second push of a rank is an identical resend (answered with the same reply) or a
 * duplicate (refused); after the close the same holds for the step just closed.
 */
export class StepBarrier<R> {
  private open = new Map<number, Held<R>>();
  private closedByRank = new Map<number, PushIdentity>();
  private openEpoch = 0;
  private openCount = 0;

  /** @param coordinator shard 0: the partition is given by the caller, not by the pushes. */
  constructor(private readonly coordinator: boolean) {}

  /** Share count of the open step: the coordinator's partition, or the open epoch's count at a follower. */
  count(partition: number): number {
    return this.coordinator ? partition : this.openCount;
  }

  /** Whether nothing is held for the open step. */
  get empty(): boolean {
    return this.open.size === 0;
  }

  /**
   * Offers a push of the open step (already checked: shape, samples, and at the
   * coordinator its share against the partition).
   *
   * @param p rank, identity and gradient comparison.
   * @param route the request to answer when the step closes.
   */
  offer(p: OfferedPush, route: R): Offer<R> {
    const { share } = p.identity;
    let dropped: Dropped<R>[] = [];
    if (!this.coordinator) {
      if (this.open.size === 0 && share.epoch >= this.openEpoch) {
        this.openEpoch = share.epoch;
        this.openCount = share.count;
      }
      if (share.epoch < this.openEpoch) {
        return { kind: 'stale-epoch', message: `push of epoch ${share.epoch}; this shard has pushes of epoch ${this.openEpoch}: take your share from shard 0` };
      }
      if (share.epoch > this.openEpoch) {
        dropped = this.dropAll();
        this.openEpoch = share.epoch;
        this.openCount = share.count;
      } else if (share.count !== this.openCount) {
        return { kind: 'bad-count', message: `push of epoch ${share.epoch} claims ${share.count} shares; other pushes of that epoch claim ${this.openCount}` };
      }
    }
    const held = this.open.get(share.index);
    if (held !== undefined && held.rank !== p.rank) {
      return { kind: 'duplicate', message: `share ${share.index} of epoch ${share.epoch} was already pushed by rank ${held.rank}` };
    }
    if (held !== undefined) {
      if (!sameIdentity(held.identity, p.identity) || !p.sameGradient())
        return { kind: 'duplicate', message: `rank ${p.rank} already pushed this step with different content` };
      if (held.routes.length >= MAX_RESENDS) return { kind: 'duplicate', message: `rank ${p.rank} resent this step more than ${MAX_RESENDS} times` };
      held.routes.push(route);
      return { kind: 'resend' };
    }
    for (const h of this.open.values()) {
      // A rank pushing a second share of one step (a new partition it has not been told of) is not a resend.
      if (h.rank === p.rank) return { kind: 'duplicate', message: `rank ${p.rank} already pushed share ${h.identity.share.index} of this step` };
    }
    this.open.set(share.index, { rank: p.rank, identity: p.identity, routes: [route] });
    return { kind: 'accepted', dropped };
  }

  /**
   * A push of the step that closed last: an identical one is a resend (answer it with
   * that close's reply), any other a duplicate.
   *
   * @param rank the pushing rank.
   * @param identity what the push says.
   */
  afterClose(rank: number, identity: PushIdentity): 'resend' | 'duplicate' {
    const first = this.closedByRank.get(rank);
    return first === undefined || sameIdentity(first, identity) ? 'resend' : 'duplicate';
  }

  /**
   * Whether the held pushes cover every share of the partition.
   *
   * @param partition the coordinator's member count (ignored at a follower).
   */
  complete(partition: number): boolean {
    const count = this.count(partition);
    if (count === 0) return false;
    for (let i = 0; i < count; i++) if (!this.open.has(i)) return false;
    return true;
  }

  /** Closes the step: the requests to answer in rank order; the identities are kept to tell resends from duplicates. */
  close(): Closed<R> {
    const held = [...this.open.values()].sort((a, b) => a.rank - b.rank);
    let samples = 0;
    for (const h of held) samples += h.identity.samples;
    this.closedByRank = new Map(held.map((h) => [h.rank, h.identity]));
    this.open = new Map();
    return { replies: held.map((h) => ({ rank: h.rank, routes: h.routes })), samples };
  }

  /** Drops every held push (the partition changed): their senders must compute the step again. */
  dropAll(): Dropped<R>[] {
    const held = [...this.open.values()].sort((a, b) => a.rank - b.rank);
    this.open = new Map();
    return held.map((h) => ({ rank: h.rank, routes: h.routes }));
  }

  /** Drops the push held for one share index (a part of it was refused), returning its requests. */
  drop(index: number): Dropped<R> | undefined {
    const h = this.open.get(index);
    if (h === undefined) return undefined;
    this.open.delete(index);
    return { rank: h.rank, routes: h.routes };
  }

  /** The requests held for one share index's push (its first and its resends), if it is held. */
  routesOf(index: number): readonly R[] | undefined {
    return this.open.get(index)?.routes;
  }

  /** The held pushes' requests in rank order, without closing (to answer a step part by part). */
  routes(): Dropped<R>[] {
    return [...this.open.values()].sort((a, b) => a.rank - b.rank).map((h) => ({ rank: h.rank, routes: h.routes }));
  }

  /** The share indices of the held pushes (to drop them from the shard's math). */
  heldIndices(): number[] {
    return [...this.open.keys()];
  }
}

/** A push's identity without its checksum (the parts of one push each carry their own). */
export function samePushHeader(a: PushIdentity, b: PushIdentity): boolean {
  return (
    a.samples === b.samples &&
    Object.is(a.loss, b.loss) &&
    a.share.epoch === b.share.epoch &&
    a.share.index === b.share.index &&
    a.share.count === b.share.count &&
    a.checksumKind === b.checksumKind
  );
}

function sameIdentity(a: PushIdentity, b: PushIdentity): boolean {
  return samePushHeader(a, b) && a.checksum === b.checksum;
}
