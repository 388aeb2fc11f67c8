/** A point-in-time copy of a run's parameters, as the parameter server (or a file) publishes it. */
export interface Snapshot {
  /** Optimizer steps applied to reach θ (the parameter version). */
  readonly step: number;
  /** The flat float32 parameter vector; the monitor never writes to it. */
  readonly theta: Float32Array;
  /** B_simple from the parameter server's noise-scale averages, when the source has it. */
  readonly gradientNoiseScale?: number;
}

/**
 * Where snapshots come from. A source only reads what the producer has already
 * published, so asking never blocks a training step. Implementations: in memory
 * (tests), a parameter file or a directory of them (`lnsgd train --save-params`), and
 * the parameter server over ZeroMQ (SnapshotRequest → Snapshot, proto/trainer.proto).
 */
export interface SnapshotSource {
  /**
   * The newest step available, without moving parameters (a header read, or a
   * SnapshotRequest with include_params false); undefined before the first snapshot.
   */
  latestStep(): Promise<number | undefined>;
  /** The newest snapshot with its parameters; undefined before the first one. */
  fetch(): Promise<Snapshot | undefined>;
  /** True once the producer has published its last snapshot (the run is over). */
  finished(): Promise<boolean>;
  /** Releases files or sockets. */
  close(): Promise<void>;
}

/**
 * A source error that asking again cannot cure (e.g. a parameter file of another model):
 * the monitor ends with it instead of polling forever.
 */
export class SnapshotSourceError extends Error {
  override readonly name = 'SnapshotSourceError';
  /** `mismatch`: the producer's parameters do not fit the run's model. */
  readonly code: 'mismatch';
  constructor(code: 'mismatch', message: string) {
    super(message);
    this.code = code;
  }
}
