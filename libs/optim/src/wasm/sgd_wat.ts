/**
 * Generates the WebAssembly text (WAT) of the fused SGD pass of `sgdInPlace` in wasm
 * SIMD (128-bit, f64x2), on a shared memory imported from the caller (see
 * `SgdArena`). Each function mirrors one loop of the JS kernel in sgd-in-place.ts
 * operation for operation, two elements at a time:
 *
 *   f32 → f64 loads (`f64x2.promote_low_f32x4`), IEEE f64 mul/add/div (the same
 *   roundings as JS's doubles), Math.fround as demote-then-promote, f32 stores of
 *   the demoted lanes; no FMA or relaxed SIMD (a fused multiply-add rounds once,
 *   JS twice). The squared-norm sums are serial in element order (lane 0, then lane
 *   1), as the JS loop adds them: a tree sum would be faster and not bit-identical.
 *
 * Exports (byte addresses; n elements; n odd is finished with a one-lane step):
 *   pass_<c>_<wd>_<v>(res, g, acc, theta, out, vel, vin, n, w, total, negEta, wd, beta, z)
 *     c = 'divacc': c_i = f32((acc_i + w·g_i) / total), Σg² and Σc² at res, res + 8
 *     c = 'div':    c_i = f32((0 + w·g_i) / total)
 *     c = 'z':      c_i = g_i + z (z = ±0), Σc² at both
 *     wd ∈ {0, 1}: u = f32(c + wd·θ) or c;  u = f32(negEta·u)
 *     v ∈ {0, 1}:  u = f32(u + β·vin_i), vel_i = u (vin may be vel)
 *     out_i = f32(θ_i + u)
 *   acc_first(res, g, acc, n, w) / acc_add(…): acc_i = 0 + w·g_i / acc_i += w·g_i, Σg² at res
 *   first_non_finite(p, n) → the index of the first NaN or ±Infinity in f32 p[0, n), or −1
 *
 * `build_sgd_wasm.ts` assembles this text with wabt into `sgd_wasm_module.ts`
 * (`npm run gen:sgd-wasm -w @lnsgd/optim`).
 */

/** How c_i is formed (see the module comment). */
type CombineMode = 'divacc' | 'div' | 'z';

const COMBINE_MODES: readonly CombineMode[] = ['divacc', 'div', 'z'];

/** The name of the pass for a combine mode, weight decay and momentum. */
export function passName(mode: CombineMode, o: { wd: boolean; velocity: boolean }): string {
  return `pass_${mode}_${o.wd ? 1 : 0}_${o.velocity ? 1 : 0}`;
}

export type { CombineMode };

/** f32 round-trip of an f64x2 (Math.fround on both lanes). */
const fround = (x: string): string => `(f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero ${x}))`;

/** Adds lane 0 then lane 1 of the f64x2 in local `$t` to the scalar local `sum` (both lanes when wide). */
function serialAdd(sum: string, wide: boolean): string {
  const one = (lane: number): string => `(local.set ${sum} (f64.add (local.get ${sum}) (f64x2.extract_lane ${lane} (local.get $t))))`;
  return wide ? `${one(0)}\n${one(1)}` : one(0);
}

/** The body of one step of the pass over elements i, i+1 (wide) or i alone, with byte offsets $o4 (f32) and $o8 (f64). */
function passStep(mode: CombineMode, o: { wd: boolean; velocity: boolean; wide: boolean }): string {
  const f32 = (base: string): string =>
    `(f64x2.promote_low_f32x4 (${o.wide ? 'v128.load64_zero' : 'v128.load32_zero'} (i32.add (local.get ${base}) (local.get $o4))))`;
  const store = (base: string, x: string): string =>
    `(${o.wide ? 'v128.store64_lane' : 'v128.store32_lane'} 0 (i32.add (local.get ${base}) (local.get $o4)) (f32x4.demote_f64x2_zero ${x}))`;
  const lines: string[] = [`(local.set $g ${f32('$gp')})`];
  if (mode === 'z') {
    lines.push('(local.set $c (f64x2.add (local.get $g) (local.get $Z)))');
  } else {
    lines.push(`(local.set $t (f64x2.mul (local.get $g) (local.get $g)))`, serialAdd('$sqLast', o.wide));
    const acc =
      mode === 'divacc' ? `(${o.wide ? 'v128.load' : 'v128.load64_zero'} (i32.add (local.get $accp) (local.get $o8)))` : '(f64x2.splat (f64.const 0))';
    lines.push(`(local.set $c ${fround(`(f64x2.div (f64x2.add ${acc} (f64x2.mul (local.get $W) (local.get $g))) (local.get $TOTAL))`)})`);
  }
  lines.push('(local.set $t (f64x2.mul (local.get $c) (local.get $c)))', serialAdd('$sq', o.wide));
  lines.push(`(local.set $th ${f32('$thp')})`);
  const u0 = o.wd ? fround('(f64x2.add (local.get $c) (f64x2.mul (local.get $WD) (local.get $th)))') : '(local.get $c)';
  lines.push(`(local.set $u ${fround(`(f64x2.mul (local.get $NEG) ${u0})`)})`);
  if (o.velocity) {
    lines.push(`(local.set $u ${fround(`(f64x2.add (local.get $u) (f64x2.mul (local.get $BETA) ${f32('$vin')}))`)})`);
    lines.push(store('$vp', '(local.get $u)'));
  }
  lines.push(store('$outp', '(f64x2.add (local.get $th) (local.get $u))'));
  return lines.join('\n');
}

function passFunction(mode: CombineMode, o: { wd: boolean; velocity: boolean }): string {
  return `
(func (export "${passName(mode, o)}")
  (param $res i32) (param $gp i32) (param $accp i32) (param $thp i32) (param $outp i32) (param $vp i32) (param $vin i32) (param $n i32)
  (param $w f64) (param $total f64) (param $negEta f64) (param $wd f64) (param $beta f64) (param $z f64)
  (local $o4 i32) (local $o8 i32) (local $end4 i32) (local $sq f64) (local $sqLast f64)
  (local $W v128) (local $TOTAL v128) (local $NEG v128) (local $WD v128) (local $BETA v128) (local $Z v128)
  (local $g v128) (local $c v128) (local $th v128) (local $u v128) (local $t v128)
  (local.set $W (f64x2.splat (local.get $w)))
  (local.set $TOTAL (f64x2.splat (local.get $total)))
  (local.set $NEG (f64x2.splat (local.get $negEta)))
  (local.set $WD (f64x2.splat (local.get $wd)))
  (local.set $BETA (f64x2.splat (local.get $beta)))
  (local.set $Z (f64x2.splat (local.get $z)))
  ;; pairs: byte offsets o4 = 4i (f32), o8 = 8i (f64)
  (local.set $end4 (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 2)))
  (block $done
    (loop $pairs
      (br_if $done (i32.ge_u (local.get $o4) (local.get $end4)))
${passStep(mode, { ...o, wide: true })}
      (local.set $o4 (i32.add (local.get $o4) (i32.const 8)))
      (local.set $o8 (i32.add (local.get $o8) (i32.const 16)))
      (br $pairs)))
  (if (i32.and (local.get $n) (i32.const 1))
    (then
${passStep(mode, { ...o, wide: false })}))
  (f64.store (local.get $res) (local.get $sq))
  (f64.store offset=8 (local.get $res) ${mode === 'z' ? '(local.get $sq)' : '(local.get $sqLast)'}))`;
}

function accumulateFunction(first: boolean): string {
  const step = (wide: boolean): string => {
    const load = wide ? 'v128.load64_zero' : 'v128.load32_zero';
    const prev = first ? '(f64x2.splat (f64.const 0))' : `(${wide ? 'v128.load' : 'v128.load64_zero'} (i32.add (local.get $accp) (local.get $o8)))`;
    const store = wide ? '(v128.store' : '(v128.store64_lane 0';
    return `(local.set $g (f64x2.promote_low_f32x4 (${load} (i32.add (local.get $gp) (local.get $o4)))))
(local.set $t (f64x2.mul (local.get $g) (local.get $g)))
${serialAdd('$sq', wide)}
${store} (i32.add (local.get $accp) (local.get $o8)) (f64x2.add ${prev} (f64x2.mul (local.get $W) (local.get $g))))`;
  };
  return `
(func (export "${first ? 'acc_first' : 'acc_add'}")
  (param $res i32) (param $gp i32) (param $accp i32) (param $n i32) (param $w f64)
  (local $o4 i32) (local $o8 i32) (local $end4 i32) (local $sq f64) (local $W v128) (local $g v128) (local $t v128)
  (local.set $W (f64x2.splat (local.get $w)))
  (local.set $end4 (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 2)))
  (block $done
    (loop $pairs
      (br_if $done (i32.ge_u (local.get $o4) (local.get $end4)))
${step(true)}
      (local.set $o4 (i32.add (local.get $o4) (i32.const 8)))
      (local.set $o8 (i32.add (local.get $o8) (i32.const 16)))
      (br $pairs)))
  (if (i32.and (local.get $n) (i32.const 1))
    (then
${step(false)}))
  (f64.store (local.get $res) (local.get $sq)))`;
}

/*
 * x − x is +0 for a finite x and NaN for NaN and ±Infinity; f32x4.ne(d, d) is true
 * exactly on the NaN lanes. Four values per test, then the first bad lane by a
 * scalar search of the four (rare: the push is refused).
 */
const FIRST_NON_FINITE = `
(func (export "first_non_finite") (param $p i32) (param $n i32) (result i32)
  (local $i i32) (local $end i32) (local $d v128) (local $x f32)
  (local.set $end (i32.and (local.get $n) (i32.const -4)))
  (block $scalar
    (loop $quads
      (br_if $scalar (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $d (v128.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $d (f32x4.sub (local.get $d) (local.get $d)))
      (br_if $scalar (v128.any_true (f32x4.ne (local.get $d) (local.get $d))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $quads)))
  (block $none
    (loop $each
      (br_if $none (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $x (f32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))))
      (if (f32.ne (f32.sub (local.get $x) (local.get $x)) (f32.const 0)) (then (return (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $each)))
  (i32.const -1))`;

/** The module's text: 12 passes, the two accumulates and the finite scan, over an imported shared memory. */
export function sgdWat(): string {
  const passes: string[] = [];
  for (const mode of COMBINE_MODES) for (const wd of [false, true]) for (const velocity of [false, true]) passes.push(passFunction(mode, { wd, velocity }));
  return `(module
(import "env" "memory" (memory 1 65536 shared))
${passes.join('\n')}
${accumulateFunction(true)}
${accumulateFunction(false)}
${FIRST_NON_FINITE}
)
`;
}
