/** A manifest object as far as the cross-checks need it. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [key: string]: unknown;
}

/** What a kubernetes-models class gives us: its upstream-generated validator, which throws an ajv ValidationError. */
interface Validating {
  readonly prototype: { validate(this: unknown): void };
}

/** The ajv errors carried by kubernetes-models' ValidationError (messages already in English). */
interface AjvErrorLike {
  readonly instancePath: string;
  readonly message?: string;
}

/**
 * The model class of each apiVersion/kind the manifests may contain. kubernetes-models is
 * ESM-only and this package is CommonJS, hence the dynamic imports, loaded once.
 */
async function loadModels(): Promise<Readonly<Record<string, Validating>>> {
  const [
    { Namespace },
    { ConfigMap },
    { Secret },
    { Service },
    { StatefulSet },
    { Deployment },
    { Job },
    { PodDisruptionBudget },
    { NetworkPolicy },
    { ServiceMonitor },
    { PodMonitor },
    { PrometheusRule },
  ] = await Promise.all([
    import('kubernetes-models/v1/Namespace'),
    import('kubernetes-models/v1/ConfigMap'),
    import('kubernetes-models/v1/Secret'),
    import('kubernetes-models/v1/Service'),
    import('kubernetes-models/apps/v1/StatefulSet'),
    import('kubernetes-models/apps/v1/Deployment'),
    import('kubernetes-models/batch/v1/Job'),
    import('kubernetes-models/policy/v1/PodDisruptionBudget'),
    import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy'),
    import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'),
    import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor'),
    import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule'),
  ]);
  const models: Record<string, Validating> = {};
  for (const m of [
    Namespace,
    ConfigMap,
    Secret,
    Service,
    StatefulSet,
    Deployment,
    Job,
    PodDisruptionBudget,
    NetworkPolicy,
    ServiceMonitor,
    PodMonitor,
    PrometheusRule,
  ]) {
    models[`${m.apiVersion}/${m.kind}`] = m;
  }
  return models;
}

let models: Promise<Readonly<Record<string, Validating>>> | undefined;

/**
 * Validates objects with the validators kubernetes-models and @kubernetes-models/prometheus-operator
 * generate from the upstream OpenAPI schemas and CRDs (types, required fields, enums, formats),
 * plus unknown fields, which those schemas allow but `kubectl apply --validate=strict` refuses.
 *
 * @returns the problems, each naming kind/name and the field path (empty: all valid).
 * @example await validateObjects([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { prots: [] } }]) // ['Service/x: /spec/prots: unknown field']
 */
export async function validateObjects(objects: readonly K8sObject[]): Promise<string[]> {
  models ??= loadModels();
  const byKind = await models;
  return objects.flatMap((obj) => {
    const id = `${obj.kind}/${obj.metadata.name}`;
    const model = byKind[`${obj.apiVersion}/${obj.kind}`];
    if (model === undefined) return [`${id}: no validator for ${obj.apiVersion} ${obj.kind}`];
    const { value, readKeys } = recordReads(obj);
    let problems: string[] = [];
    try {
      model.prototype.validate.call(value);
    } catch (err: unknown) {
      const errors = (err as { errors?: readonly AjvErrorLike[] }).errors;
      problems = errors === undefined ? [String(err)] : errors.map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
    }
    problems.push(...unknownFields(obj, readKeys).map((p) => `${p}: unknown field`));
    return problems.map((p) => `${id}: ${p}`);
  });
}

/**
 * Wraps an object so that every property the validator looks at is recorded, per JSON
 * pointer. The generated validators read exactly the properties their schema declares and
 * enumerate the keys of maps (labels, data), so a key never read is one the schema lacks.
 */
function recordReads(root: object): { value: object; readKeys: Map<string, Set<string> | 'all'> } {
  const readKeys = new Map<string, Set<string> | 'all'>();
  const wrap = (v: unknown, path: string): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    // ajv reads a property several times (presence check, then validation): one record per path.
    if (!readKeys.has(path)) readKeys.set(path, new Set<string>());
    const mark = (k: string | symbol): void => {
      const s = readKeys.get(path);
      if (typeof k === 'string' && s !== 'all') s?.add(k);
    };
    return new Proxy(v, {
      get(t, k, r) {
        mark(k);
        const x: unknown = Reflect.get(t, k, r);
        return typeof k === 'string' ? wrap(x, `${path}/${k}`) : x;
      },
      has(t, k) {
        mark(k);
        return Reflect.has(t, k);
      },
      ownKeys(t) {
        readKeys.set(path, 'all');
        return Reflect.ownKeys(t);
      },
    });
  };
  return { value: wrap(root, '') as object, readKeys };
}

/** JSON pointers of the keys present in `root` that the validator never read. */
function unknownFields(root: unknown, readKeys: ReadonlyMap<string, Set<string> | 'all'>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v !== 'object' || v === null) return;
    const seen = readKeys.get(path);
    for (const [k, x] of Object.entries(v)) {
      if (seen !== 'all' && seen?.has(k) !== true) out.push(`${path}/${k}`);
      else walk(x, `${path}/${k}`);
    }
  };
  walk(root, '');
  return out;
}
