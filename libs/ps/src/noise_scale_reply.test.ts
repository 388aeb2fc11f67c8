import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pb, type WireMessage } from '@lnsgd/transport';
import { noiseScale } from './kv_worker';

// The worker reads B_simple = tr Σ / |G|² from the shards' replies; a reply is not trusted.
function reply(noise: { emaGradSqNorm: number; emaTraceSigma: number; count: number }): WireMessage {
  return { envelope: pb.Envelope.create({ params: { version: 1, noise } }), frames: [] };
}

void test('noiseScale sums the shards’ EMA parts', () => {
  const r = noiseScale([reply({ emaGradSqNorm: 2, emaTraceSigma: 6, count: 3 }), reply({ emaGradSqNorm: 2, emaTraceSigma: 2, count: 3 })]);
  assert.equal(r, 2);
});

void test('noiseScale gives null, not NaN or Infinity, for non-finite or empty replies', () => {
  assert.equal(noiseScale([reply({ emaGradSqNorm: 0, emaTraceSigma: 0, count: 0 })]), null);
  for (const [g, t] of [
    [NaN, 1],
    [1, NaN],
    [Infinity, Infinity],
    [1, Infinity],
    [1e-320, 1e300],
    [0, 5],
  ]) {
    assert.equal(noiseScale([reply({ emaGradSqNorm: g, emaTraceSigma: t, count: 4 })]), null, `g=${g} t=${t}`);
  }
});
