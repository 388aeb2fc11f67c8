import type { FuzzTarget } from '../engine/target';
import { psHandler } from './ps_handler';

/** Every fuzz target, by name. */
export const TARGETS: readonly FuzzTarget[] = [psHandler];
