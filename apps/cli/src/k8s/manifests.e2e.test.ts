import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { COMMITTED_OVERLAYS, renderOverlay } from './render_overlay';
import { validateObjects, type K8sObject } from './k8s_validate';
import { crossCheck } from './cross_check';
import { ENV_CONTRACT } from './env_contract';
import { CHILD_NODE_FLAGS, CLUSTER_MALLOC_ENV, METRICS_NODE_FLAGS, PS_NODE_FLAGS } from '@lnsgd/trainer/node-flags';
import { prerequisite } from '@lnsgd/testing';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const K8S = join(ROOT, 'deploy', 'k8s');

/** kubectl with kustomize: $LNSGD_KUBECTL, else kubectl on PATH (CI: Debian's kubernetes-client). */
function kubectl(): string | undefined {
  const bin = process.env['LNSGD_KUBECTL'] ?? 'kubectl';
  const r = spawnSync(bin, ['version', '--client'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 ? bin : undefined;
}
const KUBECTL = kubectl();
const missing = KUBECTL === undefined ? 'kubectl not found (apt-get install kubernetes-client, or set LNSGD_KUBECTL)' : false;

function kustomize(dir: string): K8sObject[] {
  const out = execFileSync(KUBECTL ?? 'kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out)
    .map((d) => d.toJS() as K8sObject)
    .filter((o) => o !== null);
}

void test('the committed overlays are what `lnsgd k8s render` writes', () => {
  for (const [name, spec] of Object.entries(COMMITTED_OVERLAYS)) {
    for (const [file, text] of Object.entries(renderOverlay(spec))) {
      assert.equal(
        readFileSync(join(K8S, 'overlays', name, file), 'utf8'),
        text,
        `deploy/k8s/overlays/${name}/${file} is stale: re-render it from COMMITTED_OVERLAYS`,
      );
    }
  }
});

void test('the env contract names, for each variable, a source file that reads it, and misses none', () => {
  const files = new Set(ENV_CONTRACT.map((v) => v.readIn));
  const seen = new Set<string>();
  for (const f of files) for (const m of readFileSync(join(ROOT, f), 'utf8').matchAll(/\b(LNSGD_[A-Z0-9_]+|JOB_COMPLETION_INDEX)\b/g)) seen.add(m[1] ?? '');
  for (const f of ['apps/worker/src/config.ts', 'apps/metrics/src/config.ts'])
    for (const m of readFileSync(join(ROOT, f), 'utf8').matchAll(/\b(LNSGD_[A-Z0-9_]+)\b/g)) seen.add(m[1] ?? '');
  for (const v of ENV_CONTRACT) assert.match(readFileSync(join(ROOT, v.readIn), 'utf8'), new RegExp(`\\b${v.name}\\b`), `${v.name} is not in ${v.readIn}`);
  const names = new Set(ENV_CONTRACT.map((v) => v.name));
  assert.deepEqual([...seen].filter((n) => !names.has(n) && n !== 'LNSGD_').sort(), [], 'variables read by the apps but missing from ENV_CONTRACT');
});

void test('both overlays render with kustomize, validate, and match what the apps read and serve', { timeout: 120_000 }, async (t) => {
  if (!prerequisite(t, missing)) return;
  for (const [name, spec] of Object.entries(COMMITTED_OVERLAYS)) {
    const objects = kustomize(join(K8S, 'overlays', name));
    const kinds = objects.map((o) => o.kind).sort();
    for (const k of [
      'ConfigMap',
      'Deployment',
      'Job',
      'Namespace',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'PodMonitor',
      'PrometheusRule',
      'Service',
      'ServiceMonitor',
      'StatefulSet',
    ])
      assert.ok(kinds.includes(k), `${name}: no ${k}`);
    assert.deepEqual(await validateObjects(objects), [], `${name}: schema violations`);
    assert.deepEqual(crossCheck(objects, spec), [], `${name}: cross-check`);
    for (const o of objects) if (o.kind !== 'Namespace') assert.equal(o.metadata.namespace, 'lnsgd', `${name}: ${o.kind}/${o.metadata.name} namespace`);
    const text = JSON.stringify(objects);
    assert.equal(text.includes('nvidia.com/gpu"'), spec.gpu, `${name}: nvidia.com/gpu only in the gpu overlay`);
  }
});

void test('a rendered scaling-study grid point renders and cross-checks (N = 3, S = 3)', { timeout: 60_000 }, async (t) => {
  if (!prerequisite(t, missing)) return;
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-k8s-'));
  try {
    const out = join(dir, 'run');
    mkdirSync(out);
    const spec = {
      runId: 'uv-toy-n3-s3-lr0p05',
      preset: 'uv-toy',
      hyper: { lr: 0.05, batch: 24 },
      workers: 3,
      shards: 3,
      gpu: false,
      curve: true,
      basePath: relative(out, join(K8S, 'base')),
    };
    for (const [f, t] of Object.entries(renderOverlay(spec))) writeFileSync(join(out, f), t);
    const objects = kustomize(out);
    assert.deepEqual(await validateObjects(objects), []);
    assert.deepEqual(crossCheck(objects, spec), []);
    assert.ok(objects.every((o) => o.kind === 'Namespace' || o.metadata.namespace === 'uv-toy-n3-s3-lr0p05'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('the cross-check catches a broken run', { timeout: 60_000 }, (t) => {
  if (!prerequisite(t, missing)) return;
  const spec = COMMITTED_OVERLAYS['cpu-local'];
  assert.ok(spec !== undefined);
  const objects = kustomize(join(K8S, 'overlays', 'cpu-local'));
  const broken = JSON.parse(JSON.stringify(objects)) as K8sObject[];
  const job = broken.find((o) => o.kind === 'Job') as unknown as {
    spec: { parallelism: number; template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
  };
  job.spec.parallelism = 1;
  (job.spec.template.spec as { restartPolicy?: string }).restartPolicy = 'Always';
  job.spec.template.spec.containers[0]?.env.push({ name: 'LNSGD_SHARDS', value: '1' });
  const pdb = broken.find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'lnsgd-ps') as unknown as { spec: Record<string, unknown> };
  delete pdb.spec['unhealthyPodEvictionPolicy'];
  const problems = crossCheck(broken, spec).join('\n');
  assert.match(problems, /parallelism = completions/);
  assert.match(problems, /env LNSGD_SHARDS is not read by the worker app/);
  assert.match(problems, /lnsgd-ps: unhealthyPodEvictionPolicy must be AlwaysAllow/);
  assert.match(problems, /restartPolicy Always must be OnFailure or Never/);
  // The gpu overlay's distributed sharpness: a worker dialling the wrong port, or a policy
  // that no longer lets workers reach the round host, is caught.
  const gpu = kustomize(join(K8S, 'overlays', 'gpu'));
  const gpuSpec = COMMITTED_OVERLAYS['gpu'];
  assert.ok(gpuSpec !== undefined);
  const wrongPort = JSON.parse(JSON.stringify(gpu)) as K8sObject[];
  const worker = wrongPort.find((o) => o.kind === 'Job') as unknown as {
    spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
  };
  const hvp = worker.spec.template.spec.containers[0]?.env.find((e) => e.name === 'LNSGD_HVP_ENDPOINT');
  assert.ok(hvp !== undefined, 'the gpu overlay gives workers the round host');
  hvp.value = 'tcp://lnsgd-metrics:7101';
  assert.match(crossCheck(wrongPort, gpuSpec).join('\n'), /LNSGD_HVP_ENDPOINT must be tcp:\/\/lnsgd-metrics:7100/);
  const noPolicy = gpu.filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'lnsgd-metrics-rounds'));
  assert.match(crossCheck(noPolicy, gpuSpec).join('\n'), /workers cannot reach the metrics service's round host/);
  assert.match(crossCheck(gpu, { ...gpuSpec, sharpness: 'local' }).join('\n'), /local sharpness: no LNSGD_HVP_ENDPOINT/);
});

void test("every base manifest runs its app with the local cluster's V8 flags, so production keeps RSS as flat as the soak test", () => {
  for (const file of ['ps-statefulset.yaml', 'worker-job.yaml', 'metrics-deployment.yaml']) {
    const docs = parseAllDocuments(readFileSync(join(K8S, 'base', file), 'utf8')).map(
      (d) => d.toJS() as { spec?: { template?: { spec?: { containers?: { command?: string[] }[] } } } } | null,
    );
    const commands = docs.flatMap((d) => d?.spec?.template?.spec?.containers ?? []).map((c) => c.command);
    assert.ok(commands.length > 0, `${file}: no container`);
    const flags = file.startsWith('ps-') ? PS_NODE_FLAGS : file.startsWith('metrics-') ? METRICS_NODE_FLAGS : CHILD_NODE_FLAGS;
    for (const command of commands) assert.deepEqual(command?.slice(0, 1 + flags.length), ['node', ...flags], `${file}: command ${JSON.stringify(command)}`);
  }
});

void test("every base manifest's container has the local cluster's malloc settings (CLUSTER_MALLOC_ENV)", () => {
  for (const file of ['ps-statefulset.yaml', 'worker-job.yaml', 'metrics-deployment.yaml']) {
    const docs = parseAllDocuments(readFileSync(join(K8S, 'base', file), 'utf8')).map(
      (d) => d.toJS() as { spec?: { template?: { spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } } } | null,
    );
    const containers = docs.flatMap((d) => d?.spec?.template?.spec?.containers ?? []);
    assert.ok(containers.length > 0, `${file}: no container`);
    for (const c of containers) {
      const env = Object.fromEntries((c.env ?? []).filter((e) => e.name in CLUSTER_MALLOC_ENV).map((e) => [e.name, e.value]));
      assert.deepEqual(env, { ...CLUSTER_MALLOC_ENV }, `${file}: malloc env`);
    }
  }
});
