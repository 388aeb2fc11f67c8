import { createRequire } from 'node:module';

/** Loads a module by name and returns its exports (throws when it cannot). */
export type ModuleLoader = (moduleName: string) => unknown;

// The native tfjs packages are optional and absent here (their install downloads
// libtensorflow). A computed `require` keeps tsc from needing their types and
// turns "not installed" into a catchable error at run time.
const requireFromHere = createRequire(__filename);

/** Default {@link ModuleLoader}: Node's `require`, resolved from this package. */
export const requireModule: ModuleLoader = (moduleName) => requireFromHere(moduleName) as unknown;

/**
 * True when `error` says that `moduleName` itself is not installed (as opposed to
 * the module being present but failing to load, e.g. a missing shared library).
 *
 * @param error What the loader threw.
 * @param moduleName The module that was being loaded.
 * @example
 * try { requireModule('@tensorflow/tfjs-node'); } catch (e) { isModuleNotFound(e, '@tensorflow/tfjs-node'); }
 */
export function isModuleNotFound(error: unknown, moduleName: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${moduleName}'`);
}
