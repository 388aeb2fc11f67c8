/**
 * A Hessian-vector product v ↦ ∇²L(θ)·v at a fixed θ, in float64, dimension n.
 * Every estimator in this lib takes one of these and never touches a backend.
 *
 * @example const hvp: Hvp = explicitHvp(new Float64Array([2, 0, 0, 1]), 2);
 */
export type Hvp = (v: Float64Array) => Float64Array;

/**
 * Several Hessian-vector products at once, [v_1…v_k] ↦ [Hv_1…Hv_k], e.g. one estimation
 * round carrying a block of directions. Must give each product as the plain Hvp would.
 */
export type HvpBlock = (vs: readonly Float64Array[]) => Float64Array[];
