import type { ParamSpec } from '../model';
import { fillNormal } from './rng';

/** How one weight tensor starts. */
export type ParamInit = { readonly kind: 'normal'; readonly std: number } | { readonly kind: 'constant'; readonly value: number };

/**
 * θ with every weight tensor initialised by `rule`; tensor i draws from its own
 * MODEL_INIT stream (i), so adding a layer at the end leaves the others unchanged.
 */
export function initParams(params: readonly ParamSpec[], seed: number, rule: (p: ParamSpec) => ParamInit): Float32Array {
  const last = params[params.length - 1];
  const theta = new Float32Array(last === undefined ? 0 : last.offset + last.size);
  params.forEach((p, i) => {
    const init = rule(p);
    const view = theta.subarray(p.offset, p.offset + p.size);
    switch (init.kind) {
      case 'normal':
        fillNormal(view, { seed, domain: 'MODEL_INIT', stream: i }, { std: init.std });
        break;
      case 'constant':
        view.fill(init.value);
        break;
    }
  });
  return theta;
}

/** Fan-in of a dense [in, out] or conv [kh, kw, in, out] kernel. */
export function fanIn(shape: readonly number[]): number {
  return shape.slice(0, -1).reduce((a, b) => a * b, 1);
}
