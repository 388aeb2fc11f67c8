import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { MB, parseCalibration, recommendShards, scaling, stepTime, type Calibration, type Layout, type Network, type StepTerms } from '@lnsgd/plan';
import { DEFAULT_PART_BYTES } from '@lnsgd/ps';
import { paramOption } from '@lnsgd/trainer/hyper-options';
import { getPreset } from '@lnsgd/trainer/presets';
import { calibrate } from '../plan/calibrate';

interface PlanOptions {
  calibrate?: boolean;
  calibration: string;
  out?: string;
  preset?: string;
  modelMb?: string;
  workers: string;
  shards?: string;
  batch?: number;
  linkGbps?: string;
  latencyMs: string;
  payloadFraction: string;
  computeMsPerSample?: string;
  computeMsFixed?: string;
  partBytes: string;
  sharedCores?: string;
  burstBytes: string;
  maxShards: string;
  sizes: string;
  rounds: string;
  computeBatches?: string;
  json?: boolean;
}

const DEFAULT_FILE = 'lnsgd-plan-calibration.json';

/** A flag's number, checked: `rule.what` says what `rule.ok` wants in the error. */
function num(flag: string, v: string, rule: { ok: (x: number) => boolean; what: string }): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || !rule.ok(x)) throw new Error(`plan: ${flag} must be ${rule.what}, got '${v}'`);
  return x;
}
const POSITIVE = { ok: (x: number): boolean => x > 0, what: 'a number > 0' };
const NON_NEGATIVE = { ok: (x: number): boolean => x >= 0, what: 'a number >= 0' };
const positiveInt = (flag: string, v: string): number => num(flag, v, { ok: (x) => Number.isInteger(x) && x >= 1, what: 'an integer >= 1' });

/** Model bytes of a preset (float32: 4 per parameter), building the model once to count them. */
async function presetModelBytes(name: string): Promise<number> {
  const preset = getPreset(name);
  // Loaded only here: counting a preset's parameters is the one thing in `plan` that needs TensorFlow.js.
  const { createModel } = await import('@lnsgd/models');
  const model = createModel(preset.model.name, (preset.model.options ?? {}) as never);
  return 4 * model.numParams;
}

function readCalibration(file: string): Calibration {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err: unknown) {
    throw new Error(
      `plan: cannot read the calibration ${file} (${err instanceof Error ? err.message : String(err)}); measure one first: lnsgd plan --calibrate --out ${file}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err: unknown) {
    throw new Error(`plan: ${file} is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return parseCalibration(json, file);
}

const ms = (x: number): string => `${x.toFixed(x < 10 ? 2 : 1)} ms`;

/** `lnsgd plan`: predicts a synchronous step from measured terms and recommends the shard count. */
export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description('predict step time and scaling efficiency of N workers and S shards from measured costs, and recommend S')
    .option('--calibrate', 'measure the cost terms on this machine (loopback ZeroMQ, a real shard process, the preset step) and write them')
    .option('--out <file>', `where --calibrate writes (default ${DEFAULT_FILE})`)
    .option('--calibration <file>', 'calibration to predict from', DEFAULT_FILE)
    .addOption(paramOption('preset', { description: 'model size from a preset; with --calibrate, the preset whose step is timed (default mlp)' }))
    .option('--model-mb <MB>', 'model size in MB (1e6 bytes of float32) instead of a preset')
    .option('--workers <N>', 'workers', '1')
    .option('--shards <S>', 'shards (default: the recommended count)')
    .addOption(paramOption('batch', { description: "global batch (default: the preset's, else 256)" }))
    .option('--link-gbps <g>', 'link rate of every host, Gbit/s, both directions (default: loopback, no wire)')
    .option('--latency-ms <ms>', 'one-way network latency added to the measured transport latency', '0')
    .option('--payload-fraction <f>', 'share of the link rate that carries payload (Ethernet at MTU 1500: 1448/1538)', String(1448 / 1538))
    .option('--compute-ms-per-sample <ms>', "a worker's compute per sample instead of the calibrated one (e.g. a GPU's)")
    .option('--compute-ms-fixed <ms>', "a worker's fixed compute per step instead of the calibrated one")
    .option(
      '--part-bytes <n>',
      "bytes per part in which shards take, step and answer a key range (the PS's --part-bytes; 0: whole messages)",
      String(DEFAULT_PART_BYTES),
    )
    .option('--shared-cores <C>', 'all N + S processes share C cores of one machine (default: a host each)')
    .option('--burst-bytes <n>', "bytes a token-bucket shaper (tc tbf) lets through at once after an idle spell (default 0: a NIC's link)", '0')
    .option('--max-shards <S>', 'largest shard count the recommendation considers', '16')
    .option('--sizes <MB,...>', 'with --calibrate: round-trip sizes', '1,4,16')
    .option('--rounds <n>', 'with --calibrate: timed round trips per size', '12')
    .option('--compute-batches <B,...>', "with --calibrate: batch sizes the preset's step is timed at (default: its batch / 4 and its batch)")
    .option('--json', 'one JSON object on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ lnsgd plan --calibrate --out cal.json                                  # (long) measure this machine (about a minute)
  $ lnsgd plan --calibration cal.json --preset mlp --workers 4 --shards 2 --link-gbps 1   # (long) needs cal.json
  $ lnsgd plan --calibration cal.json --model-mb 44.7 --workers 8 --link-gbps 10 --latency-ms 0.1 --compute-ms-per-sample 0.3 --compute-ms-fixed 0   # (long) needs cal.json`,
    )
    .action(async (opts: PlanOptions) => {
      const log = (l: string): void => void process.stderr.write(`plan: ${l}\n`);
      if (opts.calibrate === true) {
        const out = opts.out ?? DEFAULT_FILE;
        const sizesMB = opts.sizes.split(',').map((s) => num('--sizes', s, { ok: (x) => x > 0, what: 'a list of sizes > 0 MB' }));
        log(`calibrating on this machine: round trips at ${sizesMB.join(', ')} MB, then the ${opts.preset ?? 'mlp'} step; writes ${out}`);
        const computeBatches = opts.computeBatches?.split(',').map((b) => positiveInt('--compute-batches', b));
        const cal = await calibrate({
          preset: opts.preset ?? 'mlp',
          sizesMB,
          rounds: positiveInt('--rounds', opts.rounds),
          computeSteps: 60,
          computeBatches,
          log,
        });
        const tmp = `${out}.tmp-${process.pid}`;
        writeFileSync(tmp, `${JSON.stringify(cal, null, 1)}\n`);
        renameSync(tmp, out);
        if (opts.json === true) process.stdout.write(`${JSON.stringify(cal)}\n`);
        else process.stdout.write(`${formatTerms(cal.terms)}\nwrote ${out}\n`);
        return;
      }
      const cal = readCalibration(opts.calibration);
      if (opts.preset !== undefined && opts.modelMb !== undefined) throw new Error('plan: give --preset or --model-mb, not both');
      const modelBytes = opts.modelMb !== undefined ? num('--model-mb', opts.modelMb, POSITIVE) * MB : await presetModelBytes(opts.preset ?? cal.preset);
      const batch =
        opts.batch !== undefined ? positiveInt('--batch', String(opts.batch)) : opts.preset !== undefined ? getPreset(opts.preset).defaults.batch : 256;
      const terms: StepTerms = {
        ...cal.terms,
        ...(opts.computeMsPerSample === undefined ? {} : { computeMsPerSample: num('--compute-ms-per-sample', opts.computeMsPerSample, NON_NEGATIVE) }),
        ...(opts.computeMsFixed === undefined ? {} : { computeMsFixed: num('--compute-ms-fixed', opts.computeMsFixed, NON_NEGATIVE) }),
      };
      const network: Network = {
        bitsPerS: opts.linkGbps === undefined ? null : num('--link-gbps', opts.linkGbps, POSITIVE) * 1e9,
        latencyMs: num('--latency-ms', opts.latencyMs, NON_NEGATIVE),
        payloadFraction: num('--payload-fraction', opts.payloadFraction, { ok: (x) => x > 0 && x <= 1, what: 'in (0, 1]' }),
        burstBytes: num('--burst-bytes', opts.burstBytes, NON_NEGATIVE),
      };
      const workers = positiveInt('--workers', opts.workers);
      const base = {
        workers,
        modelBytes,
        batch,
        partBytes: num('--part-bytes', opts.partBytes, NON_NEGATIVE),
        ...(opts.sharedCores === undefined ? {} : { sharedCores: num('--shared-cores', opts.sharedCores, POSITIVE) }),
      };
      const advice = recommendShards(terms, network, { ...base, maxShards: positiveInt('--max-shards', opts.maxShards) });
      const shards = opts.shards !== undefined ? positiveInt('--shards', opts.shards) : advice.shards;
      const layout: Layout = { ...base, shards };
      const p = stepTime(terms, network, layout);
      const sc = scaling(terms, network, layout);
      if (opts.json === true) {
        process.stdout.write(
          `${JSON.stringify({ layout, network, terms, prediction: p, scaling: sc, recommended_shards: advice.shards, by_shards: advice.table })}\n`,
        );
        return;
      }
      const link = network.bitsPerS === null ? 'loopback' : `${network.bitsPerS / 1e9} Gbit/s links`;
      process.stdout.write(
        [
          `${workers} worker(s), ${shards} shard(s), model ${(modelBytes / MB).toFixed(1)} MB, batch ${batch}, ${link}, +${network.latencyMs} ms latency, ` +
            `${layout.partBytes === 0 ? 'whole messages' : `parts of ${layout.partBytes} bytes`}, ${layout.sharedCores === undefined ? 'a host each' : `${layout.sharedCores} shared cores`}`,
          `step ${ms(p.totalMs)} = compute ${ms(p.computeMs)} + worker ${ms(p.workerMs)} + exchange ${ms(p.exchangeMs)} (${p.transferBound}; ` +
            `push and pull alone ${ms(p.transferMs)}, shard ${ms(p.psMs)}, overlapped part by part)` +
            (p.sharedCpuMs > 0 ? `; the exchange's CPU over the shared cores ${ms(p.sharedCpuMs)}` : ''),
          `${sc.samplesPerS.toFixed(0)} samples/s; speed-up over 1 worker and 1 shard ${sc.speedup.toFixed(2)}x, scaling efficiency ${(100 * sc.efficiency).toFixed(0)}%`,
          `recommended shards: ${advice.shards} (fewest within 5% of the fastest of 1..${advice.table.length}: ${advice.table
            .slice(0, 8)
            .map((r) => `S=${r.shards} ${ms(r.stepMs)}`)
            .join(', ')}${advice.table.length > 8 ? ', …' : ''})`,
          `calibrated on ${cal.machine.cpu_model} (${cal.machine.cores} cores, load ${cal.machine.load_average.join('/')}) with the ${cal.preset} preset`,
        ].join('\n') + '\n',
      );
    });
}

function formatTerms(t: StepTerms): string {
  return [
    `compute        ${t.computeMsFixed.toFixed(3)} ms + ${t.computeMsPerSample.toFixed(4)} ms/sample`,
    `worker         ${t.workerMsPerMessage.toFixed(3)} ms/message + ${t.workerMsPerMB.toFixed(3)} ms/MB`,
    `shard          ${t.psMsPerMessage.toFixed(3)} ms/message + ${t.psMsPerMB.toFixed(3)} ms/MB per worker; step ${t.stepMsPerMB.toFixed(3)} ms/MB`,
    `transport      ${t.latencyMs.toFixed(3)} ms one way + ${t.hostMsPerMB.toFixed(3)} ms/MB host copies each way; CPU ${t.transportCpuMsPerMB.toFixed(3)} ms/MB moved`,
  ].join('\n');
}
