import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's `BackendWasm` that locate a tensor on the heap. */
interface WasmHeapBackend {
  readonly wasm: { readonly HEAPF32: Float32Array };
  readonly dataIdMap: { get(dataId: object): { readonly memoryOffset: number } | undefined };
}

function isWasmHeapBackend(b: unknown): b is WasmHeapBackend {
  if (typeof b !== 'object' || b === null) return false;
  const { wasm, dataIdMap } = b as Partial<Record<'wasm' | 'dataIdMap', unknown>>;
  return (
    typeof wasm === 'object' &&
    wasm !== null &&
    (wasm as { HEAPF32?: unknown }).HEAPF32 instanceof Float32Array &&
    typeof dataIdMap === 'object' &&
    dataIdMap !== null &&
    typeof (dataIdMap as { get?: unknown }).get === 'function'
  );
}

/** The current backend when it is tfjs-wasm and exposes its heap, else null. */
export function wasmHeapBackend(): WasmHeapBackend | null {
  if (tf.getBackend() !== 'wasm') return null;
  const b: unknown = tf.backend();
  return isWasmHeapBackend(b) ? b : null;
}

/**
 * Copies float32 tensor `t` into `dest.out[dest.offset, dest.offset + t.size)`. On tfjs-wasm the
 * copy is straight from the wasm heap (one memcpy): `dataSync` there first copies
 * into a freshly allocated ArrayBuffer (`HEAPU8.slice`), which for a 1.6 MB
 * gradient cost 1–2 ms a step in GC and page faults. Elsewhere: `dataSync` (the
 * cpu backend hands out its own array, so that is one copy too).
 *
 * @param heap {@link wasmHeapBackend}'s answer, looked up once per batch of reads
 */
export function readInto(t: tf.Tensor, dest: { out: Float32Array; offset: number }, heap: WasmHeapBackend | null): void {
  const { out, offset } = dest;
  if (t.dtype !== 'float32') throw new Error(`readInto: expected a float32 tensor, got ${t.dtype}`);
  const at = heap?.dataIdMap.get(t.dataId)?.memoryOffset;
  if (heap !== null && at !== undefined && at % 4 === 0) {
    // Read HEAPF32 now: the view is replaced when the heap grows.
    const start = at / 4;
    out.set(heap.wasm.HEAPF32.subarray(start, start + t.size), offset);
    return;
  }
  out.set(t.dataSync<'float32'>(), offset);
}
