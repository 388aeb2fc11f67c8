import { SGD_WASM_BASE64 } from './sgd_wasm_module';
import { passName, type CombineMode } from './sgd_wat';

/** The part of the WebAssembly JS API used here (the ES2023 lib without DOM does not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const WASM_API = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

type PassExport = (...args: [number, number, number, number, number, number, number, number, number, number, number, number, number, number]) => void;
type AccumulateExport = (...args: [number, number, number, number, number]) => void;
type ScanExport = (p: number, n: number) => number;

const PAGE = 65536;
/** wasm32's limit: 4 GiB. Only reserved (virtual) until grown into. */
const MAX_PAGES = 65536;
/** Bytes 0..63 are the kernel's: results at RESULTS (Σ c², Σ g²); no vector starts at address 0. */
const RESULTS = 16;
const FIRST_FREE = 64;

let compiled: object | null | undefined;

/** The compiled module, or null where this engine has no wasm SIMD or shared memory. */
function sgdModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = WASM_API === undefined ? null : new WASM_API.Module(Buffer.from(SGD_WASM_BASE64, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** The scalars of one pass (see sgd_wat.ts). */
export interface ArenaPassScalars {
  readonly w: number;
  readonly total: number;
  readonly negEta: number;
  readonly wd: number;
  readonly beta: number;
  /** ±0, added to g in mode 'z'. */
  readonly z: number;
}

/** The vectors of one pass; all in the arena ({@link SgdArena.holds}). */
export interface ArenaPassVectors {
  readonly g: Float32Array;
  readonly acc: Float64Array | undefined;
  readonly theta: Float32Array;
  readonly out: Float32Array;
  readonly velocity: Float32Array | undefined;
  /** Where v_k is read (may be `velocity`). */
  readonly vin: Float32Array | undefined;
}

/**
 * A WebAssembly memory with the fused SGD pass of `sgdInPlace` compiled on it
 * (sgd_wat.ts: f64x2 SIMD, bit-identical to the JS loops), and a bump allocator
 * for the vectors the pass reads and writes: the owner (a parameter-server shard)
 * allocates its parameters, velocity, receive buffers and scratch here once and
 * keeps them. WebAssembly code reads only its own memory, so this is what lets the
 * pass run in place, without copying vectors in and out.
 *
 * The memory is shared: growing a shared memory never detaches the views handed
 * out before (a plain one would), and ZeroMQ and the CRC-32 read its views like any other.
 * Nothing is ever freed: allocate long-lived buffers only.
 *
 * @example
 * const arena = SgdArena.create(); // undefined without wasm SIMD: use plain arrays
 * const theta = arena?.float32(n) ?? new Float32Array(n);
 */
export class SgdArena {
  private readonly memory: WasmMemory;
  private readonly passes = new Map<string, PassExport>();
  private readonly accFirst: AccumulateExport;
  private readonly accAdd: AccumulateExport;
  private readonly scan: ScanExport;
  /** Every buffer object the memory has had (a grow gives a new one over the same memory). */
  private readonly generations: ArrayBufferLike[] = [];
  private top = FIRST_FREE;
  /** The kernels' results (a view of the first generation: stays valid, the memory is shared). */
  private readonly results: Float64Array;

  private constructor(module: object) {
    const api = WASM_API as WasmApi;
    this.memory = new api.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    this.generations.push(this.memory.buffer);
    this.results = new Float64Array(this.memory.buffer, RESULTS, 2);
    const { exports } = new api.Instance(module, { env: { memory: this.memory } });
    for (const [name, fn] of Object.entries(exports)) if (name.startsWith('pass_')) this.passes.set(name, fn as PassExport);
    this.accFirst = exports['acc_first'] as AccumulateExport;
    this.accAdd = exports['acc_add'] as AccumulateExport;
    this.scan = exports['first_non_finite'] as ScanExport;
  }

  /** A new arena, or undefined where the engine cannot compile the module (no wasm SIMD, no shared memory) or reserve its memory. */
  static create(): SgdArena | undefined {
    const module = sgdModule();
    if (module === null) return undefined;
    try {
      return new SgdArena(module);
    } catch {
      return undefined; // the address space for another memory was refused: the caller keeps plain arrays
    }
  }

  /** Bytes allocated so far. */
  get bytes(): number {
    return this.top;
  }

  /**
   * n zeros of float32 in the arena, 16-byte aligned (kept for the arena's life).
   *
   * @throws RangeError when the memory cannot grow to hold them (4 GiB, or the host refuses).
   */
  float32(n: number): Float32Array {
    const at = this.allocate(4 * n);
    return new Float32Array(this.memory.buffer, at, n);
  }

  /** n zeros of float64 in the arena, 16-byte aligned. */
  float64(n: number): Float64Array {
    const at = this.allocate(8 * n);
    return new Float64Array(this.memory.buffer, at, n);
  }

  /** Whether `a` views this arena's memory (then the kernels can read it). */
  holds(a: Float32Array | Float64Array): boolean {
    return this.generations.includes(a.buffer);
  }

  /**
   * Index of the first NaN or ±Infinity in `a` (a view in the arena), or −1: the
   * receive path's finite check, four values at a time.
   */
  firstNonFinite(a: Float32Array): number {
    return this.scan(a.byteOffset, a.length);
  }

  /**
   * acc = 0 + w·g (first) or acc += w·g, in float64; returns Σ g² (serial, in order).
   */
  accumulate(acc: Float64Array, part: { g: Float32Array; w: number; first: boolean }): number {
    (part.first ? this.accFirst : this.accAdd)(RESULTS, part.g.byteOffset, acc.byteOffset, part.g.length, part.w);
    return this.results[0];
  }

  /** One fused pass over theta.length elements (sgd_wat.ts); returns Σ c² and Σ g² (the last part's). */
  pass(mode: CombineMode, v: ArenaPassVectors, s: ArenaPassScalars): { sqNorm: number; lastSq: number } {
    const velocity = v.velocity;
    const fn = this.passes.get(passName(mode, { wd: s.wd > 0, velocity: velocity !== undefined })) as PassExport;
    fn(
      RESULTS,
      v.g.byteOffset,
      v.acc?.byteOffset ?? 0,
      v.theta.byteOffset,
      v.out.byteOffset,
      velocity?.byteOffset ?? 0,
      v.vin?.byteOffset ?? velocity?.byteOffset ?? 0,
      v.theta.length,
      s.w,
      s.total,
      s.negEta,
      s.wd,
      s.beta,
      s.z,
    );
    return { sqNorm: this.results[0], lastSq: this.results[1] };
  }

  private allocate(bytes: number): number {
    const at = this.top;
    const end = at + Math.ceil(bytes / 16) * 16;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      if (end > MAX_PAGES * PAGE) throw new RangeError(`SgdArena: ${end} bytes exceed WebAssembly's 4 GiB`);
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch (err: unknown) {
        throw new RangeError(`SgdArena: cannot grow to ${end} bytes: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.generations.push(this.memory.buffer);
    }
    this.top = end;
    return at;
  }
}
