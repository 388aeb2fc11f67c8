import type { Suite } from '../suite';
import { computeSuite } from './compute';
import { hvpSuite } from './hvp';

/** Every suite `npm run bench` knows, in the order `all` runs them. */
export const SUITES: readonly Suite[] = [hvpSuite, computeSuite];
