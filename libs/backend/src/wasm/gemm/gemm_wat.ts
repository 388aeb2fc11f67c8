/**
 * Generates the WebAssembly text (WAT) of a single-precision GEMM for wasm SIMD
 * (128-bit): C[M, N] = A[M, K] · B[K, N], with A row-major or
 * column-major (so a transposed A costs nothing), B row-major or any other
 * strides (a transposed B is gathered while packing), row-major C, and the
 * memory imported from the caller (the tfjs wasm backend's heap).
 *
 * Blocking: K in blocks of equal depth, at most KC (784 = 4 × 196, not
 * 3 × 256 + 16: a short last block costs a full load and store of C); per K
 * block, B's rows are packed into 8-column panels (≤ KC × 8 floats,
 * contiguous, the last one zero-padded) in a work
 * buffer, then C is computed in row blocks of MC rows (the block of A they read
 * stays in cache) and, within those, in register tiles of MR×8: 2·MR v128
 * accumulators while k runs; each k step loads two vectors of the B panel,
 * broadcasts MR values of A (`v128.load32_splat`) and does 2·MR multiplies and
 * adds: `f32x4.mul` + `f32x4.add`, or in the FMA variant one
 * `f32x4.relaxed_madd` each (relaxed SIMD; V8 emits `vfmadd231ps` where the CPU
 * has FMA3, else a multiply and an add). A is read in place: one tile function for a row-major A (a pointer per
 * row) and one for a column-major A (one pointer; e.g. Xᵀ in dW = Xᵀ·dY).
 * Columns past N (the padded panel) and rows past a multiple of MR (1-row
 * tiles) are handled without touching memory outside A, B, C and the work
 * buffer.
 *
 * `build_gemm.ts` assembles this text with wabt into `gemm_module.ts`
 * (`npm run gen:gemm -w @lnsgd/backend`).
 */

/** Tile shape and blocking. */
export interface GemmShape {
  /** Rows of a register tile (2·MR accumulators + 2 B vectors + 1 broadcast, of 16 xmm registers). */
  mr: number;
  /** Greatest depth of a K block (the packed panels of one block: KC × 32 bytes each). */
  kc: number;
  /** Rows of C per row block. */
  mc: number;
}

/**
 * Measured on a Zen 3 under V8 11.3 (CPU time, in the same process as XNNPACK):
 * MR = 4 beats 5 and 6 (those spill); unrolling k by 2 or 4 was 20-30% slower
 * (TurboFan hoists every load of the unrolled steps to the top of the loop and
 * spills the accumulators); KC 128-512 and MC 32-1024 within noise. With FMA,
 * MR = 6 (12 accumulators) still spills: TurboFan issues the six broadcasts
 * before the multiply-adds, so they are live together.
 */
export const GEMM_SHAPE: GemmShape = { mr: 4, kc: 256, mc: 64 };

/** Bytes of work buffer `gemm` needs for a product with N columns. */
export function gemmWorkBytes(n: number, shape: GemmShape = GEMM_SHAPE): number {
  return shape.kc * 8 * 4 * Math.ceil(n / 8);
}

/** Which multiply-add the tiles use. */
export interface GemmVariant {
  /**
   * `f32x4.relaxed_madd` (needs relaxed SIMD; one FMA on x64 with FMA3: 8
   * instead of 16 arithmetic instructions per k step of a 4×8 tile, ~20% faster
   * on Zen 3, and a different rounding) instead of `f32x4.mul` + `f32x4.add`.
   */
  fma: boolean;
}

/** How A is laid out: 'R' row-major (csA = 1, rows rsA apart), 'C' column-major (rsA = 1, columns csA apart). */
type ALayout = 'R' | 'C';

interface Tile {
  layout: ALayout;
  mr: number;
  /** Stores (and loads, when accumulating) only the first `cols` (1–7) columns. */
  masked: boolean;
}

const tileName = (t: Tile): string => `$tile_${t.layout}${t.mr}${t.masked ? 'm' : ''}`;

/**
 * WAT of one tile function: C tile (+)= A panel · packed B panel over kc steps.
 * Row pointers of C are recomputed after the k loop rather than kept live
 * through it (x64 has few general registers).
 */
function tileFunc(t: Tile, variant: GemmVariant): string {
  const { layout, mr, masked } = t;
  const rows = [...Array(mr).keys()];
  const vecs = [0, 1];
  const lanes = [...Array(8).keys()];
  const acc = (r: number, v: number): string => `$c${r}_${v}`;
  const lines: string[] = [];
  lines.push(`  (func ${tileName(t)} (param $pa i32) (param $rsA i32) (param $csA i32) (param $pb i32)`);
  lines.push(`    (param $pc i32) (param $ldc i32) (param $kc i32) (param $accumulate i32) (param $cols i32)`);
  lines.push(`    (local $p i32)`);
  if (layout === 'R') for (const r of rows) lines.push(`    (local $a${r} i32)`);
  for (const r of rows) for (const v of vecs) lines.push(`    (local ${acc(r, v)} v128)`);
  for (const v of vecs) lines.push(`    (local $b${v} v128)`);
  lines.push(`    (local $x v128)`);
  // Accumulators start at zero, or from C for the later K blocks.
  lines.push(`    (if (local.get $accumulate) (then`);
  lines.push(`      (local.set $p (local.get $pc))`);
  for (const r of rows) {
    if (r > 0) lines.push(`      (local.set $p (i32.add (local.get $p) (local.get $ldc)))`);
    if (!masked) {
      for (const v of vecs) lines.push(`      (local.set ${acc(r, v)} (v128.load offset=${16 * v} (local.get $p)))`);
    } else {
      for (const l of lanes) {
        const a = acc(r, l >> 2);
        lines.push(
          `      (if (i32.gt_u (local.get $cols) (i32.const ${l})) (then (local.set ${a} ` +
            `(f32x4.replace_lane ${l & 3} (local.get ${a}) (f32.load offset=${4 * l} (local.get $p))))))`,
        );
      }
    }
  }
  lines.push(`    ))`);
  // A's pointers.
  if (layout === 'C') {
    lines.push(`    (local.set $p (local.get $pa))`);
  } else {
    lines.push(`    (local.set $a0 (local.get $pa))`);
    for (const r of rows.slice(1)) lines.push(`    (local.set $a${r} (i32.add (local.get $a${r - 1}) (local.get $rsA)))`);
  }
  // One k step per iteration; the loop ends when $pb reaches the panel's end
  // (no separate counter to keep in a register or spill).
  lines.push(`    (local.set $kc (i32.add (local.get $pb) (i32.shl (local.get $kc) (i32.const 5))))`);
  lines.push(`    (loop $k`);
  for (const v of vecs) lines.push(`      (local.set $b${v} (v128.load offset=${16 * v} (local.get $pb)))`);
  for (const r of rows) {
    const load = layout === 'C' ? `(v128.load32_splat offset=${4 * r} (local.get $p))` : `(v128.load32_splat (local.get $a${r}))`;
    lines.push(`      (local.set $x ${load})`);
    for (const v of vecs) {
      lines.push(
        variant.fma
          ? `      (local.set ${acc(r, v)} (f32x4.relaxed_madd (local.get $x) (local.get $b${v}) (local.get ${acc(r, v)})))`
          : `      (local.set ${acc(r, v)} (f32x4.add (local.get ${acc(r, v)}) (f32x4.mul (local.get $x) (local.get $b${v}))))`,
      );
    }
  }
  lines.push(`      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))`);
  if (layout === 'C') lines.push(`      (local.set $p (i32.add (local.get $p) (local.get $csA)))`);
  else for (const r of rows) lines.push(`      (local.set $a${r} (i32.add (local.get $a${r}) (i32.const 4)))`);
  lines.push(`      (br_if $k (i32.ne (local.get $pb) (local.get $kc))))`);
  lines.push(`    (local.set $p (local.get $pc))`);
  for (const r of rows) {
    if (r > 0) lines.push(`    (local.set $p (i32.add (local.get $p) (local.get $ldc)))`);
    if (!masked) {
      for (const v of vecs) lines.push(`    (v128.store offset=${16 * v} (local.get $p) (local.get ${acc(r, v)}))`);
    } else {
      for (const l of lanes) {
        lines.push(
          `    (if (i32.gt_u (local.get $cols) (i32.const ${l})) (then ` +
            `(f32.store offset=${4 * l} (local.get $p) (f32x4.extract_lane ${l & 3} (local.get ${acc(r, l >> 2)})))))`,
        );
      }
    }
  }
  lines.push(`  )`);
  return lines.join('\n');
}

/** WAT that packs rows [k0, k0 + kc) of B into 8-column panels at $work (the last one zero-padded). */
const PACK_B = `  (func $pack_b (param $b i32) (param $ldb i32) (param $n i32) (param $kc i32) (param $work i32)
    (local $j i32) (local $src i32) (local $rowEnd i32) (local $end i32) (local $cols i32) (local $l i32)
    ;; full panels: two vectors per row
    (block $full_done (loop $full
      (br_if $full_done (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
      (local.set $src (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $end (i32.add (local.get $work) (i32.shl (local.get $kc) (i32.const 5))))
      (loop $rows
        (v128.store (local.get $work) (v128.load (local.get $src)))
        (v128.store offset=16 (local.get $work) (v128.load offset=16 (local.get $src)))
        (local.set $src (i32.add (local.get $src) (local.get $ldb)))
        (br_if $rows (i32.ne (local.tee $work (i32.add (local.get $work) (i32.const 32))) (local.get $end))))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $full)))
    ;; the last, partial panel: zeros, then the columns that exist
    (local.set $cols (i32.sub (local.get $n) (local.get $j)))
    (if (i32.gt_u (local.get $cols) (i32.const 0)) (then
      (local.set $src (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $end (i32.add (local.get $work) (i32.shl (local.get $kc) (i32.const 5))))
      (loop $rows
        (v128.store (local.get $work) (v128.const i32x4 0 0 0 0))
        (v128.store offset=16 (local.get $work) (v128.const i32x4 0 0 0 0))
        (local.set $l (i32.const 0))
        (loop $lanes
          (f32.store (i32.add (local.get $work) (i32.shl (local.get $l) (i32.const 2)))
            (f32.load (i32.add (local.get $src) (i32.shl (local.get $l) (i32.const 2)))))
          (br_if $lanes (i32.lt_u (local.tee $l (i32.add (local.get $l) (i32.const 1))) (local.get $cols))))
        (local.set $src (i32.add (local.get $src) (local.get $ldb)))
        (br_if $rows (i32.ne (local.tee $work (i32.add (local.get $work) (i32.const 32))) (local.get $end))))))
  )`;

/**
 * WAT that packs rows [k0, k0 + kc) of a B with any column stride (bytes): B's
 * element (k, j) at $b + k·$ldb + j·$csB, e.g. a stored Bᵀ (ldb = 4 bytes). One
 * scalar load per element: meant for a transposed B, which would otherwise be
 * transposed explicitly (a kernel call, an allocation and the same number of loads).
 */
const PACK_B_STRIDED = `  (func $pack_b_strided (param $b i32) (param $ldb i32) (param $csB i32) (param $n i32) (param $kc i32) (param $work i32)
    (local $j i32) (local $src i32) (local $end i32) (local $cols i32) (local $l i32) (local $p i32)
    (block $panels_done (loop $panels
      (br_if $panels_done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $cols (i32.sub (local.get $n) (local.get $j)))
      (if (i32.gt_u (local.get $cols) (i32.const 8)) (then (local.set $cols (i32.const 8))))
      (local.set $src (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $csB))))
      (local.set $end (i32.add (local.get $work) (i32.shl (local.get $kc) (i32.const 5))))
      (loop $rows
        (v128.store (local.get $work) (v128.const i32x4 0 0 0 0))
        (v128.store offset=16 (local.get $work) (v128.const i32x4 0 0 0 0))
        (local.set $l (i32.const 0))
        (local.set $p (local.get $src))
        (loop $lanes
          (f32.store (i32.add (local.get $work) (i32.shl (local.get $l) (i32.const 2))) (f32.load (local.get $p)))
          (local.set $p (i32.add (local.get $p) (local.get $csB)))
          (br_if $lanes (i32.lt_u (local.tee $l (i32.add (local.get $l) (i32.const 1))) (local.get $cols))))
        (local.set $src (i32.add (local.get $src) (local.get $ldb)))
        (br_if $rows (i32.ne (local.tee $work (i32.add (local.get $work) (i32.const 32))) (local.get $end))))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $panels)))
  )`;

/**
 * WAT of `colsum(x, rows, cols, out)`: out[j] = Σ_i x[i, j] for a row-major
 * [rows, cols] x (a bias gradient), accumulated in float64 (f64x2) four columns
 * at a time, then rounded to float32; rows ≥ 0, cols ≥ 1.
 */
const COLSUM = `  (func (export "colsum") (param $x i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $j i32) (local $p i32) (local $r i32) (local $v v128) (local $lo v128) (local $hi v128) (local $s f64) (local $ld i32)
    (local.set $ld (i32.shl (local.get $cols) (i32.const 2)))
    (block $vec_done (loop $vec
      (br_if $vec_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $cols)))
      (local.set $p (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $lo (v128.const i32x4 0 0 0 0))
      (local.set $hi (v128.const i32x4 0 0 0 0))
      (local.set $r (local.get $rows))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.eqz (local.get $r)))
        (local.set $v (v128.load (local.get $p)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $v) (local.get $v)))))
        (local.set $p (i32.add (local.get $p) (local.get $ld)))
        (local.set $r (i32.sub (local.get $r) (i32.const 1)))
        (br $rows)))
      (v128.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (local.get $lo)) (f32x4.demote_f64x2_zero (local.get $hi))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $vec)))
    (block $tail_done (loop $tail
      (br_if $tail_done (i32.ge_u (local.get $j) (local.get $cols)))
      (local.set $p (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $s (f64.const 0))
      (local.set $r (local.get $rows))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.eqz (local.get $r)))
        (local.set $s (f64.add (local.get $s) (f64.promote_f32 (f32.load (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (local.get $ld)))
        (local.set $r (i32.sub (local.get $r) (i32.const 1)))
        (br $rows)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $s)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $tail)))
  )`;

/**
 * WAT of `addrows(x, rows, cols, bias, out)`: out[i, j] = x[i, j] + bias[j] for a
 * row-major [rows, cols] x (adding a bias), four columns a vector, a scalar
 * tail per row; out may be x; rows ≥ 0, cols ≥ 1.
 */
const ADD_ROWS = `  (func (export "addrows") (param $x i32) (param $rows i32) (param $cols i32) (param $bias i32) (param $out i32)
    (local $j i32) (local $vecEnd i32) (local $ld i32) (local $o i32)
    (local.set $ld (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $vecEnd (i32.and (local.get $ld) (i32.const -16)))
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.eqz (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $vec_done (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $j) (local.get $vecEnd)))
        (local.set $o (i32.add (local.get $out) (local.get $j)))
        (v128.store (local.get $o) (f32x4.add (v128.load (i32.add (local.get $x) (local.get $j)))
          (v128.load (i32.add (local.get $bias) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $vec)))
      (block $tail_done (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $j) (local.get $ld)))
        (f32.store (i32.add (local.get $out) (local.get $j)) (f32.add (f32.load (i32.add (local.get $x) (local.get $j)))
          (f32.load (i32.add (local.get $bias) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail)))
      (local.set $x (i32.add (local.get $x) (local.get $ld)))
      (local.set $out (i32.add (local.get $out) (local.get $ld)))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $rows)))
  )`;

/** WAT of the tiles of one row block for one column panel: MR-row tiles, then 1-row tiles. */
function rowLoop(layout: ALayout, masked: boolean, mr: number): string {
  const call = (rows: number): string =>
    `(call ${tileName({ layout, mr: rows, masked })} (i32.add (local.get $pak) (i32.mul (local.get $i) (local.get $rsA))) (local.get $rsA) (local.get $csA)
            (local.get $panel) (i32.add (local.get $cj) (i32.mul (local.get $i) (local.get $ldc))) (local.get $ldc)
            (local.get $kc) (local.get $accumulate) (local.get $cols))`;
  return `          (local.set $i (local.get $i0))
          (block $rows_done (loop $rows
            (br_if $rows_done (i32.gt_u (i32.add (local.get $i) (i32.const ${mr})) (local.get $iEnd)))
            ${call(mr)}
            (local.set $i (i32.add (local.get $i) (i32.const ${mr})))
            (br $rows)))
          (block $tail_done (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $i) (local.get $iEnd)))
            ${call(1)}
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $tail)))`;
}

/**
 * The whole module's WAT. Export `gemm(m, n, k, a, rsA, csA, b, ldb, csB, c, ldc, work)`:
 * byte addresses a, b, c and work (16-byte aligned, {@link gemmWorkBytes}(n)
 * bytes); strides in elements; m, n, k ≥ 1; A row-major (csA = 1) or
 * column-major (rsA = 1, any other csA); B's element (k, j) at b + 4·(k·ldb + j·csB)
 * (csB = 1: row-major, packed with vector copies; otherwise gathered, e.g. a
 * stored Bᵀ with ldb = 1, csB = K). Also exports `colsum` and `addrows`. With
 * `variant.fma` the module needs relaxed SIMD (colsum and addrows are the same).
 */
export function gemmWat(shape: GemmShape = GEMM_SHAPE, variant: GemmVariant = { fma: false }): string {
  const { mr, kc, mc } = shape;
  const tiles: string[] = [];
  for (const layout of ['R', 'C'] as const) {
    for (const rows of [mr, 1]) for (const masked of [false, true]) tiles.push(tileFunc({ layout, mr: rows, masked }, variant));
  }
  const panels = (layout: ALayout): string => `        (local.set $j (i32.const 0))
        (local.set $panel (local.get $work))
        (block $cols_done (loop $cols
          (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
          (local.set $cols (i32.sub (local.get $n) (local.get $j)))
          (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
          (if (i32.ge_u (local.get $cols) (i32.const 8)) (then
${rowLoop(layout, false, mr)}
          ) (else
${rowLoop(layout, true, mr)}
          ))
          (local.set $panel (i32.add (local.get $panel) (i32.shl (local.get $kc) (i32.const 5))))
          (local.set $j (i32.add (local.get $j) (i32.const 8)))
          (br $cols)))`;
  return `;; Generated by gemm_wat.ts (MR = ${mr}, KC = ${kc}, MC = ${mc}${variant.fma ? ', FMA' : ''}); do not edit.
(module
  (import "env" "memory" (memory 0))
${tiles.join('\n')}
${PACK_B}
${PACK_B_STRIDED}
${COLSUM}
${ADD_ROWS}
  (func (export "gemm") (param $m i32) (param $n i32) (param $k i32) (param $a i32) (param $rsA i32) (param $csA i32)
    (param $b i32) (param $ldb i32) (param $csB i32) (param $c i32) (param $ldc i32) (param $work i32)
    (local $k0 i32) (local $kc i32) (local $accumulate i32) (local $pak i32) (local $i0 i32) (local $iEnd i32)
    (local $i i32) (local $j i32) (local $cols i32) (local $cj i32) (local $panel i32) (local $rowMajor i32) (local $kcb i32)
    (local.set $rowMajor (i32.eq (local.get $csA) (i32.const 1)))
    ;; K blocks of equal depth (at most KC): no short last block
    (local.set $kcb (i32.div_u (i32.add (local.get $k) (i32.const ${kc - 1})) (i32.const ${kc})))
    (local.set $kcb (i32.div_u (i32.add (local.get $k) (i32.sub (local.get $kcb) (i32.const 1))) (local.get $kcb)))
    (local.set $rsA (i32.shl (local.get $rsA) (i32.const 2)))
    (local.set $csA (i32.shl (local.get $csA) (i32.const 2)))
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $csB (i32.shl (local.get $csB) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (block $k_done (loop $kblocks
      (br_if $k_done (i32.ge_u (local.get $k0) (local.get $k)))
      (local.set $kc (i32.sub (local.get $k) (local.get $k0)))
      (if (i32.gt_u (local.get $kc) (local.get $kcb)) (then (local.set $kc (local.get $kcb))))
      (local.set $accumulate (i32.ne (local.get $k0) (i32.const 0)))
      (local.set $pak (i32.add (local.get $a) (i32.mul (local.get $k0) (local.get $csA))))
      (if (i32.eq (local.get $csB) (i32.const 4)) (then
        (call $pack_b (i32.add (local.get $b) (i32.mul (local.get $k0) (local.get $ldb))) (local.get $ldb) (local.get $n)
          (local.get $kc) (local.get $work))
      ) (else
        (call $pack_b_strided (i32.add (local.get $b) (i32.mul (local.get $k0) (local.get $ldb))) (local.get $ldb) (local.get $csB)
          (local.get $n) (local.get $kc) (local.get $work))
      ))
      (local.set $i0 (i32.const 0))
      (block $blocks_done (loop $blocks
        (br_if $blocks_done (i32.ge_u (local.get $i0) (local.get $m)))
        (local.set $iEnd (i32.add (local.get $i0) (i32.const ${mc})))
        (if (i32.gt_u (local.get $iEnd) (local.get $m)) (then (local.set $iEnd (local.get $m))))
        (if (local.get $rowMajor) (then
${panels('R')}
        ) (else
${panels('C')}
        ))
        (local.set $i0 (local.get $iEnd))
        (br $blocks)))
      (local.set $k0 (i32.add (local.get $k0) (local.get $kc)))
      (br $kblocks)))
  )
)
`;
}
