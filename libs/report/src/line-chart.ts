import type { ChartSpec } from './render-chart';
import type { Row } from './table';

/** One axis of {@link lineChart}. */
export interface AxisChannel {
  readonly field: string;
  /** Axis title (default: the field name). */
  readonly title?: string;
  /** 'log' for quantities spanning decades (values must be > 0). Default 'linear'. */
  readonly scale?: 'linear' | 'log';
}

/** A horizontal reference line, e.g. 2/η on a sharpness plot. */
export interface ReferenceLine {
  readonly y: number;
  readonly label: string;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  readonly title: string;
  readonly values: readonly Row[];
  readonly x: AxisChannel;
  readonly y: AxisChannel;
  /** Field that splits the rows into one coloured line per value (e.g. 'method'). */
  readonly color?: { readonly field: string; readonly title?: string };
  /** Join points in the order of this field instead of by x (for trajectories in a plane). */
  readonly order?: string;
  /** Draw a point at every row as well as the line (for sparse sweeps). Default false. */
  readonly points?: boolean;
  readonly references?: readonly ReferenceLine[];
  readonly width?: number;
  readonly height?: number;
}

/**
 * A vega-lite line chart of y against x, optionally one line per `color` value and
 * with dashed horizontal reference lines; the spec renders with {@link renderChart}.
 *
 * @param o title, data rows, channels and decorations.
 * @example lineChart({ title: 'Test error', values: rows, x: { field: 'step' }, y: { field: 'test_error', scale: 'log' }, color: { field: 'method' } })
 */
export function lineChart(o: LineChartOptions): ChartSpec {
  const channel = (a: AxisChannel): Record<string, unknown> => ({
    field: a.field,
    type: 'quantitative',
    title: a.title ?? a.field,
    scale: a.scale === 'log' ? { type: 'log' } : { zero: false },
  });
  const encoding: Record<string, unknown> = { x: channel(o.x), y: channel(o.y) };
  if (o.order !== undefined) encoding['order'] = { field: o.order, type: 'quantitative' };
  if (o.color !== undefined) encoding['color'] = { field: o.color.field, type: 'nominal', title: o.color.title ?? o.color.field, legend: { labelLimit: 400 } };
  const layers: unknown[] = [{ mark: { type: 'line', point: o.points === true, clip: true }, encoding }];
  const refs = o.references ?? [];
  if (refs.length > 0) {
    const refValues = refs.map((r) => ({ y: r.y, label: r.label }));
    layers.push(
      {
        data: { values: refValues },
        mark: { type: 'rule', strokeDash: [6, 4], color: 'black' },
        encoding: { y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: refValues },
        mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: 'black' },
        encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
      },
    );
  }
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: o.title,
    width: o.width ?? 480,
    height: o.height ?? 300,
    background: 'white',
    data: { values: o.values.map((r) => ({ ...r })) },
    layer: layers,
  };
  return spec as unknown as ChartSpec;
}
