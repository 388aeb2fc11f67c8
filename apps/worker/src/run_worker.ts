import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@lnsgd/backend';
import { createModel } from '@lnsgd/models';
import { float32Frame, KvClient, readFloat32Frame, TransportError, type CurveConfig, type pbTypes, type WireMessage } from '@lnsgd/transport';
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

/** What a worker reports (rank 0 with events on). */
export type WorkerEvent = StartEvent | ClusterProgressEvent | TrainSummary;

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

interface ShardLink {
  readonly client: KvClient;
  readonly assignment: pbTypes.IAssignment;
  readonly offset: number;
  readonly length: number;
}

/**
 * One worker of a synchronous data-parallel run: registers with every shard (rank
 * from shard 0, echoed to the others), receives the run's hyper-parameters, then per
 * step computes its share's noisy gradient (createNoisyGradient — the same code as
 * the in-process trainer), pushes each shard its key range in parallel, and takes
 * the shards' replies as the next θ. Rank 0 reports progress and the final summary.
 *
 * @param options config, CURVE keys, log and event sinks.
 * @returns the number of the last step taken.
 */
export async function runWorker(options: RunWorkerOptions): Promise<number> {
  const { config, log } = options;
  const clients = config.ps.map((endpoint) =>
    KvClient.connect({
      endpoint,
      timeoutMs: config.timeoutMs,
      curve: options.curve,
      onUnsolicited: (m) => {
        if (m.envelope.body === 'stop') log(`worker: ${endpoint} is stopping the run (${m.envelope.stop?.reason ?? ''})`);
      },
    }),
  );
  let heartbeat: NodeJS.Timeout | undefined;
  try {
    const links = await register(clients, config);
    const a0 = links[0].assignment;
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
    const session = (s: number): string => links[s].assignment.session ?? '';
    const runConfig = runConfigOf(a0.run ?? {});
    const { preset, hyper } = runConfig;
    const events = config.events && rank === 0;
    const backend = await initBackend({ request: config.backend });
    const data = loadPresetData(preset.data, hyper.seed);
    const model = createModel(preset.model.name, preset.model.options ?? {});
    if (model.numParams !== a0.numParams) {
      throw new Error(`worker: the parameter server holds ${a0.numParams} parameters, model ${model.name} has ${model.numParams}: mismatched builds`);
    }
    const task = presetTask(preset);
    const noiser = makeLabelNoiser({ task, hyper, numClasses: data.train.numClasses }).apply;
    const noisyGradient = createNoisyGradient({ model, train: data.train, hyper, noiser, microBatch: a0.run?.microBatch ?? 0 });
    const interval = a0.heartbeatIntervalMs ?? 10_000;
    let currentStep = a0.startStep ?? 0;
    heartbeat = setInterval(() => {
      links.forEach((l, s) => l.client.notify({ heartbeat: { rank, step: currentStep, session: session(s) } }));
    }, interval);
    heartbeat.unref();

    let theta: Float32Array = new Float32Array(model.numParams);
    const pullStart = performance.now();
    const pulled = await Promise.all(links.map((l, s) => l.client.call({ pull: { rank, session: session(s) } }, { body: 'params' })));
    telemetry?.observe('pullDuration', (performance.now() - pullStart) / 1000);
    let version = -1;
    pulled.forEach((m, s) => (theta = absorb({ theta, msg: m, link: links[s], single: links.length === 1 })));
    version = pulled[0].envelope.params?.version ?? 0;
    if (pulled.some((m) => m.envelope.params?.version !== version)) {
      throw new Error(`worker: shards are at different steps [${pulled.map((m) => m.envelope.params?.version).join(', ')}]: resume every shard from the same checkpoint`);
    }
    if (events) {
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
    log(`worker rank ${rank}/${worldSize}: ${model.name} (${model.numParams} params) on ${backend.name}, starting at step ${version}`);

    const t0 = performance.now();
    const firstStep = version;
    const progressEvery = config.progressEvery ?? Math.max(1, Math.floor(hyper.steps / 100));
    let windowLoss = 0;
    let windowSteps = 0;
    let lastLoss = Number.NaN;
    let final = version >= hyper.steps;
    while (!final) {
      if (options.shouldAbort?.() === true) throw new Error(`worker rank ${rank}: aborted at step ${version}`);
      const step = version;
      currentStep = step;
      const stepStart = performance.now();
      const out = noisyGradient(theta, { step, rank, worldSize });
      if (out.samples > 0 && !Number.isFinite(out.loss)) {
        throw new TrainingError({ code: 'DIVERGED', step, message: `training diverged at step ${step}: batch loss ${out.loss} on rank ${rank}; lower --lr (now ${hyper.lr})` });
      }
      const pushStart = performance.now();
      const replies = await Promise.all(
        links.map((l, s) => {
          const slice = out.grad.subarray(l.offset, l.offset + l.length);
          const { header, bytes } = float32Frame(slice, { offset: l.offset, checksum: config.checksum });
          const push = { push: { rank, step, numSamples: out.samples, loss: out.samples > 0 ? out.loss : 0, grad: header, session: session(s) } };
          return callWithRetry(l.client, push, { frames: [bytes], retries: config.retries, log });
        }),
      );
      replies.forEach((m, s) => (theta = absorb({ theta, msg: m, link: links[s], single: links.length === 1 })));
      if (telemetry !== undefined) {
        const end = performance.now();
        // Push and pull are one round trip (the reply to a push is the next θ).
        telemetry.observe('pushDuration', (end - pushStart) / 1000);
        telemetry.observe('trainStepDuration', (end - stepStart) / 1000);
        progress.trainStep = step;
        progress.trainSamples += out.samples;
      }
      const p0 = replies[0].envelope.params ?? {};
      version = p0.version ?? step + 1;
      if (replies.some((m) => m.envelope.params?.version !== version) || version !== step + 1) {
        throw new Error(`worker rank ${rank}: after step ${step} the shards report versions [${replies.map((m) => m.envelope.params?.version).join(', ')}], expected ${step + 1}`);
      }
      final = replies.some((m) => m.envelope.params?.final === true);
      lastLoss = p0.loss ?? Number.NaN;
      windowLoss += lastLoss;
      windowSteps++;
      if (events && (version % progressEvery === 0 || version === hyper.steps || final)) {
        const elapsed = (performance.now() - t0) / 1000;
        const done = version - firstStep;
        options.onEvent({
          event: 'progress',
          step: version,
          loss: windowLoss / windowSteps,
          samples_per_s: (done * hyper.batch) / elapsed,
          elapsed_s: elapsed,
          eta_s: (elapsed / done) * (hyper.steps - version),
          num_tensors: tf.memory().numTensors,
          noise_scale: noiseScale(replies),
        });
        windowLoss = 0;
        windowSteps = 0;
      }
    }
    clearInterval(heartbeat);
    // Tell the shards we have the final parameters, so they can exit.
    links.forEach((l) => l.client.notify({ stop: { reason: `done rank ${rank}` } }));
    if (rank === 0 && config.saveParams !== undefined) {
      writeParamsFile(config.saveParams, { header: { preset: preset.name, step: version, seed: hyper.seed }, theta });
    }
    if (events) {
      options.onEvent(
        summarizeRun({ config: runConfig, model, data, backend: backend.name, theta, steps: version, lastBatchLoss: lastLoss, startedAt: t0, sharpness: config.sharpness ? {} : false }),
      );
    }
    return version;
  } finally {
    if (heartbeat !== undefined) clearInterval(heartbeat);
    // Give the goodbye notes a moment to leave before linger-0 sockets drop them.
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all(clients.map((c) => c.close()));
  }
}

async function register(clients: readonly KvClient[], config: WorkerConfig): Promise<ShardLink[]> {
  const reg = (c: KvClient, rank: number): Promise<WireMessage> =>
    c.call({ register: { workerId: config.workerId, requestedRank: rank, authToken: config.authToken } }, { body: 'assignment', timeoutMs: config.registerTimeoutMs });
  const first = await reg(clients[0], config.rank);
  const a0 = first.envelope.assignment ?? {};
  const rest = await Promise.all(clients.slice(1).map((c) => reg(c, a0.rank ?? -1)));
  const links = [first, ...rest].map((m, s): ShardLink => {
    const a = m.envelope.assignment ?? {};
    const range = a.range ?? {};
    if (a.rank !== a0.rank || a.numShards !== clients.length || range.shard !== s || a.run?.configHash !== a0.run?.configHash || a.startStep !== a0.startStep) {
      throw new Error(
        `worker: shard ${s} (${clients[s].endpoint}) disagrees with shard 0: rank ${a.rank} vs ${a0.rank}, shards ${a.numShards} vs ${clients.length} endpoints, range.shard ${range.shard}, start step ${a.startStep} vs ${a0.startStep}, config ${a.run?.configHash?.slice(0, 12)} vs ${a0.run?.configHash?.slice(0, 12)}`,
      );
    }
    return { client: clients[s], assignment: a, offset: range.offset ?? 0, length: range.length ?? 0 };
  });
  return links;
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

async function callWithRetry(client: KvClient, envelope: pbTypes.Envelope.$Properties, opts: { frames: Uint8Array[]; retries: number; log: (l: string) => void }): Promise<WireMessage> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.call(envelope, { body: 'params', frames: opts.frames });
    } catch (err: unknown) {
      // A push is idempotent at the server, so resending after a timeout is safe.
      if (!(err instanceof TransportError) || err.code !== 'TIMEOUT' || attempt >= opts.retries) throw err;
      opts.log(`worker: ${err.message}; resending (attempt ${attempt + 2} of ${opts.retries + 1})`);
    }
  }
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
