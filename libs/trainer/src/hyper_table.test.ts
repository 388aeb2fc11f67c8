import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pb } from '@lnsgd/transport';
import { HYPER_KEYS, PARAM_ROWS, PARAM_TABLE, hyperFromRunSpec, runSpecFields, type ParamRow } from './hyper_table';
import { RUN_FILE_KEYS, parseRunFile } from './deploy_env';
import { PRESETS } from './presets';
import { ConfigError, resolveRunConfig } from './run_config';

const PROTO = join(resolve(__dirname, '..', '..', '..'), 'proto', 'trainer.proto');

/** The fields of `message RunSpec` as written in the .proto file. */
function runSpecProtoFields(): string[] {
  const body = /message RunSpec \{([^}]*)\}/.exec(readFileSync(PROTO, 'utf8'))?.[1];
  assert.ok(body !== undefined, 'no message RunSpec in proto/trainer.proto');
  return [...body.matchAll(/^\s*(?:\w+)\s+(\w+)\s*=\s*\d+;/gm)].map((m) => m[1] ?? '');
}

void test('every RunSpec field of the proto has a table row and every row a RunSpec field', () => {
  // config_hash identifies the run (derived from the rows), it is not a parameter.
  const fields = runSpecProtoFields().filter((f) => f !== 'config_hash');
  assert.ok(fields.length >= 12);
  assert.deepEqual([...fields].sort(), PARAM_ROWS.map((r) => r.proto).sort());
});

void test("each key is protobufjs's camelCase of its RunSpec field (libs/ps sends the hyper-parameters under their keys)", () => {
  for (const r of PARAM_ROWS)
    assert.equal(
      r.proto.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
      r.key,
    );
});

void test('a run survives RunSpec encoding: every row reaches the worker', () => {
  const preset = PRESETS.find((p) => p.name === 'resnet18-cifar');
  assert.ok(preset !== undefined);
  const hyper = { ...preset.defaults, noise: 'gaussian' as const, seed: 7 };
  const bytes = pb.RunSpec.encode(pb.RunSpec.create({ ...runSpecFields({ preset, hyper }, 32, 'bfloat16'), configHash: 'h' })).finish();
  const back = pb.RunSpec.decode(bytes);
  assert.equal(back.microBatch, 32);
  assert.equal(back.wireDtype, 'bfloat16');
  const got = hyperFromRunSpec(back as unknown as Record<string, string | number>);
  assert.equal(got.preset, 'resnet18-cifar');
  assert.deepEqual(got.hyper, hyper);
  assert.deepEqual(resolveRunConfig(got.preset, got.hyper).hyper, hyper);
});

void test('ranges come from the table: each bound is accepted and the value past it refused, naming the flag', () => {
  const checked: string[] = [];
  for (const k of HYPER_KEYS) {
    const t = (PARAM_TABLE[k] as ParamRow).type;
    const cases: [number, boolean][] = [];
    if (t.kind === 'int') cases.push([t.min, true], [t.min - 1, false], [t.max, true], [t.max + 1, false], [t.min + 0.5, false]);
    if (t.kind === 'number') {
      if (t.gt !== undefined) cases.push([t.gt, false]);
      if (t.gte !== undefined) cases.push([t.gte, true], [t.gte - 1e-9, false]);
      if (t.lt !== undefined) cases.push([t.lt, false]);
      if (t.lte !== undefined) cases.push([t.lte, true], [t.lte + 1e-9, false]);
      cases.push([Number.NaN, false]);
    }
    for (const [v, ok] of cases) {
      // uv-toy is a regression preset: only sigma is label noise there; flip-prob is checked on mlp.
      const preset = k === 'flipProb' ? 'mlp' : 'uv-toy';
      const run = (): unknown => resolveRunConfig(preset, { [k]: v });
      if (ok) assert.doesNotThrow(run, `${k} = ${v}`);
      else assert.throws(run, (e: unknown) => e instanceof ConfigError && e.message.includes(PARAM_TABLE[k].flag), `${k} = ${v}`);
      checked.push(`${k}=${v}`);
    }
  }
  assert.ok(checked.length >= 25, checked.join(' '));
  assert.throws(() => resolveRunConfig('uv-toy', { noise: 'uniform' as never }), /--noise = "uniform"/);
});

void test('the run file takes the preset and exactly the hyper-parameters, with the same ranges', () => {
  assert.deepEqual([...RUN_FILE_KEYS].sort(), ['preset', ...HYPER_KEYS].sort());
  assert.equal(parseRunFile('{"warmupSteps":3}', 'f').hyper.warmupSteps, 3);
  assert.throws(() => parseRunFile('{"momentum":1}', 'f'), /momentum/);
  assert.throws(() => parseRunFile('{"microBatch":1}', 'f'), /microBatch/);
});

void test('every preset has every hyper-parameter; table defaults fill what a preset leaves out', () => {
  for (const p of PRESETS) {
    assert.deepEqual(Object.keys(p.defaults).sort(), [...HYPER_KEYS].sort(), p.name);
    for (const r of PARAM_ROWS)
      if (r.scope === 'hyper' && r.default !== undefined && p.name === 'uv-toy')
        assert.equal(p.defaults[r.key as (typeof HYPER_KEYS)[number]], r.default, r.key);
  }
});
