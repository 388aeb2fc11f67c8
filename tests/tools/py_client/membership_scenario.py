"""Membership from a third-party client: worker loss, RECOMPUTE with a new share, a
replacement's admission, heartbeats and goodbyes, against S shards started by the test
with a small --heartbeat-timeout-ms and --on-worker-loss rebalance.

Usage: membership_scenario.py CONFIG_JSON  with {"endpoints": [...], "batch": B, "steps": K
(> 7: a launcher Stop ends the run at step 6), "lr", "momentum", "weight_decay", "warmup_steps", "heartbeat_timeout_ms"}.

3 ranks push steps 0 and 1; rank 2 then falls silent. Ranks 0 and 1 push step 2 and
heartbeat while they wait: shard 0 declares rank 2 lost after the timeout, answers their
pushes with Error{RECOMPUTE, share} (a follower with RECOMPUTE without a share once a
newer epoch's push arrives) and sends Membership notes; they push step 2 again with the
new shares. The silent rank's late push is refused UNKNOWN_WORKER. A replacement
registers for rank 2, gets share count 0 and pulls with min_version = start_step + 1:
answered when the open step closes, with a partition of 3 again. θ equals the numpy
float64 recipe bit for bit after every step. A forged goodbye is ignored; a launcher
Stop makes step 6 the last; the run ends with goodbyes. Prints one
JSON report (lnsgd_wire.Report).
"""
import json
import sys
import time

import numpy as np
import zmq

import lnsgd_wire as w

cfg = json.loads(sys.argv[1])
report = w.Report()
rng = np.random.default_rng(23)
ctx = zmq.Context()
S = len(cfg["endpoints"])
ranks = [w.Worker(ctx, cfg["endpoints"], f"py-{r}", r) for r in range(3)]

for s in range(S):
    ids = [wk.send_register(s) for wk in ranks]
    for wk, rid in zip(ranks, ids):
        wk.take_assignment(s, rid)
a0 = ranks[0].assign
B = a0[0].run.batch
n = a0[0].num_params
ranges = [a.range for a in a0]
interval_s = a0[0].heartbeat_interval_ms / 1000
report.check("assignment: heartbeat_interval_ms > 0", interval_s > 0, a0[0].heartbeat_interval_ms)
report.check(
    "assignment: heartbeat interval below the loss timeout",
    a0[0].heartbeat_interval_ms < cfg["heartbeat_timeout_ms"],
    f"{a0[0].heartbeat_interval_ms} vs {cfg['heartbeat_timeout_ms']}",
)
report.facts["heartbeat_interval_ms"] = a0[0].heartbeat_interval_ms
report.equal("assignment: shares", sorted((wk.assign[0].share.index, wk.assign[0].share.count) for wk in ranks), [(0, 3), (1, 3), (2, 3)])

theta0 = np.concatenate([ranks[0].pull(s) for s in range(S)])
for wk in ranks[1:]:
    for s in range(S):
        wk.pull(s)
ref = [
    w.ReferenceShard(theta0[r.offset : r.offset + r.length], cfg["lr"], cfg["momentum"], cfg["weight_decay"], cfg["warmup_steps"])
    for r in ranges
]
shares = {wk.rank: wk.assign[0].share for wk in ranks}


def sl(g, s):
    return g[ranges[s].offset : ranges[s].offset + ranges[s].length]


def bits_equal(a, b):
    return np.array_equal(np.asarray(a, np.float32).view(np.uint32), np.asarray(b, np.float32).view(np.uint32))


def heartbeat(wk, step):
    """Heartbeat{rank, step, session} to every shard (fire-and-forget with request id 0)."""
    for s, c in enumerate(wk.conns):
        env = pb_envelope(0)
        env.heartbeat.rank = wk.rank
        env.heartbeat.step = step
        env.heartbeat.session = wk.assign[s].session
        c.send(env)


def pb_envelope(request_id):
    return w.pb.Envelope(request_id=request_id)


def wait_all(pending, beating, step, timeout_s=60.0):
    """Waits for the complete answer of every (wk, shard, request id), sending heartbeats of
    `beating` workers at the Assignment's interval meanwhile. Returns {(rank, shard, rid): msgs}
    and the time each answer completed."""
    out, at = {}, {}
    deadline = time.monotonic() + timeout_s
    next_beat = 0.0
    while len(out) < len(pending):
        now = time.monotonic()
        if now > deadline:
            raise TimeoutError(f"step {step}: {len(pending) - len(out)} requests unanswered")
        if now >= next_beat:
            for wk in beating:
                heartbeat(wk, step)
            next_beat = now + interval_s
        for wk, s, rid in pending:
            key = (wk.rank, s, rid)
            if key in out:
                continue
            conn = wk.conns[s]
            got = [m for m in conn.inbox if m[0].request_id == rid]
            if got and w.complete(got):
                out[key] = conn.take(rid)
                at[key] = time.monotonic()
            conn._pump(0.01)
    return out, at


def push_all(workers, step, grads, losses, share_of):
    """Every worker pushes its gradient of `step` whole to every shard with its share."""
    pending = []
    for wk in workers:
        sh = share_of[wk.rank]
        ns = w.block_size(B, sh.index, sh.count)
        for s in range(S):
            msgs = wk.push_messages(s, step, ns, losses[wk.rank], sl(grads[wk.rank], s), share=sh)
            pending.append((wk, s, wk.send_push(s, msgs)))
    return pending


def new_grads(workers):
    return {wk.rank: rng.standard_normal(n).astype(np.float32) for wk in workers}, {wk.rank: float(rng.uniform(0.5, 2.0)) for wk in workers}


last_step = cfg["steps"] - 1


def close_step(step, workers, share_of, grads, losses, pending, replies):
    """Steps the reference with the pushes and checks every Params reply: version, θ bit for
    bit, step_samples = B, the sample-weighted loss, final, and shard 0's share of the next step."""
    for s in range(S):
        ref[s].step([(share_of[wk.rank].index, w.block_size(B, share_of[wk.rank].index, share_of[wk.rank].count), sl(grads[wk.rank], s)) for wk in workers])
    weights = {wk.rank: w.block_size(B, share_of[wk.rank].index, share_of[wk.rank].count) for wk in workers}
    wl = sum(weights[r] * losses[r] for r in weights) / sum(weights.values())
    next_shares = {}
    for wk, s, rid in pending:
        msgs = replies[(wk.rank, s, rid)]
        who = f"step {step}: rank {wk.rank} shard {s}"
        if not report.check(f"{who} answered with Params", msgs[-1][0].WhichOneof("body") == "params", [w.describe(m) for m in msgs]):
            continue
        p = msgs[-1][0].params
        report.equal(f"{who} version", p.version, step + 1)
        theta = w.assemble(msgs, ranges[s])
        report.check(
            f"{who} θ equals the float64 recipe bit for bit",
            bits_equal(theta, ref[s].theta),
            f"{int(np.sum(theta.view(np.uint32) != ref[s].theta.view(np.uint32)))} of {theta.size} keys differ",
        )
        report.equal(f"{who} step_samples", p.step_samples, B)
        report.check(f"{who} loss is the sample-weighted mean", abs(p.loss - wl) <= 1e-12 * abs(wl), f"{p.loss} vs {wl}")
        report.equal(f"{who} final", p.final, step == last_step)
        if s == 0:
            next_shares[wk.rank] = p.share
    return next_shares


def train_step(step, workers, beating=None):
    """One healthy step of `workers` with their current shares; updates `shares` from shard 0."""
    grads, losses = new_grads(workers)
    pending = push_all(workers, step, grads, losses, shares)
    replies, _ = wait_all(pending, beating or workers, step)
    nxt = close_step(step, workers, dict(shares), grads, losses, pending, replies)
    shares.update(nxt)
    return nxt


def share_t(sh):
    return (sh.epoch, sh.index, sh.count)


# Steps 0 and 1: all three ranks; shard 0's Params carry each rank's (unchanged) share.
for step in (0, 1):
    before = {r: share_t(sh) for r, sh in shares.items()}
    nxt = train_step(step, ranks)
    report.equal(f"step {step}: shares unchanged in a healthy run", {r: share_t(sh) for r, sh in nxt.items()}, before)

# A heartbeat with a request id is answered with HeartbeatAck naming the shard's session.
for s in range(S):
    env = pb_envelope(w.Conn.new_id())
    env.heartbeat.rank, env.heartbeat.step, env.heartbeat.session = ranks[0].rank, 2, ranks[0].assign[s].session
    ranks[0].conns[s].send(env)
    (ack, _), *_ = ranks[0].conns[s].replies(env.request_id, 10)
    if report.equal(f"heartbeat with request id: shard {s} answers HeartbeatAck", ack.WhichOneof("body"), "heartbeat_ack"):
        report.equal(f"heartbeat ack: shard {s} session", ack.heartbeat_ack.session, ranks[0].assign[s].session)
        report.equal(f"heartbeat ack: shard {s} version", ack.heartbeat_ack.version, 2)

# Step 2: rank 2 falls silent after its step 1 push and heartbeats.
lost = ranks[2]
survivors = ranks[:2]
silent_since = max(c.last_sent for c in lost.conns)
old_shares = {wk.rank: shares[wk.rank] for wk in survivors}
grads, losses = new_grads(survivors)
pending = push_all(survivors, 2, grads, losses, old_shares)
at0 = [(wk, 0, rid) for wk, s, rid in pending if s == 0]
replies, at = wait_all(at0, survivors, 2, timeout_s=60 + cfg["heartbeat_timeout_ms"] / 1000)
new_shares = {}
for wk, s, rid in at0:
    msgs = replies[(wk.rank, s, rid)]
    err = w.error_of(msgs)
    got = w.code_name(err.code) if err else w.describe(msgs[-1])
    if report.equal(f"loss: rank {wk.rank} shard 0 push answered RECOMPUTE", got, "RECOMPUTE"):
        report.check(f"loss: rank {wk.rank} RECOMPUTE carries a share", err.HasField("share"), err)
        new_shares[wk.rank] = err.share
    waited = at[(wk.rank, s, rid)] - silent_since
    report.facts.setdefault("loss_detected_after_s", []).append(round(waited, 3))
    report.check(
        f"loss: rank {wk.rank} RECOMPUTE no earlier than the heartbeat timeout after rank 2's last message",
        # The shard received it after it was sent; 10 ms for the clocks' resolution.
        waited >= cfg["heartbeat_timeout_ms"] / 1000 - 0.01,
        f"{waited:.3f} s",
    )
if len(new_shares) == 2:
    report.equal("loss: new shares are one epoch later, count 2, indices {0, 1}", sorted(share_t(sh) for sh in new_shares.values()), [(1, 0, 2), (1, 1, 2)])
    report.facts["rebalanced_shares"] = {r: share_t(sh) for r, sh in new_shares.items()}
else:
    new_shares = {wk.rank: w.pb.Share(epoch=1, index=i, count=2) for i, wk in enumerate(survivors)}
# Membership notes (unsolicited) from shard 0 to every survivor, naming the same share.
for wk in survivors:
    notes = [e.membership for e, _ in wk.conns[0].unsolicited if e.WhichOneof("body") == "membership"]
    if report.check(f"loss: rank {wk.rank} got a Membership note from shard 0", notes, [w.describe(m) for m in wk.conns[0].unsolicited]):
        report.equal(f"loss: rank {wk.rank} Membership share", share_t(notes[-1].share), share_t(new_shares[wk.rank]))
        report.equal(f"loss: rank {wk.rank} Membership version (shard 0's open step)", notes[-1].version, 2)
# Compute step 2 again with the new shares (other samples: other gradients) and push it
# with new request ids; a follower drops the older epoch's pushes with RECOMPUTE.
grads, losses = new_grads(survivors)
repush = push_all(survivors, 2, grads, losses, new_shares)
followers_old = [(wk, s, rid) for wk, s, rid in pending if s > 0]
replies, _ = wait_all(repush + followers_old, survivors, 2)
for wk, s, rid in followers_old:
    msgs = replies[(wk.rank, s, rid)]
    err = w.error_of(msgs)
    got = w.code_name(err.code) if err else w.describe(msgs[-1])
    if report.equal(f"loss: rank {wk.rank} follower shard {s} old-epoch push answered RECOMPUTE", got, "RECOMPUTE"):
        report.check(f"loss: rank {wk.rank} follower shard {s} RECOMPUTE has no share", not err.HasField("share"), err)
for wk in survivors:
    ns = w.block_size(B, new_shares[wk.rank].index, 2)
    report.equal(f"loss: rank {wk.rank} num_samples of the new share", ns, B // 2 + (1 if new_shares[wk.rank].index < B % 2 else 0))
nxt = close_step(2, survivors, new_shares, grads, losses, repush, replies)
shares.update(new_shares)
report.equal("step 2: Params carry the rebalanced shares", {r: share_t(sh) for r, sh in nxt.items()}, {r: share_t(sh) for r, sh in new_shares.items()})
shares.update(nxt)

# The lost rank pushes step 3 late, over its own connection: UNKNOWN_WORKER (it must
# register again); nothing changes on the shard.
late = lost.push_messages(0, 3, w.block_size(B, 2, 3), 1.0, sl(rng.standard_normal(n).astype(np.float32), 0), share=w.pb.Share(epoch=0, index=2, count=3))
msgs = lost.conns[0].replies(lost.send_push(0, late), 30)
err = w.error_of(msgs)
report.equal("lost rank: a late push is refused UNKNOWN_WORKER", w.code_name(err.code) if err else w.describe(msgs[-1]), "UNKNOWN_WORKER")

# Step 3 with the two survivors.
train_step(3, survivors)

# Admission: a replacement registers for rank 2 with every shard (shard 0 first), gets
# share count 0 and pulls with min_version = start_step + 1: no answer before the open
# step closes.
repl = w.Worker(ctx, cfg["endpoints"], "py-replacement", 2)
for s in range(S):
    a = repl.take_assignment(s, repl.send_register(s), 30)
    report.equal(f"replacement: shard {s} assigns rank 2", a.rank, 2)
    report.equal(f"replacement: shard {s} start_step", a.start_step, 4)
report.equal("replacement: share count 0 (not a member yet)", repl.assign[0].share.count, 0)
pulls = []
for s in range(S):
    env = pb_envelope(w.Conn.new_id())
    env.pull.rank, env.pull.session, env.pull.min_version = 2, repl.assign[s].session, repl.assign[s].start_step + 1
    repl.conns[s].send(env)
    pulls.append(env.request_id)
early = repl.conns[0].quiet(pulls[0], 0.5)
report.check("replacement: shard 0 does not answer the pull before the open step closes", not early, [w.describe(m) for m in early])
if early:
    repl.conns[0].inbox[:0] = early
# Step 4 closes with the survivors' epoch-1 pushes; their Params carry a partition of 3.
nxt = train_step(4, survivors, beating=survivors + [repl])
pull_replies, _ = wait_all([(repl, s, rid) for s, rid in enumerate(pulls)], [repl], 5)
for s, rid in enumerate(pulls):
    msgs = pull_replies[(2, s, rid)]
    if not report.check(f"replacement: shard {s} answers the pull with Params", msgs[-1][0].WhichOneof("body") == "params", [w.describe(m) for m in msgs]):
        continue
    p = msgs[-1][0].params
    report.equal(f"replacement: shard {s} pull version", p.version, 5)
    report.check(f"replacement: shard {s} θ of version 5 bit for bit", bits_equal(w.assemble(msgs, ranges[s]), ref[s].theta))
    if s == 0:
        shares[2] = p.share
# Rank 2 now belongs to the replacement's connection: the old process's heartbeat with a
# request id and its pull are refused UNKNOWN_WORKER on every shard.
for s in range(S):
    env = pb_envelope(w.Conn.new_id())
    env.heartbeat.rank, env.heartbeat.step, env.heartbeat.session = 2, 5, lost.assign[s].session
    lost.conns[s].send(env)
    err = w.error_of(lost.conns[s].replies(env.request_id, 30))
    report.equal(f"lost rank: shard {s} heartbeat with a request id", w.code_name(err.code) if err else "no Error", "UNKNOWN_WORKER")
    env = pb_envelope(w.Conn.new_id())
    env.pull.rank, env.pull.session = 2, lost.assign[s].session
    lost.conns[s].send(env)
    err = w.error_of(lost.conns[s].replies(env.request_id, 30))
    report.equal(f"lost rank: shard {s} pull", w.code_name(err.code) if err else "no Error", "UNKNOWN_WORKER")
lost.close()
admitted = {r: share_t(sh) for r, sh in shares.items()}
report.facts["admitted_shares"] = admitted
report.equal("admission: shares are epoch 2, count 3, indices {0, 1, 2}", sorted(admitted.values()), [(2, 0, 3), (2, 1, 3), (2, 2, 3)])
# An admission takes effect at a step boundary: the members learn it from that step's
# Params (checked above), the replacement from its pull; a note is not needed.
report.facts["membership_notes"] = {wk.rank: [share_t(e.membership.share) for e, _ in wk.conns[0].unsolicited if e.WhichOneof("body") == "membership"] for wk in survivors}

# Step 5 with three ranks.
members = survivors + [repl]
train_step(5, members)

# A Stop naming rank 0's goodbye from a connection that did not register rank 0 is
# ignored (counted unknown_worker): rank 0 still pushes step 6 below.
forger = w.Conn(ctx, cfg["endpoints"][0])
env = pb_envelope(0)
env.stop.reason = "done rank 0"
env.stop.goodbye.rank, env.stop.goodbye.session = 0, ranks[0].assign[0].session
forger.send(env)

# Launcher stop while step 6 is open (ranks 0 and 1 pushed it, rank 2 not yet): sent to
# every shard from a connection of no worker; step 6 is the last, its Params final,
# and every worker gets an unsolicited Stop.
grads, losses = new_grads(members)
pending = push_all(survivors, 6, grads, losses, shares)
launcher = [w.Conn(ctx, e) for e in cfg["endpoints"]]
for s, c in enumerate(launcher):
    env = pb_envelope(w.Conn.new_id())
    env.stop.reason = "launcher: enough"
    c.send(env)
    (echo, _), *_ = c.replies(env.request_id, 30)
    if report.equal(f"launcher stop: shard {s} echoes a Stop", echo.WhichOneof("body"), "stop"):
        report.equal(f"launcher stop: shard {s} reason", echo.stop.reason, "stopping at step 6")
    c.close()
pending += push_all([repl], 6, grads, losses, shares)
replies, _ = wait_all(pending, members, 6)
last_step = 6
close_step(6, members, dict(shares), grads, losses, pending, replies)
for wk in members:
    for s, c in enumerate(wk.conns):
        c.drain(0.2)
        stops = [e.stop.reason for e, _ in c.unsolicited if e.WhichOneof("body") == "stop"]
        report.check(f"launcher stop: rank {wk.rank} shard {s} got an unsolicited Stop", stops, stops)
forger.close()

# Heartbeats with request id 0 are fire-and-forget: no HeartbeatAck comes back for them.
for wk in members:
    for s, c in enumerate(wk.conns):
        c.drain(0.05)
        acks = [e for e, _ in c.unsolicited if e.WhichOneof("body") == "heartbeat_ack"]
        report.check(f"heartbeats: rank {wk.rank} shard {s} no ack for request id 0", not acks, len(acks))
for wk in members:
    wk.goodbye()
for wk in members:
    wk.close()
report.dump()
