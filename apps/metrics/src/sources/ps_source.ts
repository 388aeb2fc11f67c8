import { KvClient, readFloat32Frame, releaseFrame, type CurveConfig, type WireMessage } from '@lnsgd/transport';
import type { Snapshot, SnapshotSource } from '../snapshot';

/** Options of {@link psSnapshotSource}. */
export interface PsSnapshotSourceOptions {
  /** One ZeroMQ endpoint per parameter-server shard, in shard order. */
  readonly endpoints: readonly string[];
  /** Number of parameters the run's model has; shards covering another count are an error. */
  readonly numParams: number;
  /** A version reaching this marks the run as finished (default: only a Stop or a final Params does). */
  readonly finalStep?: number;
  /** Per-request timeout in ms (default 5000). */
  readonly timeoutMs?: number;
  /** Tries to get one version from every shard before giving up on a fetch (default 5). */
  readonly attempts?: number;
  readonly curve?: CurveConfig;
}

/**
 * Snapshots from the parameter servers over ZeroMQ: `latestStep` sends each shard a
 * SnapshotRequest without parameters (a few dozen bytes back); `fetch` asks for the
 * parameters too and concatenates the shards' key ranges into θ. A shard answers
 * from its current version between two message handlers, so a request never waits
 * for (or holds up) a training step. Shards close a step one after the other, so a
 * fetch that sees two versions asks again.
 *
 * @param opts the shard endpoints, the model's size and the run's last step.
 * @example psSnapshotSource({endpoints: ['tcp://127.0.0.1:7000'], numParams: 2, finalStep: 20000})
 */
export function psSnapshotSource(opts: PsSnapshotSourceOptions): SnapshotSource {
  if (opts.endpoints.length === 0) throw new Error('psSnapshotSource: endpoints is empty; give one endpoint per parameter-server shard');
  let stopped = false;
  let lastStep: number | undefined;
  const clients = opts.endpoints.map((endpoint) =>
    KvClient.connect({
      endpoint,
      timeoutMs: opts.timeoutMs ?? 5000,
      curve: opts.curve,
      onUnsolicited: (m) => {
        if (m.envelope.body === 'stop' || (m.envelope.body === 'params' && m.envelope.params?.final === true)) stopped = true;
      },
    }),
  );
  const ask = (includeParams: boolean): Promise<WireMessage[]> =>
    Promise.all(clients.map((c) => c.call({ snapshotRequest: { includeParams } }, { body: 'snapshot' })));
  const versionOf = (m: WireMessage): number => m.envelope.snapshot?.version ?? 0;
  const isFinished = (): boolean => stopped || (opts.finalStep !== undefined && (lastStep ?? -1) >= opts.finalStep);

  return {
    async latestStep() {
      try {
        const replies = await ask(false);
        lastStep = Math.min(...replies.map(versionOf));
      } catch (err: unknown) {
        // After the run is over the servers exit: the last version seen stays the newest.
        if (!isFinished()) throw err;
      }
      return lastStep;
    },
    async fetch(): Promise<Snapshot | undefined> {
      const attempts = opts.attempts ?? 5;
      let versions: number[] = [];
      for (let i = 0; i < attempts; i++) {
        const replies = await ask(true);
        versions = replies.map(versionOf);
        if (versions.every((v) => v === versions[0])) return assemble(replies);
      }
      throw new Error(`psSnapshotSource.fetch: the shards kept reporting different versions [${versions.join(', ')}] over ${attempts} tries`);
    },
    finished: () => Promise.resolve(isFinished()),
    async close() {
      await Promise.all(clients.map((c) => c.close()));
    },
  };

  function assemble(replies: readonly WireMessage[]): Snapshot {
    const theta = new Float32Array(opts.numParams);
    let covered = 0;
    let gradSq = 0;
    let traceSigma = 0;
    let count = 0;
    replies.forEach((m, s) => {
      const snap = m.envelope.snapshot ?? {};
      const range = snap.range ?? {};
      const offset = range.offset ?? 0;
      const length = range.length ?? 0;
      if (range.shard !== s || snap.numShards !== replies.length || offset + length > opts.numParams) {
        throw new Error(
          `psSnapshotSource: ${clients[s].endpoint} is shard ${String(range.shard)} of ${String(snap.numShards)} covering [${offset}, +${length}); expected shard ${s} of ${replies.length} within ${opts.numParams} parameters`,
        );
      }
      theta.set(readFloat32Frame(snap.params, m.frames[0], { offset, length, what: `snapshot from ${clients[s].endpoint}` }), offset);
      // Copied out: free ZeroMQ's buffer of the whole slice now (releaseFrame), not at the next collection.
      releaseFrame(m.frames[0]);
      covered += length;
      gradSq += snap.noise?.emaGradSqNorm ?? 0;
      traceSigma += snap.noise?.emaTraceSigma ?? 0;
      count = Math.max(count, snap.noise?.count ?? 0);
    });
    if (covered !== opts.numParams) throw new Error(`psSnapshotSource: the shards cover ${covered} parameters, the run's model has ${opts.numParams}`);
    const step = versionOf(replies[0]);
    lastStep = Math.max(lastStep ?? step, step);
    // B_simple = tr Σ / |G|²: both sums are additive over shards (proto NoiseScale).
    return { step, theta, gradientNoiseScale: count > 0 && gradSq > 0 ? traceSigma / gradSq : undefined };
  }
}
