import { resolveRunConfig, RUN_FILE_KEYS, type Hyper } from '@lnsgd/trainer';

/** What one Kubernetes run looks like: the shape, the run file and where it goes. */
export interface OverlaySpec {
  /** Run id: the namespace-safe `run` label of every metric, e.g. 'mlp-b4096-lr0.1'. */
  readonly runId: string;
  readonly preset: string;
  /** Hyper-parameters that differ from the preset's (they go into run.json). */
  readonly hyper: Partial<Hyper>;
  /** Workers N (the Indexed Job's parallelism and completions). */
  readonly workers: number;
  /** Parameter-server shards S (the StatefulSet's replicas). */
  readonly shards: number;
  /** GPU workers: the lnsgd:gpu image, tensorflow-gpu and nvidia.com/gpu: 1 each. */
  readonly gpu: boolean;
  /**
   * Where the metrics service's Hessian-vector products run (default: distributed with
   * GPU workers, so the metrics pod needs no GPU; local otherwise).
   */
  readonly sharpness?: 'local' | 'distributed';
  /** Mount the CURVE Secret `lnsgd-curve` (made beforehand, see deploy/k8s/curve-secret.template.yaml). */
  readonly curve: boolean;
  /** Namespace of the run (default: the run id). */
  readonly namespace?: string;
  /** Path of deploy/k8s/base relative to the overlay directory. */
  readonly basePath: string;
  /** Image repository replacing `lnsgd` (tags cpu/gpu are kept), e.g. 'ghcr.io/acme/lnsgd'. */
  readonly image?: string;
}

/** Port of the parameter-server's ZeroMQ ROUTER in every pod (LNSGD_BIND). */
export const PS_PORT = 7000;
/** Port of /metrics, /healthz and /readyz in every pod (LNSGD_METRICS_PORT). */
export const METRICS_PORT = 9100;

/** LNSGD_HEARTBEAT_TIMEOUT_MS of the base StatefulSet (deploy/k8s/base/ps-statefulset.yaml). */
const BASE_HEARTBEAT_TIMEOUT_MS = '60000';

/** Port of the metrics service's estimation-round host (distributed sharpness; Service lnsgd-metrics, port `hvp`). */
export const HVP_PORT = 7100;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The parameter-server endpoints workers and the metrics service dial: the stable DNS
 * names of the StatefulSet's pods behind the headless Service `lnsgd-ps`.
 *
 * @param shards S.
 * @example psEndpoints(2) // 'tcp://lnsgd-ps-0.lnsgd-ps:7000,tcp://lnsgd-ps-1.lnsgd-ps:7000'
 */
export function psEndpoints(shards: number): string {
  return Array.from({ length: shards }, (_, s) => `tcp://lnsgd-ps-${s}.lnsgd-ps:${PS_PORT}`).join(',');
}

/**
 * Checks a spec: the run resolves (preset and hyper-parameters valid), N and S in
 * range, the namespace a DNS label.
 *
 * @throws Error listing every problem.
 */
export function validateOverlaySpec(spec: OverlaySpec): void {
  const problems: string[] = [];
  try {
    resolveRunConfig(spec.preset, spec.hyper);
  } catch (err: unknown) {
    problems.push(err instanceof Error ? err.message : String(err));
  }
  if (!Number.isInteger(spec.workers) || spec.workers < 1 || spec.workers > 4096) problems.push(`workers = ${spec.workers}: must be an integer in [1, 4096]`);
  if (!Number.isInteger(spec.shards) || spec.shards < 1 || spec.shards > 1024) problems.push(`shards = ${spec.shards}: must be an integer in [1, 1024]`);
  if (!DNS_LABEL.test(spec.runId)) problems.push(`run = '${spec.runId}': must be a DNS label (a–z 0–9 -, at most 63, e.g. mlp-b4096)`);
  const ns = spec.namespace ?? spec.runId;
  if (!DNS_LABEL.test(ns)) problems.push(`namespace = '${ns}': must be a DNS label`);
  if (problems.length > 0) throw new Error(`k8s render: invalid run:\n  - ${problems.join('\n  - ')}`);
}

/** Minimal YAML for plain data (objects, arrays, strings, numbers, booleans). */
function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    return value.map((v) => `\n${indent}- ${toYaml(v, `${indent}  `).replace(/^\n\s*/, '')}`).join('');
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return ' {}';
    return entries
      .map(([k, v]) => {
        const inner = toYaml(v, `${indent}  `);
        return `\n${indent}${k}:${inner.startsWith('\n') || inner.startsWith(' ') ? inner : ` ${inner}`}`;
      })
      .join('');
  }
  if (typeof value === 'string')
    return /^[A-Za-z0-9_./:=,-]+$/.test(value) && !/^(true|false|null|yes|no|on|off|[-+.0-9][-+.0-9eE]*)$/i.test(value) ? value : JSON.stringify(value);
  return String(value);
}

function yamlDoc(header: string, value: unknown): string {
  return `${header}${toYaml(value).replace(/^\n/, '')}\n`;
}

const labels = (component: string): Record<string, string> => ({ 'app.kubernetes.io/name': 'lnsgd', 'app.kubernetes.io/component': component });

function shapePatch(spec: OverlaySpec): string {
  const docs = [
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'lnsgd-ps' }, spec: { replicas: spec.shards } },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'lnsgd-worker' }, spec: { completions: spec.workers, parallelism: spec.workers } },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'lnsgd-ps' }, spec: { minAvailable: spec.shards } },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'lnsgd-worker' }, spec: { minAvailable: spec.workers } },
  ];
  return `# The run's shape: S = ${spec.shards} shards, N = ${spec.workers} workers.\n${docs.map((d) => yamlDoc('', d)).join('---\n')}`;
}

function gpuPatch(): string {
  const worker = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'lnsgd-worker' },
    spec: {
      template: {
        spec: {
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [
            {
              name: 'worker',
              image: 'lnsgd:gpu',
              env: [{ name: 'LNSGD_BACKEND', value: 'tensorflow-gpu' }],
              resources: { requests: { cpu: '4', memory: '16Gi' }, limits: { memory: '32Gi', 'nvidia.com/gpu': 1 } },
            },
          ],
        },
      },
    },
  };
  return yamlDoc('# GPU workers: one nvidia.com/gpu each (in limits), the GPU image and backend.\n', worker);
}

/** CURVE key files as the Secret `lnsgd-curve` holds them, projected per role. */
function curvePatch(): string {
  const mount = { name: 'curve', mountPath: '/etc/lnsgd/curve', readOnly: true };
  const file = (f: string): string => `/etc/lnsgd/curve/${f}`;
  const secret = (items: string[]): unknown => ({
    name: 'curve',
    secret: { secretName: 'lnsgd-curve', defaultMode: 0o440 /* r--r----- with the pods' fsGroup 10001 */, items: items.map((k) => ({ key: k, path: k })) },
  });
  const clientEnv = [
    { name: 'LNSGD_CURVE_PUBLIC_KEY', value: file('client-public') },
    { name: 'LNSGD_CURVE_SECRET_KEY', value: file('client-secret') },
    { name: 'LNSGD_CURVE_SERVER_KEY', value: file('server-public') },
  ];
  const clientVolume = secret(['client-public', 'client-secret', 'server-public']);
  const docs = [
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'lnsgd-ps' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'parameter-server',
                env: [
                  { name: 'LNSGD_CURVE_PUBLIC_KEY', value: file('server-public') },
                  { name: 'LNSGD_CURVE_SECRET_KEY', value: file('server-secret') },
                  { name: 'LNSGD_CURVE_ALLOWED_CLIENTS', value: file('client-public') },
                ],
                volumeMounts: [mount],
              },
            ],
            volumes: [secret(['server-public', 'server-secret', 'client-public'])],
          },
        },
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'lnsgd-worker' },
      spec: { template: { spec: { containers: [{ name: 'worker', env: clientEnv, volumeMounts: [mount] }], volumes: [clientVolume] } } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'lnsgd-metrics' },
      spec: { template: { spec: { containers: [{ name: 'metrics', env: clientEnv, volumeMounts: [mount] }], volumes: [clientVolume] } } },
    },
  ];
  return `# CURVE: the Secret lnsgd-curve (deploy/k8s/curve-secret.template.yaml) mounted read-only, each role seeing only its keys.\n${docs.map((d) => yamlDoc('', d)).join('---\n')}`;
}

/** Distributed sharpness: the metrics service hosts estimation rounds, every worker answers them. */
function sharpnessPatch(spec: OverlaySpec): string {
  const env = (name: string, value: string): { name: string; value: string } => ({ name, value });
  const docs = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'lnsgd-metrics' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'metrics',
                env: [
                  env('LNSGD_METRICS_SHARPNESS', 'distributed'),
                  env('LNSGD_METRICS_HVP_BIND', `tcp://0.0.0.0:${HVP_PORT}`),
                  env('LNSGD_METRICS_HVP_WORKERS', String(spec.workers)),
                  // A worker silent in a round is lost as in a step (the cross-check holds it to the PS's).
                  env('LNSGD_HEARTBEAT_TIMEOUT_MS', BASE_HEARTBEAT_TIMEOUT_MS),
                ],
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'lnsgd-worker' },
      spec: { template: { spec: { containers: [{ name: 'worker', env: [env('LNSGD_HVP_ENDPOINT', `tcp://lnsgd-metrics:${HVP_PORT}`)] }] } } },
    },
  ];
  return `# Distributed sharpness: the metrics service runs Lanczos and SLQ, the ${spec.workers} workers compute the Hessian-vector products.\n${docs.map((d) => yamlDoc('', d)).join('---\n')}`;
}

/** The sharpness mode a spec renders: distributed by default with GPU workers. */
export function overlaySharpness(spec: OverlaySpec): 'local' | 'distributed' {
  return spec.sharpness ?? (spec.gpu ? 'distributed' : 'local');
}

/**
 * Renders a kustomize overlay for one run: `kubectl apply -k <dir>` starts it. The
 * files use current kustomize fields (`resources`, `patches`; kubectl >= 1.27).
 *
 * @param spec the run.
 * @returns file name → contents (kustomization.yaml, run.json, namespace.yaml, patches).
 * @throws Error listing every problem of the spec.
 * @example renderOverlay({ runId: 'uv', preset: 'uv-toy', hyper: {}, workers: 2, shards: 1, gpu: false, curve: false, basePath: '../../base' })['run.json']
 */
export function renderOverlay(spec: OverlaySpec): Readonly<Record<string, string>> {
  validateOverlaySpec(spec);
  const namespace = spec.namespace ?? spec.runId;
  const runFile: Record<string, unknown> = { preset: spec.preset };
  for (const k of RUN_FILE_KEYS) {
    const v = (spec.hyper as Record<string, unknown>)[k];
    if (k !== 'preset' && v !== undefined) runFile[k] = v;
  }
  const distributed = overlaySharpness(spec) === 'distributed';
  const patches = ['shape.yaml', ...(spec.gpu ? ['gpu.yaml'] : []), ...(distributed ? ['sharpness.yaml'] : []), ...(spec.curve ? ['curve.yaml'] : [])];
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace,
    resources: [spec.basePath, 'namespace.yaml'],
    ...(spec.image !== undefined ? { images: [{ name: 'lnsgd', newName: spec.image }] } : {}),
    configMapGenerator: [
      { name: 'lnsgd-run-config', behavior: 'replace', files: ['run.json'] },
      {
        name: 'lnsgd-run',
        behavior: 'replace',
        literals: [`run=${spec.runId}`, `workers=${spec.workers}`, `shards=${spec.shards}`, `ps-endpoints=${psEndpoints(spec.shards)}`],
      },
    ],
    patches: patches.map((path) => ({ path })),
  };
  const files: Record<string, string> = {
    'kustomization.yaml': yamlDoc(
      `# Run ${spec.runId}: ${spec.preset}, N = ${spec.workers} workers, S = ${spec.shards} shards${spec.gpu ? ', GPU' : ''}.\n# Rendered by \`lnsgd k8s render\`; start it with \`kubectl apply -k <this directory>\`.\n`,
      kustomization,
    ),
    'run.json': `${JSON.stringify(runFile, null, 2)}\n`,
    'namespace.yaml': yamlDoc('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'app.kubernetes.io/part-of': 'lnsgd' } } }),
    'shape.yaml': shapePatch(spec),
  };
  if (spec.gpu) files['gpu.yaml'] = gpuPatch();
  if (distributed) files['sharpness.yaml'] = sharpnessPatch(spec);
  if (spec.curve) files['curve.yaml'] = curvePatch();
  return files;
}

/** The two overlays kept in deploy/k8s/overlays, rendered from here (a test keeps them equal). */
export const COMMITTED_OVERLAYS: Readonly<Record<string, OverlaySpec>> = {
  'cpu-local': {
    runId: 'uv-toy-cpu-local',
    namespace: 'lnsgd',
    preset: 'uv-toy',
    hyper: { steps: 200 },
    workers: 2,
    shards: 1,
    gpu: false,
    curve: false,
    basePath: '../../base',
  },
  gpu: {
    runId: 'mlp-fashion-gpu',
    namespace: 'lnsgd',
    preset: 'mlp-fashion',
    hyper: {},
    workers: 8,
    shards: 2,
    gpu: true,
    curve: true,
    basePath: '../../base',
  },
};

/** Pod label selector of each component, as the base's objects use it. */
export const COMPONENT_LABELS = { ps: labels('parameter-server'), worker: labels('worker'), metrics: labels('metrics') } as const;
