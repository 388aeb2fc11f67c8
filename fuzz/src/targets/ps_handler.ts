import { ParameterShard, shareSamples, ShardCore, type Share, type ShardCoreConfig, type WorkerLossPolicy } from '@lnsgd/ps';
import { decodeMessage, encodeMessage, float32Frame, TransportError, type EnvelopeInit, type ServerRequest } from '@lnsgd/transport';
import { Bytes } from '../engine/bytes';
import { check, type FuzzTarget } from '../engine/target';

const POLICIES: readonly WorkerLossPolicy[] = ['wait', 'rebalance', 'fail'];
const IDS = ['w0', 'w1', 'w2', 'w3', ''];
const TOKEN = 'run-token';
const SESSION = 'S';

/**
 * The parameter server's request handler (ShardCore, socket-free, fake clock): the
 * first bytes choose the run (workers, shards, which shard, B, steps, loss policy,
 * token, checksums, resumed step), the rest is a program of requests — well-formed
 * ones with fuzzed fields (so that runs start, steps close, workers get lost,
 * replaced, say goodbye, stop), raw bytes, and mutated encodings of valid requests —
 * interleaved with clock advances. So the shard passes through every membership
 * state: waiting for workers, running, a member lost (each policy), rebalanced,
 * stopping, finished.
 *
 * Checked after every request: the handler does not throw and never takes its
 * "internal error" path; every reply encodes; no request id gets two replies; the
 * version never goes back nor past the last step; every closed step combined B
 * samples (shard 0 only: followers accept the shares shard 0 handed out).
 */
export const psHandler: FuzzTarget = {
  name: 'ps-handler',
  about: 'ShardCore.handle: Envelope + frames → reply, a shard in every membership state',
  maxLen: 384,
  fuzz(data) {
    const b = new Bytes(data);
    const workers = 1 + b.below(3);
    const shards = 1 + b.below(2);
    const shard = b.below(shards);
    const batch = workers + b.below(6);
    const steps = 1 + b.below(6);
    const n = 1 + b.below(4);
    const config: ShardCoreConfig = {
      shard,
      shards,
      workers,
      batch,
      steps,
      onWorkerLoss: b.pick(POLICIES),
      heartbeatTimeoutMs: 100,
      startupGraceMs: b.pick([0, 150]),
      authToken: b.bool() ? TOKEN : '',
      checksum: b.bool(),
      stayAfterRun: b.bool(),
    };
    const resumed = b.below(8) === 0 ? b.below(steps + 1) : 0;
    const range = { shard, offset: shard * n, length: n };
    let now = 1000;
    const replies = new Set<string>();
    /** Request ids a peer used twice (mutated or raw bytes can repeat one): two replies are right there. */
    const reused = new Set<string>();
    const delivered = new Set<string>();
    let twice: string | undefined;
    let internal: string | undefined;
    const p = new ParameterShard({
      params: Float32Array.from({ length: n }, (_, i) => 0.25 * i - 0.5),
      hyper: { lr: 0.1, momentum: 0.5, weightDecay: 0.01, warmupSteps: 1 },
      version: resumed,
      reuseParams: true,
    });
    const core = new ShardCore({
      config,
      range,
      session: SESSION,
      shard: p,
      assignment: { worldSize: workers, numShards: shards, numParams: n * shards, range },
      now: () => now,
      out: {
        send: (peer, envelope, frames) => {
          // What the socket server does with it: encode (must not throw) and route.
          encodeMessage(envelope, frames);
          const id = envelope.requestId ?? 0;
          if (id !== 0) {
            const key = `${peer.toString('hex')}/${id}`;
            // Recorded, not thrown: the handler would catch it as its own failure.
            if (replies.has(key) && !reused.has(key)) twice ??= `request ${key} answered twice (second: ${JSON.stringify(envelope).slice(0, 160)})`;
            replies.add(key);
          }
        },
        log: (line) => {
          if (/: request \S+ failed: /.test(line)) internal = line;
        },
        closed: () => undefined,
        exit: () => undefined,
      },
    });
    let requestId = 1;
    let version = core.version;
    const share = (): Share | undefined => {
      switch (b.below(3)) {
        case 0:
          return undefined;
        case 1:
          return core.membership.shareOf(b.below(workers + 1));
        default:
          return { epoch: b.below(4), index: b.below(4), count: b.below(4) };
      }
    };
    const valid = (): EnvelopeInit => {
      const rank = b.below(workers + 1);
      const session = b.below(8) === 0 ? 'X' : SESSION;
      switch (b.below(5)) {
        case 0:
          return { register: { workerId: b.pick(IDS), requestedRank: b.below(workers + 2) - 1, authToken: b.below(8) === 0 ? 'wrong' : TOKEN } };
        case 1: {
          const s = share();
          const samples = s !== undefined && s.count > 0 && b.below(8) !== 0 ? shareSamples(batch, s) : b.below(batch + 2);
          return {
            push: {
              rank,
              session,
              step: Math.max(0, core.version + b.below(4) - 2),
              numSamples: samples,
              loss: b.below(4) === 0 ? b.f32() : 0.5,
              share: s ?? null,
            },
          };
        }
        case 2:
          return { pull: { rank, session, minVersion: b.below(steps + 2) } };
        case 3:
          return { heartbeat: { rank, session } };
        default:
          return b.bool() ? { stop: { reason: 'bye', goodbye: { rank, session } } } : { stop: { reason: 'launcher', authToken: b.pick(['', TOKEN, 'wrong']) } };
      }
    };
    /** A push's gradient: its header (now and then for the wrong keys) and 0, 1 or 2 frames. */
    const withGrad = (env: EnvelopeInit): { env: EnvelopeInit; frames: Uint8Array[] } => {
      if (env.push === undefined) return { env, frames: [] };
      const values = Float32Array.from({ length: n }, () => (b.below(8) === 0 ? b.f32() : 0.125 * (b.below(16) - 8)));
      const f = float32Frame(values, { offset: range.offset + (b.below(16) === 0 ? 1 : 0), checksum: config.checksum });
      const frames = b.below(16) === 0 ? [] : b.below(16) === 0 ? [f.bytes, f.bytes] : [f.bytes];
      return { env: { ...env, push: { ...env.push, grad: f.header } }, frames };
    };
    const deliver = (peer: Buffer, frames: Uint8Array[]): void => {
      let message;
      try {
        message = decodeMessage(frames.map((f) => Buffer.from(f)));
      } catch (err: unknown) {
        // KvServer refuses what does not decode before the core sees it.
        check(err instanceof TransportError, `decodeMessage threw ${String(err)}`);
        return;
      }
      const key = `${peer.toString('hex')}/${message.envelope.requestId}`;
      if (delivered.has(key)) reused.add(key);
      delivered.add(key);
      const req: ServerRequest = { peer, message, bytes: frames.reduce((s, f) => s + f.length, 0) };
      core.handle(req);
    };
    for (let op = 0; op < 32 && b.left > 0; op++) {
      const peer = Buffer.from([1 + b.below(5)]);
      const id = b.below(16) === 0 ? 0 : requestId++;
      switch (b.below(8)) {
        case 0:
        case 1:
        case 2: {
          const { env, frames } = withGrad(valid());
          deliver(peer, encodeMessage({ ...env, requestId: id }, frames));
          break;
        }
        case 3: {
          // A valid request with some header bytes changed.
          const { env, frames } = withGrad(valid());
          const encoded = encodeMessage({ ...env, requestId: id }, frames);
          const header = Uint8Array.from(encoded[0]);
          for (let k = b.below(4); k >= 0; k--) if (header.length > 0) header[b.below(header.length)] = b.u8();
          deliver(peer, [header, ...encoded.slice(1)]);
          break;
        }
        case 4: {
          const count = 1 + b.below(3);
          deliver(
            peer,
            Array.from({ length: count }, () => b.bytes(48)),
          );
          break;
        }
        case 5:
          deliver(peer, encodeMessage({ snapshotRequest: { includeParams: b.bool() }, requestId: id }));
          break;
        case 6:
          now += b.pick([1, 10, 60, 120, 400, 5000]);
          core.tick();
          break;
        default:
          if (b.below(8) === 0) core.requestStop('fuzz');
          else core.tick();
      }
      check(twice === undefined, twice ?? '');
      check(internal === undefined, `the handler took its internal-error path: ${internal}`);
      check(core.version >= version && core.version <= Math.max(steps, resumed), `version went from ${version} to ${core.version} (steps ${steps})`);
      if (core.version > version && shard === 0 && core.lastClose !== undefined) {
        check(core.lastClose.stepSamples === batch, `step ${core.version} combined ${core.lastClose.stepSamples} samples, B = ${batch}`);
      }
      version = core.version;
    }
  },
};
