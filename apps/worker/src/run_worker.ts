import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@lnsgd/backend';
import { createModel } from '@lnsgd/models';
import { float32Frame, KvClient, pb, readFloat32Frame, TransportError, type CurveConfig, type pbTypes, type WireMessage } from '@lnsgd/transport';
import {
  createNoisyGradient,
  loadPresetData,
  makeLabelNoiser,
  presetTask,
  resolveRunConfig,
  runLambda,
  summarizeRun,
  TrainingError,
  writeParamsFile,
  type NoisyGradient,
  type ProgressEvent,
  type RunConfig,
  type StartEvent,
  type TrainSummary,
} from '@lnsgd/trainer';
import type { Telemetry } from '@lnsgd/telemetry';
import type { WorkerConfig } from './config';

/** A progress event of the distributed run: the in-process fields plus the noise scale. */
export type ClusterProgressEvent = ProgressEvent & {
  /** B_simple from the parameter servers' EMAs of |G|² and tr Σ (null with one worker). */
  readonly noise_scale: number | null;
};

/** The summary of a distributed run: the in-process fields plus what the cluster went through. */
export type ClusterSummary = TrainSummary & {
  /** Fewest and most samples combined into one step, over the steps this worker saw (both B in a healthy run). */
  readonly step_samples_min: number | null;
  readonly step_samples_max: number | null;
  /** Steps this worker computed again because the membership changed (a worker lost or admitted). */
  readonly recomputed_steps: number;
  /** Times this worker registered again (a restarted parameter server, or it was declared lost). */
  readonly reregistrations: number;
};

/** What a worker reports (with events on, the worker holding share 0: rank 0 unless it was lost). */
export type WorkerEvent = StartEvent | ClusterProgressEvent | ClusterSummary;

/** Options of {@link runWorker}. */
export interface RunWorkerOptions {
  readonly config: WorkerConfig;
  readonly curve?: CurveConfig;
  readonly log: (line: string) => void;
  readonly onEvent: (e: WorkerEvent) => void;
  /** Polled between steps; true leaves the run (the servers then lose this worker). */
  readonly shouldAbort?: () => boolean;
  /**
   * Called once the rank is assigned; the returned telemetry (role `worker`) gets the
   * step, sample and byte counters and the push, pull and step timings.
   */
  readonly telemetryFor?: (rank: number) => Telemetry;
}

/** One shard as this worker sees it; `session` changes when the worker registers again. */
interface ShardLink {
  readonly client: KvClient;
  readonly offset: number;
  readonly length: number;
  session: string;
}

/** The block of each step's batch this worker computes (from shard 0). */
interface Share {
  readonly epoch: number;
  readonly index: number;
  readonly count: number;
}

/** Something the step loop waits for: a push's outcome, or news from the servers. */
type Inbound =
  | { readonly kind: 'reply'; readonly shard: number; readonly attempt: number; readonly msg: WireMessage }
  | { readonly kind: 'error'; readonly shard: number; readonly attempt: number; readonly err: unknown }
  | { readonly kind: 'membership'; readonly share: Share }
  | { readonly kind: 'restart'; readonly why: string }
  | { readonly kind: 'failed'; readonly why: string };

/** A FIFO the step loop awaits; socket callbacks and timers put into it. */
class Inbox<T> {
  private readonly items: T[] = [];
  private waiter: ((v: T) => void) | undefined;
  put(item: T): void {
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      w(item);
    } else {
      this.items.push(item);
    }
  }
  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise<T>((resolve) => (this.waiter = resolve));
  }
  clear(): void {
    this.items.length = 0;
  }
}

/** Why the step loop must register again and resynchronise θ. */
class Resync extends Error {}

const toShare = (s: pbTypes.IShare | null | undefined): Share => ({ epoch: s?.epoch ?? 0, index: s?.index ?? 0, count: s?.count ?? 0 });

/**
 * One worker of a synchronous data-parallel run: registers with every shard (rank
 * from shard 0, echoed to the others), receives the run's hyper-parameters, then per
 * step computes its share of the global batch (createNoisyGradient — the same code as
 * the in-process trainer), pushes each shard its key range in parallel, and takes
 * the shards' replies as the next θ. Rank 0 reports progress and the final summary.
 *
 * Elastic (DESIGN.md "Fault tolerance"): shard 0 decides which block of B this worker
 * computes (its Share); when a worker is lost or admitted it names a new partition,
 * and this worker computes the open step again for every shard that has not closed
 * it — any complete partition gives the same gradient, so B and λ stay fixed. When a
 * server restarts (a new session) or declares this worker lost, the worker registers
 * again with backoff, pulls θ and continues from the servers' version; label noise is
 * keyed by (seed, step, sample), so recomputed steps equal the lost ones.
 *
 * @param options config, CURVE keys, log and event sinks.
 * @returns the number of the last step taken (-1 when the run was over before this worker joined).
 */
export async function runWorker(options: RunWorkerOptions): Promise<number> {
  const { config, log } = options;
  const inbox = new Inbox<Inbound>();
  const clients = config.ps.map((endpoint, s) =>
    KvClient.connect({
      endpoint,
      timeoutMs: config.timeoutMs,
      curve: options.curve,
      onUnsolicited: (m) => {
        const body = m.envelope.body;
        if (body === 'stop') {
          const why = m.envelope.stop?.reason ?? '';
          log(`worker: ${endpoint} is stopping the run (${why})`);
          if (why.startsWith('failed:')) inbox.put({ kind: 'failed', why: `${endpoint}: ${why}` });
        } else if (body === 'membership' && s === 0) {
          inbox.put({ kind: 'membership', share: toShare(m.envelope.membership?.share) });
        }
      },
    }),
  );
  let heartbeat: NodeJS.Timeout | undefined;
  try {
    let links: Registration;
    try {
      links = await registerWithRetry(clients, config, { rank: config.rank, log, deadline: Date.now() + config.registerTimeoutMs });
    } catch (err: unknown) {
      // A replacement that comes too late has nothing to do: not a failure.
      if (err instanceof TransportError && err.remote?.code === pb.ErrorCode.SHUTTING_DOWN) {
        log(`worker: the run is over (${err.message}); leaving`);
        return -1;
      }
      throw err;
    }
    const a0 = links.assignment;
    const rank = a0.rank ?? 0;
    const telemetry = options.telemetryFor?.(rank);
    // Plain numbers the scrape reads; the loop only increments them.
    const progress = { trainStep: a0.startStep ?? 0, trainSamples: 0 };
    telemetry?.addSource(() => {
      let sent = 0;
      let received = 0;
      for (const c of clients) {
        sent += c.stats.bytesSent;
        received += c.stats.bytesReceived;
      }
      return { trainStep: progress.trainStep, trainSamples: progress.trainSamples, sentBytes: sent, receivedBytes: received };
    });
    const worldSize = a0.worldSize ?? 1;
    const runConfig = runConfigOf(a0.run ?? {});
    const { preset, hyper } = runConfig;
    // Heartbeats start before the model and data load, so the servers see this worker alive meanwhile.
    const interval = a0.heartbeatIntervalMs ?? 10_000;
    let currentStep = a0.startStep ?? 0;
    const beating = new Set<number>();
    heartbeat = setInterval(() => {
      links.shards.forEach((l, s) => {
        // One heartbeat in flight per shard; the ack names the server's incarnation.
        if (beating.has(s)) return;
        beating.add(s);
        const session = l.session;
        l.client
          .request({ heartbeat: { rank, step: currentStep, session } }, { timeoutMs: Math.max(1000, interval * 4) })
          .then((m) => {
            const e = m.envelope;
            if (l.session !== session) return;
            if ((e.body === 'error' && e.error?.code === pb.ErrorCode.UNKNOWN_WORKER) || (e.body === 'heartbeatAck' && (e.heartbeatAck?.session ?? '') !== session)) {
              inbox.put({ kind: 'restart', why: `shard ${s} (${l.client.endpoint}) no longer knows session ${session}` });
            }
          })
          .catch(() => undefined)
          .finally(() => beating.delete(s));
      });
    }, interval);
    heartbeat.unref();
    const backend = await initBackend({ request: config.backend });
    const data = loadPresetData(preset.data, hyper.seed);
    const model = createModel(preset.model.name, preset.model.options ?? {});
    if (model.numParams !== a0.numParams) {
      throw new Error(`worker: the parameter server holds ${a0.numParams} parameters, model ${model.name} has ${model.numParams}: mismatched builds`);
    }
    const task = presetTask(preset);
    const noiser = makeLabelNoiser({ task, hyper, numClasses: data.train.numClasses }).apply;
    const noisyGradient = createNoisyGradient({ model, train: data.train, hyper, noiser, microBatch: a0.run?.microBatch ?? 0 });

    const counts = { recomputed: 0, reregistrations: 0, stepSamplesMin: Number.POSITIVE_INFINITY, stepSamplesMax: Number.NEGATIVE_INFINITY };
    // Two θ buffers: the replies of step k are written into one while θ_k stays intact
    // in the other (a shard that asks for a recompute needs θ_k after others replied).
    const buffers = [new Float32Array(model.numParams), new Float32Array(model.numParams)];
    let front = 0;
    const pullStart = performance.now();
    // Re-registration (after a server restart, or a loss declared while this worker
    // was busy) ends in the same place: pull θ and continue from the servers' version.
    const rejoin = async (why: string): Promise<Registration> => {
      log(`worker rank ${rank}: ${why}; registering again`);
      counts.reregistrations++;
      inbox.clear();
      return registerWithRetry(clients, config, { rank, log, deadline: Date.now() + config.reconnectTimeoutMs });
    };
    const needsRejoin = (err: unknown): boolean =>
      err instanceof TransportError && (err.code === 'TIMEOUT' || (err.code === 'REMOTE_ERROR' && err.remote?.code === pb.ErrorCode.UNKNOWN_WORKER));
    let synced: Awaited<ReturnType<typeof syncParams>>;
    for (;;) {
      try {
        synced = await syncParams(links, buffers[front]);
        break;
      } catch (err: unknown) {
        if (!needsRejoin(err)) throw err;
        links = await rejoin(err instanceof Error ? err.message : String(err));
      }
    }
    telemetry?.observe('pullDuration', (performance.now() - pullStart) / 1000);
    let theta = synced.theta;
    let version = synced.version;
    let share = synced.share;
    // The worker holding share 0 reports (the lowest live rank: rank 0 unless it was
    // lost), so a run that loses rank 0 still ends with a summary.
    const reporting = (): boolean => config.events && share.count > 0 && share.index === 0;
    if (reporting()) {
      options.onEvent({
        event: 'start',
        preset: preset.name,
        backend: backend.name,
        backend_reason: backend.reason,
        model: model.name,
        num_params: model.numParams,
        train_samples: data.train.n,
        steps: hyper.steps,
        global_batch: hyper.batch,
        eta: hyper.lr,
        sigma: hyper.sigma,
        flip_prob: hyper.flipProb,
        beta: hyper.momentum,
        lambda: runLambda(runConfig),
        seed: hyper.seed,
      });
    }
    log(`worker rank ${rank}/${worldSize}: ${model.name} (${model.numParams} params) on ${backend.name}, starting at step ${version} as share ${share.index} of ${share.count}`);

    const t0 = performance.now();
    let stepsDone = 0;
    const progressEvery = config.progressEvery ?? Math.max(1, Math.floor(hyper.steps / 100));
    let windowLoss = 0;
    let windowSteps = 0;
    let lastLoss = Number.NaN;
    let final = synced.final || version >= hyper.steps;
    while (!final) {
      if (options.shouldAbort?.() === true) throw new Error(`worker rank ${rank}: aborted at step ${version}`);
      const step = version;
      currentStep = step;
      const stepStart = performance.now();
      let outcome: StepOutcome;
      try {
        outcome = await runStep({ step, theta, share, next: buffers[1 - front] });
      } catch (err: unknown) {
        if (!(err instanceof Resync)) throw err;
        try {
          links = await rejoin(err.message);
          synced = await syncParams(links, buffers[front]);
        } catch (e: unknown) {
          if (e instanceof TransportError && e.remote?.code === pb.ErrorCode.SHUTTING_DOWN) {
            log(`worker rank ${rank}: the run ended while this worker was away; leaving at step ${version}`);
            return version;
          }
          // A second loss while catching up: go round again.
          if (needsRejoin(e)) continue;
          throw e;
        }
        theta = synced.theta;
        version = synced.version;
        share = synced.share;
        final = synced.final || version >= hyper.steps;
        log(`worker rank ${rank}: registered again; continuing at step ${version} as share ${share.index} of ${share.count}`);
        continue;
      }
      theta = outcome.theta;
      if (theta === buffers[1 - front]) front = 1 - front;
      share = outcome.share;
      counts.recomputed += outcome.recomputes > 0 ? 1 : 0;
      counts.stepSamplesMin = Math.min(counts.stepSamplesMin, outcome.stepSamples);
      counts.stepSamplesMax = Math.max(counts.stepSamplesMax, outcome.stepSamples);
      if (telemetry !== undefined) {
        const end = performance.now();
        // Push and pull are one round trip (the reply to a push is the next θ).
        telemetry.observe('pushDuration', (end - outcome.pushStart) / 1000);
        telemetry.observe('trainStepDuration', (end - stepStart) / 1000);
        progress.trainStep = step;
        progress.trainSamples += outcome.samples;
      }
      version = outcome.version;
      final = outcome.final;
      lastLoss = outcome.loss;
      stepsDone++;
      windowLoss += lastLoss;
      windowSteps++;
      if (reporting() && (version % progressEvery === 0 || version === hyper.steps || final)) {
        const elapsed = (performance.now() - t0) / 1000;
        options.onEvent({
          event: 'progress',
          step: version,
          loss: windowLoss / windowSteps,
          samples_per_s: (stepsDone * hyper.batch) / elapsed,
          elapsed_s: elapsed,
          eta_s: (elapsed / stepsDone) * (hyper.steps - version),
          num_tensors: tf.memory().numTensors,
          noise_scale: outcome.noiseScale,
        });
        windowLoss = 0;
        windowSteps = 0;
      }
    }
    clearInterval(heartbeat);
    // Tell the shards we have the final parameters, so they can exit.
    // The reason text is what shards of the first protocol revision read; the goodbye is the typed form.
    links.shards.forEach((l) => l.client.notify({ stop: { reason: `done rank ${rank}`, goodbye: { rank, session: l.session } } }));
    if (reporting() && config.saveParams !== undefined) {
      writeParamsFile(config.saveParams, { header: { preset: preset.name, step: version, seed: hyper.seed }, theta });
    }
    if (reporting()) {
      const summary = summarizeRun({ config: runConfig, model, data, backend: backend.name, theta, steps: version, lastBatchLoss: lastLoss, startedAt: t0, sharpness: config.sharpness ? {} : false });
      options.onEvent({
        ...summary,
        step_samples_min: Number.isFinite(counts.stepSamplesMin) ? counts.stepSamplesMin : null,
        step_samples_max: Number.isFinite(counts.stepSamplesMax) ? counts.stepSamplesMax : null,
        recomputed_steps: counts.recomputed,
        reregistrations: counts.reregistrations,
      });
    }
    return version;

    /**
     * One step: compute this worker's share, push it to every shard, and collect the
     * shards' next θ — computing the step again for the shards that ask (RECOMPUTE, or a
     * newer partition announced by shard 0) until every shard has closed it.
     */
    async function runStep(args: { step: number; theta: Float32Array; share: Share; next: Float32Array }): Promise<StepOutcome> {
      const { step } = args;
      const S = links.shards.length;
      const attempt = new Array<number>(S).fill(0);
      const retries = new Array<number>(S).fill(0);
      const replies = new Array<WireMessage | undefined>(S).fill(undefined);
      let current = args.share;
      let nextShare = args.share;
      let recomputes = 0;
      let out = compute(current);
      let outShare = current;
      const frames = new Array<{ header: pbTypes.ITensorFrame; bytes: Uint8Array } | undefined>(S).fill(undefined);
      /** Epoch of the share each shard's latest push used. */
      const usedEpoch = new Array<number>(S).fill(-1);
      const pushStart = performance.now();
      const send = (s: number, fresh: boolean): void => {
        const l = links.shards[s];
        if (fresh || frames[s] === undefined) frames[s] = float32Frame(out.grad.subarray(l.offset, l.offset + l.length), { offset: l.offset, checksum: config.checksum });
        const f = frames[s];
        if (f === undefined) return;
        const a = ++attempt[s];
        usedEpoch[s] = outShare.epoch;
        const push = { push: { rank, step, numSamples: out.samples, loss: out.samples > 0 ? out.loss : 0, grad: f.header, session: l.session, share: outShare } };
        l.client.call(push, { body: 'params', frames: [f.bytes] }).then(
          (msg) => inbox.put({ kind: 'reply', shard: s, attempt: a, msg }),
          (err: unknown) => inbox.put({ kind: 'error', shard: s, attempt: a, err }),
        );
      };
      for (let s = 0; s < S; s++) send(s, true);
      const pending = (): number[] => replies.flatMap((r, s) => (r === undefined ? [s] : []));
      while (pending().length > 0) {
        const ev = await inbox.next();
        let recompute = false;
        switch (ev.kind) {
          case 'reply': {
            if (ev.attempt !== attempt[ev.shard]) break;
            replies[ev.shard] = ev.msg;
            if (ev.shard === 0) nextShare = newer(nextShare, toShare(ev.msg.envelope.params?.share));
            break;
          }
          case 'error': {
            if (ev.attempt !== attempt[ev.shard]) break;
            const err = ev.err;
            if (err instanceof TransportError && err.code === 'TIMEOUT') {
              if (retries[ev.shard] >= config.retries) throw new Resync(`no reply from shard ${ev.shard} (${links.shards[ev.shard].client.endpoint}) after ${config.retries + 1} tries`);
              retries[ev.shard]++;
              // A push is idempotent at the server, so resending after a timeout is safe.
              log(`worker: ${err.message}; resending (attempt ${retries[ev.shard] + 1} of ${config.retries + 1})`);
              send(ev.shard, false);
              break;
            }
            const code = err instanceof TransportError ? err.remote?.code : undefined;
            if (code === pb.ErrorCode.RECOMPUTE) {
              const given = err instanceof TransportError ? err.remote?.share : undefined;
              if (given !== undefined) {
                current = newer(current, given);
                nextShare = newer(nextShare, given);
              }
              // A follower's RECOMPUTE carries no share: the newer one comes from shard 0
              // (its reply or a Membership note), unless this worker already has it.
              recompute = true;
              break;
            }
            if (code === pb.ErrorCode.UNKNOWN_WORKER || code === pb.ErrorCode.STALE_PUSH || code === pb.ErrorCode.STEP_MISMATCH) {
              throw new Resync(err instanceof Error ? err.message : String(err));
            }
            throw err;
          }
          case 'membership': {
            nextShare = newer(nextShare, ev.share);
            if (ev.share.epoch > current.epoch) {
              current = ev.share;
              recompute = true;
            }
            break;
          }
          case 'restart':
            throw new Resync(ev.why);
          case 'failed':
            throw new Error(`worker rank ${rank}: the run failed: ${ev.why}`);
        }
        const stale = pending().filter((s) => usedEpoch[s] < current.epoch);
        if (recompute && stale.length > 0) {
          if (current.count === 0) throw new Resync(`shard 0 no longer counts rank ${rank} as a member`);
          if (outShare !== current) {
            recomputes++;
            log(`worker rank ${rank}: step ${step}: membership epoch ${current.epoch}, computing share ${current.index} of ${current.count} again for shard(s) ${stale.join(', ')}`);
            out = compute(current);
            outShare = current;
          }
          for (const s of stale) send(s, true);
        }
      }
      const msgs = replies.filter((m): m is WireMessage => m !== undefined);
      let next = args.next;
      msgs.forEach((m, s) => (next = absorb({ theta: next, msg: m, link: links.shards[s], single: S === 1 })));
      const p0 = msgs[0].envelope.params ?? {};
      const v = p0.version ?? step + 1;
      if (msgs.some((m) => m.envelope.params?.version !== v) || v !== step + 1) {
        throw new Error(`worker rank ${rank}: after step ${step} the shards report versions [${msgs.map((m) => m.envelope.params?.version).join(', ')}], expected ${step + 1}`);
      }
      return {
        theta: next,
        version: v,
        final: msgs.some((m) => m.envelope.params?.final === true),
        loss: p0.loss ?? Number.NaN,
        share: newer(nextShare, current),
        samples: out.samples,
        stepSamples: p0.stepSamples ?? 0,
        recomputes,
        pushStart,
        noiseScale: noiseScale(msgs),
      };

      function compute(sh: Share): NoisyGradient {
        const g = noisyGradient(args.theta, { step, rank: sh.index, worldSize: sh.count });
        if (g.samples > 0 && !Number.isFinite(g.loss)) {
          throw new TrainingError({ code: 'DIVERGED', step, message: `training diverged at step ${step}: batch loss ${g.loss} on rank ${rank}; lower --lr (now ${hyper.lr})` });
        }
        return g;
      }
    }
  } finally {
    if (heartbeat !== undefined) clearInterval(heartbeat);
    // Give the goodbye notes a moment to leave before linger-0 sockets drop them.
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all(clients.map((c) => c.close()));
  }
}

/** What one step produced. */
interface StepOutcome {
  readonly theta: Float32Array;
  readonly version: number;
  readonly final: boolean;
  readonly loss: number;
  /** This worker's share of the next step. */
  readonly share: Share;
  /** Samples this worker's (last) computation covered. */
  readonly samples: number;
  /** Samples the servers combined into the step. */
  readonly stepSamples: number;
  readonly recomputes: number;
  readonly pushStart: number;
  readonly noiseScale: number | null;
}

/** The share with the later epoch (ties keep the first). */
function newer(a: Share, b: Share): Share {
  return b.epoch > a.epoch ? b : a;
}

/** The shards after registration, and shard 0's assignment. */
interface Registration {
  readonly shards: ShardLink[];
  readonly assignment: pbTypes.IAssignment;
}

/**
 * Registers with every shard (shard 0 first: its rank is asked of the others),
 * retrying with exponential backoff (0.2 s doubling to 2 s) until `deadline` while a
 * server is unreachable or restarting.
 */
async function registerWithRetry(clients: readonly KvClient[], config: WorkerConfig, opts: { rank: number; log: (l: string) => void; deadline: number }): Promise<Registration> {
  let backoff = 200;
  for (let attempt = 1; ; attempt++) {
    try {
      const timeoutMs = Math.max(100, Math.min(config.registerTimeoutMs, opts.deadline - Date.now()));
      return await register(clients, config, { rank: opts.rank, timeoutMs });
    } catch (err: unknown) {
      // RUN_FULL: a replacement asks before shard 0 has noticed the loss it replaces.
      const retryable = err instanceof TransportError && (err.code === 'TIMEOUT' || (err.code === 'REMOTE_ERROR' && err.remote?.code === pb.ErrorCode.RUN_FULL));
      if (!retryable || Date.now() + backoff > opts.deadline) throw err;
      opts.log(`worker: registration attempt ${attempt} failed (${err.message}); retrying in ${backoff} ms`);
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(2000, backoff * 2);
    }
  }
}

async function register(clients: readonly KvClient[], config: WorkerConfig, opts: { rank: number; timeoutMs: number }): Promise<Registration> {
  const reg = (c: KvClient, rank: number): Promise<WireMessage> =>
    c.call({ register: { workerId: config.workerId, requestedRank: rank, authToken: config.authToken } }, { body: 'assignment', timeoutMs: opts.timeoutMs });
  const first = await reg(clients[0], opts.rank);
  const a0 = first.envelope.assignment ?? {};
  const rest = await Promise.all(clients.slice(1).map((c) => reg(c, a0.rank ?? -1)));
  const shards = [first, ...rest].map((m, s): ShardLink => {
    const a = m.envelope.assignment ?? {};
    const range = a.range ?? {};
    if (a.rank !== a0.rank || a.numShards !== clients.length || range.shard !== s || a.run?.configHash !== a0.run?.configHash) {
      throw new Error(
        `worker: shard ${s} (${clients[s].endpoint}) disagrees with shard 0: rank ${a.rank} vs ${a0.rank}, shards ${a.numShards} vs ${clients.length} endpoints, range.shard ${range.shard}, config ${a.run?.configHash?.slice(0, 12)} vs ${a0.run?.configHash?.slice(0, 12)}`,
      );
    }
    return { client: clients[s], offset: range.offset ?? 0, length: range.length ?? 0, session: a.session ?? '' };
  });
  return { shards, assignment: a0 };
}

/**
 * Pulls θ from every shard: shard 0 first (it answers a worker admitted mid-run once
 * the worker is a member, with its share), then the others at shard 0's version.
 */
async function syncParams(links: Registration, into: Float32Array): Promise<{ theta: Float32Array; version: number; share: Share; final: boolean }> {
  const { shards } = links;
  const rank = links.assignment.rank ?? 0;
  const first = await shards[0].client.call({ pull: { rank, session: shards[0].session, minVersion: 0 } }, { body: 'params' });
  const version = first.envelope.params?.version ?? 0;
  const rest = await Promise.all(shards.slice(1).map((l) => l.client.call({ pull: { rank, session: l.session, minVersion: version } }, { body: 'params' })));
  const all = [first, ...rest];
  if (all.some((m) => m.envelope.params?.version !== version)) {
    throw new Error(`worker: shards are at different steps [${all.map((m) => m.envelope.params?.version).join(', ')}]: resume every shard from the same checkpoint`);
  }
  let theta = into;
  all.forEach((m, s) => (theta = absorb({ theta, msg: m, link: shards[s], single: shards.length === 1 })));
  return { theta, version, share: toShare(first.envelope.params?.share), final: all.some((m) => m.envelope.params?.final === true) };
}

function runConfigOf(r: pbTypes.IRunSpec): RunConfig {
  const noise = r.noise === 'gaussian' ? 'gaussian' : 'rademacher';
  return resolveRunConfig(r.preset ?? '', {
    steps: r.steps ?? undefined,
    lr: r.lr ?? undefined,
    batch: r.batch ?? undefined,
    sigma: r.sigma ?? undefined,
    noise,
    flipProb: r.flipProb ?? undefined,
    momentum: r.momentum ?? undefined,
    weightDecay: r.weightDecay ?? undefined,
    warmupSteps: r.warmupSteps ?? undefined,
    seed: r.seed ?? undefined,
  });
}

// Writes a shard's parameter slice into θ. With one shard the reply frame IS θ
// (viewed in place, no copy).
function absorb(args: { theta: Float32Array; msg: WireMessage; link: ShardLink; single: boolean }): Float32Array {
  const { msg, link } = args;
  const values = readFloat32Frame(msg.envelope.params?.params, msg.frames[0], { offset: link.offset, length: link.length, what: `params from ${link.client.endpoint}` });
  if (args.single) return values;
  args.theta.set(values, link.offset);
  return args.theta;
}

function noiseScale(replies: readonly WireMessage[]): number | null {
  let g = 0;
  let t = 0;
  let count = 0;
  for (const m of replies) {
    const n = m.envelope.params?.noise;
    g += n?.emaGradSqNorm ?? 0;
    t += n?.emaTraceSigma ?? 0;
    count = Math.max(count, n?.count ?? 0);
  }
  if (count === 0) return null;
  return g > 0 ? t / g : null;
}
