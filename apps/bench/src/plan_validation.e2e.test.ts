import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partSizesMB, stepTime, type StepTerms } from '@lnsgd/plan';
import { DEFAULT_PART_BYTES } from '@lnsgd/ps';
import { prerequisite } from '@lnsgd/testing';
import { buildShapedNetwork, shapedNetworkMissing, tbfBurstBytes } from './shaped_cluster';
import { shapedNetwork, VALIDATION_BATCH, VALIDATION_PRESET, validationModelBytes } from './suites/plan_validation';

// The short form of `npm run bench -- plan`: one run of a real PS and two real workers,
// each in its own network namespace, links shaped by tc tbf to 50 Mbit/s. It checks the
// premise of the validation, that the shaped links and not the cores bound the step. A
// synchronous step cannot beat N·M/S + one part of wire time on the shard's link: all N
// pushes come in, then at least the last part of one reply goes out. And at this
// rate the wire time the model predicts (every CPU term at zero) is most of the step.
// The 15% target itself is the bench's (a timed figure, with the calibration run beside it).

const NO_CPU: StepTerms = {
  computeMsFixed: 0,
  computeMsPerSample: 0,
  workerMsPerMessage: 0,
  workerMsPerMB: 0,
  psMsPerMessage: 0,
  psMsPerMB: 0,
  stepMsPerMB: 0,
  hostMsPerMB: 0,
  latencyMs: 0,
  transportCpuMsPerMB: 0,
};

void test('shaped links: two workers through one shard at 50 Mbit/s are bound by the shard link', { timeout: 240_000 }, async (t) => {
  if (!prerequisite(t, shapedNetworkMissing())) return;
  const rate = 50e6;
  const layout = { workers: 2, shards: 1, modelBytes: validationModelBytes(), batch: VALIDATION_BATCH, partBytes: DEFAULT_PART_BYTES };
  const wire = stepTime(NO_CPU, shapedNetwork(rate), layout);
  assert.equal(wire.transferBound, 'wire: shard link');
  const net = buildShapedNetwork();
  try {
    const [{ msPerStep: ms }] = await net.timeRun({ preset: VALIDATION_PRESET, ...layout, phases: [rate], warmup: 5, timed: 5, log: (l) => t.diagnostic(l) });
    // All N pushes of M/S in, then at least one worker's last part out, through the shard link at the model's payload rate.
    const sliceMB = layout.modelBytes / layout.shards / 1e6;
    const lastMB = partSizesMB(sliceMB, layout.partBytes / 1e6).at(-1) ?? sliceMB;
    const floor = (wire.transferMs / 2) * (1 + lastMB / (layout.workers * sliceMB));
    t.diagnostic(`measured ${ms.toFixed(1)} ms/step; wire time ${wire.totalMs.toFixed(1)} ms (model), ${floor.toFixed(1)} ms (protocol floor)`);
    // Each direction's tbf refills at most its burst while the link idles (the compute phase): two bursts a step.
    const burstMs = (2 * tbfBurstBytes(rate) * 8 * 1000) / rate;
    assert.ok(
      ms >= floor - burstMs,
      `a step took ${ms.toFixed(1)} ms, less than the ${floor.toFixed(1)} ms of wire time the protocol needs (minus ${burstMs.toFixed(0)} ms of burst)`,
    );
    assert.ok(ms < 2 * wire.totalMs, `a step took ${ms.toFixed(1)} ms, over twice its wire time (${wire.totalMs.toFixed(1)} ms): the link does not bound it`);
  } finally {
    net.close();
  }
});
