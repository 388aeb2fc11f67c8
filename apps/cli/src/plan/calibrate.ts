import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as zmq from 'zeromq';
import { termsFromMeasurements, type Calibration, type Measurements, type RoundTripSample } from '@lnsgd/plan';
import { connectSyntheticWorker, ParameterShard } from '@lnsgd/ps';
import { CHILD_NODE_FLAGS, CLUSTER_MALLOC_ENV, PS_NODE_FLAGS } from '@lnsgd/trainer/node-flags';
import { getPreset } from '@lnsgd/trainer/presets';

const SERVER = join(__dirname, 'calibration_server.js');
const LNSGD = join(__dirname, '..', '..', 'bin', 'lnsgd.js');

/** What `lnsgd plan --calibrate` measures and how long. */
export interface CalibrateOptions {
  /** The preset whose in-process training step is timed (compute terms). */
  readonly preset: string;
  /** Model sizes of the round trips, MB (two or more, distinct). */
  readonly sizesMB: readonly number[];
  /** Timed round trips per size (after two warm-up ones). */
  readonly rounds: number;
  /** Timed training steps per batch size (after five warm-up ones). */
  readonly computeSteps: number;
  /** Batch sizes the compute is timed at (two or more; default: the preset's batch / 4 and its batch). */
  readonly computeBatches?: readonly number[];
  readonly log: (line: string) => void;
}

interface Child {
  readonly endpoint: string;
  readonly proc: ChildProcess;
  cpuMs(): Promise<number>;
}

function startServer(args: readonly string[]): Promise<Child> {
  return new Promise((resolve, reject) => {
    const flags = args[0] === 'ps' ? PS_NODE_FLAGS : [];
    // The cluster's allocator settings (CLUSTER_MALLOC_ENV): the per-byte cost measured is the one a run pays.
    const proc = spawn(process.execPath, [...flags, SERVER, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...CLUSTER_MALLOC_ENV, ...process.env } });
    let stderr = '';
    proc.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`plan --calibrate: server '${args.join(' ')}' reported no endpoint within 60 s: ${stderr}`));
    }, 60_000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`plan --calibrate: server '${args.join(' ')}' exited with code ${String(code)}: ${stderr}`));
    });
    if (proc.stdout === null || proc.stdin === null) return reject(new Error('plan --calibrate: no stdio pipes'));
    const stdin = proc.stdin;
    const waiting: ((line: string) => void)[] = [];
    const lines = createInterface({ input: proc.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.on('line', (l) => waiting.shift()?.(l));
      const cpuMs = (): Promise<number> =>
        new Promise((res) => {
          waiting.push((l) => res((JSON.parse(l) as { cpu_ms: number }).cpu_ms));
          stdin.write('cpu\n');
        });
      resolve({ endpoint: (JSON.parse(line) as { endpoint: string }).endpoint, proc, cpuMs });
    });
  });
}

function stop(c: Child): Promise<void> {
  return new Promise((resolve) => {
    if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
    c.proc.removeAllListeners('exit');
    c.proc.once('exit', () => resolve());
    c.proc.stdin?.end();
    setTimeout(() => c.proc.kill('SIGKILL'), 5000).unref();
  });
}

/** A client's round trip and its server. */
interface Path {
  readonly server: Child;
  trip(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Times the paths' round trips interleaved (drift and other processes' load hit them
 * alike), 2 warm-up trips each then `rounds` timed: the fastest wall ms (load from
 * other processes only adds time) and the mean server CPU ms per trip.
 */
async function timeTrips(paths: readonly Path[], rounds: number, bytes: number): Promise<RoundTripSample[]> {
  for (const p of paths) for (let i = 0; i < 2; i++) await p.trip();
  const cpu0 = await Promise.all(paths.map((p) => p.server.cpuMs()));
  const wall: number[][] = paths.map(() => []);
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < paths.length; k++) {
      const t0 = performance.now();
      await paths[k].trip();
      wall[k].push(performance.now() - t0);
    }
  }
  const cpu1 = await Promise.all(paths.map((p) => p.server.cpuMs()));
  return paths.map((_, k) => ({ bytes, wallMs: Math.min(...wall[k]), serverCpuMs: (cpu1[k] - cpu0[k]) / rounds }));
}

async function echoPath(n: number): Promise<Path> {
  const server = await startServer(['echo']);
  const sock = new zmq.Dealer({ linger: 0, sendHighWaterMark: 16, receiveHighWaterMark: 16 });
  sock.connect(server.endpoint);
  const payload = Buffer.alloc(4 * n, 1);
  const header = Buffer.alloc(64);
  return {
    server,
    trip: async () => {
      await sock.send([header, payload]);
      const frames = await sock.receive();
      if (frames[1]?.length !== payload.length) throw new Error(`plan --calibrate: the echo returned ${frames[1]?.length ?? 0} bytes, sent ${payload.length}`);
    },
    close: async () => {
      sock.close();
      await stop(server);
    },
  };
}

async function psPath(n: number): Promise<Path> {
  const server = await startServer(['ps', String(n)]);
  try {
    const worker = await connectSyntheticWorker({ endpoints: [server.endpoint], checksum: true, workerId: `plan-${process.pid}` });
    return {
      server,
      trip: () => worker.trip(),
      close: async () => {
        await worker.close();
        await stop(server);
      },
    };
  } catch (err: unknown) {
    await stop(server);
    throw new Error(`plan --calibrate: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The once-per-step part of the shard's closeStep (combine + optimizer step, in this
 * process) for n parameters: one push's time minus what a second push adds (its combine).
 */
function stepAt(n: number, rounds: number): { bytes: number; ms: number; onePush: number; twoPushes: number } {
  const hyper = { lr: 1e-6, momentum: 0.9, weightDecay: 5e-4, warmupSteps: 10 };
  const grad = new Float32Array(n).fill(1e-3);
  const shard = new ParameterShard({ params: new Float32Array(n).fill(1), hyper, reuseParams: true });
  const time = (pushes: number): number => {
    for (let r = 0; r < pushes; r++) shard.addPush({ rank: r, samples: 1, loss: 0, grad });
    const t0 = performance.now();
    shard.closeStep();
    return performance.now() - t0;
  };
  const one: number[] = [];
  const two: number[] = [];
  for (let i = 0; i < rounds + 2; i++) {
    const a = time(1);
    const b = time(2);
    if (i < 2) continue;
    one.push(a);
    two.push(b);
  }
  // The fastest of each: other processes' load only adds time.
  const t1 = Math.min(...one);
  const t2 = Math.min(...two);
  return { bytes: 4 * n, ms: t1 - (t2 - t1), onePush: t1, twoPushes: t2 };
}

/**
 * ms per in-process training step of `preset` at `batch`: after 5 warm-up steps, the
 * fastest of the 5-step windows between progress events (other processes' load only adds time).
 */
function computeAt(preset: string, batch: number, steps: number): Promise<{ samples: number; ms: number }> {
  const window = 5;
  const windows = Math.max(1, Math.round(steps / window));
  const total = window * (windows + 1);
  const args = ['train', '--inprocess', '--preset', preset, '--batch', String(batch), '--steps', String(total), '--progress-every', String(window)];
  // Only the step's cost is wanted: a tiny learning rate keeps every preset finite at any
  // batch (uv-toy diverges at its own lr with B = 2) without changing the work per step.
  args.push('--lr', '1e-9', '--no-sharpness', '--json');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, LNSGD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const elapsed = new Map<number, number>();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const e = JSON.parse(line) as { event?: string; step?: number; elapsed_s?: number };
      if (e.event === 'progress' && typeof e.step === 'number' && typeof e.elapsed_s === 'number') elapsed.set(e.step, e.elapsed_s);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const per: number[] = [];
      for (let k = 1; k <= windows; k++) {
        const a = elapsed.get(k * window);
        const b = elapsed.get((k + 1) * window);
        if (a !== undefined && b !== undefined) per.push(((b - a) * 1000) / window);
      }
      if (code !== 0 || per.length < windows) return reject(new Error(`plan --calibrate: lnsgd ${args.join(' ')} exited ${String(code)}: ${stderr.trim()}`));
      resolve({ samples: batch, ms: Math.min(...per) });
    });
  });
}

/**
 * Measures the model's terms on this machine (loopback ZeroMQ, a real shard process,
 * the preset's in-process training step) and returns the calibration.
 */
export async function calibrate(o: CalibrateOptions): Promise<Calibration> {
  if (o.sizesMB.length < 2 || new Set(o.sizesMB).size !== o.sizesMB.length || o.sizesMB.some((x) => !(x > 0)))
    throw new Error(`plan --calibrate: --sizes needs two or more distinct sizes > 0 MB, got ${o.sizesMB.join(',')}`);
  const preset = getPreset(o.preset);
  const load = loadavg();
  const echo: RoundTripSample[] = [];
  const ps: RoundTripSample[] = [];
  const step: { bytes: number; ms: number }[] = [];
  for (const mb of o.sizesMB) {
    const n = Math.round((mb * 1e6) / 4);
    const paths = [await echoPath(n), await psPath(n)];
    let e: RoundTripSample;
    let p: RoundTripSample;
    try {
      [e, p] = await timeTrips(paths, o.rounds, 4 * n);
    } finally {
      for (const x of paths) await x.close();
    }
    const s = stepAt(n, o.rounds);
    o.log(
      `${mb} MB: raw echo ${e.wallMs.toFixed(2)} ms (server CPU ${e.serverCpuMs.toFixed(2)} ms), shard round trip ${p.wallMs.toFixed(2)} ms (server CPU ${p.serverCpuMs.toFixed(2)} ms), closeStep ${s.onePush.toFixed(2)} ms with 1 push, ${s.twoPushes.toFixed(2)} ms with 2`,
    );
    echo.push(e);
    ps.push(p);
    step.push({ bytes: s.bytes, ms: s.ms });
  }
  const batches = o.computeBatches ?? [Math.max(1, Math.round(preset.defaults.batch / 4)), preset.defaults.batch];
  if (batches.length < 2 || new Set(batches).size !== batches.length || batches.some((b) => !(Number.isInteger(b) && b >= 1)))
    throw new Error(`plan --calibrate: --compute-batches needs two or more distinct integers >= 1, got ${batches.join(',')}`);
  // Two passes over the batch sizes, each keeping its fastest: a burst of other load during one
  // size's run would otherwise tilt the line.
  const compute = batches.map((b) => ({ samples: b, ms: Number.POSITIVE_INFINITY }));
  for (let pass = 0; pass < 2; pass++) {
    for (const c of compute) {
      const t = await computeAt(o.preset, c.samples, o.computeSteps);
      o.log(`${o.preset} in-process step at B = ${c.samples}: ${t.ms.toFixed(2)} ms (pass ${pass + 1} of 2)`);
      c.ms = Math.min(c.ms, t.ms);
    }
  }
  const measurements: Measurements = { echo, ps, step, compute };
  const { terms, clamped } = termsFromMeasurements(measurements);
  if (clamped.length > 0) o.log(`noise made ${clamped.join(', ')} negative: clamped to 0 (rerun on a quieter machine or with more --rounds)`);
  return {
    format: 'lnsgd-plan-calibration/2',
    preset: o.preset,
    machine: { cpu_model: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length, load_average: load.map((x) => Math.round(x * 100) / 100) },
    terms,
    measurements,
    clamped,
  };
}
