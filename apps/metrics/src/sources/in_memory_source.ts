import type { Snapshot, SnapshotSource } from '../snapshot';

/** A source fed by the caller: tests, and in-process runs that hand θ over directly. */
export interface InMemorySnapshotSource extends SnapshotSource {
  /** Makes `snapshot` the newest one (it must not go back in steps). */
  publish(snapshot: Snapshot): void;
  /** Marks the run as over. */
  finish(): void;
}

/**
 * Creates an {@link InMemorySnapshotSource}.
 *
 * @example const src = inMemorySource(); src.publish({step: 0, theta}); src.finish();
 */
export function inMemorySource(): InMemorySnapshotSource {
  let latest: Snapshot | undefined;
  let done = false;
  return {
    publish(snapshot) {
      if (latest !== undefined && snapshot.step < latest.step) {
        throw new RangeError(`inMemorySource.publish: step ${snapshot.step} is older than the published step ${latest.step}`);
      }
      latest = snapshot;
    },
    finish() {
      done = true;
    },
    latestStep: () => Promise.resolve(latest?.step),
    fetch: () => Promise.resolve(latest),
    finished: () => Promise.resolve(done),
    close: () => Promise.resolve(),
  };
}
