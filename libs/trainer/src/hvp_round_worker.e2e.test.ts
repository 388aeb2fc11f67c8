import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHvpRoundHost } from '@lnsgd/ps';
import { evalChunks, type HvpExecutor } from './hvp_executor';
import { serveHvpRounds } from './hvp_round_worker';

// A worker's time in rounds (lnsgd_worker_hvp_round_seconds_total) is the time its
// executor computed: a fake executor that takes ≥ 80 ms per task over real ZeroMQ.
void test('serveHvpRounds counts the seconds spent answering (the time its training waits)', async () => {
  const chunks = evalChunks({ seed: 1, n: 40, size: 40, chunks: 2 });
  const executor: HvpExecutor = {
    chunks,
    answer: ({ directions, task }) => {
      const until = performance.now() + 80;
      while (performance.now() < until) {
        /* busy: the event loop is held, as a real HVP holds it */
      }
      let samples = 0;
      for (let c = task.lo; c < task.hi; c++) samples += chunks.samples[c];
      return directions.map((d) => samples * d);
    },
    endRound: () => undefined,
  };
  const host = await startHvpRoundHost({ endpoint: 'tcp://127.0.0.1:0', chunkSamples: chunks.samples, lossTimeoutMs: 60_000 });
  const worker = serveHvpRounds({ endpoint: host.endpoint, rank: 0, executor });
  try {
    assert.equal(worker.busySeconds(), 0);
    await host.waitForWorkers(1, 30_000);
    const out = await host.runRound({ estimate: 1, theta: new Float32Array(2), epsilon: 1e-3, directions: Float64Array.from([1, 2]) });
    assert.deepEqual(Array.from(out), [1, 2]);
    assert.equal(worker.answered(), 1);
    // One task (chunks [0, 2) for the only rank), ≥ 80 ms of computing.
    assert.ok(worker.busySeconds() >= 0.08, `busy ${worker.busySeconds()} s`);
  } finally {
    await worker.close();
    await host.close();
  }
});
