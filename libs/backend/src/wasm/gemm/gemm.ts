import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { setFlagsFromString } from 'node:v8';
import { GEMM_FMA_WASM_BASE64, GEMM_WASM_BASE64 } from './gemm_module';
import { gemmWorkBytes } from './gemm_wat';

/**
 * One product C[M, N] = A[M, K] · B[K, N] on the wasm heap: byte addresses of
 * A, B and C; strides in elements. A's element (i, k) is at a + 4·(i·rsA + k·csA)
 * (rsA = K, csA = 1 for a row-major A; rsA = 1, csA = M for a stored Aᵀ); B's
 * element (k, j) at b + 4·(k·ldb + j·csB) (csB = 1, the default: row-major; ldb = 1,
 * csB = K for a stored Bᵀ, gathered while packing); C row-major with row stride ldc.
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
  /** Column stride of B in elements (default 1). */
  csB?: number;
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
  validate(bytes: Uint8Array): boolean;
}
const WASM_API = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type GemmExport = (...args: [number, number, number, number, number, number, number, number, number, number, number, number]) => void;

/** colsum(x, rows, cols, out). */
type ColsumExport = (...args: [number, number, number, number]) => void;

/** addrows(x, rows, cols, bias, out). */
type AddRowsExport = (...args: [number, number, number, number, number]) => void;

/** The allocator of the heap the GEMM works on (for its work buffer of packed B panels). */
export interface HeapAllocator {
  malloc(bytes: number): number;
  free(address: number): void;
}

/** The SIMD kernels of `gemm_wat.ts` (GEMM, column sums, row-wise bias add), instantiated on one WebAssembly memory. */
export class WasmGemm {
  private readonly gemm: GemmExport;
  private readonly colsumExport: ColsumExport;
  private readonly addRowsExport: AddRowsExport;
  /** The work buffer (allocated on first use, grown as needed, kept): address as allocated, and usable bytes. */
  private work = { allocated: 0, bytes: 0 };

  /**
   * @param fma Use the FMA module (relaxed SIMD); the caller has checked that it compiles ({@link gemmModule}).
   */
  constructor(
    memory: WasmMemory,
    private readonly heap: HeapAllocator,
    readonly fma = false,
  ) {
    const compiled = gemmModule(fma);
    if (compiled === null) throw new Error('WasmGemm: this engine cannot compile the FMA module (no relaxed SIMD)');
    const instance = new WASM_API.Instance(compiled, { env: { memory } });
    this.gemm = instance.exports['gemm'] as GemmExport;
    this.colsumExport = instance.exports['colsum'] as ColsumExport;
    this.addRowsExport = instance.exports['addrows'] as AddRowsExport;
  }

  /**
   * Writes out[i, j] = x[i, j] + bias[j] for a row-major [rows, cols] x at byte
   * address `x` (adding a bias to every row); out may equal x; rows ≥ 0, cols ≥ 1.
   */
  addRows(call: { x: number; rows: number; cols: number; bias: number; out: number }): void {
    this.addRowsExport(call.x, call.rows, call.cols, call.bias, call.out);
  }

  /**
   * Writes out[j] = Σ_i x[i, j] for a row-major [rows, cols] x at byte address
   * `x` (accumulated in float64, rounded to float32); rows ≥ 0, cols ≥ 1.
   */
  colsum(call: { x: number; rows: number; cols: number; out: number }): void {
    this.colsumExport(call.x, call.rows, call.cols, call.out);
  }

  /**
   * Writes C = A·B (m, n, k ≥ 1). Touches no memory but A, B, C and its own work
   * buffer (packed panels of B: 32 kB per 8 columns of C), which it allocates
   * from the heap on first use and keeps; see {@link WasmGemm.release}.
   */
  run(call: GemmCall): void {
    const { m, n, k, a, rsA, csA, b, ldb, c, ldc } = call;
    const csB = call.csB ?? 1;
    const bytes = gemmWorkBytes(n);
    if (this.work.bytes < bytes) {
      this.release();
      const allocated = this.heap.malloc(bytes + 16);
      if (allocated === 0) throw new Error(`WasmGemm: could not allocate ${bytes} bytes of work buffer`);
      this.work = { allocated, bytes };
    }
    const work = (this.work.allocated + 15) & ~15; // 16-byte aligned vectors
    this.gemm(m, n, k, a, rsA, csA, b, ldb, csB, c, ldc, work);
  }

  /** Frees the work buffer (the next call allocates it again). */
  release(): void {
    if (this.work.allocated !== 0) this.heap.free(this.work.allocated);
    this.work = { allocated: 0, bytes: 0 };
  }
}

const compiled = new Map<boolean, object | null>();

/**
 * The compiled module, SIMD128 or FMA (each compiled once, synchronously: they
 * are 6 kB); null for the FMA one where the engine has no relaxed SIMD.
 */
function gemmModule(fma: boolean): object | null {
  let module = compiled.get(fma);
  if (module === undefined) {
    const bytes = Buffer.from(fma ? GEMM_FMA_WASM_BASE64 : GEMM_WASM_BASE64, 'base64');
    if (!fma) {
      module = new WASM_API.Module(bytes); // throws where there is no wasm SIMD: gemmForBackend answers null
    } else {
      try {
        module = relaxedSimdAvailable(bytes) ? new WASM_API.Module(bytes) : null;
      } catch {
        module = null; // validated but did not compile: the SIMD128 module
      }
    }
    compiled.set(fma, module);
  }
  return module;
}

/**
 * Whether the engine compiles relaxed SIMD. Node 20's V8 (11.3) has it behind
 * `--experimental-wasm-relaxed-simd` (on by default from V8 11.4 / Node 21):
 * the flag is turned on here, at run time, where it is off. It only admits
 * the relaxed-SIMD opcodes to validation; nothing else changes.
 */
function relaxedSimdAvailable(bytes: Uint8Array): boolean {
  if (WASM_API.validate(bytes)) return true;
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false; // not V8, or its flags are frozen: the SIMD128 module
  }
  return WASM_API.validate(bytes);
}

const instances = new WeakMap<WasmMemory, Map<boolean, WasmGemm>>();
let enabled = true;
let fmaEnabled = true;

/**
 * Lets the GEMM use its FMA module (`f32x4.relaxed_madd`: ~20% faster on x64
 * with FMA3, rounding once per multiply-add instead of twice) where the engine
 * has relaxed SIMD; off, the SIMD128 multiplies and adds. On by default; for
 * side-by-side benchmarks and tests of both.
 *
 * @example
 * setWasmGemmFma(false); // mul + add, the same bits on every x64 CPU
 */
export function setWasmGemmFma(on: boolean): void {
  fmaEnabled = on;
}

/**
 * Turns our GEMM (and the SIMD column sum) on or off for the wasm fast paths;
 * off, MatMul goes back to explicit transposes and XNNPACK. On by default; for
 * side-by-side benchmarks and tests of the fallback path.
 *
 * @example
 * setWasmGemmEnabled(false); // the XNNPACK path
 */
export function setWasmGemmEnabled(on: boolean): void {
  enabled = on;
}

/**
 * The GEMM on the wasm backend's own heap, so that it reads and writes tensors
 * in place; null when turned off ({@link setWasmGemmEnabled}), when the
 * backend's memory cannot be reached (another build of tfjs-backend-wasm) or
 * wasm SIMD is not available.
 *
 * @example
 * const gemm = gemmForBackend(tf.backend() as BackendWasm);
 */
export function gemmForBackend(backend: BackendWasm): WasmGemm | null {
  if (!enabled) return null;
  const wasm = backend.wasm as unknown as { asm?: { memory?: unknown }; _malloc?: unknown; _free?: unknown };
  const memory = wasm.asm?.memory;
  const { _malloc: malloc, _free: free } = wasm;
  if (!(memory instanceof WASM_API.Memory) || typeof malloc !== 'function' || typeof free !== 'function') return null;
  let byVariant = instances.get(memory);
  if (byVariant === undefined) {
    byVariant = new Map();
    instances.set(memory, byVariant);
  }
  const fma = fmaEnabled && gemmModule(true) !== null;
  let gemm = byVariant.get(fma);
  if (gemm === undefined) {
    try {
      gemm = new WasmGemm(
        memory,
        {
          malloc: (bytes) => (malloc as (n: number) => number)(bytes),
          free: (address) => {
            (free as (p: number) => void)(address);
          },
        },
        fma,
      );
    } catch {
      return null; // no wasm SIMD here: the callers keep the stock kernels
    }
    byVariant.set(fma, gemm);
  }
  return gemm;
}
