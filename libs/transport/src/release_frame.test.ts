import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { canReleaseFrames, MIN_RELEASE_BYTES, RELEASE_FRAME_NODE_FLAGS, releaseFrame } from './release_frame';

/**
 * Run in a child with the cluster's flags: real ZeroMQ frames over loopback, released as
 * the PS and the workers release them. Prints one JSON line.
 */
const CHILD = `
const zmq = require(${JSON.stringify(require.resolve('zeromq'))});
const { canReleaseFrames, releaseFrame } = require(${JSON.stringify(require.resolve('./release_frame'))});
const { PerformanceObserver } = require('node:perf_hooks');
(async () => {
  const release = process.argv[1] === 'release';
  const router = new zmq.Router({ linger: 0 });
  await router.bind('tcp://127.0.0.1:0');
  const dealer = new zmq.Dealer({ linger: 0 });
  dealer.connect(router.lastEndpoint);
  const body = Buffer.alloc(1 << 20);
  let gcs = 0;
  new PerformanceObserver((l) => { gcs += l.getEntries().filter((e) => e.detail?.kind !== 1).length; }).observe({ entryTypes: ['gc'] });
  let released = 0, intact = 0, rss0 = 0;
  for (let i = 0; i < 400; i++) {
    body[0] = i & 255; body[body.length - 1] = (i * 7) & 255;
    await dealer.send([Buffer.from('head'), body]);
    const [, head, got] = await router.receive();
    // The bytes are whole until released; a small frame is never touched.
    if (got.length === body.length && got[0] === (i & 255) && got[got.length - 1] === ((i * 7) & 255)) intact++;
    if (release) { if (releaseFrame(got)) released++; if (releaseFrame(head)) released += 1e6; }
    if (i === 99) rss0 = process.memoryUsage().rss;
  }
  await new Promise((r) => setTimeout(r, 50));
  process.stdout.write(JSON.stringify({ can: canReleaseFrames(), released, intact, gcs, rssGrowthMB: (process.memoryUsage().rss - rss0) / 2 ** 20 }));
  router.close(); dealer.close();
})();
`;

function runChild(mode: 'release' | 'keep'): { can: boolean; released: number; intact: number; gcs: number; rssGrowthMB: number } {
  const out = execFileSync(process.execPath, [...RELEASE_FRAME_NODE_FLAGS, '--max-semi-space-size=16', '--min-semi-space-size=16', '-e', CHILD, mode], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out) as ReturnType<typeof runChild>;
}

void describe('releaseFrame', () => {
  void test('with the cluster flags, received frames are freed at once: no leak, and ZeroMQ frames stop driving collections', () => {
    const released = runChild('release');
    const kept = runChild('keep');
    assert.equal(released.can, true, 'RELEASE_FRAME_NODE_FLAGS give ArrayBuffer.prototype.transfer');
    assert.equal(released.released, 400, 'every 1 MiB frame released, the 4-byte header never');
    assert.equal(released.intact, 400);
    assert.equal(kept.intact, 400);
    // 300 MiB received after the RSS baseline: a release that did not free would grow RSS by about that much.
    assert.ok(released.rssGrowthMB < 64, `RSS grew ${released.rssGrowthMB.toFixed(1)} MiB over 300 released 1 MiB frames`);
    // Without release V8 collects for the external memory every ~64 MB received (about 6 times in 400 MiB);
    // with it, only the test's own small allocations remain.
    assert.ok(released.gcs < kept.gcs, `collections: ${released.gcs} released against ${kept.gcs} kept`);
  });

  void test('leaves alone what it must not free: views into a larger buffer, small frames, shared memory', () => {
    const big = new Uint8Array(4 * MIN_RELEASE_BYTES).fill(3);
    assert.equal(releaseFrame(big.subarray(1)), false);
    assert.equal(releaseFrame(big.subarray(0, MIN_RELEASE_BYTES)), false);
    assert.equal(releaseFrame(new Uint8Array(MIN_RELEASE_BYTES - 1)), false);
    assert.equal(releaseFrame(new Uint8Array(new SharedArrayBuffer(MIN_RELEASE_BYTES))), false);
    assert.equal(releaseFrame(Buffer.from('pooled')), false);
    assert.equal(big.length, 4 * MIN_RELEASE_BYTES);
    // Without transfer (this test process on Node 20 runs without the flags) nothing is freed.
    if (!canReleaseFrames()) assert.equal(releaseFrame(new Uint8Array(MIN_RELEASE_BYTES)), false);
  });
});
