/**
 * V8 flags of the cluster's processes: the local launcher passes them on the command
 * line, the Kubernetes manifests put the same ones on each container, and the bench
 * runs its processes with them. Written once here (no TensorFlow.js import).
 */

/**
 * Node/V8 flags of every child (PS shards, workers, sharpness monitor); the Kubernetes
 * manifests put the same ones on each container's command. With Node's defaults a soak
 * run's RSS grew 6–13% from step 1,000 to 10,000 (tests/src/cluster_soak.test.ts), none
 * of it a leak:
 * - The young generation starts at 1 MiB and grows to two 16 MiB semi-spaces whose pages
 *   are touched only as allocation reaches them: a worker (~17 KiB a step) touched its
 *   last ~8 MiB between steps 1,000 and 2,000, the monitor (slow to allocate) over the
 *   whole run. Fixed at that same 16 MiB from the start, start-up's allocations touch
 *   all of it before training.
 * - With that, the PS's first mark-compact came mid-run, finished incrementally, and
 *   from then on every scavenge promoted ~740 KB (before: ~100 KB) of objects that a
 *   full GC finds dead: +9 MiB of old space by step 10,000. Atomic mark-compacts
 *   (--no-incremental-marking) do not start that; at ~30 MiB of heap one takes ~30 ms.
 * - glibc gives each V8 helper thread its own malloc arena, and three of them kept
 *   ~1.5 MiB more each after the JIT's warm-up (steps 1,000–4,000). One helper thread
 *   (--v8-pool-size=1) leaves one such arena; there are 2 cores for 4 processes anyway.
 * Node refuses --min-semi-space-size and --no-incremental-marking in NODE_OPTIONS, hence
 * flags on the command line.
 */
export const CHILD_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16', '--min-semi-space-size=16', '--no-incremental-marking', '--v8-pool-size=1'];

/**
 * The parameter server's flags: the same, with 8 MiB semi-spaces. It allocates the
 * least of the processes (~11–18 KiB a step, none of it TensorFlow.js since it builds
 * the model in a worker thread), so 2 × 16 MiB were still being touched for the first
 * time after step 1,000. Soak runs, step 1,000 → 10,000 (PS only changed, same build):
 * 16 MiB 4.2–5.6% (+4.4–5.4 MiB, 8 runs), 12 MiB 4.1–5.9%, 8 MiB 3.2–4.0% (+2.7–3.4
 * MiB, 5 runs), 6 MiB 3.9–4.1%, 4 MiB 4.0%, 1 MiB 13–14% (each scavenge promotes).
 */
export const PS_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--min-semi-space-size=8', '--no-incremental-marking', '--v8-pool-size=1'];

/**
 * The metrics service's flags: 2 MiB semi-spaces. It allocates slowly between
 * estimates, so 16 MiB ones were touched for the first time all through a run. Soak
 * runs, step 1,000 → 10,000 (metrics service only changed): 16 MiB 4.0–4.4% (~181 →
 * ~189 MiB), 8 MiB 4.3–5.5%, 4 MiB 0–3.9%, 2 MiB 1.5–2.7% (~131 → ~134 MiB). The
 * Hessian-vector-product bench took the same time with 2 and 16 MiB (16.5–17.5 s
 * against 17.3–18.2 s).
 */
export const METRICS_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--min-semi-space-size=2', '--no-incremental-marking', '--v8-pool-size=1'];
