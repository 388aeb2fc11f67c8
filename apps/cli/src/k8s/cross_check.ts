import { parseRunFile, resolveRunConfig } from '@lnsgd/trainer';
import { envOf, type AppName } from './env_contract';
import type { K8sObject } from './k8s_validate';
import { HVP_PORT, METRICS_PORT, PS_PORT, psEndpoints } from './render_overlay';

interface Selector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: string[] }[];
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}
interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  resources?: { limits?: Record<string, unknown>; requests?: Record<string, unknown> };
  readinessProbe?: { httpGet: { path: string; port: number | string } };
  livenessProbe?: { httpGet: { path: string; port: number | string } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[]; volumes?: { name: string; configMap?: { name: string } }[]; subdomain?: string; restartPolicy?: string };
}

/** Whether a label selector selects a label set (matchLabels and matchExpressions). */
export function selects(sel: Selector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const v = labels[e.key];
    const ok =
      e.operator === 'In'
        ? v !== undefined && (e.values ?? []).includes(v)
        : e.operator === 'NotIn'
          ? v === undefined || !(e.values ?? []).includes(v)
          : e.operator === 'Exists'
            ? v !== undefined
            : v === undefined;
    if (!ok) return false;
  }
  return true;
}

const WORKLOADS: Readonly<Record<AppName, { kind: string; name: string }>> = {
  'parameter-server': { kind: 'StatefulSet', name: 'lnsgd-ps' },
  worker: { kind: 'Job', name: 'lnsgd-worker' },
  metrics: { kind: 'Deployment', name: 'lnsgd-metrics' },
};

/** What the checks expect of one rendered run. */
export interface Expectation {
  readonly workers: number;
  readonly shards: number;
  readonly gpu: boolean;
  /** Where the metrics service's HVPs run (default: distributed with GPU workers, else local). */
  readonly sharpness?: 'local' | 'distributed';
}

/**
 * Cross-checks a rendered run against what the apps read and serve: env vars (the
 * contract), ConfigMap references, ports (LNSGD_BIND, LNSGD_METRICS_PORT, Services,
 * probes), labels and selectors (Services, PDBs, NetworkPolicies, monitors), the run's
 * shape (N, S, PS endpoints) and where nvidia.com/gpu appears.
 *
 * @param objects the rendered objects.
 * @param expect N, S and whether the workers are GPU workers.
 * @returns every problem found (empty: consistent).
 */
export function crossCheck(objects: readonly K8sObject[], expect: Expectation): string[] {
  const problems: string[] = [];
  const find = (kind: string, name: string): K8sObject | undefined => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const configMaps = objects.filter((o) => o.kind === 'ConfigMap');
  const cmData = (name: string): Record<string, string> | undefined =>
    configMaps.find((c) => c.metadata.name === name)?.['data'] as Record<string, string> | undefined;
  const templates = new Map<AppName, PodTemplate>();
  for (const [app, w] of Object.entries(WORKLOADS) as [AppName, { kind: string; name: string }][]) {
    const o = find(w.kind, w.name);
    if (o === undefined) {
      problems.push(`${w.kind}/${w.name} is missing`);
      continue;
    }
    templates.set(app, (o['spec'] as { template: PodTemplate }).template);
  }
  const runCm = configMaps.find((c) => c.metadata.name.startsWith('lnsgd-run-') && !c.metadata.name.startsWith('lnsgd-run-config'));
  // Env: every variable a container gets is one its app reads; resolved values for the port checks.
  const resolved = new Map<AppName, Map<string, string>>();
  for (const [app, t] of templates) {
    const c = t.spec.containers[0];
    if (c === undefined) continue;
    const values = new Map<string, string>();
    const reads = envOf(app);
    for (const e of c.env ?? []) {
      if (!reads.includes(e.name)) problems.push(`${app}: env ${e.name} is not read by the ${app} app (see ENV_CONTRACT)`);
      const ref = e.valueFrom?.configMapKeyRef;
      if (ref !== undefined) {
        const v = cmData(ref.name)?.[ref.key];
        if (v === undefined) problems.push(`${app}: env ${e.name} refers to ConfigMap ${ref.name} key ${ref.key}, which does not exist`);
        else values.set(e.name, v);
      } else if (e.value !== undefined) values.set(e.name, e.value);
      else if (e.valueFrom?.fieldRef !== undefined) values.set(e.name, `<${e.valueFrom.fieldRef.fieldPath}>`);
    }
    resolved.set(app, values);
    const ports = new Map((c.ports ?? []).map((p) => [p.name ?? '', p.containerPort]));
    if (values.get('LNSGD_METRICS_HOST') !== '0.0.0.0') problems.push(`${app}: LNSGD_METRICS_HOST must be 0.0.0.0 for Prometheus and probes to reach it`);
    if (values.get('LNSGD_METRICS_PORT') !== String(METRICS_PORT) || ports.get('metrics') !== METRICS_PORT)
      problems.push(`${app}: LNSGD_METRICS_PORT and the container port 'metrics' must both be ${METRICS_PORT}`);
    for (const [probe, path] of [
      ['readinessProbe', '/readyz'],
      ['livenessProbe', '/healthz'],
    ] as const) {
      const p = c[probe];
      if (p?.httpGet.path !== path || (p.httpGet.port !== 'metrics' && p.httpGet.port !== METRICS_PORT))
        problems.push(`${app}: ${probe} must GET ${path} on the metrics port`);
    }
    // LNSGD_RUN_CONFIG must be a file of a mounted run-config ConfigMap that parses and resolves.
    const runConfig = values.get('LNSGD_RUN_CONFIG');
    if (runConfig !== undefined) {
      const mount = (c.volumeMounts ?? []).find((m) => runConfig.startsWith(`${m.mountPath}/`));
      const vol = t.spec.volumes?.find((v) => v.name === mount?.name);
      const data = vol?.configMap !== undefined ? cmData(vol.configMap.name) : undefined;
      const key = mount !== undefined ? runConfig.slice(mount.mountPath.length + 1) : '';
      const text = data?.[key];
      if (text === undefined) problems.push(`${app}: LNSGD_RUN_CONFIG = ${runConfig} is not a key of a mounted ConfigMap`);
      else {
        try {
          const f = parseRunFile(text, `${app} ${runConfig}`);
          resolveRunConfig(f.preset ?? 'uv-toy', f.hyper);
        } catch (err: unknown) {
          problems.push(err instanceof Error ? err.message : String(err));
        }
      }
    }
    const gpus = c.resources?.limits?.['nvidia.com/gpu'];
    const wantGpu = app === 'worker' && expect.gpu;
    if (wantGpu !== (gpus !== undefined))
      problems.push(`${app}: nvidia.com/gpu limit ${gpus === undefined ? 'missing' : 'present'}; expected it ${wantGpu ? '' : 'not '}to be`);
    if (c.resources?.requests?.['cpu'] === undefined || c.resources.requests['memory'] === undefined)
      problems.push(`${app}: cpu and memory requests are required`);
  }
  // The run's shape.
  const ps = find('StatefulSet', 'lnsgd-ps')?.['spec'] as { replicas: number; serviceName: string } | undefined;
  const job = find('Job', 'lnsgd-worker')?.['spec'] as { parallelism: number; completions: number; completionMode: string } | undefined;
  if (ps?.replicas !== expect.shards) problems.push(`StatefulSet lnsgd-ps: replicas ${ps?.replicas} != S = ${expect.shards}`);
  if (job?.parallelism !== expect.workers || job.completions !== expect.workers || job.completionMode !== 'Indexed')
    problems.push(`Job lnsgd-worker: must be Indexed with parallelism = completions = N = ${expect.workers}`);
  // The API server, not the OpenAPI schema, refuses a Job pod that restarts Always.
  const workerRestart = templates.get('worker')?.spec.restartPolicy;
  if (workerRestart !== 'OnFailure' && workerRestart !== 'Never') problems.push(`Job lnsgd-worker: restartPolicy ${workerRestart} must be OnFailure or Never`);
  const psEnv = resolved.get('parameter-server');
  if (psEnv?.get('LNSGD_WORKERS') !== String(expect.workers) || psEnv.get('LNSGD_SHARDS') !== String(expect.shards))
    problems.push(`parameter-server: LNSGD_WORKERS/LNSGD_SHARDS must be ${expect.workers}/${expect.shards}`);
  if (psEnv?.get('LNSGD_BIND') !== `tcp://0.0.0.0:${PS_PORT}`) problems.push(`parameter-server: LNSGD_BIND must be tcp://0.0.0.0:${PS_PORT}`);
  if (psEnv?.get('LNSGD_POD_NAME') !== '<metadata.name>' || psEnv.has('LNSGD_SHARD'))
    problems.push('parameter-server: the shard must come from the StatefulSet ordinal (LNSGD_POD_NAME = metadata.name, no LNSGD_SHARD)');
  for (const app of ['worker', 'metrics'] as const) {
    if (resolved.get(app)?.get('LNSGD_PS_ENDPOINTS') !== psEndpoints(expect.shards))
      problems.push(`${app}: LNSGD_PS_ENDPOINTS must be ${psEndpoints(expect.shards)}`);
  }
  if (resolved.get('worker')?.has('LNSGD_RANK') === true) problems.push('worker: the rank must come from JOB_COMPLETION_INDEX (no LNSGD_RANK)');
  if (runCm === undefined) problems.push('ConfigMap lnsgd-run is missing');
  // Distributed sharpness: the metrics pod binds the round host, every worker dials it by the Service.
  const metricsEnv = resolved.get('metrics');
  const hvpEndpoint = resolved.get('worker')?.get('LNSGD_HVP_ENDPOINT');
  if ((expect.sharpness ?? (expect.gpu ? 'distributed' : 'local')) === 'distributed') {
    const hvpPort = templates.get('metrics')?.spec.containers[0]?.ports?.find((p) => p.name === 'hvp')?.containerPort;
    if (
      metricsEnv?.get('LNSGD_METRICS_SHARPNESS') !== 'distributed' ||
      metricsEnv.get('LNSGD_METRICS_HVP_BIND') !== `tcp://0.0.0.0:${HVP_PORT}` ||
      hvpPort !== HVP_PORT
    )
      problems.push(
        `metrics: distributed sharpness needs LNSGD_METRICS_SHARPNESS=distributed, LNSGD_METRICS_HVP_BIND=tcp://0.0.0.0:${HVP_PORT} and container port 'hvp' ${HVP_PORT}`,
      );
    if (metricsEnv?.get('LNSGD_METRICS_HVP_WORKERS') !== String(expect.workers))
      problems.push(`metrics: LNSGD_METRICS_HVP_WORKERS must be N = ${expect.workers}`);
    // A worker lost in a round is lost as in a step: the same timeout on both sides (both default to 120000).
    const psHeartbeat = psEnv?.get('LNSGD_HEARTBEAT_TIMEOUT_MS');
    if (metricsEnv?.get('LNSGD_HEARTBEAT_TIMEOUT_MS') !== psHeartbeat)
      problems.push(`metrics: LNSGD_HEARTBEAT_TIMEOUT_MS must be the parameter server's (${psHeartbeat ?? 'unset'})`);
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'lnsgd-metrics')?.['spec'] as { ports: { port: number }[] } | undefined;
    if (hvpEndpoint !== `tcp://lnsgd-metrics:${HVP_PORT}` || !(svc?.ports ?? []).some((p) => p.port === HVP_PORT))
      problems.push(`worker: LNSGD_HVP_ENDPOINT must be tcp://lnsgd-metrics:${HVP_PORT}, a port of Service lnsgd-metrics`);
  } else if (hvpEndpoint !== undefined || metricsEnv?.get('LNSGD_METRICS_SHARPNESS') === 'distributed')
    problems.push('local sharpness: no LNSGD_HVP_ENDPOINT on workers and no LNSGD_METRICS_SHARPNESS=distributed');
  // Services: selectors hit their pods, target ports exist, headless where DNS names are used.
  const services = objects.filter((o) => o.kind === 'Service');
  for (const s of services) {
    const spec = s['spec'] as { selector: Record<string, string>; ports: { name: string; port: number; targetPort?: string | number }[]; clusterIP?: string };
    const pods = [...templates.entries()].filter(([, t]) => selects({ matchLabels: spec.selector }, t.metadata.labels));
    if (pods.length !== 1) problems.push(`Service ${s.metadata.name}: selects ${pods.length} workloads, expected 1`);
    for (const [app, t] of pods) {
      const cPorts = t.spec.containers[0]?.ports ?? [];
      for (const p of spec.ports)
        if (!cPorts.some((cp) => cp.name === p.targetPort || cp.containerPort === p.targetPort))
          problems.push(`Service ${s.metadata.name}: targetPort ${String(p.targetPort)} is not a port of ${app}`);
    }
  }
  const headless = (n: string): boolean => (services.find((s) => s.metadata.name === n)?.['spec'] as { clusterIP?: string } | undefined)?.clusterIP === 'None';
  if (ps === undefined || !headless(ps.serviceName) || ps.serviceName !== 'lnsgd-ps')
    problems.push('StatefulSet lnsgd-ps: serviceName must be the headless Service lnsgd-ps (the endpoints use its DNS names)');
  const sub = templates.get('worker')?.spec.subdomain;
  if (sub === undefined || !headless(sub)) problems.push('Job lnsgd-worker: subdomain must name a headless Service (stable worker addresses)');
  // PDBs.
  for (const [pdb, app, n] of [
    ['lnsgd-ps', 'parameter-server', expect.shards],
    ['lnsgd-worker', 'worker', expect.workers],
  ] as const) {
    const spec = find('PodDisruptionBudget', pdb)?.['spec'] as { minAvailable?: number; selector: Selector } | undefined;
    const t = templates.get(app);
    if (spec === undefined || t === undefined || spec.minAvailable !== n || !selects(spec.selector, t.metadata.labels))
      problems.push(`PodDisruptionBudget ${pdb}: must select ${app} pods with minAvailable ${n}`);
  }
  // A finished PS shard kept up by LNSGD_STAY_AFTER_RUN turns not ready; only AlwaysAllow lets a drain evict it.
  const psPdb = find('PodDisruptionBudget', 'lnsgd-ps')?.['spec'] as { unhealthyPodEvictionPolicy?: string } | undefined;
  if (psPdb !== undefined && psPdb.unhealthyPodEvictionPolicy !== 'AlwaysAllow') {
    problems.push(
      'PodDisruptionBudget lnsgd-ps: unhealthyPodEvictionPolicy must be AlwaysAllow (a finished shard is not ready; otherwise it blocks node drains)',
    );
  }
  // NetworkPolicies: who reaches the PS port and /metrics.
  const policies = objects
    .filter((o) => o.kind === 'NetworkPolicy')
    .map(
      (o) =>
        o['spec'] as {
          podSelector: Selector;
          ingress?: { from?: { podSelector?: Selector; namespaceSelector?: Selector }[]; ports?: { port: number | string }[] }[];
        },
    );
  const admits = (target: AppName, port: number, from: { ns: string; labels: Record<string, string> }): boolean =>
    policies.some(
      (p) =>
        selects(p.podSelector, templates.get(target)?.metadata.labels ?? {}) &&
        (p.ingress ?? []).some(
          (r) =>
            (r.ports ?? []).some((q) => q.port === port) &&
            (r.from ?? []).some(
              (f) =>
                (f.namespaceSelector === undefined ? from.ns === 'self' : selects(f.namespaceSelector, { 'kubernetes.io/metadata.name': from.ns })) &&
                (f.podSelector === undefined || selects(f.podSelector, from.labels)),
            ),
        ),
    );
  const isolated = (target: AppName): boolean => policies.some((p) => selects(p.podSelector, templates.get(target)?.metadata.labels ?? {}));
  const prometheus = { ns: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };
  for (const app of Object.keys(WORKLOADS) as AppName[]) {
    if (!isolated(app)) problems.push(`NetworkPolicy: no policy isolates ${app} pods`);
    if (!admits(app, METRICS_PORT, prometheus)) problems.push(`NetworkPolicy: Prometheus cannot reach ${app}'s /metrics (port ${METRICS_PORT})`);
  }
  if (hvpEndpoint !== undefined && !admits('metrics', HVP_PORT, { ns: 'self', labels: templates.get('worker')?.metadata.labels ?? {} }))
    problems.push(`NetworkPolicy: workers cannot reach the metrics service's round host (port ${HVP_PORT})`);
  for (const app of Object.keys(WORKLOADS) as AppName[]) {
    const should = app !== 'parameter-server';
    const does = admits('parameter-server', PS_PORT, { ns: 'self', labels: templates.get(app)?.metadata.labels ?? {} });
    if (should !== does) problems.push(`NetworkPolicy: ${app} pods ${does ? 'reach' : 'do not reach'} the PS port ${PS_PORT}; expected the opposite`);
  }
  if (admits('parameter-server', PS_PORT, { ns: 'self', labels: { 'app.kubernetes.io/name': 'other' } }))
    problems.push('NetworkPolicy: an unrelated pod reaches the PS port');
  if (admits('parameter-server', PS_PORT, prometheus)) problems.push('NetworkPolicy: Prometheus reaches the PS port');
  // Prometheus Operator: which targets are scraped, on a port that exists.
  const sm = objects.filter((o) => o.kind === 'ServiceMonitor');
  const scrapedServices = services
    .filter((s) => sm.some((m) => selects((m['spec'] as { selector: Selector }).selector, s.metadata.labels ?? {})))
    .map((s) => s.metadata.name)
    .sort();
  if (scrapedServices.join(',') !== 'lnsgd-metrics,lnsgd-ps')
    problems.push(`ServiceMonitor: scrapes Services [${scrapedServices.join(', ')}], expected lnsgd-metrics and lnsgd-ps`);
  for (const m of sm)
    for (const e of (m['spec'] as { endpoints: { port: string }[] }).endpoints)
      for (const s of services.filter((x) => scrapedServices.includes(x.metadata.name)))
        if (!(s['spec'] as { ports: { name: string }[] }).ports.some((p) => p.name === e.port))
          problems.push(`ServiceMonitor ${m.metadata.name}: Service ${s.metadata.name} has no port ${e.port}`);
  const pm = objects.filter((o) => o.kind === 'PodMonitor');
  const workerT = templates.get('worker');
  const podScraped = pm.filter((m) => workerT !== undefined && selects((m['spec'] as { selector: Selector }).selector, workerT.metadata.labels));
  if (
    podScraped.length !== 1 ||
    !(podScraped[0]?.['spec'] as { podMetricsEndpoints: { port: string }[] }).podMetricsEndpoints.every((e) =>
      workerT?.spec.containers[0]?.ports?.some((p) => p.name === e.port),
    )
  )
    problems.push('PodMonitor: must scrape the worker pods on their metrics port');
  for (const m of [...sm, ...pm, ...objects.filter((o) => o.kind === 'PrometheusRule')])
    if (m.metadata.labels?.['release'] === undefined) problems.push(`${m.kind}/${m.metadata.name}: needs the release label the operator selects on`);
  if (!configMaps.some((c) => c.metadata.labels?.['grafana_dashboard'] === '1'))
    problems.push('no ConfigMap labelled grafana_dashboard: "1" for the Grafana sidecar');
  return problems;
}
