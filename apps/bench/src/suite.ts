/** What a benchmark suite prints: a table of rows and a summary of headline numbers. */
export interface SuiteResult {
  /** Rows of the side-by-side table, all with the same keys. */
  readonly rows: readonly Readonly<Record<string, string | number | null>>[];
  /** Headline numbers; the `--json` summary line merges these. */
  readonly summary: Readonly<Record<string, string | number | boolean | null>>;
  /** Lines of prose printed under the table (what bounds a number, what is missing). */
  readonly notes?: readonly string[];
  /** Further tables by name (saved with the record; docs tables render each). */
  readonly tables?: Readonly<Record<string, readonly Readonly<Record<string, string | number | null>>[]>>;
}

/** Options every suite receives. */
export interface SuiteOptions {
  /** Shorter runs (fewer repetitions) for a smoke check. */
  readonly quick: boolean;
  /** Progress lines for people go here (stderr), never to stdout. */
  readonly log: (line: string) => void;
}

/** One benchmark suite: `npm run bench -- <name>`. */
export interface Suite {
  readonly name: string;
  readonly description: string;
  run(opts: SuiteOptions): Promise<SuiteResult>;
}
