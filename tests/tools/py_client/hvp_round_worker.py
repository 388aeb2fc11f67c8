"""An estimation-round worker, from a third-party client (proto/README.md "Estimation rounds").

It answers the metrics service's Hessian-vector tasks for the linreg-diag preset with the
exact Hessian it knows on its own: sample i (0-based) has x = √(i+1)·e_i and ½ squared
loss, so its Hessian is (i+1)·e_i e_iᵀ, and Σ_{c∈[lo,hi)} n_c·H_c v is (i+1)·v_i on the
keys of the samples in chunks [lo, hi), 0 elsewhere. With the evaluation batch the
whole data set (samples = d), the sorted batch is 0 … d−1 and chunk c holds
[⌊c·S/C⌋, ⌊(c+1)·S/C⌋).

The first task also gets hostile answers first (wrong length, wrong samples, a NaN, an
unassigned chunk range), which the host must ignore, and every task a duplicate answer
with garbage after the right one (ignored as a duplicate): if the host took any of
them, the exported λ_max and trace would be off the closed form.

Usage: hvp_round_worker.py ENDPOINT RANK SAMPLES CHUNKS   (answers until its stdin closes,
then prints one JSON report).
"""
import json
import sys

import numpy as np
import zmq

import lnsgd_wire as w

endpoint, rank, S, C = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
report = w.Report()
ctx = zmq.Context()
sock = ctx.socket(zmq.DEALER)
sock.setsockopt(zmq.LINGER, 0)
sock.connect(endpoint)


def send(header, frames=()):
    sock.send_multipart([json.dumps(header).encode("utf8"), *frames])


def chunk(c):
    return (c * S) // C, ((c + 1) * S) // C


send({"t": "hello", "rank": rank})
# "A worker may ping the host at any time; the host answers pong": once now, once after the first answer.
send({"t": "ping", "rank": rank})
pings, pongs = 1, 0
theta_n = None
tasks = answered = 0
hostile_sent = False
block_sizes = set()
chunks = set()
short = []
poller = zmq.Poller()
poller.register(sock, zmq.POLLIN)
poller.register(sys.stdin, zmq.POLLIN)
while True:
    ready = dict(poller.poll())
    if sock not in ready:
        if not sys.stdin.buffer.read1(4096):
            break
        continue
    frames = sock.recv_multipart()
    h = json.loads(frames[0].decode("utf8"))
    if h.get("t") == "pong":
        pongs += 1
        continue
    if h.get("t") != "task":
        report.check(f"host sent only tasks (got {h.get('t')})", False, h)
        continue
    tasks += 1
    data = frames[1:]
    if h["withTheta"]:
        theta = np.frombuffer(data[0], dtype="<f4")
        theta_n = theta.size
        data = data[1:]
    if theta_n is None:
        report.check("a task without θ comes after one with it", False, h)
        continue
    block = h["block"]
    block_sizes.add(block)
    dirs = np.frombuffer(b"".join(data), dtype="<f8")
    if dirs.size != block * theta_n:
        short.append((dirs.size, block, theta_n))
        continue
    dirs = dirs.reshape(block, theta_n)
    chunks.add((h["lo"], h["hi"]))
    lo, hi = chunk(h["lo"])[0], chunk(h["hi"] - 1)[1]
    diag = np.zeros(theta_n)
    diag[lo:hi] = np.arange(lo, hi, dtype=np.float64) + 1
    products = (dirs * diag).astype("<f8")
    head = {"t": "answer", "round": h["round"], "lo": h["lo"], "hi": h["hi"], "samples": hi - lo}
    if not hostile_sent:
        hostile_sent = True
        send(head, [products[:, :-1].tobytes()])  # one number short
        send({**head, "samples": hi - lo + 1}, [products.tobytes()])  # wrong sample count
        bad = products.copy()
        bad[0, lo] = np.nan
        send(head, [bad.tobytes()])  # not finite
        send({**head, "lo": h["hi"], "hi": h["hi"] + 1}, [products.tobytes()])  # a task not assigned
    send(head, [products.tobytes()])
    send(head, [(products * 3 + 1).tobytes()])  # a duplicate: ignored
    answered += 1
    if answered == 1:
        send({"t": "ping", "rank": rank})
        pings += 1

report.check("received tasks", tasks > 0, tasks)
report.check("every task's directions are block × n float64", not short, short[:3])
report.check("every ping was answered with a pong", pongs == pings, {"pings": pings, "pongs": pongs})
report.facts.update({"tasks": tasks, "answered": answered, "n": theta_n, "blocks": sorted(block_sizes), "chunks": sorted(chunks)})
sock.close(0)
report.dump()
