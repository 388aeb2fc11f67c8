import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import * as zmq from 'zeromq';
import { applyUpdates, sgd } from '@lnsgd/optim';
import { DEFAULT_PART_BYTES, KvWorker, ParameterShard } from '@lnsgd/ps';
// tfjs-free entry points: the package indexes would load TensorFlow.js (trainer) or the whole CLI into the bench's client process.
import { CHILD_NODE_FLAGS, PS_NODE_FLAGS } from '@lnsgd/trainer/node-flags';
import { getPreset } from '@lnsgd/trainer/presets';
import { encodeMessage, float32Frame } from '@lnsgd/transport';
import { ownCpuMs, processTreeCpuMs } from '../cpu_time';
import type { Suite, SuiteOptions } from '../suite';

// The distributed benchmarks (docs/benchmarks.md#exchange), each side by side in one run:
//  (a) one push+pull round trip through a real parameter-server shard process versus a
//      raw ZeroMQ DEALER→ROUTER echo process returning the same bytes, at 4 MB and 40 MB;
//  (b) ms/step of `lnsgd train --workers 1` (PS + worker processes) versus
//      `lnsgd train --inprocess` on the mlp preset, same batch and steps;
//  (c) samples/s of `lnsgd train --workers 2` versus `--workers 1` on the mlp preset,
//      at its batch of 256 and at 2048.

const SERVER_SCRIPT = join(__dirname, '..', 'exchange_server.js');
const LNSGD_BIN = join(dirname(require.resolve('@lnsgd/cli/package.json')), 'bin', 'lnsgd.js');

type Row = Readonly<Record<string, string | number | null>>;

/** (c)'s second global batch: 8x the mlp preset's 256. */
const LARGE_BATCH = 2048;

/** A bench child process that printed its endpoint. */
interface Child {
  readonly endpoint: string;
  readonly process: ChildProcess;
  /** The child's user + system CPU ms so far, all threads, and its GC ms so far (asked over stdin). */
  usage(): Promise<{ cpuMs: number; gcMs: number }>;
  cpuMs(): Promise<number>;
}

function startServer(args: readonly string[], timeoutMs = 60_000): Promise<Child> {
  return new Promise((resolve, reject) => {
    // A PS shard runs with the V8 flags the launcher and the manifests give it; the echo with Node's defaults.
    const flags = args[0] === 'ps' ? PS_NODE_FLAGS : [];
    const proc = spawn(process.execPath, [...flags, SERVER_SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`exchange: server '${args.join(' ')}' did not report an endpoint within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exchange: server '${args.join(' ')}' exited with code ${String(code)}: ${stderr}`));
    });
    if (proc.stdout === null || proc.stdin === null) return reject(new Error('exchange: no stdio pipes'));
    const stdin = proc.stdin;
    // Line 1 is the endpoint; every later line answers one "cpu" request, in order.
    const waiting: ((line: string) => void)[] = [];
    const lines = createInterface({ input: proc.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.on('line', (l) => waiting.shift()?.(l));
      const usage = (): Promise<{ cpuMs: number; gcMs: number }> =>
        new Promise((res) => {
          waiting.push((l) => {
            const u = JSON.parse(l) as { cpu_ms: number; gc_ms: number };
            res({ cpuMs: u.cpu_ms, gcMs: u.gc_ms });
          });
          stdin.write('cpu\n');
        });
      const cpuMs = async (): Promise<number> => (await usage()).cpuMs;
      resolve({ endpoint: (JSON.parse(line) as { endpoint: string }).endpoint, process: proc, usage, cpuMs });
    });
  });
}

function stopServer(c: Child): Promise<void> {
  return new Promise((resolve) => {
    if (c.process.exitCode !== null || c.process.signalCode !== null) return resolve();
    c.process.once('exit', () => resolve());
    c.process.stdin?.end();
    setTimeout(() => c.process.kill('SIGKILL'), 5000).unref();
  });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A worker of one PS shard (the real KvWorker): registers, then pushes gradients and takes the replies as θ. */
async function psClient(
  endpoints: string | readonly string[],
  checksum: boolean,
): Promise<{ roundTrip: (grad: Float32Array) => Promise<number>; close: () => Promise<void> }> {
  const kv = await KvWorker.connect({
    endpoints: typeof endpoints === 'string' ? [endpoints] : endpoints,
    workerId: `bench-${process.pid}`,
    rank: 0,
    authToken: '',
    timeoutMs: 60_000,
    retries: 0,
    registerTimeoutMs: 60_000,
    reconnectTimeoutMs: 0,
    checksum,
    hardMaxMessageBytes: -1,
    log: () => undefined,
  });
  if (kv === undefined) throw new Error('exchange: the bench shard refused the registration (run over)');
  const a = kv.assignment;
  const n = a.numParams ?? 0;
  // The whole global batch, as the one worker of a real run pushes (the shard refuses any other count).
  const samples = a.run?.batch ?? 1;
  let step = a.startStep ?? 0;
  let share = { epoch: a.share?.epoch ?? 0, index: a.share?.index ?? 0, count: a.share?.count ?? 1 };
  const next = new Float32Array(n);
  return {
    roundTrip: async (grad) => {
      if (grad.length !== n) throw new Error(`exchange: gradient of ${grad.length} values for a shard of ${n}`);
      const t0 = performance.now();
      const out = await kv.pushPull({ step, theta: grad, share, next, compute: () => ({ grad, samples, loss: 0 }) });
      step = out.version;
      share = out.share;
      return performance.now() - t0;
    },
    close: () => kv.close(),
  };
}

/** A raw DEALER sending the same frames a push carries and waiting for the echo. */
function rawClient(endpoint: string): { roundTrip: (grad: Float32Array) => Promise<number>; close: () => void } {
  const sock = new zmq.Dealer({ linger: 0, sendHighWaterMark: 16, receiveHighWaterMark: 16 });
  sock.connect(endpoint);
  return {
    roundTrip: async (grad) => {
      const t0 = performance.now();
      const { header, bytes } = float32Frame(grad, { offset: 0, checksum: false });
      await sock.send(encodeMessage({ requestId: 1, push: { rank: 0, step: 0, numSamples: 1, loss: 0, grad: header, session: 'raw' } }, [bytes]));
      const frames = await sock.receive();
      if (frames[1]?.length !== bytes.byteLength) throw new Error(`exchange: echo returned ${frames[1]?.length ?? 0} bytes, sent ${bytes.byteLength}`);
      return performance.now() - t0;
    },
    close: () => sock.close(),
  };
}

/** The heaviest SGD options (every term of the fused pass is live). */
const STEP_HYPER = { lr: 1e-6, momentum: 0.9, weightDecay: 5e-4, warmupSteps: 10 };

/**
 * The shard's step alone, in this process, for one worker's gradient: the fused
 * in-place `ParameterShard.closeStep` against the generic path it replaced (float64
 * combine, `sgd` chain, `applyUpdates`), so the PS-side share of (a) is visible.
 */
function stepTimes(n: number, rounds: number): { generic: number; fused: number } {
  const grad = new Float32Array(n).fill(1e-3);
  const theta = new Float32Array(n).fill(1);
  const shard = new ParameterShard({ params: theta.slice(), hyper: STEP_HYPER, reuseParams: true });
  const opt = sgd({ learningRate: STEP_HYPER.lr, momentum: STEP_HYPER.momentum, weightDecay: STEP_HYPER.weightDecay, warmupSteps: STEP_HYPER.warmupSteps });
  const ref: { params: Float32Array; state: ReturnType<typeof opt.init>; acc: Float64Array; combined: Float32Array } = {
    params: theta.slice(),
    state: opt.init(theta),
    acc: new Float64Array(n),
    combined: new Float32Array(n),
  };
  const genericStep = (): void => {
    ref.acc.fill(0);
    for (let i = 0; i < n; i++) ref.acc[i] += 1 * grad[i];
    for (let i = 0; i < n; i++) ref.combined[i] = ref.acc[i] / 1;
    const [u, next] = opt.update(ref.combined, ref.state, ref.params);
    ref.params = applyUpdates(ref.params, u);
    ref.state = next;
  };
  const times = { generic: [] as number[], fused: [] as number[] };
  for (let i = 0; i < rounds + 2; i++) {
    let t0 = performance.now();
    genericStep();
    const g = performance.now() - t0;
    t0 = performance.now();
    shard.addPush({ rank: 0, samples: 1, loss: 0, grad });
    shard.closeStep();
    const f = performance.now() - t0;
    if (i < 2) continue;
    times.generic.push(g);
    times.fused.push(f);
  }
  return { generic: median(times.generic), fused: median(times.fused) };
}

interface ExchangeResult {
  readonly rows: Row[];
  /** raw echo time / PS round-trip time (1 = the PS costs nothing over ZeroMQ), at the default part size. */
  readonly ratio: number;
  readonly ratioNoChecksum: number;
  /** The same with whole (unpartitioned) pushes and replies: the data path before parts. */
  readonly ratioWhole: number;
  /** The best ratio the cores allow at the PS path's measured CPU per round trip (raw ms × cores / PS CPU ms). */
  readonly cpuBound: number;
  readonly cpuBoundNoChecksum: number;
  /** PS CPU per round trip / the raw echo's (client + server). */
  readonly cpuPerByteVsRaw: number;
  readonly cpuPerByteVsRawWhole: number;
  /** GC ms per round trip (client + server) at the default part size, and whole. */
  readonly gcMs: number;
  readonly gcMsWhole: number;
  /** raw/this for each part size measured (bytes → ratio; 0 = whole). */
  readonly byPartBytes: Readonly<Record<string, number>>;
  /** ms of the shard's step alone (one worker, momentum and weight decay): the old generic path and the fused one. */
  readonly step: { readonly generic: number; readonly fused: number };
}

/** The bound "PS CPU per byte <= 1.2x the raw echo's" is checked against. */
const CPU_PER_BYTE_BOUND = 1.2;

/** One PS server variant of (a): its part size (0: whole pushes and replies) and CRC. */
interface PsVariant {
  readonly key: string;
  readonly label: string;
  readonly partBytes: number;
  readonly checksum: boolean;
}

/** GC pauses of this (the client) process, kept with their start times to attribute to the round trips they fell in. */
const clientGc: { start: number; ms: number }[] = [];
let gcObserver: PerformanceObserver | undefined;

function watchClientGc(): void {
  if (gcObserver !== undefined) return;
  gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) clientGc.push({ start: e.startTime, ms: e.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });
}

/** GC ms of this process that started inside the windows [t0, t1). */
function gcWithin(windows: readonly (readonly [number, number])[]): number {
  let ms = 0;
  for (const g of clientGc) if (windows.some(([a, b]) => g.start >= a && g.start < b)) ms += g.ms;
  return ms;
}

/** The PS variants of (a) at n parameters: whole, the part-size sweep below the range's size, the default without CRC. */
function psVariants(n: number): PsVariant[] {
  const kib = (b: number): string => (b >= 1 << 20 ? `${b / (1 << 20)} MiB` : `${b / 1024} KiB`);
  const sweep = [1 << 18, DEFAULT_PART_BYTES, 1 << 22].filter((b, i, a) => b < 4 * n && a.indexOf(b) === i);
  return [
    { key: 'whole', label: 'PS push+pull, CRC-32, whole (no parts)', partBytes: 0, checksum: true },
    ...sweep.map((b) => ({
      key: `p${b}`,
      label: `PS push+pull, CRC-32, parts of ${kib(b)}${b === DEFAULT_PART_BYTES ? ' (default)' : ''}`,
      partBytes: b,
      checksum: true,
    })),
    { key: 'plain', label: `PS push+pull, no CRC, parts of ${kib(DEFAULT_PART_BYTES)}`, partBytes: DEFAULT_PART_BYTES, checksum: false },
  ];
}

async function exchangeAt(n: number, opts: SuiteOptions & { rounds: number }): Promise<ExchangeResult> {
  watchClientGc();
  const mb = (4 * n) / 1e6;
  const variants = psVariants(n);
  const dflt = variants.find((v) => v.checksum && v.partBytes === DEFAULT_PART_BYTES) ?? variants[0];
  const echo = await startServer(['echo']);
  const servers = await Promise.all(variants.map((v) => startServer(['ps', String(n), ...(v.checksum ? [] : ['no-checksum']), `part=${v.partBytes}`])));
  const raw = rawClient(echo.endpoint);
  const clients = await Promise.all(variants.map((v, i) => psClient(servers[i].endpoint, v.checksum)));
  const paths = ['raw', ...variants.map((v) => v.key)];
  const trip: Record<string, (g: Float32Array) => Promise<number>> = { raw: raw.roundTrip };
  const server: Record<string, Child> = { raw: echo };
  variants.forEach((v, i) => {
    trip[v.key] = clients[i].roundTrip;
    server[v.key] = servers[i];
  });
  try {
    const grad = new Float32Array(n).fill(1e-3);
    const times: Record<string, number[]> = Object.fromEntries(paths.map((p) => [p, []]));
    // CPU per path: this process's (client, its ZeroMQ I/O thread included) around each
    // timed round trip, and each server's over the whole timed phase (a server does
    // nothing while the other paths run, bar idle timers). GC likewise: the server's
    // over the timed phase, this process's from the pauses that began inside the path's trips.
    const clientCpu: Record<string, number> = Object.fromEntries(paths.map((p) => [p, 0]));
    const serverCpu: Record<string, number> = Object.fromEntries(paths.map((p) => [p, 0]));
    const serverGc: Record<string, number> = Object.fromEntries(paths.map((p) => [p, 0]));
    const windows: Record<string, [number, number][]> = Object.fromEntries(paths.map((p) => [p, []]));
    // Two warm-up rounds each, then interleaved timed rounds (drift hits all paths alike),
    // each round starting one path later: a GC that the bench process's allocation
    // pattern triggers every few round trips would otherwise land on the same path.
    for (let i = 0; i < opts.rounds + 2; i++) {
      if (i === 2) {
        for (const p of paths) {
          const u = await server[p].usage();
          serverCpu[p] = -u.cpuMs;
          serverGc[p] = -u.gcMs;
        }
      }
      for (const p of [...paths.slice(i % paths.length), ...paths.slice(0, i % paths.length)]) {
        const c0 = ownCpuMs();
        const t0 = performance.now();
        const ms = await trip[p](grad);
        if (i < 2) continue;
        windows[p].push([t0, performance.now()]);
        clientCpu[p] += ownCpuMs() - c0;
        times[p].push(ms);
      }
    }
    for (const p of paths) {
      const u = await server[p].usage();
      serverCpu[p] += u.cpuMs;
      serverGc[p] += u.gcMs;
    }
    // Let the observer deliver the last pauses.
    await new Promise((r) => setTimeout(r, 50));
    const med = (p: string): number => median(times[p]);
    const rawMs = med('raw');
    const cpu = (p: string): { perTrip: number; coresBusy: number } => {
      const total = clientCpu[p] + serverCpu[p];
      return { perTrip: total / opts.rounds, coresBusy: total / times[p].reduce((a, b) => a + b, 0) };
    };
    const gc = (p: string): number => (gcWithin(windows[p]) + serverGc[p]) / opts.rounds;
    const cores = cpus().length;
    // A round trip cannot take less wall time than its CPU time spread over every core:
    // the best ratio this machine allows at the PS path's measured CPU cost.
    const cpuBound = (p: string): number => (rawMs * cores) / cpu(p).perTrip;
    for (const p of paths) {
      opts.log(
        `exchange ${mb.toFixed(0)} MB ${p}: ${med(p).toFixed(2)} ms (raw/this ${(rawMs / med(p)).toFixed(2)}), CPU ${cpu(p).perTrip.toFixed(2)} ms, ` +
          `GC ${gc(p).toFixed(2)} ms per round trip (median of ${opts.rounds}; ${cores} cores => ratio at most ${cpuBound(p).toFixed(2)})`,
      );
    }
    const cpuVsEcho = cpu(dflt.key).perTrip / cpu('raw').perTrip;
    opts.log(`exchange ${mb.toFixed(1)} MB: PS CPU per byte / raw echo's ${cpuVsEcho.toFixed(2)} (bound <= ${CPU_PER_BYTE_BOUND})`);
    const step = stepTimes(n, opts.rounds);
    opts.log(
      `PS step alone ${mb.toFixed(1)} MB: generic sgd chain ${step.generic.toFixed(2)} ms, fused in-place ${step.fused.toFixed(2)} ms (median of ${opts.rounds})`,
    );
    const row = (path: string, ms: number, p: string | null): Row => ({
      part: 'a',
      case: `${mb.toFixed(1)} MB (${n} float32)`,
      path,
      ms: ms,
      'GB/s (2x bytes)': p === null ? null : (2 * 4 * n) / (ms / 1000) / 1e9,
      'raw/this': p === null ? null : rawMs / ms,
      'CPU ms': p === null ? null : cpu(p).perTrip,
      'cores busy': p === null ? null : cpu(p).coresBusy,
      'GC ms': p === null ? null : gc(p),
      'samples/s': null,
      'vs ref': null,
      bound: p === null || p === 'raw' ? null : cpuBound(p),
    });
    return {
      rows: [
        row('raw zmq echo', rawMs, 'raw'),
        ...variants.map((v) => row(v.label, med(v.key), v.key)),
        row('PS step alone: generic sgd chain', step.generic, null),
        row('PS step alone: fused (closeStep)', step.fused, null),
      ],
      ratio: rawMs / med(dflt.key),
      ratioNoChecksum: rawMs / med('plain'),
      ratioWhole: rawMs / med('whole'),
      cpuBound: cpuBound(dflt.key),
      cpuBoundNoChecksum: cpuBound('plain'),
      cpuPerByteVsRaw: cpu(dflt.key).perTrip / cpu('raw').perTrip,
      cpuPerByteVsRawWhole: cpu('whole').perTrip / cpu('raw').perTrip,
      gcMs: gc(dflt.key),
      gcMsWhole: gc('whole'),
      byPartBytes: Object.fromEntries(variants.filter((v) => v.checksum).map((v) => [String(v.partBytes), rawMs / med(v.key)])),
      step,
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    raw.close();
    await Promise.all([echo, ...servers].map((c) => stopServer(c)));
  }
}

/** ResNet-18's parameters (CIFAR form, 10 classes): 44.7 MB of float32, the model the gpu overlay trains. */
const RESNET18_PARAMS = 11_173_962;

interface ShardsResult {
  readonly rows: Row[];
  /** raw echo ms / PS ms at each shard count. */
  readonly ratio: Readonly<Record<number, number>>;
  readonly cpuBound: Readonly<Record<number, number>>;
}

/**
 * (d) one worker's push+pull of n float32 through S = 1, 2, 4 real shard processes
 * (keyRanges split, pushed to every shard at once as KvWorker does) against a raw echo
 * of the same bytes, interleaved round by round in one run.
 */
async function shardsAt(n: number, counts: readonly number[], opts: SuiteOptions & { rounds: number }): Promise<ShardsResult> {
  const mb = (4 * n) / 1e6;
  const echo = await startServer(['echo']);
  const servers: Record<number, Child[]> = {};
  const clients: Record<number, Awaited<ReturnType<typeof psClient>>> = {};
  const raw = rawClient(echo.endpoint);
  try {
    for (const c of counts) {
      servers[c] = await Promise.all(Array.from({ length: c }, (_, s) => startServer(['ps', String(n), String(s), String(c)])));
      clients[c] = await psClient(
        servers[c].map((x) => x.endpoint),
        true,
      );
    }
    const grad = new Float32Array(n).fill(1e-3);
    const keys = ['raw', ...counts.map(String)];
    const trip = (k: string): Promise<number> => (k === 'raw' ? raw.roundTrip(grad) : clients[Number(k)].roundTrip(grad));
    const serversOf = (k: string): Child[] => (k === 'raw' ? [echo] : servers[Number(k)]);
    const serverCpu = async (k: string): Promise<number> => (await Promise.all(serversOf(k).map((x) => x.cpuMs()))).reduce((a, b) => a + b, 0);
    const times: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
    const cpuMs: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
    for (let i = 0; i < opts.rounds + 2; i++) {
      if (i === 2) for (const k of keys) cpuMs[k] -= await serverCpu(k);
      for (const k of [...keys.slice(i % keys.length), ...keys.slice(0, i % keys.length)]) {
        const c0 = ownCpuMs();
        const ms = await trip(k);
        if (i < 2) continue;
        cpuMs[k] += ownCpuMs() - c0;
        times[k].push(ms);
      }
    }
    for (const k of keys) cpuMs[k] += await serverCpu(k);
    const rawMs = median(times['raw']);
    const cores = cpus().length;
    const rows: Row[] = [];
    const ratio: Record<number, number> = {};
    const cpuBound: Record<number, number> = {};
    for (const k of keys) {
      const ms = median(times[k]);
      const perTrip = cpuMs[k] / opts.rounds;
      const bound = (rawMs * cores) / perTrip;
      if (k !== 'raw') {
        ratio[Number(k)] = rawMs / ms;
        cpuBound[Number(k)] = bound;
      }
      rows.push({
        part: 'd',
        case: `${mb.toFixed(1)} MB (${n} float32)`,
        path: k === 'raw' ? 'raw zmq echo' : `PS push+pull, ${k} shard${k === '1' ? '' : 's'}, CRC-32`,
        ms,
        'GB/s (2x bytes)': (2 * 4 * n) / (ms / 1000) / 1e9,
        'raw/this': rawMs / ms,
        'CPU ms': perTrip,
        'cores busy': cpuMs[k] / times[k].reduce((a, b) => a + b, 0),
        'samples/s': null,
        'vs ref': null,
        bound: k === 'raw' ? null : bound,
      });
    }
    opts.log(
      `shards ${mb.toFixed(1)} MB: raw ${rawMs.toFixed(2)} ms; ` +
        counts.map((c) => `S=${c} ${median(times[String(c)]).toFixed(2)} ms (raw/this ${ratio[c].toFixed(2)}, bound ${cpuBound[c].toFixed(2)})`).join(', '),
    );
    return { rows, ratio, cpuBound };
  } finally {
    raw.close();
    for (const c of Object.values(clients)) await c.close();
    await Promise.all([echo, ...Object.values(servers).flat()].map(stopServer));
  }
}

interface TrainTiming {
  readonly msPerStep: number;
  readonly samplesPerS: number;
  /** CPU ms per step of the whole process tree (launcher, PS, workers), or null without /proc. */
  readonly cpuMsPerStep: number | null;
}

/** Runs `lnsgd train … --json` and times the steps after `warmup` from its progress events. */
function timeTrain(layout: readonly string[], opts: { warmup: number; timed: number; batch: number }): Promise<TrainTiming> {
  const steps = opts.warmup + opts.timed;
  const args = [
    'train',
    '--preset',
    'mlp',
    '--steps',
    String(steps),
    '--batch',
    String(opts.batch),
    '--progress-every',
    String(opts.warmup),
    '--no-sharpness',
    '--json',
    ...layout,
  ];
  return new Promise((resolve, reject) => {
    // The in-process trainer gets the V8 flags a worker process runs with, so (b) compares
    // the same training loop under the same heap settings and differs only by the PS.
    const flags = layout.includes('--inprocess') ? CHILD_NODE_FLAGS : [];
    const child = spawn(process.execPath, [...flags, LNSGD_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const elapsed = new Map<number, number>();
    // The tree's CPU at the same two progress events (sampled as each line arrives).
    const cpuAt = new Map<number, number | null>();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const e = JSON.parse(line) as { event?: string; step?: number; elapsed_s?: number };
      if (e.event === 'progress' && typeof e.step === 'number' && typeof e.elapsed_s === 'number') {
        elapsed.set(e.step, e.elapsed_s);
        if (e.step === opts.warmup || e.step === steps) cpuAt.set(e.step, processTreeCpuMs(child.pid as number));
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const a = elapsed.get(opts.warmup);
      const b = elapsed.get(steps);
      if (code !== 0 || a === undefined || b === undefined) {
        return reject(new Error(`exchange: lnsgd ${args.join(' ')} exited ${String(code)} without progress at steps ${opts.warmup} and ${steps}: ${stderr}`));
      }
      const s = (b - a) / opts.timed;
      const [c0, c1] = [cpuAt.get(opts.warmup), cpuAt.get(steps)];
      const cpuMsPerStep = c0 === undefined || c1 === undefined || c0 === null || c1 === null ? null : (c1 - c0) / opts.timed;
      resolve({ msPerStep: s * 1000, samplesPerS: opts.batch / s, cpuMsPerStep });
    });
  });
}

/** Times each layout `reps` times, sequentially (never two runs sharing the cores) and interleaved across repetitions. */
async function timeLayouts(
  opts: SuiteOptions,
  args: { layouts: Record<string, readonly string[]>; t: { warmup: number; timed: number; batch: number }; reps: number },
): Promise<Record<string, TrainTiming[]>> {
  const { layouts, t } = args;
  const runs: Record<string, TrainTiming[]> = Object.fromEntries(Object.keys(layouts).map((k) => [k, []]));
  for (let r = 0; r < args.reps; r++) {
    for (const [name, layout] of Object.entries(layouts)) {
      const got = await timeTrain(layout, t);
      opts.log(`mlp B=${t.batch} ${name}: ${got.msPerStep.toFixed(2)} ms/step, ${got.samplesPerS.toFixed(0)} samples/s (rep ${r + 1}/${args.reps})`);
      runs[name].push(got);
    }
  }
  return runs;
}

/** Median ms/step and CPU ms/step (null without /proc) of one layout's repetitions. */
function medianTiming(runs: readonly TrainTiming[]): { ms: number; cpu: number | null } {
  const xs = runs.map((x) => x.cpuMsPerStep);
  return { ms: median(runs.map((x) => x.msPerStep)), cpu: xs.every((x): x is number => x !== null) ? median(xs) : null };
}

/**
 * (c)'s ceiling: 2 workers compute the same samples as 1 and exchange the model's bytes
 * once more per step, so their CPU per step is at least 1 worker's plus a raw echo's; on
 * C cores a step takes at least that CPU / C. Null without /proc.
 */
function twoWorkerCeiling(one: { ms: number; cpu: number | null }, echoCpuMs: number): number | null {
  return one.cpu === null ? null : (one.ms * cpus().length) / (one.cpu + echoCpuMs);
}

/** One (b)/(c) table row. */
function trainRow(args: {
  part: string;
  path: string;
  t: { batch: number; timed: number; warmup: number };
  ms: number;
  vs: number;
  cpu: number | null;
  bound: number | null;
}): Row {
  const { t, ms, cpu } = args;
  return {
    part: args.part,
    case: `mlp 784-512-10, B=${t.batch}, ${t.timed} steps after ${t.warmup}`,
    path: args.path,
    ms,
    'GB/s (2x bytes)': null,
    'raw/this': null,
    'CPU ms': cpu,
    'cores busy': cpu === null ? null : cpu / ms,
    'GC ms': null,
    'samples/s': t.batch / (ms / 1000),
    'vs ref': args.vs,
    bound: args.bound,
  };
}

async function trainComparison(
  opts: SuiteOptions,
): Promise<{ rows: Row[]; overhead: number; speedup: number; overheadFloor: number; speedupCeiling: number | null; echoMs: number; echoCpuMs: number }> {
  const t = { warmup: 10, timed: opts.quick ? 20 : 60, batch: 256 };
  const reps = opts.quick ? 1 : 3;
  // --no-metrics: the sharpness monitor would take a core beside the cluster that the
  // in-process trainer does not have (its own cost is the metrics-overhead suite's).
  const layouts: Record<string, readonly string[]> = {
    inprocess: ['--inprocess'],
    'workers 1': ['--workers', '1', '--no-metrics'],
    'workers 2': ['--workers', '2', '--no-metrics'],
  };
  const runs = await timeLayouts(opts, { layouts, t, reps });
  const [inprocT, oneT, twoT] = [medianTiming(runs['inprocess']), medianTiming(runs['workers 1']), medianTiming(runs['workers 2'])];
  const inproc = inprocT.ms;
  const one = oneT.ms;
  const two = twoT.ms;
  // (b)'s floor, an estimate: a synchronous worker waits for θ_{k+1} before it computes
  // step k+1, so each step pays a raw ZeroMQ round trip of the model's bytes on top of
  // the training loop, which the in-process trainer (same loop, same V8 flags) never
  // moves. Both terms are measured, so noise can put a run below it.
  const n = mlpParamCount();
  const echo = await rawEcho(n, opts.quick ? 10 : 40);
  const overheadFloor = 1 + echo.ms / inproc;
  const cpu1 = oneT.cpu;
  const speedupCeiling = twoWorkerCeiling(oneT, echo.cpuMs);
  opts.log(
    `mlp: raw echo of its ${n} float32 ${echo.ms.toFixed(2)} ms, ${echo.cpuMs.toFixed(2)} ms CPU => 1-worker overhead at least ${overheadFloor.toFixed(3)}x; ` +
      `2-worker speed-up at most ${speedupCeiling?.toFixed(2) ?? '-'}x on ${cpus().length} cores`,
  );
  return {
    rows: [
      trainRow({ part: 'b', path: 'in-process trainer', t, ms: inproc, vs: 1, cpu: inprocT.cpu, bound: null }),
      trainRow({ part: 'b', path: '1 worker + PS', t, ms: one, vs: one / inproc, cpu: cpu1, bound: overheadFloor }),
      trainRow({ part: 'c', path: '2 workers + PS', t, ms: two, vs: one / two, cpu: twoT.cpu, bound: speedupCeiling }),
    ],
    overhead: one / inproc,
    speedup: one / two,
    overheadFloor,
    speedupCeiling,
    echoMs: echo.ms,
    echoCpuMs: echo.cpuMs,
  };
}

/**
 * (c) again at a large global batch, where a step's compute outweighs the PS's serial
 * section and the exchange, as in the large-batch studies this system is for. Same
 * layouts, ceiling and interleaving as at B = 256; fewer steps, each ~8x longer.
 */
async function largeBatchScaling(opts: SuiteOptions, echoCpuMs: number): Promise<{ rows: Row[]; speedup: number; ceiling: number | null; batch: number }> {
  const t = { warmup: 5, timed: opts.quick ? 10 : 20, batch: LARGE_BATCH };
  const reps = opts.quick ? 1 : 3;
  const layouts: Record<string, readonly string[]> = {
    'workers 1': ['--workers', '1', '--no-metrics'],
    'workers 2': ['--workers', '2', '--no-metrics'],
  };
  const runs = await timeLayouts(opts, { layouts, t, reps });
  const oneT = medianTiming(runs['workers 1']);
  const twoT = medianTiming(runs['workers 2']);
  const ceiling = twoWorkerCeiling(oneT, echoCpuMs);
  return {
    rows: [
      trainRow({ part: 'c', path: '1 worker + PS', t, ms: oneT.ms, vs: 1, cpu: oneT.cpu, bound: null }),
      trainRow({ part: 'c', path: '2 workers + PS', t, ms: twoT.ms, vs: oneT.ms / twoT.ms, cpu: twoT.cpu, bound: ceiling }),
    ],
    speedup: oneT.ms / twoT.ms,
    ceiling,
    batch: t.batch,
  };
}

/** Parameters of the mlp preset's model (Σ over layers of fan-in × fan-out + biases). */
function mlpParamCount(): number {
  const { options } = getPreset('mlp').model;
  const sizes = (options as { sizes: readonly number[] }).sizes;
  let n = 0;
  for (let i = 1; i < sizes.length; i++) n += sizes[i - 1] * sizes[i] + sizes[i];
  return n;
}

/** A raw ZeroMQ echo round trip of n float32: median ms, and mean CPU ms of client and server together. */
async function rawEcho(n: number, rounds: number): Promise<{ ms: number; cpuMs: number }> {
  const server = await startServer(['echo']);
  const raw = rawClient(server.endpoint);
  try {
    const grad = new Float32Array(n).fill(1e-3);
    const times: number[] = [];
    let cpu = 0;
    for (let i = 0; i < rounds + 2; i++) {
      if (i === 2) cpu = -(await server.cpuMs());
      const c0 = ownCpuMs();
      const ms = await raw.roundTrip(grad);
      if (i < 2) continue;
      cpu += ownCpuMs() - c0;
      times.push(ms);
    }
    cpu += await server.cpuMs();
    return { ms: median(times), cpuMs: cpu / rounds };
  } finally {
    raw.close();
    await stopServer(server);
  }
}

/** `npm run bench -- exchange`: the issue-4 distributed benchmarks (a), (b) and (c). */
export const exchangeSuite: Suite = {
  name: 'exchange',
  description:
    'PS push+pull (whole and in parts) vs raw ZeroMQ echo (4 MB, 40 MB, 44.7 MB; S = 1, 2, 4 shards at 44.7 MB); 1 worker vs in-process; 2 workers vs 1 (mlp, B = 256 and 2048)',
  async run(opts) {
    const at4 = await exchangeAt(1 << 20, { ...opts, rounds: opts.quick ? 10 : 40 });
    const at40 = await exchangeAt(10 << 20, { ...opts, rounds: opts.quick ? 4 : 15 });
    const at45 = await exchangeAt(RESNET18_PARAMS, { ...opts, rounds: opts.quick ? 4 : 15 });
    const sharded = await shardsAt(RESNET18_PARAMS, opts.quick ? [1, 2] : [1, 2, 4], { ...opts, rounds: opts.quick ? 3 : 12 });
    const train = await trainComparison(opts);
    const large = await largeBatchScaling(opts, train.echoCpuMs);
    const rows = [...at4.rows, ...at40.rows, ...at45.rows, ...sharded.rows];
    return {
      rows: [...rows, ...train.rows, ...large.rows],
      summary: {
        exchange_ratio_4mb: at4.ratio,
        exchange_ratio_40mb: at40.ratio,
        exchange_ratio_4mb_no_crc: at4.ratioNoChecksum,
        exchange_ratio_40mb_no_crc: at40.ratioNoChecksum,
        exchange_ratio_4mb_whole: at4.ratioWhole,
        exchange_ratio_40mb_whole: at40.ratioWhole,
        ps_cpu_vs_raw_4mb: at4.cpuPerByteVsRaw,
        ps_cpu_vs_raw_40mb: at40.cpuPerByteVsRaw,
        ps_cpu_vs_raw_4mb_whole: at4.cpuPerByteVsRawWhole,
        ps_cpu_vs_raw_40mb_whole: at40.cpuPerByteVsRawWhole,
        gc_ms_per_round_trip_4mb: at4.gcMs,
        gc_ms_per_round_trip_40mb: at40.gcMs,
        gc_ms_per_round_trip_4mb_whole: at4.gcMsWhole,
        gc_ms_per_round_trip_40mb_whole: at40.gcMsWhole,
        default_part_bytes: DEFAULT_PART_BYTES,
        ...Object.fromEntries(Object.entries(at4.byPartBytes).map(([b, r]) => [`exchange_ratio_4mb_part_${b}`, r])),
        ...Object.fromEntries(Object.entries(at40.byPartBytes).map(([b, r]) => [`exchange_ratio_40mb_part_${b}`, r])),
        exchange_ratio_44_7mb: at45.ratio,
        exchange_ratio_44_7mb_no_crc: at45.ratioNoChecksum,
        exchange_ratio_44_7mb_whole: at45.ratioWhole,
        exchange_ratio_44_7mb_cpu_bound: at45.cpuBound,
        ps_cpu_vs_raw_44_7mb: at45.cpuPerByteVsRaw,
        ps_cpu_vs_raw_44_7mb_whole: at45.cpuPerByteVsRawWhole,
        ps_cpu_vs_raw_bound: CPU_PER_BYTE_BOUND,
        gc_ms_per_round_trip_44_7mb: at45.gcMs,
        gc_ms_per_round_trip_44_7mb_whole: at45.gcMsWhole,
        ...Object.fromEntries(Object.entries(sharded.ratio).map(([c, r]) => [`exchange_ratio_44_7mb_shards_${c}`, r])),
        ...Object.fromEntries(Object.entries(sharded.cpuBound).map(([c, r]) => [`exchange_ratio_44_7mb_shards_${c}_cpu_bound`, r])),
        ps_step_ms_4mb_generic: at4.step.generic,
        ps_step_ms_4mb_fused: at4.step.fused,
        ps_step_ms_40mb_generic: at40.step.generic,
        ps_step_ms_40mb_fused: at40.step.fused,
        exchange_ratio_4mb_cpu_bound: at4.cpuBound,
        exchange_ratio_40mb_cpu_bound: at40.cpuBound,
        exchange_ratio_4mb_no_crc_cpu_bound: at4.cpuBoundNoChecksum,
        exchange_ratio_40mb_no_crc_cpu_bound: at40.cpuBoundNoChecksum,
        one_worker_overhead: train.overhead,
        one_worker_overhead_floor: train.overheadFloor,
        mlp_raw_echo_ms: train.echoMs,
        two_worker_speedup: train.speedup,
        two_worker_speedup_ceiling: train.speedupCeiling,
        two_worker_speedup_large_batch: large.speedup,
        two_worker_speedup_large_batch_ceiling: large.ceiling,
        large_batch: large.batch,
        cpu_cores: cpus().length,
      },
      notes: [
        '(a) each server is its own process (raw: a ZeroMQ ROUTER echoing every message; PS: a real startShardServer shard with a',
        "    synthetic quadratic-sparse model of 1 Mi / 10 Mi / 11,173,962 params, exchange_server.js, run with the PS's V8 flags as deployed);",
        '    the client is this process. One round trip =',
        '    the push of the gradient frame and the reply of the next parameters (same byte count both ways as the echo). The PS path',
        '    adds: CRC-32 on both ends (the "CRC-32" rows; default), protobuf header, NaN scan, float64 combine and the SGD step.',
        '    "whole": pushes and replies as one message each (--part-bytes 0, the data path before parts); "parts of X": the',
        '    push and the reply travel in parts of X bytes, each checked, stepped and answered as it arrives (--part-bytes X;',
        `    default ${DEFAULT_PART_BYTES} bytes); "no CRC": neither end checksums. GC ms = garbage-collection pauses per round trip,`,
        "    client (perf_hooks 'gc' entries that began inside the path's round trips) plus server (over the timed phase).",
        '    raw/this = raw echo ms / PS ms (target >= 0.9). "PS step alone" rows: the shard\'s combine + SGD step (momentum 0.9,',
        '    weight decay) for one worker in this process: the generic sgd chain + applyUpdates it replaced vs the fused',
        '    in-place kernel (sgdInPlace) ParameterShard.closeStep now runs into two reused parameter buffers (reuseParams, as the',
        '    server runs it; bit-identical results).',
        "    CPU ms = user + system CPU per round trip of client and server together, every thread (ZeroMQ's I/O threads included);",
        "    cores busy = CPU / wall. bound = raw ms x cores / this path's CPU ms: the best raw/this this machine allows even if",
        "    all of the path's CPU work overlapped perfectly over every core. Below 0.9, the target needs less CPU per byte, not",
        '    better overlap.',
        "    The PS CPU per byte / the raw echo's (summary ps_cpu_vs_raw_*) = the PS path's CPU ms / the raw path's, same bytes (target <= 1.2).",
        "(d) 44.7 MB (ResNet-18's float32 size) through S = 1, 2, 4 real shard processes (keyRanges split; the worker pushes every",
        '    shard its range at once and waits for every reply) vs a raw echo of the whole model, interleaved round by round. CPU ms',
        "    sums the client and every shard; bound as in (a). The shards share this machine's cores, as they would not in a cluster.",
        '(b) lnsgd train --preset mlp, same steps and batch; ms/step from the progress events after the warm-up steps',
        '    (process start-up and data loading excluded). vs ref = ms / in-process ms (target <= 1.05). CPU ms = CPU per',
        "    step of the whole process tree (launcher, PS, workers; /proc). The in-process trainer runs with the workers' V8",
        "    flags (CHILD_NODE_FLAGS). bound (1 worker) = 1 + a raw ZeroMQ echo of the model's bytes / in-process ms, an",
        '    estimated floor: a synchronous worker waits for the new parameters before its next step, so the exchange cannot',
        '    cost less than that echo; above 1.05, the target is out of reach for this model on this machine.',
        `(c) samples/s of --workers 2 vs --workers 1 (target >= 1.7). This machine has ${cpus().length} core(s): 2 workers, the PS and`,
        "    the launcher share them. bound (2 workers) = 1-worker ms x cores / (1-worker CPU ms + the echo's CPU ms): 2 workers",
        "    compute the same samples as 1 and move the model's bytes once more per step, so no way of running them can beat",
        '    it here. (b) and (c) run without the sharpness monitor (--no-metrics), as the in-process trainer does.',
        `    (c) runs twice: at the preset's B = 256 and at B = ${LARGE_BATCH}, where each worker's compute is ~8x longer while the PS's`,
        '    serial section (combine, step, CRC, replies) and the bytes moved stay the same per step.',
      ],
    };
  },
};
