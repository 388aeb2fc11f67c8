import { KvServer, type CurveConfig, type KvServerStats } from '@lnsgd/transport';
import { ShardCore, type ShardCoreOptions, type ShardCounters } from './shard_core';

/** Timings a shard reports (seconds), for a metrics exporter. */
export type ShardTiming = 'pushDuration' | 'pullDuration' | 'trainStepDuration';

/** Options of {@link serveShard}. */
export interface ServeShardOptions {
  /** e.g. tcp://0.0.0.0:7000, or tcp://127.0.0.1:0 for a free port. */
  readonly bind: string;
  /** Largest request accepted (TOO_LARGE beyond). */
  readonly maxMessageBytes: number;
  readonly curve?: CurveConfig;
  readonly log: (line: string) => void;
  /** The shard: its run, key range, session, math and Assignment fields. */
  readonly core: Omit<ShardCoreOptions, 'out' | 'now'>;
  /** A clock for liveness (ms); with it no timer runs and the owner calls tick(). Default: Date.now and a timer. */
  readonly now?: () => number;
  /** A step closed (checkpoints). */
  readonly onClosed?: (c: { readonly version: number; readonly final: boolean }) => void;
  readonly observe?: (timing: ShardTiming, seconds: number) => void;
  /** The socket closed: the final version, counters, transport counters and any failure. */
  readonly onDone?: (d: { readonly version: number; readonly counters: ShardCounters; readonly transport: KvServerStats; readonly failure?: string }) => void;
}

/** A serving shard. */
export interface ServedShard {
  readonly endpoint: string;
  readonly core: ShardCore;
  readonly transport: KvServerStats;
  /** Resolves with the final version once the run is over here and the socket is closed. */
  readonly done: Promise<number>;
  /** Checks liveness now (the timer does this unless a clock was given). */
  tick(): void;
  /** Closes the socket now, wherever the run is; resolves once closed. */
  close(): Promise<void>;
}

/**
 * The server layer: binds a ROUTER (KvServer) and routes its requests into a
 * {@link ShardCore} — snapshots with the transport's counters, pushes and pulls timed
 * — runs the liveness timer, and closes the socket when the core says the run is
 * over here. Holds no policy of its own.
 *
 * @param o endpoint, limits, CURVE, the core's parts and the owner's hooks.
 */
export async function serveShard(o: ServeShardOptions): Promise<ServedShard> {
  const c = o.core.config;
  let resolveDone: (v: number) => void = () => undefined;
  const done = new Promise<number>((r) => (resolveDone = r));
  const core = new ShardCore({
    ...o.core,
    now: o.now ?? Date.now,
    out: {
      // The server is bound below, before any request can reach the core.
      send: (peer, envelope, frames) => void server.send(peer, envelope, frames),
      log: o.log,
      closed: ({ version, final, stepMs }) => {
        o.observe?.('trainStepDuration', stepMs / 1000);
        o.onClosed?.({ version, final });
      },
      exit: (delayMs) => {
        if (delayMs === 0) void exit();
        else setTimeout(() => void exit(), delayMs).unref();
      },
    },
  });
  const server = await KvServer.bind({
    endpoint: o.bind,
    maxMessageBytes: o.maxMessageBytes,
    hardMaxMessageBytes: hardMaxMessageBytes(o.maxMessageBytes, o.core.range.length),
    // A ROUTER drops what exceeds a peer's send mark: room for two replies in parts
    // (the bytes pinned stay ~2 ranges, as with whole replies under the default 16).
    highWaterMark: 16 + 2 * Math.ceil(o.core.range.length / Math.max(1, o.core.shard.partLength)),
    curve: o.curve,
    log: o.log,
    currentVersion: () => core.version,
    onRequest: (req) => {
      const body = req.message.envelope.body;
      if (body === 'snapshotRequest') return core.snapshot(req, server.stats);
      const t0 = performance.now();
      core.handle(req);
      if (body === 'push') o.observe?.('pushDuration', (performance.now() - t0) / 1000);
      else if (body === 'pull') o.observe?.('pullDuration', (performance.now() - t0) / 1000);
    },
  });
  const liveness = o.now === undefined ? setInterval(() => core.tick(), Math.min(1000, Math.max(50, c.heartbeatTimeoutMs / 4))) : undefined;

  let exiting = false;
  async function exit(): Promise<void> {
    if (exiting) return;
    exiting = true;
    if (liveness !== undefined) clearInterval(liveness);
    await server.close();
    const failure = core.failure;
    o.onDone?.({ version: core.version, counters: { ...core.counters }, transport: { ...server.stats }, ...(failure !== undefined ? { failure } : {}) });
    resolveDone(core.version);
  }

  return {
    endpoint: server.endpoint,
    core,
    transport: server.stats,
    done,
    tick: () => core.tick(),
    close: async () => {
      await exit();
      await done;
    },
  };
}

/**
 * libzmq's own cap (ZMQ_MAXMSGSIZE), which drops a connection outright at a frame
 * header that announces more. Well above our limit, so that our typed TOO_LARGE reply
 * is what a client normally sees; but never far above the largest request a shard
 * takes (a push of its slice, 4 bytes a key, plus a header): a peer that announces a
 * 1 GB frame and never finishes it is dropped before a byte is buffered, instead of
 * pinning whatever it trickles in until it leaves.
 */
export function hardMaxMessageBytes(maxMessageBytes: number, sliceLength: number): number {
  return Math.min(2 ** 31 - 1, maxMessageBytes * 2 + (1 << 20), 4 * sliceLength + (1 << 20));
}
