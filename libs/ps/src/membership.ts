/** Which block of each step's global batch B a worker computes (proto `Share`). */
export interface Share {
  readonly epoch: number;
  readonly index: number;
  /** Number of members; 0: not a member (yet). */
  readonly count: number;
}

/** What shard 0 does when a member stops heartbeating. */
export type WorkerLossPolicy = 'wait' | 'rebalance' | 'fail';

/** Options of {@link Membership}. */
export interface MembershipOptions {
  /** Workers the run starts with (ranks 0…workers−1). */
  readonly workers: number;
  /** Shard 0 decides the partition; a follower takes each push's share as given. */
  readonly coordinator: boolean;
  readonly policy: WorkerLossPolicy;
  /** Silence after which a member is lost (at least 3x the recent step time). */
  readonly heartbeatTimeoutMs: number;
  /** Silence allowed to a worker that has not pushed yet (model and data loading). */
  readonly startupGraceMs: number;
}

/** One registered worker. `conn` names the connection that registered it (opaque: the ROUTER identity). */
export interface Member {
  readonly rank: number;
  readonly workerId: string;
  conn: string;
  lastSeen: number;
  alive: boolean;
  bye: boolean;
  /** Pushed since it registered (until then model loading may block its heartbeats). */
  pushed: boolean;
}

/** What a membership change asks of the server. */
export type MembershipEvent =
  | { readonly kind: 'lost'; readonly rank: number; readonly workerId: string; readonly silentMs: number }
  /** A new partition of B; `notify`: send every member a Membership note (not at a step boundary, where replies carry it). */
  | { readonly kind: 'epoch'; readonly epoch: number; readonly members: readonly number[]; readonly why: string; readonly notify: boolean }
  /** The open step's pushes were computed for the old partition: drop them and have their senders recompute. */
  | { readonly kind: 'drop-open-step'; readonly why: string }
  | { readonly kind: 'wait'; readonly rank: number }
  | { readonly kind: 'failed'; readonly reason: string };

/** The outcome of a registration. */
export type Registration =
  /** Before the run starts: held until every expected worker has registered. */
  | { readonly kind: 'held' }
  /** The run starts: every held registration gets its rank (the caller answers each). */
  | { readonly kind: 'started'; readonly ranks: ReadonlyMap<string, number> }
  | { readonly kind: 'assigned'; readonly rank: number; readonly rejoin: boolean; readonly events: readonly MembershipEvent[] }
  | { readonly kind: 'refused'; readonly message: string };

/**
 * Who is in the run (ps-lite's Postoffice, pure): ranks, shares and epochs, liveness
 * and the wait / rebalance / fail policy. Inputs are registrations, heartbeats, pushes
 * and `tick(now)`; outputs are assignments and events. No sockets, no timers: the
 * clock is whatever `now` the caller passes.
 *
 * Shard 0 (the coordinator) decides the partition: `members` are the ranks whose
 * shares make up the open step's batch, joiners are admitted when it closes, and
 * `epoch` names the partition. A follower records the share of each rank's last push.
 */
export class Membership {
  private readonly workers = new Map<number, Member>();
  private readonly byId = new Map<string, Member>();
  private readonly held = new Map<string, { readonly rank: number; readonly conn: string }>();
  private readonly joiners = new Set<number>();
  private readonly lastShare = new Map<number, Share>();
  private membersValue: number[] = [];
  private epochValue = 0;
  private startedValue = false;

  constructor(private readonly options: MembershipOptions) {}

  /** Whether every expected worker has registered once. */
  get started(): boolean {
    return this.startedValue;
  }

  get epoch(): number {
    return this.epochValue;
  }

  /** Ranks of the open step's partition (coordinator), ascending. */
  get members(): readonly number[] {
    return this.membersValue;
  }

  /** Live registered workers. */
  get liveCount(): number {
    let n = 0;
    for (const w of this.workers.values()) if (w.alive) n++;
    return n;
  }

  /** Every registered worker, by rank. */
  all(): IterableIterator<Member> {
    return this.workers.values();
  }

  /**
   * A registration from `conn` (the caller has checked the token and that the run is not over).
   *
   * @param r worker id, rank asked for (−1: any) and connection.
   * @param now the clock.
   */
  register(r: { workerId: string; requestedRank: number; conn: string }, now: number): Registration {
    const { workers } = this.options;
    if (!this.startedValue) {
      if (r.requestedRank >= workers) return { kind: 'refused', message: `requested rank ${r.requestedRank} is outside [0, ${workers})` };
      this.held.set(r.workerId, { rank: r.requestedRank, conn: r.conn });
      if (this.held.size < workers) return { kind: 'held' };
      return { kind: 'started', ranks: this.begin(now) };
    }
    const known = this.byId.get(r.workerId);
    if (known !== undefined && known.alive) {
      // A live worker asking again (its reply was lost): same rank, same share.
      this.touch(known, { conn: r.conn, now });
      return { kind: 'assigned', rank: known.rank, rejoin: false, events: [] };
    }
    // A replacement, or a worker declared lost that came back. Shard 0 picks the rank
    // (the one asked for if free, else the lowest free one); followers take the rank
    // shard 0 gave, which the worker asks for.
    const free = (q: number): boolean => q >= 0 && q < workers && this.workers.get(q)?.alive !== true;
    let rank = -1;
    if (this.options.coordinator) {
      if (free(r.requestedRank)) rank = r.requestedRank;
      else for (let q = 0; q < workers && rank < 0; q++) if (free(q)) rank = q;
    } else if (r.requestedRank >= 0 && r.requestedRank < workers) {
      rank = r.requestedRank;
    }
    if (rank < 0) {
      return {
        kind: 'refused',
        message: this.options.coordinator ? `all ${workers} ranks are taken` : `requested rank ${r.requestedRank} is outside [0, ${workers})`,
      };
    }
    const old = this.workers.get(rank);
    if (old !== undefined && this.byId.get(old.workerId) === old) this.byId.delete(old.workerId);
    if (known !== undefined && known.rank !== rank && this.workers.get(known.rank) === known) this.workers.delete(known.rank);
    this.add({ rank, workerId: r.workerId, conn: r.conn }, now);
    const events: MembershipEvent[] = [];
    if (this.options.coordinator && !this.membersValue.includes(rank)) {
      this.joiners.add(rank);
      // Nobody is computing: admit now rather than at a close that cannot come.
      if (this.membersValue.length === 0) events.push(...this.admitJoiners());
    }
    return { kind: 'assigned', rank, rejoin: true, events };
  }

  /** The worker `rank` when `conn` is the connection that registered it (and it is live). */
  known(rank: number, conn: string): Member | undefined {
    const w = this.connected(rank, conn);
    return w !== undefined && w.alive ? w : undefined;
  }

  /** The worker `rank` when `conn` is the connection that registered it, live or declared lost. */
  connected(rank: number, conn: string): Member | undefined {
    const w = this.workers.get(rank);
    return w !== undefined && w.conn === conn ? w : undefined;
  }

  /** The worker holding `rank`, if any. */
  get(rank: number): Member | undefined {
    return this.workers.get(rank);
  }

  /** The worker registered over `conn`, live or not. */
  byConn(conn: string): Member | undefined {
    for (const w of this.workers.values()) if (w.conn === conn) return w;
    return undefined;
  }

  /** A sign of life from a worker (any request it sends). */
  touch(w: Member, at: { conn: string; now: number }): void {
    w.lastSeen = at.now;
    w.conn = at.conn;
  }

  /** A rank's share of the open step: shard 0's partition, or (follower) the share of its last push. */
  shareOf(rank: number): Share {
    if (!this.options.coordinator) return this.lastShare.get(rank) ?? { epoch: 0, index: 0, count: 0 };
    const index = this.membersValue.indexOf(rank);
    return index < 0 ? { epoch: this.epochValue, index: 0, count: 0 } : { epoch: this.epochValue, index, count: this.membersValue.length };
  }

  /** Whether `rank` is in the open step's partition (a follower counts everyone). */
  isMember(rank: number): boolean {
    return !this.options.coordinator || this.membersValue.includes(rank);
  }

  /** Follower: the share a rank's accepted push used (echoed in replies). */
  recordShare(rank: number, share: Share): void {
    this.lastShare.set(rank, share);
  }

  /** Shard 0, at a step boundary: the joiners become members under a new epoch (no note: the replies carry it). */
  admitJoiners(): MembershipEvent[] {
    if (this.joiners.size === 0) return [];
    const admitted = [...this.joiners].filter((r) => this.workers.get(r)?.alive === true);
    this.joiners.clear();
    if (admitted.length === 0) return [];
    return [this.setMembers([...this.membersValue, ...admitted], { why: `admitted rank(s) ${admitted.join(', ')}`, notify: false })];
  }

  /** The worker has the final parameters and leaves. */
  goodbye(w: Member): void {
    w.bye = true;
  }

  /** Whether every worker said goodbye or was lost. */
  allGone(): boolean {
    for (const w of this.workers.values()) if (!w.bye && w.alive) return false;
    return true;
  }

  /**
   * Liveness at time `now`: members silent beyond the limit are lost, and shard 0
   * applies the loss policy. A worker computing a long step cannot heartbeat (tfjs on
   * wasm runs on its one thread): silence counts only beyond 3 typical steps, and
   * beyond the start-up grace for a worker that has not pushed yet.
   *
   * @param now the clock.
   * @param stepMs recent time between step closes (0 before the first).
   */
  tick(now: number, stepMs = 0): MembershipEvent[] {
    if (!this.startedValue) return [];
    const steady = Math.max(this.options.heartbeatTimeoutMs, 3 * stepMs);
    const events: MembershipEvent[] = [];
    for (const w of this.workers.values()) {
      const limit = w.pushed ? steady : Math.max(steady, this.options.startupGraceMs);
      if (!w.alive || now - w.lastSeen <= limit) continue;
      w.alive = false;
      this.joiners.delete(w.rank);
      events.push({ kind: 'lost', rank: w.rank, workerId: w.workerId, silentMs: now - w.lastSeen });
      if (this.options.coordinator && this.membersValue.includes(w.rank)) events.push(...this.onMemberLost(w));
    }
    return events;
  }

  private onMemberLost(w: Member): MembershipEvent[] {
    switch (this.options.policy) {
      case 'wait':
        return [{ kind: 'wait', rank: w.rank }];
      case 'fail':
        return [{ kind: 'failed', reason: `worker '${w.workerId}' (rank ${w.rank}) was lost` }];
      case 'rebalance': {
        const out: MembershipEvent[] = [
          this.setMembers(
            this.membersValue.filter((r) => r !== w.rank),
            { why: `lost rank ${w.rank}`, notify: true },
          ),
          { kind: 'drop-open-step', why: `rank ${w.rank} was lost` },
        ];
        // Nobody left to compute: admit the waiting joiners now, or wait for a registration.
        if (this.membersValue.length === 0) out.push(...this.admitJoiners());
        return out;
      }
    }
  }

  private setMembers(ranks: readonly number[], how: { why: string; notify: boolean }): MembershipEvent {
    this.membersValue = [...new Set(ranks)].sort((a, b) => a - b);
    this.epochValue++;
    return { kind: 'epoch', epoch: this.epochValue, members: this.membersValue, why: how.why, notify: how.notify };
  }

  /** Every expected worker registered: requested ranks first, then the rest in worker-id order. */
  private begin(now: number): Map<string, number> {
    const taken = new Set<number>();
    const ids = [...this.held.keys()].sort();
    const rankOf = new Map<string, number>();
    for (const id of ids) {
      const want = this.held.get(id)?.rank ?? -1;
      if (want >= 0 && !taken.has(want)) {
        rankOf.set(id, want);
        taken.add(want);
      }
    }
    let next = 0;
    for (const id of ids) {
      if (rankOf.has(id)) continue;
      while (taken.has(next)) next++;
      rankOf.set(id, next);
      taken.add(next);
    }
    this.startedValue = true;
    this.membersValue = [...rankOf.values()].sort((a, b) => a - b);
    for (const [workerId, rank] of rankOf) this.add({ rank, workerId, conn: this.held.get(workerId)?.conn ?? '' }, now);
    this.held.clear();
    return rankOf;
  }

  private add(w: { rank: number; workerId: string; conn: string }, now: number): void {
    const m: Member = { ...w, lastSeen: now, alive: true, bye: false, pushed: false };
    this.workers.set(w.rank, m);
    this.byId.set(w.workerId, m);
  }
}
