/** One sample line of the Prometheus text format. */
export interface ExpositionSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A parsed scrape: samples in order, plus `# TYPE` and `# HELP` per metric family. */
export interface Exposition {
  readonly samples: readonly ExpositionSample[];
  readonly types: ReadonlyMap<string, string>;
  readonly helps: ReadonlyMap<string, string>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;

/**
 * Parses the Prometheus text exposition format (version 0.0.4), strictly enough to
 * fail on malformed lines: tests use it to read /metrics without a Prometheus server.
 *
 * @param text a scrape body.
 * @throws Error naming the line number and the line that does not parse.
 * @example parseExposition('# TYPE a gauge\na{run="x"} 1\n').samples[0].value // 1
 */
export function parseExposition(text: string): Exposition {
  const samples: ExpositionSample[] = [];
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const fail = (why: string): never => {
      throw new Error(`parseExposition: line ${i + 1} ${why}: ${line}`);
    };
    if (line.startsWith('#')) {
      const m = /^# (TYPE|HELP) (\S+) ?(.*)$/.exec(line);
      if (m === null) return; // a plain comment
      (m[1] === 'TYPE' ? types : helps).set(m[2], m[3]);
      return;
    }
    const m = SAMPLE.exec(line) ?? fail('is not a sample');
    const labels: Record<string, string> = {};
    const body = m[2] ?? '';
    LABEL.lastIndex = 0;
    let consumed = 0;
    for (let l = LABEL.exec(body); l !== null; l = LABEL.exec(body)) {
      labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      consumed = LABEL.lastIndex;
    }
    if (consumed !== body.length) fail('has malformed labels');
    const value = parseSampleValue(m[3]) ?? fail('has a value that is not a number');
    samples.push({ name: m[1], labels, value });
  });
  return { samples, types, helps };
}

/** Like Go's strconv.ParseFloat, which Prometheus uses: NaN and Inf in any case (prom-client writes `Nan`). */
function parseSampleValue(s: string): number | undefined {
  const special = /^([+-]?)(nan|inf|infinity)$/i.exec(s);
  if (special !== null) {
    if (special[2].toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  const v = Number(s);
  return s.trim() === '' || Number.isNaN(v) ? undefined : v;
}
