"""Pushes in parts, from a third-party client: 3 ranks against S shards started by the test.

Usage: parts_scenario.py CONFIG_JSON   with {"endpoints": [...], "batch": B, "steps": K,
"lr", "momentum", "weight_decay", "warmup_steps", "dtype": "float32"|"bfloat16"|"float16"}.
Prints one JSON report (lnsgd_wire.Report): every check of the replies part by part,
θ after every step against the numpy float64 recipe (bit for bit), and the ErrorCode
of every hostile push.
"""
import json
import sys

import numpy as np
import zmq

import lnsgd_wire as w

cfg = json.loads(sys.argv[1])
dtype = cfg.get("dtype", "float32")
report = w.Report()
rng = np.random.default_rng(20)
ctx = zmq.Context()
ranks = [w.Worker(ctx, cfg["endpoints"], f"py-{r}", r) for r in range(3)]
S = len(cfg["endpoints"])

# Register every rank with every shard; the Assignments come once all 3 registered.
for s in range(S):
    ids = [wk.send_register(s) for wk in ranks]
    for wk, rid in zip(ranks, ids):
        wk.take_assignment(s, rid)
a0 = ranks[0].assign
report.equal("assignment: wire_dtype", a0[0].run.wire_dtype or "float32", dtype)
report.equal("assignment: ranks", sorted(wk.rank for wk in ranks), [0, 1, 2])
part_len = [a.part_length for a in a0]
report.check("assignment: part_length > 0 on every shard", all(p > 0 for p in part_len), part_len)
ranges = [a.range for a in a0]
n = a0[0].num_params
report.check(
    "assignment: shard ranges tile [0, num_params) in shard order",
    [r.offset for r in ranges] == [sum(x.length for x in ranges[:i]) for i in range(S)] and sum(r.length for r in ranges) == n,
    [(r.offset, r.length) for r in ranges],
)
B = a0[0].run.batch
report.equal("assignment: batch", B, cfg["batch"])
shares = {wk.rank: wk.assign[0].share for wk in ranks}
report.equal("assignment: shares", sorted((s.index, s.count) for s in shares.values()), [(0, 3), (1, 3), (2, 3)])

# θ₀: every rank pulls every shard and sees the same bits.
theta0 = [np.concatenate([wk.pull(s) for s in range(S)]) for wk in ranks]
report.check("pull: every rank gets the same θ₀", all(np.array_equal(t.view(np.uint32), theta0[0].view(np.uint32)) for t in theta0))
ref = [
    w.ReferenceShard(theta0[0][r.offset : r.offset + r.length], cfg["lr"], cfg["momentum"], cfg["weight_decay"], cfg["warmup_steps"])
    for r in ranges
]
weights = {wk.rank: w.block_size(B, shares[wk.rank].index, shares[wk.rank].count) for wk in ranks}
hostile = []  # (case, expected code, got code)
counts = {"bad_shape": 0, "checksum_mismatch": 0, "non_finite": 0, "pushes_duplicate": 0}


def grad_for(rank, step, salt=0):
    g = rng.standard_normal(n).astype(np.float32) * np.float32(0.5 + rank)
    return g


def sl(g, s):
    return g[ranges[s].offset : ranges[s].offset + ranges[s].length]


def check_reply(case, wk, s, msgs, step, mode):
    """The documented reply layout. mode "whole": one whole Params. "parts": Q parts of the
    shard's part size in key order, each once. "resent": parts already sent may come again
    (another rank's push was dropped midway), the last copy of each counts and part Q−1
    ends it. Only the last part carries loss/final/share/step_samples."""
    body = [m[0].WhichOneof("body") for m in msgs]
    who = f"{case}: rank {wk.rank} shard {s}"
    if not report.check(f"{who} answered with Params", all(b == "params" for b in body), [w.describe(m) for m in msgs]):
        return None
    ps = [m[0].params for m in msgs]
    report.equal(f"{who} version", sorted({p.version for p in ps}), [step + 1])
    r = ranges[s]
    if mode == "whole":
        report.check(f"{who} whole push gets one whole Params", len(ps) == 1 and ps[0].parts <= 1, [(p.part, p.parts) for p in ps])
    else:
        Q = -(-r.length // part_len[s])
        seq = [(p.part, p.parts) for p in ps]
        want = [(q, Q) for q in range(Q)]
        if mode == "parts":
            report.equal(f"{who} parts, each once in key order", seq, want)
        else:
            report.check(f"{who} parts (repeats allowed), part Q-1 last", sorted(set(seq)) == want and seq[-1] == want[-1], seq)
        keys = {p.part: (p.params.offset, p.params.length) for p in ps}
        report.equal(
            f"{who} part keys",
            [keys.get(q) for q in range(Q)],
            [(r.offset + q * part_len[s], min(part_len[s], r.length - q * part_len[s])) for q in range(Q)],
        )
        early = [w.describe(m) for m, p in zip(msgs, ps) if p.part != Q - 1 and (p.loss != 0 or p.final or p.HasField("share") or p.step_samples != 0)]
        report.check(f"{who} only the last part carries loss/final/share/step_samples", not early, early[:1])
    last = ps[-1]
    report.equal(f"{who} step_samples", last.step_samples, B)
    return w.assemble(msgs, r), last


def run_step(step, plan, before_good=None):
    """plan: rank -> {parts: "shard" | 0 | n, hostile: fn, mode, tag}. Hostile forms go first
    (each refused), then the good pushes; every reply is checked and θ compared bit for
    bit with the recipe. before_good(grads, losses) may run a special sequence instead."""
    grads = {wk.rank: grad_for(wk.rank, step) for wk in ranks}
    losses = {wk.rank: float(rng.uniform(0.5, 2.0)) for wk in ranks}
    pending = []
    for wk in ranks:
        how = plan.get(wk.rank, {})
        if how.get("skip"):
            continue
        for s in range(S):
            pl = how.get("parts", "shard")
            size = part_len[s] if pl == "shard" else pl
            if how.get("hostile") and s == 0:
                grads[wk.rank] = how["hostile"](wk, step, weights[wk.rank], losses[wk.rank], grads[wk.rank])
            msgs = wk.push_messages(s, step, weights[wk.rank], losses[wk.rank], sl(grads[wk.rank], s), dtype, size, shares[wk.rank])
            mode = "whole" if size == 0 else how.get("mode", "parts")
            pending.append((wk, s, wk.send_push(s, msgs), mode, how.get("tag", "")))
    if before_good:
        pending += before_good(step, grads, losses)
    # The shard combines the decoded values.
    decoded = {r: w.encode(g, dtype)[1] for r, g in grads.items()}
    for s in range(S):
        ref[s].step([(shares[r].index, weights[r], sl(decoded[r], s)) for r in decoded])
    for wk, s, rid, mode, tag in pending:
        case = f"{tag}step {step}"
        out = check_reply(case, wk, s, wk.conns[s].replies(rid), step, mode)
        if out is None:
            continue
        theta, last = out
        report.check(
            f"{case}: rank {wk.rank} shard {s} θ equals the float64 recipe bit for bit",
            np.array_equal(theta.view(np.uint32), ref[s].theta.view(np.uint32)),
            f"{int(np.sum(theta.view(np.uint32) != ref[s].theta.view(np.uint32)))} of {theta.size} keys differ",
        )
        wl = sum(weights[r] * losses[r] for r in losses) / sum(weights.values())
        report.check(f"{case}: rank {wk.rank} shard {s} loss is the sample-weighted mean", abs(last.loss - wl) <= 1e-12 * abs(wl), f"{last.loss} vs {wl}")
        report.equal(f"{case}: rank {wk.rank} shard {s} final", last.final, step == cfg["steps"] - 1)
    return grads, losses


refused = []  # (case, wk, shard, request id, messages seen up to the Error)


def expect_error(case, wk, s, rid, code):
    """The refusal is the request's one reply: an Error with the documented code, last;
    Params parts before it are parts of the step already sent (void)."""
    msgs = wk.conns[s].replies(rid)
    err = w.error_of(msgs[-1:])
    got = w.code_name(err.code) if err else msgs[-1][0].WhichOneof("body")
    hostile.append((case, code, got))
    report.equal(f"hostile: {case}", got, code)
    report.check(f"hostile: {case}: the Error is the reply (only void parts before it)", all(m[0].WhichOneof("body") == "params" for m in msgs[:-1]), [w.describe(m) for m in msgs])
    refused.append((case, wk, s, rid, len(msgs)))
    report.facts.setdefault("sequences", {})[case] = [w.describe(m) for m in msgs]
    return err


def make_hostile(kind):
    """Pushes a hostile form of the step on shard 0, checks its ErrorCode, returns the
    gradient the rank pushes afterwards (the repush, from part 0, with a new request id)."""

    def go(wk, step, ns, loss, g):
        msgs = wk.push_messages(0, step, ns, loss, sl(g, 0), dtype, part_len[0], shares[wk.rank])
        if kind == "gap":
            # parts 0 and 2: a gap → BAD_SHAPE, the push dropped; parts 1, 3… afterwards belong
            # to a push with no accepted first part: dropped without a reply, counted bad_shape.
            rid = wk.send_push(0, [msgs[0], msgs[2]])
            expect_error("part 2 after part 0 (gap)", wk, 0, rid, "BAD_SHAPE")
            wk.send_push(0, [msgs[1], msgs[3]], request_id=rid)
            counts["bad_shape"] += 3
        elif kind == "crc":
            bad = msgs[3][0]
            bad.push.grad.checksum ^= 1
            rid = wk.send_push(0, msgs[:4])
            expect_error("part 3 with a bad CRC-32", wk, 0, rid, "CHECKSUM_MISMATCH")
            counts["checksum_mismatch"] += 1
            # The rank recomputes: the repush carries other bits, even in part 0.
            g = g + np.float32(0.25)
        elif kind == "nan":
            gn = g.copy()
            gn[ranges[0].offset + 2 * part_len[0] + 3] = np.nan
            nm = wk.push_messages(0, step, ns, loss, sl(gn, 0), dtype, part_len[0], shares[wk.rank])
            rid = wk.send_push(0, nm[:3])
            expect_error("NaN in part 2", wk, 0, rid, "NON_FINITE")
            counts["non_finite"] += 1
        elif kind == "range":
            env, data = msgs[1]
            env.push.grad.offset = ranges[0].offset + ranges[0].length + 7
            rid = wk.send_push(0, [msgs[0], (env, data)])
            expect_error("part 1 outside the shard's range", wk, 0, rid, "BAD_SHAPE")
            counts["bad_shape"] += 1
            # Recomputed: the parts the other ranks already got must come again, new.
            g = g - np.float32(0.125)
        elif kind == "part>=parts":
            env, data = msgs[0]
            env.push.part = env.push.parts
            rid = wk.send_push(0, [(env, data)])
            expect_error("part >= parts", wk, 0, rid, "BAD_SHAPE")
            counts["bad_shape"] += 1
        elif kind == "parts>length":
            env, data = msgs[0]
            env.push.parts = ranges[0].length + 1
            rid = wk.send_push(0, [(env, data)])
            expect_error("parts above the range's length", wk, 0, rid, "BAD_SHAPE")
            counts["bad_shape"] += 1
        elif kind == "fields":
            env, data = msgs[1]
            env.push.loss = loss + 1.0
            rid = wk.send_push(0, [msgs[0], (env, data)])
            expect_error("part 1 with another loss than part 0", wk, 0, rid, "DUPLICATE_PUSH")
            counts["pushes_duplicate"] += 1
        return g

    return go


def resend_and_duplicate(step, grads, losses):
    """Rank 0 resends its push whole-for-whole (new request id, from part 0): a resend,
    answered in parts like the first. Rank 1 pushes other bits for the same step:
    DUPLICATE_PUSH, its first request keeps its reply. Then rank 2 pushes."""
    out = []
    r0, r1, r2 = ranks
    for s in range(S):
        msgs = r0.push_messages(s, step, weights[0], losses[0], sl(grads[0], s), dtype, part_len[s], shares[0])
        out.append((r0, s, r0.send_push(s, msgs), "parts", "resend: "))
    other = r1.push_messages(0, step, weights[1], losses[1], sl(grads[1] + np.float32(1), 0), dtype, part_len[0], shares[1])
    expect_error("a second push with other bits (DUPLICATE_PUSH)", r1, 0, r1.send_push(0, other), "DUPLICATE_PUSH")
    counts["pushes_duplicate"] += 1
    # Its later parts belong to a request whose first part was refused: dropped, counted bad_shape.
    counts["bad_shape"] += len(other) - 1
    for s in range(S):
        msgs = r2.push_messages(s, step, weights[2], losses[2], sl(grads[2], s), dtype, part_len[s], shares[2])
        out.append((r2, s, r2.send_push(s, msgs), "parts", ""))
    return out


steps = cfg["steps"]
assert steps >= 7, "the scenario needs 7 steps"
# step 0: parts of the shard's size for ranks 0, 1; a whole push from rank 2.
run_step(0, {2: {"parts": 0}})
# step 1: rank 0 uses its own part size (Q ≠ P); rank 1 first sends a push with a gap.
run_step(1, {0: {"parts": max(1, part_len[0] * 13 // 10)}, 1: {"hostile": make_hostile("gap")}})
# step 2: bad CRC (then recomputed), NaN, part outside the range. Rank 2's first part
# arrives after ranks 0 and 1 pushed everything: they get part 0 early, and again
# after rank 2's recomputed push.
run_step(2, {0: {"hostile": make_hostile("crc"), "mode": "resent"}, 1: {"hostile": make_hostile("nan"), "mode": "resent"}, 2: {"hostile": make_hostile("range")}})
# step 3: part >= parts, parts > length, a later part whose fields differ from part 0's
# (which drops rank 2's push midway, so ranks 0 and 1 may get parts again).
run_step(
    3,
    {
        0: {"hostile": make_hostile("part>=parts"), "mode": "resent"},
        1: {"hostile": make_hostile("parts>length"), "mode": "resent"},
        2: {"hostile": make_hostile("fields"), "tag": "fields: "},
    },
)
# step 4: an identical resend and a different second push, before the step closes.
run_step(4, {2: {"skip": True}}, before_good=resend_and_duplicate)
# step 5, then a resend of it after it closed: answered from part 0 again, θ of version 6.
g5, l5 = run_step(5, {})
r2 = ranks[2]
for s in range(S):
    msgs = r2.push_messages(s, 5, weights[2], l5[2], sl(g5[2], s), dtype, part_len[s], shares[2])
    got = check_reply("resend after close", r2, s, r2.conns[s].replies(r2.send_push(s, msgs)), 5, "parts")
    if got is not None:
        report.check(f"resend after close: shard {s} θ is version 6's", np.array_equal(got[0].view(np.uint32), ref[s].theta.view(np.uint32)))
for k in range(6, steps):
    run_step(k, {})

# Exactly one reply per request: nothing arrived for a refused request after its Error.
for wk in ranks:
    for c in wk.conns:
        c.drain(0.3)
for case, wk, s, rid, seen in refused:
    log = wk.conns[s].log.get(rid, [])
    report.check(f"hostile: {case}: nothing after the Error", len(log) == seen, log[seen:][:6])

report.facts["hostile"] = hostile
report.facts["expected_counts_shard0"] = counts
report.facts["part_length"] = part_len
report.facts["num_params"] = n
for wk in ranks:
    wk.goodbye()
for wk in ranks:
    wk.close()
report.dump()
