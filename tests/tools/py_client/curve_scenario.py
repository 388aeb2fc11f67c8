"""CURVE from a third-party client: a shard started by the test with its own key pair
(LNSGD_CURVE_PUBLIC_KEY / SECRET_KEY) and LNSGD_CURVE_ALLOWED_CLIENTS listing one client
key. A pyzmq DEALER with that pair and the shard's public key trains the run (one rank)
and says goodbye; θ equals the numpy float64 recipe bit for bit. A client with another
pair, and one without CURVE, reach nothing: their Register is never answered.

Usage: curve_scenario.py CONFIG_JSON  with {"endpoints": [one], "server_public",
"client": {"public", "secret"}, "stranger": {"public", "secret"}, "steps", "lr",
"momentum", "weight_decay", "warmup_steps", "silence_s"}. Prints one JSON report.
"""
import json
import sys

import numpy as np
import zmq

import lnsgd_wire as w

cfg = json.loads(sys.argv[1])
report = w.Report()
rng = np.random.default_rng(24)
ctx = zmq.Context()
endpoints = cfg["endpoints"]
report.check("pyzmq has CURVE", zmq.has("curve"))

# Strangers first: another key pair, and no CURVE at all. Neither may get an answer.
stranger = w.Worker(ctx, endpoints, "py-stranger", -1, {**cfg["stranger"], "server": cfg["server_public"]})
plain = w.Worker(ctx, endpoints, "py-plain", -1)
ids = [(name, wk, wk.send_register(0)) for name, wk in (("another key pair", stranger), ("no CURVE", plain))]

wk = w.Worker(ctx, endpoints, "py-curve", 0, {**cfg["client"], "server": cfg["server_public"]})
a = wk.take_assignment(0, wk.send_register(0), 30)
report.equal("allowed client: assigned rank 0", a.rank, 0)
theta0 = wk.pull(0)
ref = w.ReferenceShard(theta0, cfg["lr"], cfg["momentum"], cfg["weight_decay"], cfg["warmup_steps"])
B = a.run.batch
for step in range(cfg["steps"]):
    g = rng.standard_normal(a.range.length).astype(np.float32)
    msgs = wk.push_messages(0, step, w.block_size(B, a.share.index, a.share.count), 1.0, g, share=a.share)
    got = wk.conns[0].replies(wk.send_push(0, msgs))
    ref.step([(a.share.index, w.block_size(B, a.share.index, a.share.count), g)])
    if not report.check(f"step {step}: answered with Params", got[-1][0].WhichOneof("body") == "params", [w.describe(m) for m in got]):
        continue
    theta = w.assemble(got, a.range)
    report.check(
        f"step {step}: θ equals the float64 recipe bit for bit",
        np.array_equal(theta.view(np.uint32), ref.theta.view(np.uint32)),
        f"{int(np.sum(theta.view(np.uint32) != ref.theta.view(np.uint32)))} of {theta.size} keys differ",
    )
    report.equal(f"step {step}: final", got[-1][0].params.final, step == cfg["steps"] - 1)

for name, other, rid in ids:
    # The run was over long ago: any reply (Assignment, RUN_FULL, …) would show it got through.
    heard = other.conns[0].quiet(rid, cfg.get("silence_s", 1.0))
    report.check(f"{name}: its Register is never answered", not heard and not other.conns[0].unsolicited, [w.describe(m) for m in heard])
    other.close()

wk.goodbye()
wk.close()
report.dump()
