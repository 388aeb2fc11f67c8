import type { ChartSpec, Row } from '@lnsgd/report';

/** Median and min/max over seeds of one field, per (series, x). */
export interface BandRow {
  readonly series: string;
  readonly x: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Groups rows by `series` and `x` and reduces `field` across the group (the seeds) to
 * its median, minimum and maximum; rows where the field is not a finite number are left out.
 *
 * @param rows one row per seed, series and x.
 * @param o the grouping and value fields.
 */
export function medianBands(rows: readonly Row[], o: { readonly series: string; readonly x: string; readonly field: string }): BandRow[] {
  const groups = new Map<string, { series: string; x: number; values: number[] }>();
  for (const r of rows) {
    const v = r[o.field];
    const x = r[o.x];
    if (typeof v !== 'number' || !Number.isFinite(v) || typeof x !== 'number') continue;
    const series = String(r[o.series]);
    const key = `${series}\u0000${x}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { series, x, values: [] };
      groups.set(key, g);
    }
    g.values.push(v);
  }
  return [...groups.values()].map((g) => ({ series: g.series, x: g.x, median: median(g.values), min: Math.min(...g.values), max: Math.max(...g.values) }));
}

/** The median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median: empty list');
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A vega-lite chart of medians as lines over a shaded min/max band, one colour per series
 * (the paper's figures: median over seeds with the spread of the seeds).
 *
 * @param o title, band rows from {@link medianBands}, axis titles, optional log y.
 */
export function bandChart(o: {
  readonly title: string;
  readonly values: readonly BandRow[];
  readonly xTitle: string;
  readonly yTitle: string;
  readonly seriesTitle: string;
  readonly logY?: boolean;
}): ChartSpec {
  const y = { type: 'quantitative', title: o.yTitle, scale: o.logY === true ? { type: 'log' } : { zero: false } };
  const x = { field: 'x', type: 'quantitative', title: o.xTitle };
  const color = { field: 'series', type: 'nominal', title: o.seriesTitle, legend: { labelLimit: 400 } };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: o.title,
    width: 480,
    height: 300,
    background: 'white',
    data: { values: o.values.map((r) => ({ ...r })) },
    layer: [
      { mark: { type: 'area', opacity: 0.2, clip: true }, encoding: { x, y: { ...y, field: 'min' }, y2: { field: 'max' }, color } },
      { mark: { type: 'line', point: true, clip: true }, encoding: { x, y: { ...y, field: 'median' }, color } },
    ],
  };
  return spec as unknown as ChartSpec;
}

/**
 * A vega-lite scatter of y against x, one colour per `color` value (the paper's panel
 * of test accuracy against tr∇²L over all recorded iterates).
 *
 * @param o title, rows, field names and axis titles, optional log x.
 */
export function scatterChart(o: {
  readonly title: string;
  readonly values: readonly Row[];
  readonly x: { readonly field: string; readonly title: string; readonly log?: boolean };
  readonly y: { readonly field: string; readonly title: string };
  readonly color: string;
}): ChartSpec {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: o.title,
    width: 480,
    height: 300,
    background: 'white',
    data: { values: o.values.map((r) => ({ ...r })) },
    mark: { type: 'point', filled: true, opacity: 0.7 },
    encoding: {
      x: { field: o.x.field, type: 'quantitative', title: o.x.title, scale: o.x.log === true ? { type: 'log' } : { zero: false } },
      y: { field: o.y.field, type: 'quantitative', title: o.y.title, scale: { zero: false } },
      color: { field: o.color, type: 'nominal', title: o.color, legend: { labelLimit: 400 } },
    },
  };
  return spec as unknown as ChartSpec;
}
