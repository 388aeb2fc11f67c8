import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectDealer, curveKeyPair, sharedPairCurve, zapStats, type CurveConfig, type Van } from '@lnsgd/transport';
import { parseHeader, startHvpRoundHost } from './hvp_round_host';

// The round host over real ZeroMQ on loopback with scripted workers (no model): hostile
// frames are counted, never thrown; a worker that goes silent is lost after the timeout
// and its task is answered by the other; the combined block is the sample-weighted mean.

const N = 3;
const CHUNK_SAMPLES = [5, 7, 9, 11];
/** Chunk c's product along direction values d: (c+1)·d (so the weighted mean is known). */
const answerFor = (lo: number, hi: number, d: Float64Array): Float64Array => {
  const out = new Float64Array(d.length);
  for (let c = lo; c < hi; c++) for (let i = 0; i < d.length; i++) out[i] += CHUNK_SAMPLES[c] * (c + 1) * d[i];
  return out;
};

function scriptedWorker(endpoint: string, rank: number, silent: boolean, curve?: CurveConfig): Van {
  const van: Van = connectDealer(endpoint, {
    curve,
    onFrames: (frames) => {
      const h = parseHeader(frames[0]);
      if (h?.t !== 'task' || silent) return;
      const dirFrame = frames[frames.length - 1];
      const d = new Float64Array(dirFrame.byteLength / 8);
      new Uint8Array(d.buffer).set(dirFrame);
      const samples = CHUNK_SAMPLES.slice(h.lo, h.hi).reduce((a, b) => a + b, 0);
      const products = answerFor(h.lo, h.hi, d);
      void van.send([Buffer.from(JSON.stringify({ t: 'answer', round: h.round, lo: h.lo, hi: h.hi, samples })), new Uint8Array(products.buffer)]);
    },
  });
  void van.send([Buffer.from(JSON.stringify({ t: 'hello', rank }))]);
  return van;
}

void test('round host: hostile frames are counted; a silent worker is lost and its task reassigned', async () => {
  const host = await startHvpRoundHost({ endpoint: 'tcp://127.0.0.1:0', chunkSamples: CHUNK_SAMPLES, lossTimeoutMs: 1500 });
  const hostile = connectDealer(host.endpoint, { onFrames: () => undefined });
  const good = scriptedWorker(host.endpoint, 0, false);
  const silent = scriptedWorker(host.endpoint, 1, true);
  try {
    for (const frames of [
      [Buffer.from('not json')],
      [Buffer.from('null')],
      [Buffer.from('{"t":42}')],
      [Buffer.from(JSON.stringify({ t: 'answer', round: 1, lo: 0, hi: 1, samples: 5 })), Buffer.alloc(3)],
      [Buffer.from(JSON.stringify({ t: 'bogus' }))],
    ]) {
      await hostile.send(frames);
    }
    await host.waitForWorkers(2, 30_000);
    const theta = new Float32Array(N).fill(0.5);
    const directions = Float64Array.from([1, -2, 3]);
    const out = await host.runRound({ estimate: 1, theta, epsilon: 1e-3, directions });
    // Σ n_c (c+1) / Σ n_c = (5·1 + 7·2 + 9·3 + 11·4) / 32 = 90/32.
    const factor = 90 / 32;
    assert.deepEqual(Array.from(out), [factor, -2 * factor, 3 * factor]);
    const c = host.counters;
    assert.ok(c.malformed >= 4, `malformed ${c.malformed}`);
    assert.equal(c.lost, 1);
    assert.equal(c.reassigned, 1);
    assert.deepEqual(host.liveRanks(), [0]);
    // The next round goes to the survivor alone.
    const again = await host.runRound({ estimate: 1, theta, epsilon: 1e-3, directions });
    assert.deepEqual(Array.from(again), Array.from(out));
  } finally {
    for (const v of [hostile, good, silent]) v.close();
    await host.close();
  }
});

void test('round host with CURVE: workers holding the shared pair get in, others reach nothing', async () => {
  const pair = curveKeyPair();
  const host = await startHvpRoundHost({
    endpoint: 'tcp://127.0.0.1:0',
    chunkSamples: CHUNK_SAMPLES,
    lossTimeoutMs: 60_000,
    curve: sharedPairCurve({ own: pair }, 'server'),
  });
  const deniedBefore = zapStats().denied;
  const good = scriptedWorker(host.endpoint, 0, false, sharedPairCurve({ own: pair }, 'client'));
  // Knows the host's public key but holds another pair: the ZAP allowlist refuses it.
  const stranger = scriptedWorker(host.endpoint, 1, false, { own: curveKeyPair(), serverPublicKey: pair.publicKey });
  // No CURVE at all: the handshake fails.
  const plain = scriptedWorker(host.endpoint, 2, false);
  try {
    await host.waitForWorkers(1, 30_000);
    const deadline = Date.now() + 30_000;
    while (zapStats().denied === deniedBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(zapStats().denied > deniedBefore, 'the stranger was denied by the allowlist');
    // Give the refused hellos time to arrive if they could; only rank 0 may be live.
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(host.liveRanks(), [0]);
    const out = await host.runRound({ estimate: 1, theta: new Float32Array(N), epsilon: 1e-3, directions: Float64Array.from([1, 0, 0]) });
    assert.deepEqual(Array.from(out), [90 / 32, 0, 0]);
    assert.deepEqual(host.liveRanks(), [0]);
  } finally {
    for (const v of [good, stranger, plain]) v.close();
    await host.close();
  }
});

void test('round host with a budget: rounds wait d·(1−f)/f after each other, the results are the same bits, close() cuts a pause', async () => {
  const f = 0.25;
  // Answers come 60 ms late, so that each round has a duration worth pacing.
  const slowWorker = (endpoint: string, rank: number): Van => {
    const van: Van = connectDealer(endpoint, {
      onFrames: (frames) => {
        const h = parseHeader(frames[0]);
        if (h?.t !== 'task') return;
        const dirFrame = frames[frames.length - 1];
        const d = new Float64Array(dirFrame.byteLength / 8);
        new Uint8Array(d.buffer).set(dirFrame);
        const samples = CHUNK_SAMPLES.slice(h.lo, h.hi).reduce((a, b) => a + b, 0);
        const products = answerFor(h.lo, h.hi, d);
        setTimeout(() => {
          void van.send([Buffer.from(JSON.stringify({ t: 'answer', round: h.round, lo: h.lo, hi: h.hi, samples })), new Uint8Array(products.buffer)]);
        }, 60);
      },
    });
    void van.send([Buffer.from(JSON.stringify({ t: 'hello', rank }))]);
    return van;
  };
  const theta = new Float32Array(N).fill(0.25);
  const directions = [Float64Array.from([1, 2, 3]), Float64Array.from([0.1, -0.7, 1e-3, 4, 5, 6]), Float64Array.from([-1, 0, 1])];
  const runAll = async (budget: number): Promise<{ outs: Float64Array[]; starts: number[]; durations: number[]; paused: number }> => {
    const host = await startHvpRoundHost({ endpoint: 'tcp://127.0.0.1:0', chunkSamples: CHUNK_SAMPLES, lossTimeoutMs: 60_000, budget });
    const workers = [slowWorker(host.endpoint, 0), slowWorker(host.endpoint, 1)];
    try {
      await host.waitForWorkers(2, 30_000);
      const outs: Float64Array[] = [];
      const starts: number[] = [];
      const durations: number[] = [];
      for (const d of directions) {
        const before = host.counters.roundSeconds;
        const pausedBefore = host.counters.pausedSeconds;
        const t0 = performance.now();
        outs.push(await host.runRound({ estimate: 1, theta, epsilon: 1e-3, directions: d }));
        starts.push(t0 / 1000 + host.counters.pausedSeconds - pausedBefore);
        durations.push(host.counters.roundSeconds - before);
      }
      return { outs, starts, durations, paused: host.counters.pausedSeconds };
    } finally {
      for (const v of workers) v.close();
      await host.close();
    }
  };
  const free = await runAll(1);
  const paced = await runAll(f);
  assert.equal(free.paused, 0);
  for (let i = 0; i < directions.length; i++) assert.deepEqual(Array.from(paced.outs[i]), Array.from(free.outs[i]), `round ${i}: the same bits`);
  for (let i = 1; i < directions.length; i++) {
    const gap = paced.starts[i] - paced.starts[i - 1];
    assert.ok(paced.durations[i - 1] <= f * gap * 1.01 + 0.005, `round ${i}: ${paced.durations[i - 1]} s of rounds in ${gap} s between starts`);
  }
  assert.ok(paced.paused >= ((1 - f) / f) * (paced.durations[0] + paced.durations[1]) * 0.9, `paused ${paced.paused} s`);

  // A round waiting for the budget ends with the host.
  const host = await startHvpRoundHost({ endpoint: 'tcp://127.0.0.1:0', chunkSamples: CHUNK_SAMPLES, lossTimeoutMs: 60_000, budget: 0.001 });
  const w = slowWorker(host.endpoint, 0);
  try {
    await host.waitForWorkers(1, 30_000);
    await host.runRound({ estimate: 1, theta, epsilon: 1e-3, directions: directions[0] });
    const waiting = host.runRound({ estimate: 1, theta, epsilon: 1e-3, directions: directions[0] });
    await assert.rejects(host.runRound({ estimate: 1, theta, epsilon: 1e-3, directions: directions[0] }), /already open/);
    await host.close();
    await assert.rejects(waiting, /closed/);
  } finally {
    w.close();
    await host.close();
  }
});
