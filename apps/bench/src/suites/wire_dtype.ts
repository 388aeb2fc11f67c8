import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { decodeHalfInto, encodeBfloat16, encodeFloat16, float32Bytes, WIRE_DTYPE_BYTES, WIRE_DTYPES, type WireDtype } from '@lnsgd/tensor-codec';
import type { Suite, SuiteResult } from '../suite';
import { median, trainEvents } from './train_child';

/** The last progress event's samples/s and the summary of one `lnsgd train --json` run. */
interface TrainResult {
  readonly samplesPerS: number;
  readonly testMetric: number;
  readonly paramsL2: number;
}

async function trainOnce(args: readonly string[]): Promise<TrainResult> {
  const events = await trainEvents([...args, '--workers', '2', '--no-metrics', '--no-sharpness']);
  const sps = events.filter((e) => e.event === 'progress').at(-1)?.samples_per_s;
  const s = events.find((e) => e.event === 'summary');
  if (sps === undefined || s?.test_metric === undefined || s.params_l2 === undefined) {
    throw new Error(`lnsgd train ${args.join(' ')} printed no progress or summary`);
  }
  return { samplesPerS: sps, testMetric: s.test_metric, paramsL2: s.params_l2 };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]): number => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));

/** Worker encode + PS decode of one 4 MB float32 gradient (1 Mi elements), median ms of `reps`. */
function codecMs(dtype: WireDtype, reps: number): { encode: number; decode: number } {
  const n = 1 << 20;
  const g = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 1e-3);
  const out = new Float32Array(n);
  const enc: number[] = [];
  const dec: number[] = [];
  for (let r = 0; r < reps; r++) {
    let t = performance.now();
    const bytes = dtype === 'float32' ? float32Bytes(g) : dtype === 'bfloat16' ? encodeBfloat16(g) : encodeFloat16(g);
    enc.push(performance.now() - t);
    t = performance.now();
    if (dtype === 'float32') out.set(new Float32Array(bytes.buffer, bytes.byteOffset, n));
    else decodeHalfInto(dtype, bytes, out);
    dec.push(performance.now() - t);
  }
  return { encode: median(enc), decode: median(dec) };
}

/**
 * `npm run bench -- wire-dtype`: what `--wire-dtype` does to throughput and to the run.
 * For each seed the three dtypes run back to back (interleaved, so drift hits them
 * alike), 2 workers and 1 shard on this machine's loopback: mlp samples/s and test
 * accuracy, uv-toy's final ‖θ‖₂ (the flat minimizer label-noise SGD drifts to), and the
 * codec's own cost per 4 MB. Seeds give the run-to-run spread the dtype's effect is
 * compared with.
 */
export const wireDtypeSuite: Suite = {
  name: 'wire-dtype',
  description: 'gradient pushes in float32 / bfloat16 / float16: mlp samples/s and test accuracy, uv-toy params_l2, codec ms per 4 MB',
  async run({ quick, log }): Promise<SuiteResult> {
    const seeds = quick ? [0] : [0, 1, 2];
    const mlp = new Map<WireDtype, TrainResult[]>(WIRE_DTYPES.map((d) => [d, []]));
    const uv = new Map<WireDtype, TrainResult[]>(WIRE_DTYPES.map((d) => [d, []]));
    for (const seed of seeds) {
      for (const d of WIRE_DTYPES) {
        const m = await trainOnce(['--preset', 'mlp', '--seed', String(seed), '--wire-dtype', d]);
        log(`mlp seed ${seed} ${d}: ${m.samplesPerS.toFixed(0)} samples/s, accuracy ${m.testMetric.toFixed(4)}`);
        mlp.get(d)?.push(m);
        const u = await trainOnce(['--preset', 'uv-toy', '--seed', String(seed), '--wire-dtype', d]);
        log(`uv-toy seed ${seed} ${d}: params_l2 ${u.paramsL2.toFixed(4)}`);
        uv.get(d)?.push(u);
      }
    }
    const base = median((mlp.get('float32') ?? []).map((r) => r.samplesPerS));
    const rows: Record<string, string | number | null>[] = [];
    const summary: Record<string, number> = {};
    for (const d of WIRE_DTYPES) {
      const m = mlp.get(d) ?? [];
      const u = uv.get(d) ?? [];
      const c = codecMs(d, quick ? 5 : 15);
      const sps = median(m.map((r) => r.samplesPerS));
      rows.push({
        wire_dtype: d,
        bytes_per_element: WIRE_DTYPE_BYTES[d],
        runs: m.length,
        mlp_samples_per_s: sps,
        mlp_ratio_to_float32: sps / base,
        mlp_test_accuracy_mean: mean(m.map((r) => r.testMetric)),
        mlp_test_accuracy_sd: m.length > 1 ? sd(m.map((r) => r.testMetric)) : null,
        uv_toy_params_l2_mean: mean(u.map((r) => r.paramsL2)),
        uv_toy_params_l2_sd: u.length > 1 ? sd(u.map((r) => r.paramsL2)) : null,
        encode_ms_4mb: c.encode,
        decode_ms_4mb: c.decode,
      });
      summary[`${d}_mlp_ratio_to_float32`] = sps / base;
      summary[`${d}_mlp_test_accuracy_mean`] = mean(m.map((r) => r.testMetric));
      summary[`${d}_uv_toy_params_l2_mean`] = mean(u.map((r) => r.paramsL2));
    }
    const perSeed = seeds.map((seed, i) => ({
      seed,
      ...Object.fromEntries(
        WIRE_DTYPES.flatMap((d) => [
          [`mlp_accuracy_${d}`, mlp.get(d)?.[i]?.testMetric ?? null],
          [`uv_toy_params_l2_${d}`, uv.get(d)?.[i]?.paramsL2 ?? null],
        ]),
      ),
    }));
    return {
      rows,
      summary,
      tables: { per_seed: perSeed },
      notes: [
        `${cpus().length} CPU core(s); lnsgd train --workers 2 (1 shard, --part-bytes default), --no-metrics --no-sharpness, presets' defaults (mlp 300 steps B=256; uv-toy 20000 steps B=8); seeds ${seeds.join(', ')}.`,
        'mlp_samples_per_s: median over seeds of the last progress event (whole run); mlp_ratio_to_float32 is that over float32’s median, measured in the same run.',
        'Accuracy and params_l2: mean and sample sd over seeds (per seed below); a dtype matters for the result when its mean moves by more than the seed-to-seed sd.',
        'encode/decode ms: one 4 MB float32 gradient (2^20 elements) rounded by the worker and decoded into the PS receive buffer (float32: a view and a copy), median.',
      ],
    };
  },
};
