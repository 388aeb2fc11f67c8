import * as vega from 'vega';
import * as vl from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';

/** A vega-lite chart specification (the JSON a person could paste into the vega editor). */
export type ChartSpec = vl.TopLevelSpec;

/** A chart rendered to both formats the reports use. */
export interface RenderedChart {
  /** Standalone SVG document. */
  readonly svg: string;
  /** PNG bytes, rasterised from the SVG at `scale` times its size. */
  readonly png: Buffer;
}

/**
 * Renders a vega-lite spec headlessly: vega-lite → vega → SVG (vega's 'none'
 * renderer needs no canvas), then SVG → PNG with resvg. Text in the PNG uses the
 * system fonts resvg finds (Debian: fonts-dejavu-core); without any, axes are drawn
 * but labels are blank, the SVG is unaffected.
 *
 * @param spec the vega-lite specification.
 * @param options `scale` of the PNG relative to the SVG (default 2, for sharp text).
 * @example const { svg, png } = await renderChart({ mark: 'line', data: { values }, encoding });
 */
export async function renderChart(spec: ChartSpec, options: { readonly scale?: number } = {}): Promise<RenderedChart> {
  const scale = options.scale ?? 2;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`renderChart: scale must be a finite number > 0, got ${scale}`);
  let compiled: vega.Spec;
  try {
    compiled = vl.compile(spec).spec;
  } catch (err: unknown) {
    throw new Error(`renderChart: vega-lite rejected the spec titled ${JSON.stringify(titleOf(spec))}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
    return { svg, png };
  } finally {
    view.finalize();
  }
}

function titleOf(spec: ChartSpec): unknown {
  return (spec as { title?: unknown }).title ?? null;
}
