import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseCalibration, recommendShards, scaling, stepTime, transportCpuOverPath, type Calibration, type Network, type StepTerms } from '@lnsgd/plan';
import { DEFAULT_PART_BYTES } from '@lnsgd/ps';
import { getPreset } from '@lnsgd/trainer/presets';
import { buildShapedNetwork, freeCores, shapedNetworkMissing, TBF_PAYLOAD_FRACTION, tbfBurstBytes } from '../shaped_cluster';
import type { Suite, SuiteOptions } from '../suite';

// `npm run bench -- plan`: `lnsgd plan`'s predicted step time against the measured one,
// side by side in one run: calibrate on this machine's loopback, then run real PS and
// worker processes in network namespaces whose links tc-tbf shapes to each rate.

const LNSGD_BIN = join(dirname(require.resolve('@lnsgd/cli/package.json')), 'bin', 'lnsgd.js');

/** The preset the validation trains and the global batch it runs at (small: the links, not the cores, should bound the step). */
export const VALIDATION_PRESET = 'mlp';
export const VALIDATION_BATCH = 64;
/** Link rates: 1 Gbit/s and 100 Mbit/s. */
export const VALIDATION_RATES = [1e9, 1e8] as const;
/** Round-trip sizes the calibration measures: around the validation model's 1.6 MB and the N·M/S a shard takes in. */
export const CALIBRATION_SIZES_MB = [0.5, 1, 2, 4] as const;
/** Timed round trips per size in the calibration: the fastest counts, so more rounds see through other tenants' load. */
export const CALIBRATION_ROUNDS = 60;
/** The target: every prediction within 15% of the measured step. */
export const TARGET_ERROR = 0.15;

/** Runs `lnsgd plan --calibrate` (the command users run) into a temporary file and reads it back. */
export function calibrateHere(log: (line: string) => void, rounds = 20): Calibration {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-plan-'));
  try {
    const file = join(dir, 'calibration.json');
    log('calibrating: lnsgd plan --calibrate (loopback round trips, a real shard process, the mlp step)');
    const r = spawnSync(
      process.execPath,
      [
        LNSGD_BIN,
        'plan',
        '--calibrate',
        '--preset',
        VALIDATION_PRESET,
        '--compute-batches',
        `${VALIDATION_BATCH / 4},${VALIDATION_BATCH}`,
        '--sizes',
        CALIBRATION_SIZES_MB.join(','),
        '--rounds',
        String(rounds),
        '--out',
        file,
      ],
      {
        encoding: 'utf8',
        timeout: 600_000,
      },
    );
    for (const l of r.stderr.split('\n').filter((x) => x.startsWith('plan: '))) log(l);
    if (r.status !== 0) throw new Error(`lnsgd plan --calibrate exited ${String(r.status)}: ${r.stderr.trim()}`);
    return parseCalibration(JSON.parse(readFileSync(file, 'utf8')), file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes of the validation preset's model (float32: Σ fan-in × fan-out + biases over the MLP's layers). */
export function validationModelBytes(): number {
  const sizes = (getPreset(VALIDATION_PRESET).model.options as { sizes: readonly number[] }).sizes;
  let n = 0;
  for (let i = 1; i < sizes.length; i++) n += sizes[i - 1] * sizes[i] + sizes[i];
  return 4 * n;
}

/** The shaped links as the model sees them: the tbf rate, its frames' payload share and bucket, no added latency (no netem here). */
export const shapedNetwork = (bitsPerS: number): Network => ({
  bitsPerS,
  latencyMs: 0,
  payloadFraction: TBF_PAYLOAD_FRACTION,
  burstBytes: tbfBurstBytes(bitsPerS),
});

/** The testbed's placement, declared: every process on this one machine, sharing its cores; the PS's default parts. */
export const testbedPlacement = (): { sharedCores: number; partBytes: number } => ({ sharedCores: cpus().length, partBytes: DEFAULT_PART_BYTES });

/** Echo round trips per size over the shaped path (at least; each size also runs for 1.5 s). */
export const PATH_ECHO_ROUNDS = 20;

/** The transport CPU over the run's own path at one link rate: what the echo measured and the term it gives. */
interface PathTerm {
  readonly rate: number;
  readonly transportCpuMsPerMB: number;
  readonly baselineBusyCores: number;
  readonly samples: readonly { bytes: number; wallMs: number; busyCpuMs: number }[];
}

async function validate(
  opts: SuiteOptions,
): Promise<{ rows: Record<string, string | number | null>[]; worst: number; within: number; cal: Calibration; paths: readonly PathTerm[] }> {
  const missing = shapedNetworkMissing();
  if (missing !== false) throw new Error(`plan: the shaped network cannot be built here: ${missing}`);
  const cal = calibrateHere(opts.log, CALIBRATION_ROUNDS);
  const modelBytes = validationModelBytes();
  const layouts = opts.quick
    ? [
        { workers: 1, shards: 1 },
        { workers: 2, shards: 1 },
      ]
    : [1, 2, 4].flatMap((workers) => [1, 2].map((shards) => ({ workers, shards })));
  const rows: Record<string, string | number | null>[] = [];
  const net = buildShapedNetwork();
  try {
    // The transport's CPU over the path the runs use (veth, bridge, tbf at each rate), the whole
    // machine's busy CPU with the kernel's network work, measured before and apart from the runs.
    const paths: PathTerm[] = [];
    for (const rate of VALIDATION_RATES) {
      const e = await net.echoOverPath(rate, CALIBRATION_SIZES_MB, PATH_ECHO_ROUNDS);
      const term = transportCpuOverPath(e.samples, e.baselineBusyCores);
      opts.log(
        `path echo at ${rate / 1e6} Mbit/s (${e.baselineBusyCores.toFixed(2)} cores busy while idle): ` +
          e.samples.map((x) => `${(x.bytes / 1e6).toFixed(1)} MB ${x.wallMs.toFixed(1)} ms, ${x.busyCpuMs.toFixed(1)} ms busy CPU`).join('; ') +
          ` -> transport CPU ${term.toFixed(2)} ms/MB (loopback: ${cal.terms.transportCpuMsPerMB.toFixed(2)})`,
      );
      paths.push({ rate, transportCpuMsPerMB: term, baselineBusyCores: e.baselineBusyCores, samples: e.samples });
    }
    const termsAt = (rate: number): StepTerms => ({
      ...cal.terms,
      transportCpuMsPerMB: paths.find((p) => p.rate === rate)?.transportCpuMsPerMB ?? cal.terms.transportCpuMsPerMB,
    });
    for (const l of layouts) {
      const free = await freeCores();
      opts.log(
        `run: N=${l.workers} S=${l.shards}, links ${VALIDATION_RATES.map((r) => `${r / 1e6} Mbit/s`).join(' then ')}; ${free.toFixed(2)} cores free before it`,
      );
      const measured = await net.timeRun({
        preset: VALIDATION_PRESET,
        ...l,
        batch: VALIDATION_BATCH,
        phases: VALIDATION_RATES,
        warmup: 5,
        timed: opts.quick ? 5 : 20,
        log: opts.log,
      });
      VALIDATION_RATES.forEach((rate, i) => {
        const p = stepTime(termsAt(rate), shapedNetwork(rate), { ...l, modelBytes, batch: VALIDATION_BATCH, ...testbedPlacement() });
        const m = measured[i];
        const error = p.totalMs / m.msPerStep - 1;
        opts.log(
          `N=${l.workers} S=${l.shards} at ${rate / 1e6} Mbit/s: measured ${m.msPerStep.toFixed(1)} ms/step, predicted ${p.totalMs.toFixed(1)} ms (${(100 * error).toFixed(1)}%); ` +
            `busy cores ${m.busyCores.toFixed(2)}, CPU per step: workers ${m.workerCpuMsPerStep.toFixed(1)} ms, shards ${m.shardCpuMsPerStep.toFixed(1)} ms`,
        );
        rows.push({
          'link Mbit/s': rate / 1e6,
          workers: l.workers,
          shards: l.shards,
          'measured ms': m.msPerStep,
          'predicted ms': p.totalMs,
          'error %': 100 * error,
          'transport CPU ms/MB': termsAt(rate).transportCpuMsPerMB,
          // The same prediction with the loopback's transport CPU: what calibrating over the path changed.
          'predicted ms, loopback transport CPU': stepTime(cal.terms, shapedNetwork(rate), { ...l, modelBytes, batch: VALIDATION_BATCH, ...testbedPlacement() })
            .totalMs,
          'compute ms': p.computeMs,
          'worker ms': p.workerMs,
          'exchange ms': p.exchangeMs,
          'shared CPU ms': p.sharedCpuMs,
          'shard ms': p.psMs,
          bound: p.transferBound,
          'busy cores': m.busyCores,
          'workers CPU ms': m.workerCpuMsPerStep,
          'shards CPU ms': m.shardCpuMsPerStep,
          'free cores before': free,
        });
      });
    }
    const errors = rows.map((r) => Math.abs(r['error %'] as number) / 100);
    return { rows, worst: Math.max(...errors), within: errors.filter((e) => e <= TARGET_ERROR).length, cal, paths };
  } finally {
    net.close();
  }
}

/** ResNet-18's parameters (CIFAR form, 10 classes): 44.7 MB of float32. */
const RESNET18_BYTES = 4 * 11_173_962;

/**
 * GPU compute per worker step, ASSUMED (no GPU here): ResNet-18 ~10 ms for its 32 samples
 * (B = 256 over 8 workers), the MLP ~1 ms of kernel launches whatever the batch.
 */
const GPU_COMPUTE: Record<string, Pick<StepTerms, 'computeMsFixed' | 'computeMsPerSample'>> = {
  'resnet18-cifar': { computeMsFixed: 0, computeMsPerSample: 10 / 32 },
  mlp: { computeMsFixed: 1, computeMsPerSample: 0 },
};

/**
 * The gpu overlay's layout (deploy/k8s/overlays/gpu: 8 workers, 2 shards, B = 256)
 * predicted from this machine's calibrated PS and transport terms (the shards run on CPU
 * nodes like this one) with the assumed GPU compute, at 1, 10 and 25 Gbit/s links with
 * 0.1 ms latency, for whole messages and for the data plane's default parts.
 */
export function gpuOverlayPredictions(terms: StepTerms): Record<string, string | number | null>[] {
  const rows: Record<string, string | number | null>[] = [];
  for (const [model, bytes] of [
    ['mlp', validationModelBytes()],
    ['resnet18-cifar', RESNET18_BYTES],
  ] as const) {
    for (const gbps of [1, 10, 25]) {
      for (const partBytes of [0, DEFAULT_PART_BYTES]) {
        const t = { ...terms, ...GPU_COMPUTE[model] };
        const network: Network = { bitsPerS: gbps * 1e9, latencyMs: 0.1, payloadFraction: 1448 / 1538 };
        const layout = { workers: 8, shards: 2, modelBytes: bytes, batch: 256, partBytes };
        const p = stepTime(t, network, layout);
        const sc = scaling(t, network, layout);
        const advice = recommendShards(t, network, { workers: 8, modelBytes: bytes, batch: 256, partBytes });
        rows.push({
          model,
          MB: bytes / 1e6,
          'link Gbit/s': gbps,
          'data plane': partBytes === 0 ? 'whole messages' : `parts of ${partBytes / 2 ** 20} MiB`,
          'step ms (S=2)': p.totalMs,
          'compute ms': p.computeMs,
          'exchange ms': p.exchangeMs,
          'shard ms': p.psMs,
          'worker ms': p.workerMs,
          'efficiency (S=2)': sc.efficiency,
          'recommended S': advice.shards,
          'step ms (recommended S)': advice.stepMs,
          'efficiency (recommended S)': scaling(t, network, { ...layout, shards: advice.shards }).efficiency,
        });
      }
    }
  }
  return rows;
}

/** `npm run bench -- plan`: predicted vs measured step time on tc-shaped links. */
export const planSuite: Suite = {
  name: 'plan',
  description: `lnsgd plan's predicted step vs the measured one: PS and workers in network namespaces, links shaped by tc tbf (1 Gbit/s, 100 Mbit/s), N in {1, 2, 4}, S in {1, 2}`,
  async run(opts) {
    const v = await validate(opts);
    return {
      rows: v.rows,
      tables: { gpu_overlay: gpuOverlayPredictions(v.cal.terms) },
      summary: {
        plan_worst_error: v.worst,
        plan_within_15_percent: v.within,
        plan_cases: v.rows.length,
        ...Object.fromEntries(
          VALIDATION_RATES.map((rate) => {
            const at = v.rows.filter((r) => r['link Mbit/s'] === rate / 1e6);
            return [`plan_within_15_percent_at_${rate / 1e6}_mbit`, at.filter((r) => Math.abs(r['error %'] as number) <= 100 * TARGET_ERROR).length];
          }),
        ),
        plan_target_error: TARGET_ERROR,
        plan_transport_cpu_ms_per_mb_loopback: v.cal.terms.transportCpuMsPerMB,
        ...Object.fromEntries(v.paths.map((p) => [`plan_transport_cpu_ms_per_mb_path_${p.rate / 1e6}_mbit`, p.transportCpuMsPerMB])),
      },
      notes: [
        `Calibration (lnsgd plan --calibrate on this machine's loopback, before the runs): ${JSON.stringify(v.cal.terms)}` +
          (v.cal.clamped.length > 0 ? `; clamped to 0 by noise: ${v.cal.clamped.join(', ')}` : ''),
        `Path calibration (before the runs, not fitted to them): a raw ZeroMQ echo from host w0 to host ps0 over the bridge with the links shaped`,
        `to each rate, ${CALIBRATION_SIZES_MB.join(', ')} MB, the whole machine's busy CPU per round trip (/proc/stat, kernel work included) less`,
        `the busy cores read while idle; transport CPU = half its slope per MB, used for the predictions at that rate in place of the loopback's: ` +
          v.paths
            .map(
              (p) =>
                `${p.rate / 1e6} Mbit/s ${p.transportCpuMsPerMB.toFixed(3)} ms/MB (idle ${p.baselineBusyCores.toFixed(2)} cores; ` +
                p.samples.map((x) => `${(x.bytes / 1e6).toFixed(1)} MB: ${x.wallMs.toFixed(2)} ms wall, ${x.busyCpuMs.toFixed(2)} ms busy`).join(', ') +
                ')',
            )
            .join('; '),
        `Runs: lnsgd's parameter-server and worker apps, each host (S shard hosts, N worker hosts) in its own network namespace on a`,
        `bridge, every host link shaped by tc tbf both ways (burst: 2 ms of the rate, at least 128 KiB); preset ${VALIDATION_PRESET} (${(validationModelBytes() / 1e6).toFixed(2)} MB of float32),`,
        `global batch ${VALIDATION_BATCH}. One run per layout: 1 Gbit/s for its first timed steps, then the links are reshaped to 100 Mbit/s`,
        `and, after 5 settling steps, timed again. measured = ms/step between rank 0's progress events.`,
        `predicted = the model (docs/plan.md) at the tbf rate x ${TBF_PAYLOAD_FRACTION.toFixed(4)} (TCP payload per 1514-byte frame) with the tbf bucket`,
        `as its burst, parts of ${DEFAULT_PART_BYTES} bytes (the PS's default), and all N + S processes sharing this machine's ${cpus().length} cores (declared);`,
        `no added latency: this kernel has no netem. error = predicted / measured - 1; target |error| <= 15%.`,
        'busy cores: the whole machine over each timed phase (/proc/stat); workers / shards CPU ms: user + system CPU per step of',
        "the run's processes. free cores before: what one busy loop per core got just before the layout's run: other tenants'",
        'load, which the model does not describe (with fewer free cores the CPU-bound 1 Gbit/s steps run slower than predicted).',
        'gpu_overlay: predictions, not measurements, for deploy/k8s/overlays/gpu (8 workers, 2 shards, B = 256) from this',
        "calibration's shard, worker and transport terms with ASSUMED GPU compute (ResNet-18 10 ms per 32 samples, the MLP 1 ms",
        'a step), Ethernet links (payload 1448/1538) with 0.1 ms latency; efficiency = t(1 worker, 1 shard) / (8 t).',
      ],
    };
  },
};
