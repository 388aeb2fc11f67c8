export { BackendError, BACKEND_ERROR_CODES, type BackendErrorCode } from './backend_error';
export { BACKEND_ENV_VAR, BACKEND_REQUESTS, backendRequestFromEnv, parseBackendRequest, type BackendName, type BackendRequest } from './backend_request';
export { initBackend, type BackendAttempt, type BackendInfo, type InitBackendOptions } from './init_backend';
export type { ModuleLoader } from './internal/optional_module';
export { registerWasmKernels } from './wasm/register_all';
export { installWasmFastPaths, installedWasmFastPaths, uninstallWasmFastPaths } from './wasm/fast_paths/install';
export { setWasmGemmEnabled, setWasmGemmFma } from './wasm/gemm/gemm';
