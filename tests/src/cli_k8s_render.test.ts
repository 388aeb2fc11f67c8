import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonLines, runCli } from './run_cli';
import { prerequisite } from '@lnsgd/testing';

function kubectl(): string | undefined {
  const bin = process.env['LNSGD_KUBECTL'] ?? 'kubectl';
  try {
    execFileSync(bin, ['version', '--client'], { stdio: 'ignore' });
    return bin;
  } catch {
    return undefined;
  }
}

// `k8s render` defaults like `train`, warns about an image without a registry, writes
// current kustomize fields, puts the variant in the run id, and renders a tree that
// still builds after it is moved.

void test('k8s render: defaults like train, the variant in the run id, a warning for an image without a registry', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-k8s-'));
  try {
    const cpu = await runCli(['k8s', 'render', '--out', join(dir, 'cpu')]);
    assert.equal(cpu.code, 0, cpu.stderr);
    const [e] = jsonLines(cpu.stdout);
    assert.equal(e['run'], 'uv-toy-cpu-n1-s1');
    assert.equal(e['workers'], 1);
    assert.equal(e['shards'], 1);
    assert.match(cpu.stderr, /warning: the image lnsgd:cpu names no registry/);
    const gpu = await runCli(['k8s', 'render', '--gpu', '--image', 'ghcr.io/acme/lnsgd', '--out', join(dir, 'gpu')]);
    assert.equal(gpu.code, 0, gpu.stderr);
    assert.equal(jsonLines(gpu.stdout)[0]['run'], 'uv-toy-gpu-n1-s1', 'the gpu render gets its own run id and namespace');
    assert.equal(gpu.stderr, '', 'a registry: no warning');
    const k = readFileSync(join(dir, 'gpu', 'kustomization.yaml'), 'utf8');
    assert.doesNotMatch(k, /^(bases|patchesStrategicMerge):/m, 'no deprecated kustomize fields');
    assert.match(k, /^resources:/m);
    assert.match(k, /^patches:/m);
    assert.match(k, /namespace: uv-toy-gpu-n1-s1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const KUBECTL = kubectl();

void test('k8s render: the rendered tree builds with kustomize after it is moved, without deprecation warnings', { timeout: 120_000 }, async (t) => {
  if (!prerequisite(t, KUBECTL === undefined && 'kubectl not found (apt-get install kubernetes-client, or set LNSGD_KUBECTL)')) return;
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-k8s-'));
  try {
    const r = await runCli(['k8s', 'render', '--workers', '2', '--grid', 'lr=0.05,0.1', '--out', join(dir, 'study')]);
    assert.equal(r.code, 0, r.stderr);
    renameSync(join(dir, 'study'), join(dir, 'moved'));
    for (const e of jsonLines(r.stdout)) {
      const point = join(dir, 'moved', String(e['run']));
      const k = spawnSync(KUBECTL ?? 'kubectl', ['kustomize', point], { encoding: 'utf8' });
      assert.equal(k.status, 0, k.stderr);
      assert.doesNotMatch(`${k.stdout}${k.stderr}`, /deprecated/i);
      const out = k.stdout;
      assert.match(out, /kind: StatefulSet/);
      assert.match(out, /completions: 2/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
