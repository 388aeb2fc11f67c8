import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { applyUpdates, sgd } from '@lnsgd/optim';
import { DEFAULT_PART_BYTES, ParameterShard } from '@lnsgd/ps';
// tfjs-free entry points: the package indexes would load TensorFlow.js (trainer) or the whole CLI into the bench's client process.
import { CHILD_NODE_FLAGS, CLUSTER_MALLOC_ENV, PS_NODE_FLAGS } from '@lnsgd/trainer/node-flags';
import { getPreset } from '@lnsgd/trainer/presets';
import { processTreeCpuMs } from '../cpu_time';
import type { Suite, SuiteOptions } from '../suite';
import { median } from './train_child';

// The distributed benchmarks (docs/benchmarks.md#exchange), each side by side in one run:
//  (a) one push+pull round trip through a real parameter-server shard process versus a
//      raw ZeroMQ DEALER→ROUTER echo process returning the same bytes, at 4 MB and 40 MB;
//  (b) ms/step of `lnsgd train --workers 1` (PS + worker processes) versus
//      `lnsgd train --inprocess` on the mlp preset, same batch and steps;
//  (c) samples/s of `lnsgd train --workers 2` versus `--workers 1` on the mlp preset,
//      at its batch of 256 and at 2048.

const SERVER_SCRIPT = join(__dirname, '..', 'exchange_server.js');
const CLIENT_SCRIPT = join(__dirname, '..', 'exchange_client.js');
const LNSGD_BIN = join(dirname(require.resolve('@lnsgd/cli/package.json')), 'bin', 'lnsgd.js');

type Row = Readonly<Record<string, string | number | null>>;

/** (c)'s second global batch: 8x the mlp preset's 256. */
const LARGE_BATCH = 2048;

/** A bench child process (exchange_server.js or exchange_client.js) that printed its first line. */
interface Child {
  /** The server's endpoint ('' for a client). */
  readonly endpoint: string;
  readonly process: ChildProcess;
  /** The child's user + system CPU ms so far, all threads, and its GC ms so far (asked over stdin). */
  usage(): Promise<{ cpuMs: number; gcMs: number }>;
  cpuMs(): Promise<number>;
  /** A client's timed round trip, in ms (a client child only). */
  trip(): Promise<number>;
}

/**
 * Spawns a bench child: its first stdout line is its start-up report, every later line
 * answers one stdin request, in order. An exit fails the start or every request pending.
 */
function spawnChild(script: string, flags: readonly string[], o: { args: readonly string[]; glibcDefaults: boolean }): Promise<Child> {
  const { args, glibcDefaults } = o;
  const timeoutMs = 60_000;
  const name = `${script.split('/').pop() ?? script} ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    // The cluster's allocator settings (for the echo too: the same ZeroMQ receive path), unless the path measures glibc's defaults.
    const env = glibcDefaults ? withoutMallocEnv(process.env) : { ...CLUSTER_MALLOC_ENV, ...process.env };
    const proc = spawn(process.execPath, [...flags, script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let stderr = '';
    proc.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const waiting: { res: (line: string) => void; rej: (err: Error) => void }[] = [];
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`exchange: '${name}' did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      const err = new Error(`exchange: '${name}' exited with code ${String(code)}: ${stderr}`);
      reject(err);
      for (const w of waiting.splice(0)) w.rej(err);
    });
    if (proc.stdout === null || proc.stdin === null) return reject(new Error('exchange: no stdio pipes'));
    const stdin = proc.stdin;
    const lines = createInterface({ input: proc.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.on('line', (l) => waiting.shift()?.res(l));
      const request = (what: string): Promise<string> =>
        new Promise((res, rej) => {
          waiting.push({ res, rej });
          stdin.write(`${what}\n`);
        });
      const usage = async (): Promise<{ cpuMs: number; gcMs: number }> => {
        const u = JSON.parse(await request('cpu')) as { cpu_ms: number; gc_ms: number };
        return { cpuMs: u.cpu_ms, gcMs: u.gc_ms };
      };
      const cpuMs = async (): Promise<number> => (await usage()).cpuMs;
      const trip = async (): Promise<number> => (JSON.parse(await request('trip')) as { ms: number }).ms;
      const first = JSON.parse(line) as { endpoint?: string };
      resolve({ endpoint: first.endpoint ?? '', process: proc, usage, cpuMs, trip });
    });
  });
}

/** The environment without CLUSTER_MALLOC_ENV's variables: glibc's default allocator. */
function withoutMallocEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !(k in CLUSTER_MALLOC_ENV)));
}

/** A server child: the raw echo, or a PS shard run with the V8 flags the launcher and the manifests give it. */
function startServer(args: readonly string[], glibcDefaults = false): Promise<Child> {
  return spawnChild(SERVER_SCRIPT, args[0] === 'ps' ? PS_NODE_FLAGS : [], { args, glibcDefaults });
}

/** A client child of one path, with a worker's V8 flags: `raw <n> <endpoint>` or `ps <n> crc|no-crc <endpoints>...`. */
function startClient(args: readonly string[], glibcDefaults = false): Promise<Child> {
  return spawnChild(CLIENT_SCRIPT, CHILD_NODE_FLAGS, { args, glibcDefaults });
}

function stopChild(c: Child): Promise<void> {
  return new Promise((resolve) => {
    if (c.process.exitCode !== null || c.process.signalCode !== null) return resolve();
    c.process.once('exit', () => resolve());
    c.process.stdin?.end();
    setTimeout(() => c.process.kill('SIGKILL'), 5000).unref();
  });
}

/** The mean: the rate a training loop sees, GC pauses included. */
function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
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
  /** raw echo time / PS round-trip time, means (1 = the PS costs nothing over ZeroMQ), at the default part size. */
  readonly ratio: number;
  /** The same from the medians of the round trips (GC pauses mostly left out). */
  readonly ratioMedian: number;
  readonly ratioNoChecksum: number;
  /** glibc's default allocator / CLUSTER_MALLOC_ENV's: mean round trip and CPU per round trip, raw echo and default PS path. */
  readonly mallocEnv: { readonly rawTime: number; readonly psTime: number; readonly rawCpu: number; readonly psCpu: number };
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
  /** Server and client on glibc's default allocator, not CLUSTER_MALLOC_ENV's. */
  readonly glibcDefaults?: boolean;
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
    {
      key: 'glibc',
      label: `PS push+pull, CRC-32, parts of ${kib(DEFAULT_PART_BYTES)}, glibc malloc defaults`,
      partBytes: DEFAULT_PART_BYTES,
      checksum: true,
      glibcDefaults: true,
    },
  ];
}

async function exchangeAt(n: number, opts: SuiteOptions & { rounds: number }): Promise<ExchangeResult> {
  const mb = (4 * n) / 1e6;
  const variants = psVariants(n);
  const dflt = variants.find((v) => v.checksum && v.partBytes === DEFAULT_PART_BYTES) ?? variants[0];
  const echo = await startServer(['echo']);
  const echoGlibc = await startServer(['echo'], true);
  const servers = await Promise.all(
    variants.map((v) => startServer(['ps', String(n), ...(v.checksum ? [] : ['no-checksum']), `part=${v.partBytes}`], v.glibcDefaults)),
  );
  const children: Child[] = [echo, echoGlibc, ...servers];
  try {
    // Each path's client is its own process (exchange_client.js), as a worker is.
    const rawClient = await startClient(['raw', String(n), echo.endpoint]);
    const rawGlibcClient = await startClient(['raw', String(n), echoGlibc.endpoint], true);
    children.push(rawClient, rawGlibcClient);
    const psClients = await Promise.all(
      variants.map((v, i) => startClient(['ps', String(n), v.checksum ? 'crc' : 'no-crc', servers[i].endpoint], v.glibcDefaults)),
    );
    children.push(...psClients);
    const paths = ['raw', 'raw-glibc', ...variants.map((v) => v.key)];
    const client: Record<string, Child> = { raw: rawClient, 'raw-glibc': rawGlibcClient };
    const server: Record<string, Child> = { raw: echo, 'raw-glibc': echoGlibc };
    variants.forEach((v, i) => {
      client[v.key] = psClients[i];
      server[v.key] = servers[i];
    });
    const times: Record<string, number[]> = Object.fromEntries(paths.map((p) => [p, []]));
    // CPU and GC per path: its client's and its server's over the timed phase (each does
    // nothing while the other paths run, bar idle timers).
    const clientCpu: Record<string, number> = Object.fromEntries(paths.map((p) => [p, 0]));
    const serverCpu: Record<string, number> = Object.fromEntries(paths.map((p) => [p, 0]));
    const clientGc: Record<string, number> = Object.fromEntries(paths.map((p) => [p, 0]));
    const serverGc: Record<string, number> = Object.fromEntries(paths.map((p) => [p, 0]));
    const sample = async (sign: 1 | -1): Promise<void> => {
      for (const p of paths) {
        const [c, sv] = [await client[p].usage(), await server[p].usage()];
        clientCpu[p] += sign * c.cpuMs;
        clientGc[p] += sign * c.gcMs;
        serverCpu[p] += sign * sv.cpuMs;
        serverGc[p] += sign * sv.gcMs;
      }
    };
    // Two warm-up rounds each, then interleaved timed rounds (drift hits all paths alike),
    // each round starting one path later.
    for (let i = 0; i < opts.rounds + 2; i++) {
      if (i === 2) await sample(-1);
      for (const p of [...paths.slice(i % paths.length), ...paths.slice(0, i % paths.length)]) {
        const ms = await client[p].trip();
        if (i >= 2) times[p].push(ms);
      }
    }
    // Let the observers deliver the last pauses.
    await new Promise((r) => setTimeout(r, 50));
    await sample(1);
    const meanMs = (p: string): number => mean(times[p]);
    const rawMs = meanMs('raw');
    const rawMedian = median(times['raw']);
    const medianRatio = (p: string): number => rawMedian / median(times[p]);
    const cpu = (p: string): { perTrip: number; coresBusy: number } => {
      const total = clientCpu[p] + serverCpu[p];
      return { perTrip: total / opts.rounds, coresBusy: total / times[p].reduce((a, b) => a + b, 0) };
    };
    const gc = (p: string): number => (clientGc[p] + serverGc[p]) / opts.rounds;
    const cores = cpus().length;
    // A round trip cannot take less wall time than its CPU time spread over every core:
    // the best ratio this machine allows at the PS path's measured CPU cost.
    const cpuBound = (p: string): number => (rawMs * cores) / cpu(p).perTrip;
    for (const p of paths) {
      opts.log(
        `exchange ${mb.toFixed(0)} MB ${p}: mean ${meanMs(p).toFixed(2)} ms (raw/this ${(rawMs / meanMs(p)).toFixed(2)}), median ${median(times[p]).toFixed(2)} ms (${medianRatio(p).toFixed(2)}), CPU ${cpu(p).perTrip.toFixed(2)} ms, ` +
          `GC ${gc(p).toFixed(2)} ms per round trip (${opts.rounds} round trips; ${cores} cores => ratio at most ${cpuBound(p).toFixed(2)})`,
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
      'median ms': p === null ? null : median(times[p]),
      'raw/this (medians)': p === null ? null : medianRatio(p),
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
        row('raw zmq echo, glibc malloc defaults', meanMs('raw-glibc'), 'raw-glibc'),
        ...variants.map((v) => row(v.label, meanMs(v.key), v.key)),
        row('PS step alone: generic sgd chain', step.generic, null),
        row('PS step alone: fused (closeStep)', step.fused, null),
      ],
      ratio: rawMs / meanMs(dflt.key),
      ratioMedian: medianRatio(dflt.key),
      ratioNoChecksum: rawMs / meanMs('plain'),
      mallocEnv: {
        rawTime: meanMs('raw-glibc') / rawMs,
        psTime: meanMs('glibc') / meanMs(dflt.key),
        rawCpu: cpu('raw-glibc').perTrip / cpu('raw').perTrip,
        psCpu: cpu('glibc').perTrip / cpu(dflt.key).perTrip,
      },
      ratioWhole: rawMs / meanMs('whole'),
      cpuBound: cpuBound(dflt.key),
      cpuBoundNoChecksum: cpuBound('plain'),
      cpuPerByteVsRaw: cpu(dflt.key).perTrip / cpu('raw').perTrip,
      cpuPerByteVsRawWhole: cpu('whole').perTrip / cpu('raw').perTrip,
      gcMs: gc(dflt.key),
      gcMsWhole: gc('whole'),
      byPartBytes: Object.fromEntries(variants.filter((v) => v.checksum && v.glibcDefaults !== true).map((v) => [String(v.partBytes), rawMs / meanMs(v.key)])),
      step,
    };
  } finally {
    await Promise.all(children.map(stopChild));
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
  const children: Child[] = [echo];
  try {
    const servers: Record<number, Child[]> = {};
    const clients: Record<string, Child> = {};
    clients['raw'] = await startClient(['raw', String(n), echo.endpoint]);
    children.push(clients['raw']);
    for (const c of counts) {
      servers[c] = await Promise.all(Array.from({ length: c }, (_, s) => startServer(['ps', String(n), String(s), String(c)])));
      children.push(...servers[c]);
      clients[String(c)] = await startClient(['ps', String(n), 'crc', ...servers[c].map((x) => x.endpoint)]);
      children.push(clients[String(c)]);
    }
    const keys = ['raw', ...counts.map(String)];
    const processesOf = (k: string): Child[] => [clients[k], ...(k === 'raw' ? [echo] : servers[Number(k)])];
    const cpuOf = async (k: string): Promise<number> => (await Promise.all(processesOf(k).map((x) => x.cpuMs()))).reduce((a, b) => a + b, 0);
    const times: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
    // CPU per path: its client's and its shards' (or the echo's) over the timed phase.
    const cpuMs: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
    for (let i = 0; i < opts.rounds + 2; i++) {
      if (i === 2) for (const k of keys) cpuMs[k] -= await cpuOf(k);
      for (const k of [...keys.slice(i % keys.length), ...keys.slice(0, i % keys.length)]) {
        const ms = await clients[k].trip();
        if (i >= 2) times[k].push(ms);
      }
    }
    for (const k of keys) cpuMs[k] += await cpuOf(k);
    const rawMs = mean(times['raw']);
    const cores = cpus().length;
    const rows: Row[] = [];
    const ratio: Record<number, number> = {};
    const cpuBound: Record<number, number> = {};
    for (const k of keys) {
      const ms = mean(times[k]);
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
        'median ms': median(times[k]),
        'raw/this (medians)': median(times['raw']) / median(times[k]),
        'CPU ms': perTrip,
        'cores busy': cpuMs[k] / times[k].reduce((a, b) => a + b, 0),
        'samples/s': null,
        'vs ref': null,
        bound: k === 'raw' ? null : bound,
      });
    }
    opts.log(
      `shards ${mb.toFixed(1)} MB: raw ${rawMs.toFixed(2)} ms; ` +
        counts.map((c) => `S=${c} ${mean(times[String(c)]).toFixed(2)} ms (raw/this ${ratio[c].toFixed(2)}, bound ${cpuBound[c].toFixed(2)})`).join(', '),
    );
    return { rows, ratio, cpuBound };
  } finally {
    await Promise.all(children.map(stopChild));
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
  const children: Child[] = [server];
  try {
    const client = await startClient(['raw', String(n), server.endpoint]);
    children.push(client);
    const cpuOf = async (): Promise<number> => (await client.cpuMs()) + (await server.cpuMs());
    const times: number[] = [];
    let cpu = 0;
    for (let i = 0; i < rounds + 2; i++) {
      if (i === 2) cpu = -(await cpuOf());
      const ms = await client.trip();
      if (i >= 2) times.push(ms);
    }
    cpu += await cpuOf();
    return { ms: median(times), cpuMs: cpu / rounds };
  } finally {
    await Promise.all(children.map(stopChild));
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
        exchange_ratio_4mb_median: at4.ratioMedian,
        ...Object.fromEntries(
          (
            [
              ['4mb', at4],
              ['40mb', at40],
              ['44_7mb', at45],
            ] as const
          ).flatMap(([size, r]) => [
            [`glibc_malloc_time_vs_cluster_env_raw_${size}`, r.mallocEnv.rawTime],
            [`glibc_malloc_time_vs_cluster_env_ps_${size}`, r.mallocEnv.psTime],
            [`glibc_malloc_cpu_vs_cluster_env_raw_${size}`, r.mallocEnv.rawCpu],
            [`glibc_malloc_cpu_vs_cluster_env_ps_${size}`, r.mallocEnv.psCpu],
          ]),
        ),
        exchange_ratio_40mb_median: at40.ratioMedian,
        exchange_ratio_44_7mb_median: at45.ratioMedian,
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
        '    ms = the mean round trip (the rate, GC pauses included); raw/this = raw echo ms / PS ms (target >= 0.9). The medians',
        "    beside them leave most collection pauses out. Each path has its own client process (exchange_client.js, a worker's",
        '    flags). The PS path frees each received frame once copied (releaseFrame); the raw echo cannot (it sends the frame',
        '    back), so V8 collects its frames every ~64 MB received and its round trips are bimodal: its mean and median differ most.',
        '    "glibc malloc defaults": that path\'s client and server without CLUSTER_MALLOC_ENV (the allocator settings every cluster',
        "    process gets); summary glibc_malloc_{time,cpu}_vs_cluster_env_{raw,ps}_* = those paths' mean ms and CPU ms over the same",
        '    path with the settings.',
        '    "PS step alone" rows: the shard\'s combine + SGD step (momentum 0.9,',
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
        "    flags (CHILD_NODE_FLAGS). bound (1 worker) = 1 + a raw ZeroMQ echo of the model's bytes (median) / in-process ms, an",
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
