/**
 * V8 flags of the cluster's processes: the local launcher passes them on the command
 * line, the Kubernetes manifests put the same ones on each container, and the bench
 * runs its processes with them. Written once here (no TensorFlow.js import).
 */

/**
 * Node/V8 flags of the workers (and the default for every child): a fixed 16 MiB young
 * generation, atomic mark-compacts and one V8 helper thread keep RSS flat over long runs.
 * On the command line because Node refuses two of them in NODE_OPTIONS. Measurements:
 * docs/distributed.md, "Memory over long runs".
 */
export const CHILD_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16', '--min-semi-space-size=16', '--no-incremental-marking', '--v8-pool-size=1'];

/** The parameter server's flags: 8 MiB semi-spaces, as it allocates least (docs/distributed.md). */
export const PS_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--min-semi-space-size=8', '--no-incremental-marking', '--v8-pool-size=1'];

/** The metrics service's flags: 2 MiB semi-spaces, as it allocates slowly between estimates (docs/distributed.md). */
export const METRICS_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--min-semi-space-size=2', '--no-incremental-marking', '--v8-pool-size=1'];
