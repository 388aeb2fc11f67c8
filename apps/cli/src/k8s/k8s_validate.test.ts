import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { validateObjects, type K8sObject } from './k8s_validate';

const BASE = join(resolve(__dirname, '..', '..', '..', '..'), 'deploy', 'k8s', 'base');

/** The base manifests as objects (no kubectl needed: the base is plain YAML). */
function baseObjects(): K8sObject[] {
  return readdirSync(BASE)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) => parseAllDocuments(readFileSync(join(BASE, f), 'utf8')).map((d) => d.toJS() as K8sObject | null))
    .filter((o): o is K8sObject => o !== null);
}

function one(kind: string): K8sObject & Record<string, unknown> {
  const o = baseObjects().find((x) => x.kind === kind);
  assert.ok(o !== undefined, `no ${kind} in deploy/k8s/base`);
  return o;
}

void test('the base manifests pass the upstream-generated validators', async () => {
  const objects = baseObjects();
  assert.ok(objects.length >= 10);
  assert.deepEqual(await validateObjects(objects), []);
});

void test('a misspelt field in a Deployment fails, named by its path', async () => {
  const d = one('Deployment') as unknown as { metadata: { name: string }; spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
  const c = d.spec.template.spec.containers[0];
  assert.ok(c !== undefined && c['readinessProbe'] !== undefined);
  c['readinesProbe'] = c['readinessProbe'];
  delete c['readinessProbe'];
  assert.deepEqual(await validateObjects([d as unknown as K8sObject]), [
    `Deployment/${d.metadata.name}: /spec/template/spec/containers/0/readinesProbe: unknown field`,
  ]);
});

void test('a misspelt field in a ServiceMonitor fails, named by its path', async () => {
  const m = one('ServiceMonitor') as unknown as { metadata: { name: string }; spec: { endpoints: Record<string, unknown>[] } };
  const e = m.spec.endpoints[0];
  assert.ok(e !== undefined && e['interval'] !== undefined);
  e['intervall'] = e['interval'];
  delete e['interval'];
  assert.deepEqual(await validateObjects([m as unknown as K8sObject]), [`ServiceMonitor/${m.metadata.name}: /spec/endpoints/0/intervall: unknown field`]);
});

void test('wrong types, enums and missing required fields fail with the upstream messages', async () => {
  const d = one('Deployment') as unknown as { metadata: { name: string }; spec: Record<string, unknown> };
  d.spec['replicas'] = 'two';
  const s = one('StatefulSet') as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
  delete s.spec.template.spec.containers[0]?.['name'];
  const p = one('PodDisruptionBudget') as unknown as { spec: Record<string, unknown> };
  p.spec['unhealthyPodEvictionPolicy'] = 'Sometimes';
  const problems = await validateObjects([d, s, p] as unknown as K8sObject[]);
  assert.equal(problems.length, 3, problems.join('\n'));
  assert.match(problems[0] ?? '', /^Deployment\/\S+: \/spec\/replicas: .*integer/);
  assert.match(problems[1] ?? '', /^StatefulSet\/\S+: \/spec\/template\/spec\/containers\/0: .*name/);
  assert.match(problems[2] ?? '', /^PodDisruptionBudget\/\S+: \/spec\/unhealthyPodEvictionPolicy: /);
});

void test('an unknown kind and free-form maps: no validator is an error, label and data keys are not fields', async () => {
  assert.deepEqual(await validateObjects([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]), [
    'Widget/w: no validator for example.com/v1 Widget',
  ]);
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', labels: { 'any.example/key': 'v' }, annotations: { free: 'form' } },
    data: { 'run.json': '{}', other: 'x' },
  };
  assert.deepEqual(await validateObjects([cm]), []);
});
