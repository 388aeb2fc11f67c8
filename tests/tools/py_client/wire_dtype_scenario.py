"""Gradient wire dtype, from a third-party client: 2 ranks push bfloat16 or float16 frames
(bit patterns made here: the documented rules, checked against PyTorch and numpy) to
one shard started by the test with --wire-dtype; θ must equal the float64 recipe on the
decoded values bit for bit; a frame in another dtype, a frame of the wrong byte length
and a value that encodes to ±Inf are refused as documented.

Usage: wire_dtype_scenario.py CONFIG_JSON  with {"endpoints": [one], "dtype", "batch",
"steps" (>= 3), "lr", "momentum", "weight_decay", "warmup_steps"}. Prints one JSON report.
"""
import json
import sys

import numpy as np
import torch
import zmq

import lnsgd_wire as w

cfg = json.loads(sys.argv[1])
dtype = cfg["dtype"]
report = w.Report()
rng = np.random.default_rng(21)
ctx = zmq.Context()
ranks = [w.Worker(ctx, cfg["endpoints"], f"py-{r}", r) for r in range(2)]
ids = [wk.send_register(0) for wk in ranks]
for wk, rid in zip(ranks, ids):
    wk.take_assignment(0, rid)
a = ranks[0].assign[0]
report.equal("assignment: wire_dtype", a.run.wire_dtype, dtype)
n, part = a.range.length, a.part_length
shares = {wk.rank: wk.assign[0].share for wk in ranks}
weights = {r: w.block_size(a.run.batch, shares[r].index, shares[r].count) for r in shares}
theta0 = ranks[0].pull(0)
ref = w.ReferenceShard(theta0, cfg["lr"], cfg["momentum"], cfg["weight_decay"], cfg["warmup_steps"])


def gradient():
    """Values that exercise the rounding: normals over many binades, exact ties of the
    target format, float16 subnormals, values near the float16 maximum."""
    g = (rng.standard_normal(n) * np.exp2(rng.integers(-20, 8, n))).astype(np.float32)
    k = n // 10
    if dtype == "bfloat16":
        g[:k] = (rng.integers(1, 1 << 7, k).astype(np.uint32) << 16 | 0x8000).view(np.float32)  # halfway: ties to even
    else:
        g[:k] = (np.float32(1) + (2 * rng.integers(0, 512, k) + 1).astype(np.float32) * np.float32(2**-11)).astype(np.float32)  # halfway in binary16
        g[k : 2 * k] = rng.uniform(-6e-5, 6e-5, k).astype(np.float32)  # subnormal binary16
        g[2 * k] = np.float32(65504)
    return g


# The encoders match PyTorch's casts bit for bit (the documented rules are the standard ones).
probe = gradient()
t = torch.from_numpy(probe)
if dtype == "bfloat16":
    theirs = t.to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16)
    mine = w.bf16_encode(probe)
else:
    theirs = t.to(torch.float16).view(torch.int16).numpy().view(np.uint16)
    mine = w.f16_encode(probe)
report.check(f"encoder: {dtype} bits equal PyTorch's", np.array_equal(mine, theirs), f"{int(np.sum(mine != theirs))} of {n} differ")

refusals = []


def refused(case, wk, msgs, code, needle=None):
    rid = wk.send_push(0, msgs)
    got = wk.conns[0].replies(rid)
    err = w.error_of(got[-1:])
    name = w.code_name(err.code) if err else w.describe(got[-1])
    refusals.append((case, code, name))
    report.equal(f"hostile: {case}", name, code)
    if needle and err:
        report.check(f"hostile: {case}: message names {needle}", all(x.lower() in err.message.lower() for x in needle), err.message)


for step in range(cfg["steps"]):
    grads = {r: gradient() for r in shares}
    losses = {r: float(rng.uniform(0.5, 2)) for r in shares}
    wk = ranks[1]
    if step == 0:
        # A float32 frame in a half-precision run: BAD_SHAPE naming both dtypes.
        m = wk.push_messages(0, step, weights[1], losses[1], grads[1], "float32", part, shares[1])
        refused("a float32 frame in a " + dtype + " run", wk, m, "BAD_SHAPE", [dtype, "float32"])
        # The right dtype but 4 bytes an element: BAD_SHAPE.
        m = wk.push_messages(0, step, weights[1], losses[1], grads[1], dtype, part, shares[1])
        env, data = m[0]
        m[0] = (env, data + data)
        env.push.grad.checksum = w.crc(data + data)
        refused("a frame of 4·length bytes", wk, m, "BAD_SHAPE")
    if step == 1:
        # A value past the format's largest finite one encodes to Inf: NON_FINITE.
        big = grads[1].copy()
        big[n - 1] = np.float32(7e4) if dtype == "float16" else np.float32(3.4e38)
        m = wk.push_messages(0, step, weights[1], losses[1], big, dtype, part, shares[1])
        refused("a value that rounds to Inf", wk, m, "NON_FINITE")
        # A NaN stays a NaN: NON_FINITE.
        nan = grads[1].copy()
        nan[3] = np.nan
        m = wk.push_messages(0, step, weights[1], losses[1], nan, dtype, 0, shares[1])
        refused("a NaN", wk, m, "NON_FINITE")
    rids = [wk.send_push(0, wk.push_messages(0, step, weights[wk.rank], losses[wk.rank], grads[wk.rank], dtype, part if wk.rank == 0 else 0, shares[wk.rank])) for wk in ranks]
    decoded = {r: w.encode(g, dtype)[1] for r, g in grads.items()}
    report.check(f"step {step}: the {dtype} frames round (decoded ≠ float32)", any(not np.array_equal(decoded[r], grads[r]) for r in grads))
    ref.step([(shares[r].index, weights[r], decoded[r]) for r in decoded])
    for wk, rid in zip(ranks, rids):
        msgs = wk.conns[0].replies(rid)
        try:
            theta = w.assemble(msgs, a.range)
        except RuntimeError as e:
            report.check(f"step {step}: rank {wk.rank} got Params", False, e)
            continue
        report.check(
            f"step {step}: rank {wk.rank} θ equals the float64 recipe on the decoded values bit for bit",
            np.array_equal(theta.view(np.uint32), ref.theta.view(np.uint32)),
            f"{int(np.sum(theta.view(np.uint32) != ref.theta.view(np.uint32)))} of {n} keys differ",
        )

report.facts["hostile"] = refusals
for wk in ranks:
    wk.goodbye()
    wk.close()
report.dump()
