export {
  METRICS,
  METRIC_SPECS,
  ROLES,
  REJECT_REASONS,
  MAX_TOP_K,
  IDENTITY_LABELS,
  EXTRA_LABELS,
  ALLOWED_LABELS,
  exportedSeriesNames,
  referencedMetricNames,
} from './metric_table';
export type { MetricSpec, MetricType, MetricKey, GaugeKey, CounterKey, HistogramKey, Role, RejectReason, IdentityLabel, ExtraLabel } from './metric_table';
export { createTelemetry } from './telemetry';
export type { Telemetry, TelemetryIdentity, TelemetryOptions, MetricValues } from './telemetry';
export { startMetricsServer } from './metrics_server';
export type { MetricsServer, MetricsServerOptions } from './metrics_server';
export { trainEventSink } from './train_event_sink';
export type { TrainEventLike } from './train_event_sink';
export { parseExposition } from './parse_exposition';
export type { Exposition, ExpositionSample } from './parse_exposition';
export { findExecutable, runPromtool } from './promtool';
export type { PromtoolResult } from './promtool';
// A real Prometheus for end-to-end tests (here and in tests/), started on loopback.
