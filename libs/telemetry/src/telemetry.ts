import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import {
  MAX_TOP_K,
  METRICS,
  REJECT_REASONS,
  ROLES,
  type CounterKey,
  type GaugeKey,
  type HistogramKey,
  type MetricKey,
  type MetricSpec,
  type RejectReason,
  type Role,
} from './metric_table';

/** prom-client default metrics that break the naming contract (gauges ending in `_total`). */
const NON_CONFORMING_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** Who exports: becomes the identity labels of every series. */
export interface TelemetryIdentity {
  /** Run id (one value per run, e.g. `uv-toy-20250101-120000`). */
  readonly run: string;
  readonly role: Role;
  /** Worker rank (role `worker` only). */
  readonly rank?: number;
  /** Parameter-server shard (role `ps` only). */
  readonly shard?: number;
}

/**
 * Current values of the gauges and counters, keyed like {@link METRICS}. Counters are
 * running totals since the process started (plain numbers the app already keeps);
 * an absent gauge exports no series.
 */
export type MetricValues = { -readonly [K in Exclude<GaugeKey | CounterKey, 'rejectedMessages' | 'hessianEigenvalues' | 'pushDelay'>]?: number } & {
  /** Per worker rank, the push delay in seconds (undefined: no push from that rank yet, no series). */
  pushDelay?: readonly (number | undefined)[];
  /** Refused messages so far, per reason (absent reasons read as 0). */
  rejectedMessages?: Partial<Record<RejectReason, number>>;
  /** The top-k eigenvalues, largest first (at most {@link MAX_TOP_K} are exported). */
  hessianEigenvalues?: readonly number[];
};

/** A role's metrics on an injected registry; values are read at scrape time. */
export interface Telemetry {
  readonly registry: Registry;
  readonly identity: TelemetryIdentity;
  /** Metric keys this role exports. */
  readonly keys: ReadonlySet<MetricKey>;
  /** Merges values into the cache the next scrape reads (never triggers work). */
  update(values: MetricValues): void;
  /** Adds to a counter's cached total. */
  add(key: Exclude<CounterKey, 'rejectedMessages'>, amount: number): void;
  /** Adds one refused message of `reason`. */
  reject(reason: RejectReason): void;
  /** Records one observation of a histogram, in its base unit. */
  observe(key: HistogramKey, value: number): void;
  /**
   * Registers a reader called at scrape time; its values override the cache. Use it
   * to expose an app's plain stats object without copying on the hot path.
   */
  addSource(read: () => MetricValues): void;
}

/** Options of {@link createTelemetry}. */
export interface TelemetryOptions {
  /** Injected registry (never the global one in libraries and tests). */
  readonly registry: Registry;
  readonly identity: TelemetryIdentity;
  /** Register prom-client's default process metrics with the identity labels (default true). */
  readonly defaultMetrics?: boolean;
}

/**
 * Registers the metrics of {@link METRICS} that `identity.role` exports on
 * `registry`, labelled with the identity (run, role, rank|shard). Gauges and
 * counters read the cache and the sources in their `collect()`, so a scrape costs
 * a few object reads and never runs an estimator.
 *
 * @param opts the registry, the identity and whether to add default process metrics.
 * @throws Error naming the identity field that is missing or not allowed for the role.
 * @example const t = createTelemetry({registry: new Registry(), identity: {run: 'r1', role: 'metrics'}}); t.update({hessianTrace: 2.1});
 */
export function createTelemetry(opts: TelemetryOptions): Telemetry {
  const { registry, identity } = opts;
  const labels = identityLabels(identity);
  const labelNames = Object.keys(labels);
  const cache: MetricValues = {};
  const sources: Array<() => MetricValues> = [];
  // One merge of the cache and the sources per scrape, not one per metric: prom-client
  // calls every metric's collect() in the same synchronous pass, and the merged copies
  // (one per gauge and counter, ~25 in the PS) lived long enough to be promoted, so at a
  // scrape every 250 steps they were most of the PS's old-space growth (the soak's RSS,
  // 0.7% unscraped vs 3.7% scraped). The microtask drops the merge after that pass, so a
  // later scrape, or a collect() outside one, never reads stale values.
  let merged: MetricValues | undefined;
  const current = (): MetricValues => {
    if (sources.length === 0) return cache;
    if (merged === undefined) {
      const m: MetricValues = { ...cache };
      for (const read of sources) Object.assign(m, read());
      merged = m;
      queueMicrotask(() => (merged = undefined));
    }
    return merged;
  };

  const keys = new Set<MetricKey>();
  const histograms = new Map<HistogramKey, Histogram>();
  for (const key of Object.keys(METRICS) as MetricKey[]) {
    const spec: MetricSpec = METRICS[key];
    if (!spec.roles.includes(identity.role)) continue;
    keys.add(key);
    const common = { name: spec.name, help: spec.help, labelNames: [...labelNames, ...spec.labels], registers: [registry] };
    switch (spec.type) {
      case 'histogram': {
        const h = new Histogram({ ...common, buckets: [...(spec.buckets ?? [])] });
        h.zero(labels);
        histograms.set(key as HistogramKey, h);
        break;
      }
      case 'gauge':
        new Gauge({
          ...common,
          collect(this: Gauge) {
            collectGauge({ gauge: this, key: key as GaugeKey, labels, values: current() });
          },
        });
        break;
      case 'counter':
        new Counter({
          ...common,
          collect(this: Counter) {
            collectCounter({ counter: this, key: key as CounterKey, labels, values: current() });
          },
        });
        break;
    }
  }
  if (opts.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry, labels });
    // prom-client exports these three as gauges named `_total`, which `promtool check
    // metrics` rejects; the per-type gauges without the suffix carry the same counts.
    for (const name of NON_CONFORMING_DEFAULT_METRICS) registry.removeSingleMetric(name);
  }

  const requireKey = (fn: string, key: MetricKey): void => {
    if (!keys.has(key)) throw new Error(`telemetry.${fn}: metric '${key}' (${METRICS[key].name}) is not exported by role '${identity.role}'`);
  };
  return {
    registry,
    identity,
    keys,
    update(values) {
      Object.assign(cache, values);
    },
    add(key, amount) {
      requireKey('add', key);
      if (!(amount >= 0)) throw new RangeError(`telemetry.add: amount for '${key}' must be ≥ 0, got ${amount}`);
      cache[key] = (cache[key] ?? 0) + amount;
    },
    reject(reason) {
      requireKey('reject', 'rejectedMessages');
      const r = (cache.rejectedMessages ??= {});
      r[reason] = (r[reason] ?? 0) + 1;
    },
    observe(key, value) {
      const h = histograms.get(key);
      if (h === undefined) return requireKey('observe', key);
      h.observe(labels, value);
    },
    addSource(read) {
      sources.push(read);
    },
  };
}

/** The identity as label values; checks rank/shard against the role. */
function identityLabels(identity: TelemetryIdentity): Record<string, string> {
  const fn = 'createTelemetry';
  if (!ROLES.includes(identity.role)) throw new Error(`${fn}: identity.role must be one of ${ROLES.join(', ')}, got '${String(identity.role)}'`);
  if (identity.run.length === 0) throw new Error(`${fn}: identity.run must be a non-empty run id`);
  const out: Record<string, string> = { run: identity.run, role: identity.role };
  const index = (name: 'rank' | 'shard', allowedFor: Role): void => {
    const v = identity[name];
    if (identity.role === allowedFor) {
      if (v === undefined || !Number.isInteger(v) || v < 0)
        throw new Error(`${fn}: role '${allowedFor}' needs identity.${name} as an integer ≥ 0, got ${String(v)}`);
      out[name] = String(v);
    } else if (v !== undefined) {
      throw new Error(`${fn}: identity.${name} is only for role '${allowedFor}', not '${identity.role}'`);
    }
  };
  index('rank', 'worker');
  index('shard', 'ps');
  return out;
}

function collectGauge(args: { gauge: Gauge; key: GaugeKey; labels: Record<string, string>; values: MetricValues }): void {
  const { gauge, key, labels, values } = args;
  gauge.reset();
  if (key === 'hessianEigenvalues') {
    (values.hessianEigenvalues ?? []).slice(0, MAX_TOP_K).forEach((v, i) => gauge.set({ ...labels, index: String(i + 1) }, v));
    return;
  }
  if (key === 'pushDelay') {
    (values.pushDelay ?? []).forEach((v, rank) => {
      if (v !== undefined) gauge.set({ ...labels, worker: String(rank) }, v);
    });
    return;
  }
  const v = values[key];
  if (v !== undefined) gauge.set(labels, v);
}

function collectCounter(args: { counter: Counter; key: CounterKey; labels: Record<string, string>; values: MetricValues }): void {
  const { counter, key, labels, values } = args;
  counter.reset();
  if (key === 'rejectedMessages') {
    // Every reason from the start, so rate() and the dashboard see zeros rather than gaps.
    for (const reason of REJECT_REASONS) counter.inc({ ...labels, reason }, values.rejectedMessages?.[reason] ?? 0);
    return;
  }
  counter.inc(labels, values[key] ?? 0);
}
