/**
 * Generates the WebAssembly text (WAT) of a single-precision GEMM for wasm SIMD
 * (128-bit, no FMA): C[M, N] = A[M, K] · B[K, N], with any row and column
 * strides for A (so Aᵀ costs nothing), row-major B and C, and the memory
 * imported from the caller (the tfjs wasm backend's heap).
 *
 * Register blocking: an MR×8 tile of C lives in 2·MR v128 locals while k runs;
 * each k step loads two vectors of B, broadcasts MR values of A
 * (`v128.load32_splat`) and does 2·MR multiplies and adds. K is blocked by KC
 * so a block's 8-column panel of B stays in L1. Nothing is packed: A is read
 * in place through its strides, with one tile function for a row-major A and
 * one for a column-major A (a transposed operand, e.g. Xᵀ in dW = Xᵀ·dY).
 * MR = 4 measured fastest on a Zen 3 (V8 11.3: ~22 GFLOP/s of CPU time against
 * ~18–19 for XNNPACK's f32 GEMM in the same process, both under load); MR = 5
 * and 6 ran out of registers. Column tails use a 4-wide tile,
 * then a 4-wide tile that stores only the valid lanes; row tails a 1-row tile.
 * The masked tile reads up to 12 bytes past the end of a row of B and of C
 * (never written): the caller keeps 16 bytes of slack before the end of memory.
 *
 * `build_gemm.ts` assembles this text with wabt into `gemm_module.ts`
 * (`npm run gen:gemm -w @lnsgd/backend`).
 */

/** Rows of the main register tile (2·MR accumulators + 2 B vectors + 1 broadcast, of 16 xmm registers). */
export const GEMM_MR = 4;
/** Depth of a K block. */
export const GEMM_KC = 256;

/** How A is laid out: 'R' row-major (csA = 1, rows rsA apart), 'C' column-major (rsA = 1, columns csA apart). */
type ALayout = 'R' | 'C';

/**
 * WAT of one tile function `$tile_{layout}{mr}x{nv}[m]`: C tile (+)= A panel · B
 * panel over kc steps. Row pointers of C are recomputed after the k loop rather
 * than kept live through it (x64 has few general registers).
 */
function tileFunc(tile: { layout: ALayout; mr: number; nv: number; masked: boolean }): string {
  const { layout, mr, nv, masked } = tile;
  const name = `$tile_${layout}${mr}x${nv}${masked ? 'm' : ''}`;
  const rows = [...Array(mr).keys()];
  const vecs = [...Array(nv).keys()];
  const acc = (r: number, v: number): string => `$c${r}_${v}`;
  const lines: string[] = [];
  lines.push(`  (func ${name} (param $pa i32) (param $rsA i32) (param $csA i32) (param $pb i32) (param $ldb i32)`);
  lines.push(`    (param $pc i32) (param $ldc i32) (param $kc i32) (param $accumulate i32) (param $cols i32)`);
  lines.push(`    (local $p i32)`);
  if (layout === 'R') for (const r of rows) lines.push(`    (local $a${r} i32)`);
  for (const r of rows) for (const v of vecs) lines.push(`    (local ${acc(r, v)} v128)`);
  for (const v of vecs) lines.push(`    (local $b${v} v128)`);
  lines.push(`    (local $x v128)`);
  // Accumulators start from C (later K blocks) or zero.
  lines.push(`    (if (local.get $accumulate) (then`);
  lines.push(`      (local.set $p (local.get $pc))`);
  for (const r of rows) {
    if (r > 0) lines.push(`      (local.set $p (i32.add (local.get $p) (local.get $ldc)))`);
    for (const v of vecs) lines.push(`      (local.set ${acc(r, v)} (v128.load offset=${16 * v} (local.get $p)))`);
  }
  lines.push(`    ) (else`);
  for (const r of rows) for (const v of vecs) lines.push(`      (local.set ${acc(r, v)} (v128.const i32x4 0 0 0 0))`);
  lines.push(`    ))`);
  /** One k step: B row at $pb, A values from `aLoad(r)`. */
  const step = (aLoad: (r: number) => string, indent: string): void => {
    for (const v of vecs) lines.push(`${indent}(local.set $b${v} (v128.load offset=${16 * v} (local.get $pb)))`);
    for (const r of rows) {
      lines.push(`${indent}(local.set $x ${aLoad(r)})`);
      for (const v of vecs) {
        lines.push(`${indent}(local.set ${acc(r, v)} (f32x4.add (local.get ${acc(r, v)}) (f32x4.mul (local.get $x) (local.get $b${v}))))`);
      }
    }
    lines.push(`${indent}(local.set $pb (i32.add (local.get $pb) (local.get $ldb)))`);
  };
  if (layout === 'C') {
    // A(i, k) for the tile's rows are adjacent: one pointer, immediate offsets.
    lines.push(`    (local.set $p (local.get $pa))`);
    lines.push(`    (loop $k`);
    step((r) => `(v128.load32_splat offset=${4 * r} (local.get $p))`, '      ');
    lines.push(`      (local.set $p (i32.add (local.get $p) (local.get $csA)))`);
    lines.push(`      (br_if $k (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))`);
  } else {
    // A row-major: one pointer per row, each moving 4 bytes per k. (Unrolling k
    // by 2 or 4 with immediate offsets measured 5–15% slower under V8 11.3.)
    lines.push(`    (local.set $a0 (local.get $pa))`);
    for (const r of rows.slice(1)) lines.push(`    (local.set $a${r} (i32.add (local.get $a${r - 1}) (local.get $rsA)))`);
    lines.push(`    (loop $k`);
    step((r) => `(v128.load32_splat (local.get $a${r}))`, '      ');
    for (const r of rows) lines.push(`      (local.set $a${r} (i32.add (local.get $a${r}) (i32.const 4)))`);
    lines.push(`      (br_if $k (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))`);
  }
  lines.push(`    (local.set $p (local.get $pc))`);
  for (const r of rows) {
    if (r > 0) lines.push(`    (local.set $p (i32.add (local.get $p) (local.get $ldc)))`);
    if (!masked) {
      for (const v of vecs) lines.push(`    (v128.store offset=${16 * v} (local.get $p) (local.get ${acc(r, v)}))`);
    } else {
      // nv = 1, 1 ≤ cols ≤ 3 valid lanes.
      lines.push(`    (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get ${acc(r, 0)})))`);
      lines.push(`    (if (i32.gt_u (local.get $cols) (i32.const 1)) (then (f32.store offset=4 (local.get $p) (f32x4.extract_lane 1 (local.get ${acc(r, 0)})))))`);
      lines.push(`    (if (i32.gt_u (local.get $cols) (i32.const 2)) (then (f32.store offset=8 (local.get $p) (f32x4.extract_lane 2 (local.get ${acc(r, 0)})))))`);
    }
  }
  lines.push(`  )`);
  return lines.join('\n');
}

/** WAT of the loop over row tiles of one column panel: `mr`-row tiles, then 1-row tiles. */
function rowLoop(layout: ALayout, tile: { mr: number; nv: number; masked: boolean }): string {
  const { mr, nv, masked } = tile;
  const sfx = `${nv}${masked ? 'm' : ''}`;
  const call = (rows: number): string =>
    `(call $tile_${layout}${rows}x${sfx} (i32.add (local.get $pak) (i32.mul (local.get $i) (local.get $rsA))) (local.get $rsA) (local.get $csA)
          (i32.add (local.get $pbk) (i32.shl (local.get $j) (i32.const 2))) (local.get $ldb)
          (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))) (i32.shl (local.get $j) (i32.const 2))) (local.get $ldc)
          (local.get $kc) (local.get $accumulate) (i32.sub (local.get $n) (local.get $j)))`;
  return `      (local.set $i (i32.const 0))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.gt_u (i32.add (local.get $i) (i32.const ${mr})) (local.get $m)))
        ${call(mr)}
        (local.set $i (i32.add (local.get $i) (i32.const ${mr})))
        (br $rows)))
      (block $tail_done (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $m)))
        ${call(1)}
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))`;
}

/** Column panels of one K block for one A layout: 8-wide, then 4-wide, then the masked 1–3 columns. */
function kBlockBody(layout: ALayout, mr: number): string {
  return `      (local.set $j (i32.const 0))
      (block $cols_done (loop $cols
        (br_if $cols_done (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
${rowLoop(layout, { mr, nv: 2, masked: false })}
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $cols)))
      (if (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)) (then
${rowLoop(layout, { mr, nv: 1, masked: false })}
        (local.set $j (i32.add (local.get $j) (i32.const 4)))))
      (if (i32.lt_u (local.get $j) (local.get $n)) (then
${rowLoop(layout, { mr, nv: 1, masked: true })}))`;
}

/** Tile rows per A layout and the K block depth. */
export interface GemmShape {
  mrR: number;
  mrC: number;
  kc: number;
}

/**
 * The whole module's WAT. Export `gemm(m, n, k, a, rsA, csA, b, ldb, c, ldc)`:
 * byte addresses a, b, c; strides in elements; m, n, k ≥ 1; A row-major
 * (csA = 1) or column-major (rsA = 1, any other csA).
 */
export function gemmWat(shape: GemmShape = { mrR: GEMM_MR, mrC: GEMM_MR, kc: GEMM_KC }): string {
  const { mrR, mrC, kc } = shape;
  const tiles: string[] = [];
  for (const [layout, mr] of [['R', mrR], ['C', mrC]] as const) {
    for (const rows of [mr, 1]) {
      tiles.push(tileFunc({ layout, mr: rows, nv: 2, masked: false }));
      tiles.push(tileFunc({ layout, mr: rows, nv: 1, masked: false }));
      tiles.push(tileFunc({ layout, mr: rows, nv: 1, masked: true }));
    }
  }
  return `;; Generated by gemm_wat.ts (rows per tile ${mrR} for a row-major A, ${mrC} for a column-major A; K blocks of ${kc}); do not edit.
(module
  (import "env" "memory" (memory 0))
${tiles.join('\n')}
  (func (export "gemm") (param $m i32) (param $n i32) (param $k i32) (param $a i32) (param $rsA i32) (param $csA i32)
    (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32)
    (local $k0 i32) (local $kc i32) (local $accumulate i32) (local $pak i32) (local $pbk i32) (local $i i32) (local $j i32)
    (local $rowMajor i32)
    (local.set $rowMajor (i32.eq (local.get $csA) (i32.const 1)))
    (local.set $rsA (i32.shl (local.get $rsA) (i32.const 2)))
    (local.set $csA (i32.shl (local.get $csA) (i32.const 2)))
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (block $k_done (loop $kblocks
      (br_if $k_done (i32.ge_u (local.get $k0) (local.get $k)))
      (local.set $kc (i32.sub (local.get $k) (local.get $k0)))
      (if (i32.gt_u (local.get $kc) (i32.const ${kc})) (then (local.set $kc (i32.const ${kc}))))
      (local.set $accumulate (i32.ne (local.get $k0) (i32.const 0)))
      (local.set $pak (i32.add (local.get $a) (i32.mul (local.get $k0) (local.get $csA))))
      (local.set $pbk (i32.add (local.get $b) (i32.mul (local.get $k0) (local.get $ldb))))
      (if (local.get $rowMajor) (then
${kBlockBody('R', mrR)}
      ) (else
${kBlockBody('C', mrC)}
      ))
      (local.set $k0 (i32.add (local.get $k0) (local.get $kc)))
      (br $kblocks)))
  )
)
`;
}
