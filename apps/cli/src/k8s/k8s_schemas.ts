import { z } from 'zod';

// Strict schemas of the Kubernetes (1.27+) and Prometheus Operator (monitoring.coreos.com/v1)
// fields the manifests use: an unknown or misspelt field, a wrong type or a bad quantity
// fails. They follow the upstream OpenAPI (core/v1, apps/v1, batch/v1, policy/v1,
// networking.k8s.io/v1) and the operator's CRDs, restricted to what deploy/k8s writes.

const name = z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a DNS subdomain name');
const labelMap = z.record(z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/), z.string().max(63));
const quantity = z.union([z.number().nonnegative(), z.string().regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$/, 'must be a Kubernetes quantity')]);
const intOrName = z.union([z.number().int().min(1).max(65535), z.string().regex(/^[a-z0-9-]{1,15}$/)]);
const metadata = z.strictObject({ name, namespace: name.optional(), labels: labelMap.optional(), annotations: z.record(z.string(), z.string()).optional() });
const selector = z.strictObject({
  matchLabels: labelMap.optional(),
  matchExpressions: z.array(z.strictObject({ key: z.string(), operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: z.array(z.string()).optional() })).optional(),
});
const envVar = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  value: z.string().optional(),
  valueFrom: z
    .strictObject({
      fieldRef: z.strictObject({ fieldPath: z.string(), apiVersion: z.string().optional() }).optional(),
      configMapKeyRef: z.strictObject({ name, key: z.string(), optional: z.boolean().optional() }).optional(),
      secretKeyRef: z.strictObject({ name, key: z.string(), optional: z.boolean().optional() }).optional(),
    })
    .optional(),
});
const probe = z.strictObject({
  httpGet: z.strictObject({ path: z.string().startsWith('/'), port: intOrName, scheme: z.enum(['HTTP', 'HTTPS']).optional() }),
  periodSeconds: z.number().int().min(1).optional(),
  failureThreshold: z.number().int().min(1).optional(),
  initialDelaySeconds: z.number().int().min(0).optional(),
  timeoutSeconds: z.number().int().min(1).optional(),
});
const resources = z.strictObject({ requests: z.record(z.string(), quantity).optional(), limits: z.record(z.string(), quantity).optional() });
const container = z.strictObject({
  name,
  image: z.string().min(1),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  ports: z.array(z.strictObject({ name: z.string().regex(/^[a-z0-9-]{1,15}$/).optional(), containerPort: z.number().int().min(1).max(65535), protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional() })).optional(),
  env: z.array(envVar).optional(),
  resources: resources.optional(),
  readinessProbe: probe.optional(),
  livenessProbe: probe.optional(),
  startupProbe: probe.optional(),
  securityContext: z
    .strictObject({ allowPrivilegeEscalation: z.boolean().optional(), readOnlyRootFilesystem: z.boolean().optional(), runAsNonRoot: z.boolean().optional(), capabilities: z.strictObject({ drop: z.array(z.string()).optional(), add: z.array(z.string()).optional() }).optional() })
    .optional(),
  volumeMounts: z.array(z.strictObject({ name, mountPath: z.string().startsWith('/'), readOnly: z.boolean().optional(), subPath: z.string().optional() })).optional(),
});
const keyItems = z.array(z.strictObject({ key: z.string(), path: z.string() })).optional();
const volume = z.strictObject({
  name,
  configMap: z.strictObject({ name, items: keyItems, defaultMode: z.number().int().min(0).max(0o777).optional() }).optional(),
  secret: z.strictObject({ secretName: name, items: keyItems, defaultMode: z.number().int().min(0).max(0o777).optional(), optional: z.boolean().optional() }).optional(),
  emptyDir: z.strictObject({ medium: z.string().optional(), sizeLimit: quantity.optional() }).optional(),
});
const podSpec = z.strictObject({
  containers: z.array(container).min(1),
  volumes: z.array(volume).optional(),
  restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).optional(),
  subdomain: name.optional(),
  hostname: name.optional(),
  automountServiceAccountToken: z.boolean().optional(),
  serviceAccountName: name.optional(),
  nodeSelector: labelMap.optional(),
  tolerations: z.array(z.strictObject({ key: z.string().optional(), operator: z.enum(['Exists', 'Equal']).optional(), value: z.string().optional(), effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional() })).optional(),
  securityContext: z
    .strictObject({ runAsNonRoot: z.boolean().optional(), runAsUser: z.number().int().optional(), runAsGroup: z.number().int().optional(), fsGroup: z.number().int().optional(), seccompProfile: z.strictObject({ type: z.enum(['RuntimeDefault', 'Localhost', 'Unconfined']) }).optional() })
    .optional(),
});
const podTemplate = z.strictObject({ metadata: z.strictObject({ labels: labelMap, annotations: z.record(z.string(), z.string()).optional() }), spec: podSpec });
const servicePort = z.strictObject({ name: z.string().regex(/^[a-z0-9-]{1,15}$/), port: z.number().int().min(1).max(65535), targetPort: intOrName.optional(), protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional() });
const npPeer = z.strictObject({ podSelector: selector.optional(), namespaceSelector: selector.optional() });
const scrapeEndpoint = z.strictObject({ port: z.string(), path: z.string().startsWith('/').optional(), interval: z.string().regex(/^[0-9]+(ms|s|m|h)$/).optional(), scheme: z.enum(['http', 'https']).optional() });
const rule = z.union([
  z.strictObject({ alert: z.string(), expr: z.string(), for: z.string().optional(), labels: z.record(z.string(), z.string()).optional(), annotations: z.record(z.string(), z.string()).optional() }),
  z.strictObject({ record: z.string(), expr: z.string(), labels: z.record(z.string(), z.string()).optional() }),
]);

/** Schema of each apiVersion/kind the manifests may contain. */
export const K8S_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  'v1/Namespace': z.strictObject({ apiVersion: z.literal('v1'), kind: z.literal('Namespace'), metadata }),
  'v1/ConfigMap': z.strictObject({ apiVersion: z.literal('v1'), kind: z.literal('ConfigMap'), metadata, data: z.record(z.string(), z.string()) }),
  'v1/Secret': z.strictObject({ apiVersion: z.literal('v1'), kind: z.literal('Secret'), metadata, type: z.string().optional(), data: z.record(z.string(), z.string()).optional(), stringData: z.record(z.string(), z.string()).optional() }),
  'v1/Service': z.strictObject({
    apiVersion: z.literal('v1'),
    kind: z.literal('Service'),
    metadata,
    spec: z.strictObject({ clusterIP: z.string().optional(), publishNotReadyAddresses: z.boolean().optional(), selector: labelMap, ports: z.array(servicePort).min(1), type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).optional() }),
  }),
  'apps/v1/StatefulSet': z.strictObject({
    apiVersion: z.literal('apps/v1'),
    kind: z.literal('StatefulSet'),
    metadata,
    spec: z.strictObject({ serviceName: name, replicas: z.number().int().min(0), podManagementPolicy: z.enum(['OrderedReady', 'Parallel']).optional(), selector, template: podTemplate }),
  }),
  'apps/v1/Deployment': z.strictObject({ apiVersion: z.literal('apps/v1'), kind: z.literal('Deployment'), metadata, spec: z.strictObject({ replicas: z.number().int().min(0), selector, template: podTemplate }) }),
  'batch/v1/Job': z.strictObject({
    apiVersion: z.literal('batch/v1'),
    kind: z.literal('Job'),
    metadata,
    spec: z.strictObject({
      completionMode: z.enum(['NonIndexed', 'Indexed']),
      completions: z.number().int().min(1),
      parallelism: z.number().int().min(1),
      backoffLimit: z.number().int().min(0).optional(),
      ttlSecondsAfterFinished: z.number().int().min(0).optional(),
      template: podTemplate.refine((t) => t.spec.restartPolicy === 'OnFailure' || t.spec.restartPolicy === 'Never', 'a Job pod needs restartPolicy OnFailure or Never'),
    }),
  }),
  'policy/v1/PodDisruptionBudget': z.strictObject({ apiVersion: z.literal('policy/v1'), kind: z.literal('PodDisruptionBudget'), metadata, spec: z.strictObject({ minAvailable: z.number().int().min(0).optional(), maxUnavailable: z.number().int().min(0).optional(), unhealthyPodEvictionPolicy: z.enum(['IfHealthyBudget', 'AlwaysAllow']).optional(), selector }) }),
  'networking.k8s.io/v1/NetworkPolicy': z.strictObject({
    apiVersion: z.literal('networking.k8s.io/v1'),
    kind: z.literal('NetworkPolicy'),
    metadata,
    spec: z.strictObject({
      podSelector: selector,
      policyTypes: z.array(z.enum(['Ingress', 'Egress'])),
      ingress: z.array(z.strictObject({ from: z.array(npPeer).optional(), ports: z.array(z.strictObject({ port: intOrName, protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional() })).optional() })).optional(),
    }),
  }),
  'monitoring.coreos.com/v1/ServiceMonitor': z.strictObject({
    apiVersion: z.literal('monitoring.coreos.com/v1'),
    kind: z.literal('ServiceMonitor'),
    metadata,
    spec: z.strictObject({ jobLabel: z.string().optional(), selector, namespaceSelector: z.strictObject({ any: z.boolean().optional(), matchNames: z.array(z.string()).optional() }).optional(), endpoints: z.array(scrapeEndpoint).min(1) }),
  }),
  'monitoring.coreos.com/v1/PodMonitor': z.strictObject({
    apiVersion: z.literal('monitoring.coreos.com/v1'),
    kind: z.literal('PodMonitor'),
    metadata,
    spec: z.strictObject({ jobLabel: z.string().optional(), selector, podMetricsEndpoints: z.array(scrapeEndpoint).min(1) }),
  }),
  'monitoring.coreos.com/v1/PrometheusRule': z.strictObject({
    apiVersion: z.literal('monitoring.coreos.com/v1'),
    kind: z.literal('PrometheusRule'),
    metadata,
    spec: z.strictObject({ groups: z.array(z.strictObject({ name: z.string(), interval: z.string().optional(), rules: z.array(rule).min(1) })).min(1) }),
  }),
};

/** A manifest object as far as the cross-checks need it. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [key: string]: unknown;
}

/**
 * Validates one object against the schema of its apiVersion/kind.
 *
 * @returns the problems, each naming kind/name and the field path (empty: valid).
 */
export function validateObject(obj: K8sObject): string[] {
  const id = `${obj.kind}/${obj.metadata.name}`;
  const schema = K8S_SCHEMAS[`${obj.apiVersion}/${obj.kind}`];
  if (schema === undefined) return [`${id}: no schema for ${obj.apiVersion} ${obj.kind}`];
  const r = schema.safeParse(obj);
  return r.success ? [] : r.error.issues.map((i) => `${id}: ${i.path.join('.')}: ${i.message}`);
}
