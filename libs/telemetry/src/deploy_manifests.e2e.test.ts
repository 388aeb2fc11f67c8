/**
 * The deploy/ files against the metric contract: every lnsgd_* series a dashboard
 * panel or an alert rule queries must be one METRICS exports, the Kubernetes wrappers
 * must match their sources, and promtool must accept the rules (and their unit tests).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { exportedSeriesNames, referencedMetricNames } from './metric_table';
import { findExecutable, runPromtool } from './promtool';
import { prerequisite } from '@lnsgd/testing';

const DEPLOY = join(__dirname, '..', '..', '..', 'deploy');
const DASHBOARD = join(DEPLOY, 'grafana', 'lnsgd-dashboard.json');
const RULES = join(DEPLOY, 'prometheus', 'alert-rules.yaml');
const RULES_TEST = join(DEPLOY, 'prometheus', 'alert-rules.test.yaml');

interface Panel {
  readonly type: string;
  readonly title: string;
  readonly datasource?: { readonly uid?: string };
  readonly targets?: ReadonlyArray<{ readonly expr: string; readonly datasource?: { readonly uid?: string } }>;
  readonly panels?: readonly Panel[];
}
interface Dashboard {
  readonly uid: string;
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: ReadonlyArray<{ readonly name: string; readonly type: string; readonly definition?: string }> };
}
interface RuleFile {
  readonly groups: ReadonlyArray<{ readonly name: string; readonly rules: ReadonlyArray<{ readonly alert?: string; readonly expr: string }> }>;
}

const dashboard = (): Dashboard => JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
const rules = (): RuleFile => parseYaml(readFileSync(RULES, 'utf8')) as RuleFile;
const flatPanels = (panels: readonly Panel[]): Panel[] => panels.flatMap((p) => [p, ...flatPanels(p.panels ?? [])]);
const dashboardExprs = (): Array<{ where: string; expr: string }> => [
  ...flatPanels(dashboard().panels).flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel '${p.title}'`, expr: t.expr }))),
  ...dashboard().templating.list.flatMap((v) => (v.definition !== undefined ? [{ where: `variable '${v.name}'`, expr: v.definition }] : [])),
];
const ruleExprs = (): Array<{ where: string; expr: string }> =>
  rules().groups.flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert ?? '?'}`, expr: r.expr })));

void test('every lnsgd_* series the dashboard and the alert rules query is exported', () => {
  const exported = exportedSeriesNames();
  const used = [...dashboardExprs(), ...ruleExprs()];
  assert.ok(used.length > 20, 'found the expressions');
  for (const { where, expr } of used) {
    for (const name of referencedMetricNames(expr)) assert.ok(exported.has(name), `${where} queries ${name}, which libs/telemetry does not export: ${expr}`);
  }
});

void test('the dashboard is provisionable: datasource and run variables, panels the issue asks for', () => {
  const d = dashboard();
  assert.equal(d.uid, 'lnsgd-training');
  assert.deepEqual(
    d.templating.list.map((v) => [v.name, v.type]),
    [
      ['datasource', 'datasource'],
      ['run', 'query'],
    ],
  );
  const panels = flatPanels(d.panels).filter((p) => p.type !== 'row');
  for (const p of panels) {
    assert.equal(p.datasource?.uid, '${datasource}', `panel '${p.title}' must use the datasource variable`);
    for (const t of p.targets ?? []) assert.match(t.expr, /\$run/, `panel '${p.title}' must filter by $run: ${t.expr}`);
  }
  const queries = (title: RegExp): string =>
    panels
      .filter((p) => title.test(p.title))
      .flatMap((p) => (p.targets ?? []).map((t) => t.expr))
      .join('\n');
  assert.match(queries(/λ_max/), /lnsgd_hessian_top_eigenvalue\{/);
  assert.match(queries(/λ_max/), /lnsgd_hessian_stability_threshold/, 'λ_max is drawn with 2(1+β)/η as a reference line');
  assert.match(queries(/trace/), /lnsgd_hessian_trace_stderr/);
  assert.match(queries(/R\(θ\)/), /lnsgd_implicit_regularizer_stderr/);
  assert.match(queries(/loss/i), /lnsgd_train_loss/);
  assert.match(queries(/Test metric/), /lnsgd_eval_test_metric/);
  assert.match(queries(/λ = /), /lnsgd_implicit_regularization_strength/);
  assert.match(queries(/noise scale/), /lnsgd_gradient_noise_scale/);
  assert.match(queries(/Throughput/), /rate\(lnsgd_train_samples_total/);
  assert.match(queries(/latency/), /lnsgd_transport_push_duration_seconds_bucket/);
  assert.match(queries(/latency/), /lnsgd_transport_pull_duration_seconds_bucket/);
  assert.match(queries(/Live workers/), /lnsgd_cluster_live_workers/);
  assert.match(queries(/Rejected/), /lnsgd_transport_rejected_messages_total/);
});

void test('the alert rules cover sharpness, a lost worker, stalled steps and rejected messages', () => {
  const byName = new Map(ruleExprs().map((r) => [r.where, r.expr]));
  assert.match(byName.get('alert LnsgdSharpnessAboveStabilityThreshold') ?? '', /lnsgd_hessian_top_eigenvalue > lnsgd_hessian_stability_threshold/);
  assert.match(byName.get('alert LnsgdWorkerDown') ?? '', /lnsgd_cluster_live_workers/);
  assert.match(byName.get('alert LnsgdNoStepProgress') ?? '', /changes\(lnsgd_train_step/);
  assert.match(byName.get('alert LnsgdRejectedMessagesRising') ?? '', /lnsgd_transport_rejected_messages_total/);
});

void test('the Kubernetes wrappers match their sources (else run deploy/sync-manifests.sh)', () => {
  const cm = parseYaml(readFileSync(join(DEPLOY, 'grafana', 'configmap.yaml'), 'utf8')) as {
    kind: string;
    metadata: { labels: Record<string, string> };
    data: Record<string, string>;
  };
  assert.equal(cm.kind, 'ConfigMap');
  assert.equal(cm.metadata.labels['grafana_dashboard'], '1', 'the kube-prometheus-stack sidecar selects on grafana_dashboard: "1"');
  assert.deepEqual(JSON.parse(cm.data['lnsgd-dashboard.json'] ?? 'null'), dashboard(), 'configmap.yaml is stale: run deploy/sync-manifests.sh');
  const pr = parseYaml(readFileSync(join(DEPLOY, 'prometheus', 'prometheusrule.yaml'), 'utf8')) as { apiVersion: string; kind: string; spec: unknown };
  assert.equal(pr.apiVersion, 'monitoring.coreos.com/v1');
  assert.equal(pr.kind, 'PrometheusRule');
  assert.deepEqual(pr.spec, rules(), 'prometheusrule.yaml is stale: run deploy/sync-manifests.sh');
});

void test('promtool: check rules, test rules, and every dashboard query parses', async (t) => {
  const promtool = findExecutable('promtool');
  if (!prerequisite(t, promtool === undefined && 'promtool not installed (apt-get install prometheus)') || promtool === undefined) return;
  const check = await runPromtool({ promtool, args: ['check', 'rules', RULES] });
  assert.equal(check.code, 0, check.stdout + check.stderr);
  const unit = await runPromtool({ promtool, args: ['test', 'rules', RULES_TEST] });
  assert.equal(unit.code, 0, unit.stdout + unit.stderr);
  // promtool has no "parse this query" command; recording rules made of the panel queries
  // (Grafana's variables replaced by values) make `check rules` parse each one.
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-dashboard-promql-'));
  try {
    const records = dashboardExprs()
      .filter((e) => e.where.startsWith('panel'))
      .map((e, i) => ({ record: `lnsgd_dashboard_query_${i}`, expr: e.expr.replaceAll('$run', '.*').replaceAll('$__rate_interval', '1m') }));
    const file = join(dir, 'dashboard-queries.yaml');
    writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard', rules: records }] }));
    const parsed = await runPromtool({ promtool, args: ['check', 'rules', file] });
    assert.equal(parsed.code, 0, parsed.stdout + parsed.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
