import { BackendError } from './backend_error';

/** The backend names a user may ask for; `auto` picks the fastest one present. */
export const BACKEND_REQUESTS = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;

/** What the user asked for (`LNSGD_BACKEND`, a CLI flag, a config file). */
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];

/** A concrete backend that can actually run (everything but `auto`). */
export type BackendName = Exclude<BackendRequest, 'auto'>;

/** Environment variable read by {@link backendRequestFromEnv}. */
export const BACKEND_ENV_VAR = 'LNSGD_BACKEND';

/**
 * Parses a backend name, case-insensitively and ignoring surrounding blanks.
 *
 * @param s The name, e.g. `'wasm'`.
 * @returns The request.
 * @throws BackendError `UNKNOWN_BACKEND`, listing the valid names.
 * @example
 * parseBackendRequest(' WASM ') // 'wasm'
 */
export function parseBackendRequest(s: string): BackendRequest {
  const name = s.trim().toLowerCase();
  const found = BACKEND_REQUESTS.find((r) => r === name);
  if (found === undefined) {
    throw new BackendError('UNKNOWN_BACKEND', `parseBackendRequest: unknown backend ${JSON.stringify(s)}; expected one of ${BACKEND_REQUESTS.join(', ')}`);
  }
  return found;
}

/**
 * Reads the backend request from `LNSGD_BACKEND`; unset or empty means `auto`.
 *
 * @param env The environment to read (default `process.env`).
 * @returns The request.
 * @throws BackendError `UNKNOWN_BACKEND` when the variable holds an unknown name.
 * @example
 * backendRequestFromEnv({ LNSGD_BACKEND: 'cpu' }) // 'cpu'
 */
export function backendRequestFromEnv(env: NodeJS.ProcessEnv = process.env): BackendRequest {
  const raw = env[BACKEND_ENV_VAR];
  if (raw === undefined || raw.trim() === '') return 'auto';
  try {
    return parseBackendRequest(raw);
  } catch (e) {
    throw new BackendError(
      'UNKNOWN_BACKEND',
      `backendRequestFromEnv: ${BACKEND_ENV_VAR}=${JSON.stringify(raw)} is not a backend; expected one of ${BACKEND_REQUESTS.join(', ')}`,
      { cause: e },
    );
  }
}
