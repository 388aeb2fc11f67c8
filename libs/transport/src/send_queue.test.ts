import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SendQueue } from './send_queue';

void test('SendQueue: one send in flight at a time, in order, failures do not stall it', async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  const order: number[] = [];
  const q = new SendQueue(async (frames) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    const n = frames[0][0];
    if (n === 2) throw new Error('EBUSY-like failure');
    order.push(n);
  });
  const results = await Promise.allSettled([1, 2, 3, 4].map((n) => q.send([Uint8Array.of(n)])));
  assert.equal(maxInFlight, 1);
  assert.deepEqual(order, [1, 3, 4]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
  );
});
