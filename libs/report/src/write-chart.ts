import * as path from 'node:path';
import { renderChart, type ChartSpec } from './render-chart';
import { writeFileAtomic } from './write-file-atomic';

/** Where {@link writeChart} put a chart. */
export interface WrittenChart {
  readonly name: string;
  readonly svgPath: string;
  readonly pngPath: string;
  /** The vega-lite spec, saved beside the images so a chart can be re-styled later. */
  readonly specPath: string;
}

/**
 * Renders a chart and writes `<name>.svg`, `<name>.png` and `<name>.vl.json` into `dir`.
 *
 * @param options directory, file stem (letters, digits, '-', '_', '.') and the spec.
 * @example await writeChart({ dir: 'out', name: 'test-error', spec });
 */
export async function writeChart(options: { readonly dir: string; readonly name: string; readonly spec: ChartSpec }): Promise<WrittenChart> {
  const { dir, name, spec } = options;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new RangeError(`writeChart: name must be a plain file stem, got ${JSON.stringify(name)}`);
  const { svg, png } = await renderChart(spec);
  const svgPath = path.join(dir, `${name}.svg`);
  const pngPath = path.join(dir, `${name}.png`);
  const specPath = path.join(dir, `${name}.vl.json`);
  writeFileAtomic(svgPath, svg);
  writeFileAtomic(pngPath, png);
  writeFileAtomic(specPath, `${JSON.stringify(spec, null, 1)}\n`);
  return { name, svgPath, pngPath, specPath };
}
