import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '@lnsgd/backend';
import { createModel } from '@lnsgd/models';
import { startHvpRoundHost } from '@lnsgd/ps';
import { inProcessRounds, measureSharpnessByRounds } from './distributed_sharpness';
import { measureSharpnessOverRounds } from './estimate_over_rounds';
import { createHvpExecutor, evalChunks } from './hvp_executor';
import type { HvpRoundWorkerArgs } from './hvp_round_worker_process';
import { teacherData } from './sharpness_calibration';

// Estimation rounds across real processes over ZeroMQ on loopback: a host and worker
// processes give the same blocks as the in-process rounds (to float64 grouping), also
// when a worker dies holding a task (the host loses it after its timeout and hands the
// task to the others).

const MODEL = { name: 'mlp' as const, options: { sizes: [12, 24, 3] }, n: 200 };
const SEED = 5;
const SAMPLES = 64;
const CHUNKS = 8;

function spawnWorker(args: HvpRoundWorkerArgs): ChildProcess {
  const child = spawn(process.execPath, [join(__dirname, 'hvp_round_worker_process.js'), JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit'] });
  return child;
}

function directionsOf(round: number, n: number, block: number): Float64Array {
  return Float64Array.from({ length: n * block }, (_, i) => Math.sin(0.7 + round * 3.1 + i * 0.013));
}

void describe('estimation rounds over ZeroMQ', () => {
  void test('2 worker processes, then 3 with one dying mid-round, equal the in-process rounds', async () => {
    await initBackend({ request: 'wasm' });
    const model = createModel(MODEL.name, MODEL.options);
    const theta = model.init(SEED);
    const n = model.numParams;
    const ds = teacherData(model, MODEL.n);
    const local = createHvpExecutor({ model, ds, seed: SEED, samples: SAMPLES, chunks: CHUNKS });
    const reference = inProcessRounds({ executors: [local], theta, shards: 1 });
    const epsilon = 1e-3;
    const want = [1, 2, 3, 4].map((r) => reference.runRound({ epsilon, directions: directionsOf(r, n, 2) }));
    local.endRound();
    const chunkSamples = evalChunks({ seed: SEED, n: ds.n, size: SAMPLES, chunks: CHUNKS }).samples;

    for (const setup of [{ workers: 2 }, { workers: 3, dying: 1 }]) {
      // Loss after 4 s of silence: generous for a task of milliseconds on busy cores.
      const host = await startHvpRoundHost({ endpoint: 'tcp://127.0.0.1:0', chunkSamples, lossTimeoutMs: 4000 });
      const children = Array.from({ length: setup.workers }, (_, rank) =>
        spawnWorker({
          endpoint: host.endpoint,
          rank,
          model: MODEL,
          seed: SEED,
          samples: SAMPLES,
          chunks: CHUNKS,
          // The dying worker exits on its 2nd task: in round 2, holding it.
          ...(rank === setup.dying ? { exitAtTask: 2 } : {}),
        }),
      );
      try {
        await host.waitForWorkers(setup.workers, 60_000);
        for (let r = 1; r <= 4; r++) {
          const got = await host.runRound({ estimate: 1, theta, epsilon, directions: directionsOf(r, n, 2) });
          assert.equal(got.length, 2 * n);
          let worst = 0;
          for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[r - 1][i]) / (1e-12 + Math.abs(want[r - 1][i])));
          assert.ok(worst <= 1e-12, `${setup.workers} workers, round ${r}: relative difference ${worst}`);
        }
        const c = host.counters;
        assert.equal(c.malformed, 0);
        if (setup.dying !== undefined) {
          assert.equal(c.lost, 1, 'the dying worker was lost');
          assert.ok(c.reassigned > 0, 'its task went to the others');
          assert.deepEqual(host.liveRanks(), [0, 2]);
        } else {
          assert.equal(c.lost, 0);
        }
      } finally {
        for (const ch of children) if (ch.exitCode === null) ch.kill('SIGTERM');
        await Promise.all(children.map((ch) => (ch.exitCode !== null ? Promise.resolve() : new Promise<void>((res) => ch.once('exit', () => res())))));
        await host.close();
      }
    }
  });

  void test('a whole estimate driven over ZeroMQ by 2 worker processes equals the in-process one, paced or not, bit for bit', async () => {
    await initBackend({ request: 'wasm' });
    const model = createModel(MODEL.name, MODEL.options);
    const theta = model.init(SEED);
    for (let i = 0; i < theta.length; i++) theta[i] += 0.05 * Math.sin(i * 1.3);
    const ds = teacherData(model, MODEL.n);
    const estimateBudget = { lanczosSteps: 8, probes: 2, slqSteps: 5 };
    const local = createHvpExecutor({ model, ds, seed: SEED, samples: SAMPLES, chunks: CHUNKS });
    const want = measureSharpnessByRounds({
      theta,
      seed: SEED,
      eta: 0.05,
      beta: 0,
      samples: SAMPLES,
      budget: estimateBudget,
      runRound: inProcessRounds({ executors: [local], theta, shards: 1 }).runRound,
    });
    local.endRound();
    const unpaced: Record<string, unknown>[] = [];
    // Budget 1 runs rounds back to back; 0.5 makes each wait as long as the one before took.
    for (const budget of [1, 0.5]) {
      const host = await startHvpRoundHost({ endpoint: 'tcp://127.0.0.1:0', chunkSamples: local.chunks.samples, lossTimeoutMs: 30_000, budget });
      const children = [0, 1].map((rank) => spawnWorker({ endpoint: host.endpoint, rank, model: MODEL, seed: SEED, samples: SAMPLES, chunks: CHUNKS }));
      try {
        await host.waitForWorkers(2, 60_000);
        const got = await measureSharpnessOverRounds({
          theta,
          seed: SEED,
          eta: 0.05,
          beta: 0,
          samples: SAMPLES,
          budget: estimateBudget,
          runRound: (r) => host.runRound({ estimate: 1, theta, ...r }),
        });
        // Pacing only delays rounds: the same figures, bit for bit.
        const { sharpness_wall_s: _wall, ...figures } = got;
        if (budget === 1) unpaced.push(figures);
        else {
          assert.deepEqual(figures, unpaced[0], 'budget 0.5 vs back to back');
          assert.ok(host.counters.pausedSeconds > 0, 'the paced rounds waited');
        }
        for (const [name, a, b] of [
          ['λ_max', got.top_eigenvalue, want.top_eigenvalue],
          ['tr', got.trace_hessian, want.trace_hessian],
          ['R', got.implicit_regularizer ?? NaN, want.implicit_regularizer ?? NaN],
        ] as const) {
          assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(b), `${name}: ${a} over ZeroMQ vs ${b} in process`);
        }
        // Block probes: one round per top-Lanczos step, per SLQ step (both probes), two for the HVP check.
        assert.equal(got.hvp_count, 8 + 2 * 5 + 2 * 6);
        assert.equal(host.counters.rounds, 8 + 5 + 2);
        assert.ok(host.counters.roundSeconds > 0);
      } finally {
        for (const ch of children) if (ch.exitCode === null) ch.kill('SIGTERM');
        await Promise.all(children.map((ch) => (ch.exitCode !== null ? Promise.resolve() : new Promise<void>((res) => ch.once('exit', () => res())))));
        await host.close();
      }
    }
  });
});
