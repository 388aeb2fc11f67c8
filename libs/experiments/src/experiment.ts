import type { ChartSpec, Row } from '@lnsgd/report';

/** What an experiment needs from its caller. */
export interface ExperimentContext {
  /** Run the reduced version that finishes in minutes on a 2-core CPU. */
  readonly quick: boolean;
  /** Progress within the experiment, for a progress line; called often, keep it cheap. */
  readonly onProgress?: (p: ExperimentProgress) => void;
  /** Overrides the data directory of experiments that read a data set from disk. */
  readonly dataDir?: string;
}

/** How far an experiment is: `done` of `total` work units in the named phase. */
export interface ExperimentProgress {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

/** A chart an experiment asks to be drawn: written as `<name>.svg` / `.png`. */
export interface ExperimentChart {
  readonly name: string;
  readonly spec: ChartSpec;
}

/** Headline numbers, with the contract names (test_error_label_noise, …) where they apply; arrays are aligned per-axis values (e.g. one per batch size). */
export type ExperimentSummary = Readonly<Record<string, number | string | boolean | null | readonly (number | null)[]>>;

/** Everything an experiment produces; {@link writeExperimentOutputs} puts it on disk. */
export interface ExperimentOutcome {
  readonly experiment: string;
  readonly summary: ExperimentSummary;
  /** The time series (one row per recorded step and method), written as JSONL and CSV. */
  readonly series: readonly Row[];
  readonly charts: readonly ExperimentChart[];
  /** Markdown body of the report; charts are embedded by name. */
  readonly report: string;
}

/** A named, runnable recipe. */
export interface Experiment {
  readonly name: string;
  /** One line for `--help` and the report heading. */
  readonly description: string;
  run(ctx: ExperimentContext): Promise<ExperimentOutcome>;
}
