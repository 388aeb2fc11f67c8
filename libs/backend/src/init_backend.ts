import * as tf from '@tensorflow/tfjs';
import { BackendError, toError } from './backend_error';
import type { BackendName, BackendRequest } from './backend_request';
import { isModuleNotFound, requireModule, type ModuleLoader } from './internal/optional_module';
import { installWasmFastPaths, uninstallWasmFastPaths } from './wasm/fast_paths/install';
import { registerWasmKernels } from './wasm/register_all';

/** One backend that `initBackend` tried, in order. */
export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it could not be used (absent when `ok`). */
  error?: string;
}

/** What `initBackend` chose and why. */
export interface BackendInfo {
  /** The backend in use. */
  name: BackendName;
  /** `tf.getBackend()` after initialisation (`'tensorflow'` for both native backends). */
  tfBackend: string;
  /** One line: what was chosen and why the ones before it were not. */
  reason: string;
  /** Every backend tried, in order of preference. */
  attempts: BackendAttempt[];
  /** Kernels and fast paths of ours that are registered for the chosen backend. */
  kernels: string[];
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** What to use; `auto` (default) picks tensorflow-gpu → tensorflow → wasm → cpu. */
  request?: BackendRequest;
  /** Install the wasm fast paths when wasm is chosen (default true). */
  fastPaths?: boolean;
  /** Receives one line saying what was chosen and why. */
  log?: (message: string) => void;
  /** Loads the optional native packages (default: `require`); tests inject a fake. */
  loadModule?: ModuleLoader;
}

/** How to bring up each backend. */
const CANDIDATES: Readonly<Record<BackendName, { moduleName?: string; tfBackend: string }>> = {
  'tensorflow-gpu': { moduleName: '@tensorflow/tfjs-node-gpu', tfBackend: 'tensorflow' },
  tensorflow: { moduleName: '@tensorflow/tfjs-node', tfBackend: 'tensorflow' },
  wasm: { moduleName: '@tensorflow/tfjs-backend-wasm', tfBackend: 'wasm' },
  cpu: { tfBackend: 'cpu' },
};

/** Order in which `auto` tries the backends: fastest first. */
const AUTO_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/**
 * Selects and initialises the TensorFlow.js backend. `auto` takes the first of
 * tensorflow-gpu, tensorflow (native packages, loaded only if installed), wasm,
 * cpu that initialises; an explicit request that cannot be met is an error, never
 * a silent fallback. On wasm it registers the kernels wasm lacks for training and,
 * unless `fastPaths` is false, the fast paths. Calling it again is fine.
 *
 * @param options.request Backend to use (default `auto`).
 * @param options.fastPaths Install the wasm fast paths (default true).
 * @param options.log Gets the one-line reason.
 * @returns What was chosen, why, and every attempt.
 * @throws BackendError `UNAVAILABLE` for an explicit request that fails; `NO_BACKEND`
 *   when `auto` finds nothing.
 * @example
 * const info = await initBackend({ request: backendRequestFromEnv() });
 * // info.name === 'wasm', info.reason === 'auto: chose wasm (…); tensorflow-gpu: …'
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const { request = 'auto', fastPaths = true, log, loadModule = requireModule } = options;
  const order = request === 'auto' ? AUTO_ORDER : [request];
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    const error = await tryBackend(name, loadModule);
    attempts.push(error === undefined ? { name, ok: true } : { name, ok: false, error });
    if (error !== undefined) continue;
    const kernels = name === 'wasm' ? configureWasm(fastPaths) : [];
    const detail = name === 'wasm' ? await describeWasm() : describe(name);
    const failed = attempts.filter((a) => !a.ok).map((a) => `${a.name}: ${a.error ?? ''}`);
    const reason = request === 'auto' ? [`auto: chose ${name} (${detail})`, ...failed].join('; ') : `requested ${name} explicitly (${detail})`;
    log?.(`initBackend: ${reason}`);
    return { name, tfBackend: tf.getBackend(), reason, attempts, kernels };
  }
  const summary = attempts.map((a) => `${a.name}: ${a.error ?? ''}`).join('; ');
  if (request === 'auto') {
    throw new BackendError('NO_BACKEND', `initBackend: no backend could be initialised (${summary})`);
  }
  throw new BackendError('UNAVAILABLE', `initBackend: backend '${request}' was requested but is unavailable: ${summary}`);
}

/** Loads and activates one backend; returns why it failed, or undefined on success. */
async function tryBackend(name: BackendName, loadModule: ModuleLoader): Promise<string | undefined> {
  const { moduleName, tfBackend } = CANDIDATES[name];
  if (moduleName !== undefined) {
    try {
      loadModule(moduleName);
    } catch (e) {
      return isModuleNotFound(e, moduleName) ? `${moduleName} is not installed` : `${moduleName} failed to load: ${toError(e).message}`;
    }
  }
  if (tf.findBackendFactory(tfBackend) === null) {
    // The package loaded but registered its backend with another copy of tfjs-core.
    return `${moduleName ?? name} loaded but no '${tfBackend}' backend is registered with this @tensorflow/tfjs (version mismatch?)`;
  }
  try {
    const ok = await tf.setBackend(tfBackend);
    return ok ? undefined : `tf.setBackend('${tfBackend}') failed to initialise it`;
  } catch (e) {
    return `tf.setBackend('${tfBackend}') threw: ${toError(e).message}`;
  }
}

/** Registers our wasm kernels and installs or removes the fast paths. */
function configureWasm(fastPaths: boolean): string[] {
  const kernels = registerWasmKernels();
  if (fastPaths) return [...kernels, ...installWasmFastPaths()];
  uninstallWasmFastPaths();
  return kernels;
}

/** Says how the wasm module runs (SIMD or not; Node runs it single-threaded). */
async function describeWasm(): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `${simd === true ? 'SIMD' : 'no SIMD'}, ${threads === true ? 'multi-threaded' : 'single-threaded'}`;
}

function describe(name: Exclude<BackendName, 'wasm'>): string {
  switch (name) {
    case 'tensorflow-gpu':
      return 'native libtensorflow with CUDA';
    case 'tensorflow':
      return 'native libtensorflow, CPU';
    case 'cpu':
      return 'pure JavaScript, slowest';
  }
}
