import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { GEMM_WASM_BASE64 } from './gemm_module';

/**
 * One product C[M, N] = A[M, K] · B[K, N] on the wasm heap: byte addresses of
 * A, B and C; strides in elements. A's element (i, k) is at a + 4·(i·rsA + k·csA)
 * (rsA = K, csA = 1 for a row-major A; rsA = 1, csA = M for a stored Aᵀ); B and C
 * are row-major with row strides ldb and ldc.
 */
export interface GemmCall {
  m: number;
  n: number;
  k: number;
  a: number;
  rsA: number;
  csA: number;
  b: number;
  ldb: number;
  c: number;
  ldc: number;
}

/** The part of the WebAssembly JS API used here (the ES2023 lib without DOM does not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => WasmMemory;
}
const WASM_API = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type GemmExport = (...args: [number, number, number, number, number, number, number, number, number, number]) => void;

/** The SIMD GEMM of `gemm_wat.ts`, instantiated on one WebAssembly memory. */
export class WasmGemm {
  private readonly gemm: GemmExport;

  constructor(readonly memory: WasmMemory) {
    const instance = new WASM_API.Instance(gemmModule(), { env: { memory } });
    this.gemm = instance.exports['gemm'] as GemmExport;
  }

  /**
   * Writes C = A·B. Needs m, n, k ≥ 1; when n is not a multiple of 4 it reads
   * (never writes) up to 12 bytes past the last row of B and of C, so those must
   * lie inside the memory (see {@link WasmGemm.fits}).
   */
  run(call: GemmCall): void {
    const { m, n, k, a, rsA, csA, b, ldb, c, ldc } = call;
    this.gemm(m, n, k, a, rsA, csA, b, ldb, c, ldc);
  }

  /** Whether `bytes` bytes from `address`, plus the 16-byte over-read slack, lie inside the memory. */
  fits(address: number, bytes: number): boolean {
    return address + bytes + 16 <= this.memory.buffer.byteLength;
  }
}

let compiled: object | undefined;

/** The compiled module (compiled once, synchronously: it is 3 kB). */
function gemmModule(): object {
  compiled ??= new WASM_API.Module(Buffer.from(GEMM_WASM_BASE64, 'base64'));
  return compiled;
}

const instances = new WeakMap<WasmMemory, WasmGemm>();

/**
 * The GEMM on the wasm backend's own heap, so that it reads and writes tensors
 * in place; null when the backend's memory cannot be reached (another build of
 * tfjs-backend-wasm) or wasm SIMD is not available.
 *
 * @example
 * const gemm = gemmForBackend(tf.backend() as BackendWasm);
 */
export function gemmForBackend(backend: BackendWasm): WasmGemm | null {
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  if (!(memory instanceof WASM_API.Memory)) return null;
  let gemm = instances.get(memory);
  if (gemm === undefined) {
    try {
      gemm = new WasmGemm(memory);
    } catch {
      return null; // no wasm SIMD here: the callers keep the stock kernels
    }
    instances.set(memory, gemm);
  }
  return gemm;
}
