import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pb } from '@lnsgd/transport';
import { REJECT_REASONS } from '@lnsgd/telemetry';
import { REFUSALS, rejectedByReason, withTransportRefusals, type RefusalCode } from './refusals';
import type { ShardCounters } from './shard_core';

const PROTO = readFileSync(join(resolve(__dirname, '..', '..', '..'), 'proto', 'trainer.proto'), 'utf8');

/** Field or value names of a message or enum block of the .proto. */
function protoNames(kind: 'message' | 'enum', name: string): string[] {
  const body = new RegExp(`${kind} ${name} \\{([^}]*)\\}`).exec(PROTO)?.[1];
  assert.ok(body !== undefined, `no ${kind} ${name}`);
  return [...body.matchAll(kind === 'enum' ? /^\s*([A-Z_]+)\s*=\s*\d+;/gm : /^\s*\w+\s+(\w+)\s*=\s*\d+;/gm)].map((m) => m[1] ?? '');
}

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

void test('every ErrorCode of the proto (and of the generated code) has a row, and no row is stale', () => {
  const codes = protoNames('enum', 'ErrorCode').filter((c) => c !== 'ERROR_UNSPECIFIED');
  assert.ok(codes.length >= 14);
  assert.deepEqual(Object.keys(REFUSALS).sort(), [...codes].sort());
  assert.deepEqual(
    Object.keys(pb.ErrorCode)
      .filter((c) => c !== 'ERROR_UNSPECIFIED' && Number.isNaN(Number(c)))
      .sort(),
    [...codes].sort(),
  );
});

void test('every refusal counter is a ShardStats field, and every refusal but RECOMPUTE a `reason` label of the metric table', () => {
  const stats = new Set(protoNames('message', 'ShardStats').map(camel));
  for (const [code, row] of Object.entries(REFUSALS)) assert.ok(stats.has(row.counter), `${code}: ShardStats has no ${row.counter}`);
  const reasons = Object.entries(REFUSALS).flatMap(([code, row]) => (row.reason === undefined ? [] : [[code, row.reason] as const]));
  for (const [code, reason] of reasons) assert.equal(reason, code.toLowerCase(), `${code}: label ${reason}`);
  assert.deepEqual(reasons.map(([, r]) => r).sort(), [...REJECT_REASONS].sort());
  assert.deepEqual(
    Object.entries(REFUSALS)
      .filter(([, r]) => r.reason === undefined)
      .map(([c]) => c),
    ['RECOMPUTE'] satisfies RefusalCode[],
  );
});

void test("each reason counts its own counter plus the transport's refusals of the same code", () => {
  const counters = Object.fromEntries(Object.values(REFUSALS).map((r, i) => [r.counter, 10 * (i + 1)])) as unknown as ShardCounters;
  const transport = { malformed: 1, tooLarge: 2, versionMismatch: 3 };
  const got = rejectedByReason(counters, transport);
  assert.equal(got.malformed, counters.malformed + 1);
  assert.equal(got.too_large, counters.tooLarge + 2);
  assert.equal(got.version_mismatch, counters.versionMismatch + 3);
  assert.equal(got.stale_push, counters.pushesStale);
  assert.equal(got.run_full, counters.runFull);
  assert.equal(new Set(Object.values(got)).size, REJECT_REASONS.length, 'each label reads a different counter');
  assert.equal(withTransportRefusals(counters, transport).pushesRecompute, counters.pushesRecompute);
});
