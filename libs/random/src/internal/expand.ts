import { INV_2_32 } from './counter-layout';
import { normalQuantile } from './normal-quantile';

/**
 * Four standard normals from four words, one each, by inversion:
 * z = Φ⁻¹((w + ½)·2^-32). The uniform never reaches 0 or 1, so |z| < 6.4 (a bulk
 * draw of < 10^9 values would not go past that anyway).
 */
export function expandNormal4(w: Uint32Array, dst: Float64Array): void {
  dst[0] = normalQuantile((w[0] + 0.5) * INV_2_32);
  dst[1] = normalQuantile((w[1] + 0.5) * INV_2_32);
  dst[2] = normalQuantile((w[2] + 0.5) * INV_2_32);
  dst[3] = normalQuantile((w[3] + 0.5) * INV_2_32);
}

/** Four uniforms in [0, 1), 32 bits each. */
export function expandUniform4(w: Uint32Array, dst: Float64Array): void {
  dst[0] = w[0] * INV_2_32;
  dst[1] = w[1] * INV_2_32;
  dst[2] = w[2] * INV_2_32;
  dst[3] = w[3] * INV_2_32;
}

/** 128 signs ±1, one per bit, least significant bit of word 0 first. */
export function expandRademacher128(w: Uint32Array, dst: Float64Array): void {
  for (let k = 0; k < 4; k++) {
    const word = w[k];
    for (let bit = 0; bit < 32; bit++) dst[k * 32 + bit] = (word >>> bit) & 1 ? 1 : -1;
  }
}
