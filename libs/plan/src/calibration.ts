import { MB, checkTerms, type StepTerms } from './step_model';

/** One timed round trip size: median wall ms and mean server CPU ms per round trip. */
export interface RoundTripSample {
  readonly bytes: number;
  readonly wallMs: number;
  readonly serverCpuMs: number;
}

/** What `lnsgd plan --calibrate` measures on the machine at hand. */
export interface Measurements {
  /** A raw ZeroMQ echo (DEALER → ROUTER → back) of `bytes`, at two or more sizes. */
  readonly echo: readonly RoundTripSample[];
  /** One worker's push + pull through one real shard, same sizes. */
  readonly ps: readonly RoundTripSample[];
  /** The shard's optimizer step alone (in process), ms at each slice size. */
  readonly step: readonly { readonly bytes: number; readonly ms: number }[];
  /** The in-process training step of the preset at two or more batch sizes. */
  readonly compute: readonly { readonly samples: number; readonly ms: number }[];
}

/** A calibration file (`lnsgd plan --calibrate` writes it; `lnsgd plan --calibration` reads it). */
export interface Calibration {
  readonly format: 'lnsgd-plan-calibration/2';
  /** The preset whose compute was timed. */
  readonly preset: string;
  readonly machine: { readonly cpu_model: string; readonly cores: number; readonly load_average: readonly number[] };
  readonly terms: StepTerms;
  readonly measurements: Measurements;
  /** Terms that came out negative from noise and were clamped to 0. */
  readonly clamped: readonly string[];
}

/** Least-squares line y = intercept + slope · x through two or more points with distinct x. */
export function fitLine(xs: readonly number[], ys: readonly number[]): { intercept: number; slope: number } {
  if (xs.length !== ys.length || xs.length < 2) throw new RangeError(`plan: a line needs two or more points, got ${xs.length} x and ${ys.length} y`);
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  if (sxx === 0) throw new RangeError('plan: a line needs two distinct x values');
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

/**
 * The model's terms from the measurements. Each is a difference of measured lines, so
 * that the shard's and the worker's costs are what they add over a raw ZeroMQ round trip
 * of the same bytes (which is the transport's own cost: latency and host copies):
 *
 *   echo wall   = e0 + e1·M          → latency e0/2, host copies e1/2 per MB each way
 *   echo server CPU = z0 + z1·M      → transport CPU z1 per MB moved one way (a receive and a send)
 *   PS server CPU = q0 + q1·M
 *   shard per message  q0 − z0,  per MB  q1 − z1 − step per MB
 *   PS wall     = r0 + r1·M          → the worker's serial share: what the shard's extra CPU does not explain
 *   compute     = c0 + cs·b          (in-process step at two batch sizes)
 *
 * A term that noise makes negative is clamped to 0 and named in `clamped`.
 */
export function termsFromMeasurements(m: Measurements): { terms: StepTerms; clamped: string[] } {
  const mbOf = (s: readonly { bytes: number }[]): number[] => s.map((x) => x.bytes / MB);
  const echoWall = fitLine(
    mbOf(m.echo),
    m.echo.map((x) => x.wallMs),
  );
  const echoCpu = fitLine(
    mbOf(m.echo),
    m.echo.map((x) => x.serverCpuMs),
  );
  const psWall = fitLine(
    mbOf(m.ps),
    m.ps.map((x) => x.wallMs),
  );
  const psCpu = fitLine(
    mbOf(m.ps),
    m.ps.map((x) => x.serverCpuMs),
  );
  const step = fitLine(
    mbOf(m.step),
    m.step.map((x) => x.ms),
  );
  const compute = fitLine(
    m.compute.map((x) => x.samples),
    m.compute.map((x) => x.ms),
  );
  const shardExtra = { perMessage: psCpu.intercept - echoCpu.intercept, perMB: psCpu.slope - echoCpu.slope };
  const raw: Record<keyof StepTerms, number> = {
    computeMsFixed: compute.intercept,
    computeMsPerSample: compute.slope,
    workerMsPerMessage: psWall.intercept - echoWall.intercept - shardExtra.perMessage,
    workerMsPerMB: psWall.slope - echoWall.slope - shardExtra.perMB,
    psMsPerMessage: shardExtra.perMessage,
    psMsPerMB: shardExtra.perMB - step.slope,
    stepMsPerMB: step.slope,
    hostMsPerMB: echoWall.slope / 2,
    latencyMs: echoWall.intercept / 2,
    // The echo server receives and sends each MB: one one-way MB's CPU at both ends.
    transportCpuMsPerMB: echoCpu.slope,
  };
  const clamped = Object.entries(raw)
    .filter(([, v]) => !(v >= 0))
    .map(([k]) => k);
  const terms = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v >= 0 ? v : 0])) as unknown as StepTerms;
  checkTerms(terms);
  return { terms, clamped };
}

/**
 * Checks a parsed calibration file and returns it typed.
 *
 * @throws Error naming the file's first problem (wrong format tag, a missing or bad term).
 */
export function parseCalibration(json: unknown, source = 'calibration'): Calibration {
  const fail = (why: string): never => {
    throw new Error(`${source}: ${why} (write one with: lnsgd plan --calibrate --out <file>)`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('not a JSON object');
  const o = json as Record<string, unknown>;
  if (o['format'] !== 'lnsgd-plan-calibration/2') return fail(`format must be "lnsgd-plan-calibration/2", got ${JSON.stringify(o['format'])}`);
  const t = o['terms'];
  if (typeof t !== 'object' || t === null) return fail('no "terms" object');
  const keys: (keyof StepTerms)[] = [
    'computeMsFixed',
    'computeMsPerSample',
    'workerMsPerMessage',
    'workerMsPerMB',
    'psMsPerMessage',
    'psMsPerMB',
    'stepMsPerMB',
    'hostMsPerMB',
    'latencyMs',
    'transportCpuMsPerMB',
  ];
  for (const k of keys) if (typeof (t as Record<string, unknown>)[k] !== 'number') return fail(`terms.${k} is missing or not a number`);
  try {
    checkTerms(t as StepTerms);
  } catch (err: unknown) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  return json as Calibration;
}

/** An echo round trip size timed over the run's own network path, with the whole machine's busy CPU (/proc/stat: user, system, irq, softirq). */
export interface PathEchoSample {
  readonly bytes: number;
  /** Mean wall ms per round trip. */
  readonly wallMs: number;
  /** Mean busy CPU ms of the whole machine per round trip, every core, the kernel's network work included. */
  readonly busyCpuMs: number;
}

/**
 * The transport's CPU per MB moved one way (both ends, kernel included) from echo round
 * trips over the path a run uses (namespaces, veth, bridge, shaper). Other tenants'
 * load, `baselineBusyCores` as read while the echo was idle, is taken off each trip's
 * busy CPU pro rata to its wall time. A round trip moves its bytes one way twice (there
 * and back), so the term is half the slope of busy CPU against MB; clamped at 0.
 */
export function transportCpuOverPath(samples: readonly PathEchoSample[], baselineBusyCores: number): number {
  if (!(Number.isFinite(baselineBusyCores) && baselineBusyCores >= 0)) throw new RangeError(`plan: baseline busy cores must be >= 0, got ${baselineBusyCores}`);
  const line = fitLine(
    samples.map((s) => s.bytes / MB),
    samples.map((s) => s.busyCpuMs - baselineBusyCores * s.wallMs),
  );
  return Math.max(0, line.slope / 2);
}
