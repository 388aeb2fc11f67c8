import type { Experiment } from './experiment';
import { ExperimentError } from './experiment-error';
import { edgeOfStability } from './edge-of-stability';
import { escape } from './escape';
import { sparseRecovery } from './sparse-recovery';
import { uvToy } from './uv-toy';
import { regularizedTrajectory } from './regularized-trajectory';
import { fashionMnistAdversarial } from './fashion-mnist-adversarial';
import { largeBatch } from './large-batch';
import { momentum } from './momentum';

/** Every experiment `lnsgd experiment <name>` can run, in the order of the help text. */
export const EXPERIMENTS: readonly Experiment[] = [
  uvToy,
  sparseRecovery,
  escape,
  fashionMnistAdversarial,
  edgeOfStability,
  regularizedTrajectory,
  largeBatch,
  momentum,
];

/** The experiments' names. */
export const experimentNames: readonly string[] = EXPERIMENTS.map((e) => e.name);

/**
 * Looks an experiment up by name.
 *
 * @param name e.g. 'sparse-recovery'.
 * @throws ExperimentError UNKNOWN_EXPERIMENT listing the valid names.
 */
export function getExperiment(name: string): Experiment {
  const e = EXPERIMENTS.find((x) => x.name === name);
  if (e === undefined) throw new ExperimentError('UNKNOWN_EXPERIMENT', `getExperiment: unknown experiment '${name}'; valid: ${experimentNames.join(', ')}`);
  return e;
}
