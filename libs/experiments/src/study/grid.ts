import { ExperimentError } from '../experiment-error';

/** The hyper-parameters a study grid may sweep. */
export const GRID_AXES = ['lr', 'batch', 'sigma', 'momentum', 'workers', 'flip_prob'] as const;
export type GridAxis = (typeof GRID_AXES)[number];

/** Values per axis, in the order given. Axes not given take the preset's default. */
export type Grid = Readonly<Partial<Record<GridAxis, readonly number[]>>>;

const ALIASES: Readonly<Record<string, GridAxis>> = {
  lr: 'lr',
  eta: 'lr',
  batch: 'batch',
  b: 'batch',
  sigma: 'sigma',
  momentum: 'momentum',
  beta: 'momentum',
  workers: 'workers',
  flip_prob: 'flip_prob',
  'flip-prob': 'flip_prob',
};

/**
 * Parses a grid such as `lr=0.05,0.1 batch=64,256 sigma=0.5,1 momentum=0,0.9 workers=1,2`
 * (space-separated axes, comma-separated values; `eta`, `beta`, `flip-prob` are accepted
 * as aliases).
 *
 * @param text the grid.
 * @throws ExperimentError INVALID_ARGUMENT naming the bad axis or value.
 * @example parseGrid('lr=0.05,0.1 batch=64') // { lr: [0.05, 0.1], batch: [64] }
 */
export function parseGrid(text: string): Grid {
  const grid: Partial<Record<GridAxis, number[]>> = {};
  const parts = text
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '');
  if (parts.length === 0) throw new ExperimentError('INVALID_ARGUMENT', `parseGrid: the grid is empty; write e.g. 'lr=0.05,0.1 batch=64,256'`);
  for (const part of parts) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const axis = ALIASES[key.toLowerCase()];
    if (eq < 0 || axis === undefined) {
      throw new ExperimentError('INVALID_ARGUMENT', `parseGrid: '${part}' is not axis=v1,v2,…; axes: ${GRID_AXES.join(', ')}`);
    }
    if (grid[axis] !== undefined) throw new ExperimentError('INVALID_ARGUMENT', `parseGrid: axis '${axis}' is given twice`);
    const values = part
      .slice(eq + 1)
      .split(',')
      .map((v) => {
        const x = Number(v);
        if (v.trim() === '' || !Number.isFinite(x)) throw new ExperimentError('INVALID_ARGUMENT', `parseGrid: axis '${axis}' has a non-number value '${v}'`);
        return x;
      });
    if ((axis === 'batch' || axis === 'workers') && values.some((v) => !Number.isInteger(v) || v < 1)) {
      throw new ExperimentError('INVALID_ARGUMENT', `parseGrid: ${axis} values must be integers >= 1, got ${values.join(',')}`);
    }
    grid[axis] = [...new Set(values)];
  }
  return grid;
}
