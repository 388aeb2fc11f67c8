import type { OptimizerState } from './transformation';

/*
 * Optimizer-state checkpoint layout, version 1. All integers and floats are
 * little-endian, whatever the host:
 *
 *   bytes 0–3   magic "LNOS"
 *   byte  4     version (1)
 *   then one value:
 *     0x01 number        float64                      (exact: −0, NaN, ±Infinity kept)
 *     0x02 Float32Array  uint32 n, then n float32 bit patterns (bit-exact, NaN payloads kept)
 *     0x03 array         uint32 n, then n values
 *     0x04 object        uint32 n, then n × (uint32 key byte length, UTF-8 key, value),
 *                        in the object's key order
 */

const MAGIC = [0x4c, 0x4e, 0x4f, 0x53]; // "LNOS"
const VERSION = 1;
const TAG_NUMBER = 0x01;
const TAG_F32 = 0x02;
const TAG_ARRAY = 0x03;
const TAG_OBJECT = 0x04;
const HOST_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function isPlainObject(v: unknown): v is { readonly [key: string]: OptimizerState } {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function byteSize(v: OptimizerState, path: string): number {
  if (typeof v === 'number') return 1 + 8;
  if (v instanceof Float32Array) return 1 + 4 + 4 * v.length;
  if (Array.isArray(v)) {
    let n = 1 + 4;
    v.forEach((item: OptimizerState, i) => (n += byteSize(item, `${path}[${i}]`)));
    return n;
  }
  if (isPlainObject(v)) {
    let n = 1 + 4;
    for (const [k, item] of Object.entries(v)) n += 4 + utf8.encode(k).length + byteSize(item, `${path}.${k}`);
    return n;
  }
  throw new TypeError(
    `encodeOptimizerState: ${path} is not plain optimizer data (number, Float32Array, array, plain object), got ${Object.prototype.toString.call(v)}`,
  );
}

class Writer {
  pos = 0;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  u8(x: number): void {
    this.view.setUint8(this.pos, x);
    this.pos += 1;
  }
  u32(x: number): void {
    this.view.setUint32(this.pos, x, true);
    this.pos += 4;
  }
  value(v: OptimizerState): void {
    if (typeof v === 'number') {
      this.u8(TAG_NUMBER);
      this.view.setFloat64(this.pos, v, true);
      this.pos += 8;
    } else if (v instanceof Float32Array) {
      this.u8(TAG_F32);
      this.u32(v.length);
      if (HOST_LITTLE_ENDIAN) {
        this.bytes.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), this.pos);
        this.pos += v.byteLength;
      } else {
        const bits = new Uint32Array(v.buffer, v.byteOffset, v.length);
        for (const b of bits) this.u32(b);
      }
    } else if (Array.isArray(v)) {
      this.u8(TAG_ARRAY);
      this.u32(v.length);
      for (const item of v as readonly OptimizerState[]) this.value(item);
    } else {
      const entries = Object.entries(v as { readonly [key: string]: OptimizerState });
      this.u8(TAG_OBJECT);
      this.u32(entries.length);
      for (const [k, item] of entries) {
        const key = utf8.encode(k);
        this.u32(key.length);
        this.bytes.set(key, this.pos);
        this.pos += key.length;
        this.value(item);
      }
    }
  }
}

/**
 * Serialises optimizer state (plain data) to bytes, in the documented v1 layout:
 * Float32Arrays round-trip bit-exactly and numbers exactly, so a run resumed from
 * a checkpoint continues bit-identically.
 *
 * @param state any {@link OptimizerState}, e.g. from `opt.init` or `opt.update`.
 * @returns the encoded bytes.
 * @example const bytes = encodeOptimizerState(state); decodeOptimizerState(bytes, opt.init(params))
 */
export function encodeOptimizerState(state: OptimizerState): Uint8Array {
  const w = new Writer(5 + byteSize(state, 'state'));
  for (const b of MAGIC) w.u8(b);
  w.u8(VERSION);
  w.value(state);
  return w.bytes;
}

class Reader {
  pos = 0;
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number): void {
    if (this.pos + n > this.bytes.length) {
      throw new RangeError(`decodeOptimizerState: truncated input, needed ${n} bytes at byte ${this.pos} of ${this.bytes.length}`);
    }
  }
  u8(): number {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }
  u32(): number {
    this.need(4);
    const x = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return x;
  }
  value(): OptimizerState {
    const tag = this.u8();
    switch (tag) {
      case TAG_NUMBER: {
        this.need(8);
        const x = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return x;
      }
      case TAG_F32: {
        const n = this.u32();
        this.need(4 * n);
        const start = this.bytes.byteOffset + this.pos;
        let out: Float32Array;
        if (HOST_LITTLE_ENDIAN) {
          // slice copies into a fresh, aligned buffer that the caller owns.
          out = new Float32Array(this.bytes.buffer.slice(start, start + 4 * n));
          this.pos += 4 * n;
        } else {
          out = new Float32Array(n);
          const bits = new Uint32Array(out.buffer);
          for (let i = 0; i < n; i++) bits[i] = this.u32();
        }
        return out;
      }
      case TAG_ARRAY: {
        const n = this.u32();
        const out: OptimizerState[] = [];
        for (let i = 0; i < n; i++) out.push(this.value());
        return out;
      }
      case TAG_OBJECT: {
        const n = this.u32();
        const out: { [key: string]: OptimizerState } = {};
        for (let i = 0; i < n; i++) {
          const len = this.u32();
          this.need(len);
          const key = utf8Decoder.decode(this.bytes.subarray(this.pos, this.pos + len));
          this.pos += len;
          out[key] = this.value();
        }
        return out;
      }
      default:
        throw new RangeError(`decodeOptimizerState: unknown value tag ${tag} at byte ${this.pos - 1}`);
    }
  }
}

function checkShape(like: OptimizerState, got: OptimizerState, path: string): void {
  const fail = (what: string) => {
    throw new RangeError(`decodeOptimizerState: ${path} ${what}`);
  };
  if (typeof like === 'number') {
    if (typeof got !== 'number') fail('should be a number');
  } else if (like instanceof Float32Array) {
    if (!(got instanceof Float32Array)) fail('should be a Float32Array');
    else if (got.length !== like.length) fail(`has length ${got.length}, expected ${like.length}`);
  } else if (Array.isArray(like)) {
    const items = like as readonly OptimizerState[];
    if (!Array.isArray(got)) return fail('should be an array');
    const gotItems = got as readonly OptimizerState[];
    if (gotItems.length !== items.length) fail(`has ${gotItems.length} items, expected ${items.length}`);
    items.forEach((item, i) => checkShape(item, gotItems[i], `${path}[${i}]`));
  } else {
    const likeObj = like as { readonly [key: string]: OptimizerState };
    if (!isPlainObject(got)) return fail('should be an object');
    const keys = Object.keys(likeObj);
    const gotKeys = Object.keys(got);
    if (keys.length !== gotKeys.length || keys.some((k) => !(k in got))) {
      fail(`has keys [${gotKeys.join(', ')}], expected [${keys.join(', ')}]`);
    }
    for (const k of keys) checkShape(likeObj[k], got[k], `${path}.${k}`);
  }
}

/**
 * Reads bytes written by {@link encodeOptimizerState}. With `like` (e.g.
 * `opt.init(params)`) it also checks that the decoded state has the same structure
 * — kinds, keys, array and vector lengths — and returns it typed as `like`.
 *
 * @param bytes the encoded state.
 * @param like optional template state.
 * @returns the decoded state; Float32Arrays are fresh copies.
 * @example const state = decodeOptimizerState(bytes, opt.init(params))
 */
export function decodeOptimizerState(bytes: Uint8Array): OptimizerState;
export function decodeOptimizerState<S extends OptimizerState>(bytes: Uint8Array, like: S): S;
export function decodeOptimizerState(bytes: Uint8Array, like?: OptimizerState): OptimizerState {
  const r = new Reader(bytes);
  for (const b of MAGIC) {
    if (r.u8() !== b) throw new RangeError('decodeOptimizerState: not an optimizer state (bad magic; expected "LNOS")');
  }
  const version = r.u8();
  if (version !== VERSION) throw new RangeError(`decodeOptimizerState: unsupported version ${version}, expected ${VERSION}`);
  const state = r.value();
  if (r.pos !== bytes.length) {
    throw new RangeError(`decodeOptimizerState: ${bytes.length - r.pos} trailing bytes after the state`);
  }
  if (like !== undefined) checkShape(like, state, 'state');
  return state;
}
