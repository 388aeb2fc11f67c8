/**
 * V8 flags of the cluster's processes: the local launcher passes them on the command
 * line, the Kubernetes manifests put the same ones on each container, and the bench
 * runs its processes with them. Written once here (no TensorFlow.js import).
 */

import { RELEASE_FRAME_NODE_FLAGS } from '@lnsgd/transport';

/**
 * Node/V8 flags of the workers (and the default for every child): a fixed 16 MiB young
 * generation, atomic mark-compacts and one V8 helper thread keep RSS flat over long runs;
 * RELEASE_FRAME_NODE_FLAGS let the PS and workers free received frames at once.
 * On the command line because Node refuses two of them in NODE_OPTIONS. Measurements:
 * docs/distributed.md, "Memory over long runs".
 */
export const CHILD_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=16',
  '--min-semi-space-size=16',
  '--no-incremental-marking',
  '--v8-pool-size=1',
  ...RELEASE_FRAME_NODE_FLAGS,
];

/** The parameter server's flags: 8 MiB semi-spaces, as it allocates least (docs/distributed.md). */
export const PS_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=8',
  '--min-semi-space-size=8',
  '--no-incremental-marking',
  '--v8-pool-size=1',
  ...RELEASE_FRAME_NODE_FLAGS,
];

/** The metrics service's flags: 2 MiB semi-spaces, as it allocates slowly between estimates (docs/distributed.md). */
export const METRICS_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=2',
  '--min-semi-space-size=2',
  '--no-incremental-marking',
  '--v8-pool-size=1',
  ...RELEASE_FRAME_NODE_FLAGS,
];

/**
 * glibc malloc settings of every cluster process (environment, read when the process
 * starts). ZeroMQ receives each frame into a fresh malloc'd buffer that V8 releases only
 * at a GC; with glibc's defaults the freed megabytes go back to the kernel and are
 * faulted in again on the next receive: about 200 page faults and 3 ms of CPU per 4 MB
 * round trip here. A fixed 64 MiB mmap threshold, a 1 GiB trim threshold and two arenas
 * keep that memory (RSS stays at its high-water mark). Measured in docs/distributed.md,
 * "Memory allocator". A variable already set in the environment wins.
 */
export const CLUSTER_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: String(64 << 20),
  MALLOC_TRIM_THRESHOLD_: String(1 << 30),
  MALLOC_ARENA_MAX: '2',
};
