/** Keys a scaling-study grid may sweep. */
export const GRID_KEYS = ['lr', 'batch', 'sigma', 'momentum', 'workers', 'seed'] as const;
export type GridKey = (typeof GRID_KEYS)[number];

/** One axis of a scaling study: a key and its values. */
export interface GridAxis {
  readonly key: GridKey;
  readonly values: readonly number[];
}

/**
 * Parses `key=v1,v2,…`.
 *
 * @example parseGridAxis('lr=0.1,0.2') // { key: 'lr', values: [0.1, 0.2] }
 * @throws Error naming the axis when the key is unknown or a value is not a number.
 */
export function parseGridAxis(text: string): GridAxis {
  const m = /^([a-z]+)=(.+)$/.exec(text);
  const key = m?.[1];
  if (m === null || key === undefined || !(GRID_KEYS as readonly string[]).includes(key)) {
    throw new Error(`k8s render: --grid '${text}': expected key=v1,v2,… with key one of ${GRID_KEYS.join(', ')}`);
  }
  const values = (m[2] ?? '').split(',').map((v) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) throw new Error(`k8s render: --grid '${text}': '${v}' is not a number`);
    return x;
  });
  return { key: key as GridKey, values };
}

/**
 * The cartesian product of the axes (one empty point without axes).
 *
 * @example expandGrid([{ key: 'lr', values: [1, 2] }]) // [{ lr: 1 }, { lr: 2 }]
 */
export function expandGrid(axes: readonly GridAxis[]): Partial<Record<GridKey, number>>[] {
  let points: Partial<Record<GridKey, number>>[] = [{}];
  for (const axis of axes) points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.key]: v })));
  return points;
}

/**
 * A DNS-label run id for a grid point, e.g. `uv-toy-n4-s1-lr0p05-batch64`.
 *
 * @param base the run id without the point.
 * @param point the point's values.
 */
export function gridRunId(base: string, point: Partial<Record<GridKey, number>>): string {
  const parts = Object.entries(point).map(
    ([k, v]) =>
      `${k}${String(v)
        .replace(/\./g, 'p')
        .replace(/[^a-z0-9p-]/gi, '')
        .toLowerCase()}`,
  );
  return [base, ...parts].join('-').slice(0, 63).replace(/-+$/, '');
}
