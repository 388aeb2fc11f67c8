import { randomUUID } from 'node:crypto';
import { keyRanges } from '@lnsgd/transport';
import { KvWorker } from './kv_worker';
import { ParameterShard, type ParameterShardOptions } from './parameter_shard';
import { serveShard, type ServedShard } from './serve_shard';
import { partLengthForBytes } from './shard_server';

/** Options of {@link serveSyntheticShard}. */
export interface SyntheticShardOptions {
  /** Parameters n of the whole (synthetic) model. */
  readonly numParams: number;
  /** This shard s of S (default 0 of 1); it holds keyRanges(n, S)[s]. */
  readonly shard?: number;
  readonly shards?: number;
  /** CRC-32 on the shard's replies (default true). */
  readonly checksum?: boolean;
  /** The shard's --part-bytes (default DEFAULT_PART_BYTES; 0: whole). */
  readonly partBytes?: number;
  /** The run the shard serves: its preset's name and resolved hyper-parameters. */
  readonly preset: string;
  readonly hyper: ParameterShardOptions['hyper'] & { readonly batch: number; readonly steps: number };
  readonly log: (line: string) => void;
}

/**
 * A 1-worker shard of a synthetic model (θ₀ all ones) on tcp://127.0.0.1:0, served by
 * the parameter server's own layers (ParameterShard, ShardCore, serveShard): what the
 * exchange bench and `lnsgd plan --calibrate` time against a raw ZeroMQ echo.
 *
 * @throws Error for a parameter count or shard index that is not one.
 */
export async function serveSyntheticShard(o: SyntheticShardOptions): Promise<ServedShard> {
  const n = o.numParams;
  const s = o.shard ?? 0;
  const shards = o.shards ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new Error(`serveSyntheticShard: numParams must be a positive integer, got ${n}`);
  if (!Number.isInteger(shards) || shards < 1 || !Number.isInteger(s) || s < 0 || s >= shards)
    throw new Error(`serveSyntheticShard: shard ${s} of ${shards} is not a shard`);
  const { hyper } = o;
  const range = keyRanges(n, shards)[s];
  const shard = new ParameterShard({ params: new Float32Array(range.length).fill(1), hyper, reuseParams: true, partLength: partLengthForBytes(o.partBytes) });
  return serveShard({
    bind: 'tcp://127.0.0.1:0',
    maxMessageBytes: 2 ** 30,
    log: o.log,
    core: {
      config: {
        shard: s,
        shards,
        workers: 1,
        batch: hyper.batch,
        steps: hyper.steps,
        onWorkerLoss: 'rebalance',
        heartbeatTimeoutMs: 120_000,
        startupGraceMs: 120_000,
        authToken: '',
        checksum: o.checksum ?? true,
        stayAfterRun: false,
      },
      range,
      session: randomUUID(),
      shard,
      assignment: {
        worldSize: 1,
        numShards: shards,
        numParams: n,
        range,
        run: { preset: o.preset, steps: hyper.steps, batch: hyper.batch, lr: hyper.lr },
      },
    },
  });
}

/** The one worker of synthetic shards (see {@link connectSyntheticWorker}). */
export interface SyntheticWorker {
  /** Parameters of the whole model, as the shards assigned them. */
  readonly numParams: number;
  /** One push of a constant gradient (the run's whole batch) and the pull of θ. */
  trip(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The 1 worker of shards served by {@link serveSyntheticShard} (a real KvWorker, at rank
 * 0): what the exchange bench and `lnsgd plan --calibrate` time their round trips with.
 *
 * @param o the shards' endpoints (keyRanges order), CRC-32 on pushes, and a worker id.
 * @throws Error when the shards refuse the registration.
 */
export async function connectSyntheticWorker(o: {
  readonly endpoints: readonly string[];
  readonly checksum: boolean;
  readonly workerId: string;
}): Promise<SyntheticWorker> {
  const kv = await KvWorker.connect({
    endpoints: o.endpoints,
    workerId: o.workerId,
    rank: 0,
    authToken: '',
    timeoutMs: 60_000,
    retries: 0,
    registerTimeoutMs: 60_000,
    reconnectTimeoutMs: 0,
    checksum: o.checksum,
    hardMaxMessageBytes: -1,
    log: () => undefined,
  });
  if (kv === undefined) throw new Error('connectSyntheticWorker: the synthetic shard refused the registration (run over)');
  const a = kv.assignment;
  const n = a.numParams ?? 0;
  // The whole global batch, as the one worker of a real run pushes (the shard refuses any other count).
  const samples = a.run?.batch ?? 1;
  let step = a.startStep ?? 0;
  let share = { epoch: a.share?.epoch ?? 0, index: a.share?.index ?? 0, count: a.share?.count ?? 1 };
  const grad = new Float32Array(n).fill(1e-3);
  const next = new Float32Array(n);
  return {
    numParams: n,
    trip: async () => {
      const out = await kv.pushPull({ step, theta: grad, share, next, compute: () => ({ grad, samples, loss: 0 }) });
      step = out.version;
      share = out.share;
    },
    close: () => kv.close(),
  };
}
