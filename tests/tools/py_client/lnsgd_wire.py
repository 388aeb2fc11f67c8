"""A third-party lnsgd worker client, written from proto/README.md and proto/trainer.proto only.

It shares no code with the TypeScript client or server: the stubs are generated from
trainer.proto with protoc at run time, the half-precision encoders follow the
documented bit layouts (cross-checked against numpy and PyTorch), and the parameter
step is recomputed in numpy float64 from the documented recipe. The scenario scripts
beside this file drive real shards with it and print one JSON report.

Needs /usr/bin/python3 with python3-zmq, python3-protobuf, numpy, and protoc on PATH.
"""
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
import zlib

import numpy as np
import zmq

PROTOCOL = 1
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def load_stubs():
    """Generates trainer_pb2 from proto/trainer.proto into a temp dir and imports it."""
    out = tempfile.mkdtemp(prefix="lnsgd-pb2-")
    proto_dir = os.path.join(REPO, "proto")
    subprocess.run(
        ["protoc", f"--python_out={out}", f"-I{proto_dir}", os.path.join(proto_dir, "trainer.proto")],
        check=True,
    )
    sys.path.insert(0, out)
    return importlib.import_module("trainer_pb2")


pb = load_stubs()


# ---------------------------------------------------------------- checks and report


class Report:
    """Collects named checks; the scenario prints it as one JSON line at the end."""

    def __init__(self):
        self.checks = []
        self.facts = {}

    def check(self, name, ok, detail=""):
        self.checks.append({"name": name, "ok": bool(ok), "detail": str(detail)[:400]})
        return ok

    def equal(self, name, got, want):
        return self.check(name, got == want, f"got {got!r}, want {want!r}")

    def dump(self):
        print(json.dumps({"checks": self.checks, "facts": self.facts}), flush=True)


# ---------------------------------------------------------------- encoders (documented layouts)


def f32_bytes(values):
    return np.asarray(values, dtype="<f4").tobytes()


def bf16_encode(values):
    """float32 → bfloat16 bits by the documented rule: round to nearest even on the upper
    half, `(b + 0x7fff + ((b >> 16) & 1)) >> 16`, NaN kept a NaN (bit 6 set)."""
    b = np.asarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    r = ((b + 0x7FFF + ((b >> 16) & 1)) >> 16).astype(np.uint16)
    nan = np.isnan(np.asarray(values, dtype=np.float32))
    r[nan] = ((b[nan] >> 16).astype(np.uint16)) | 0x0040
    return r


def bf16_decode(bits):
    return (np.asarray(bits, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)


def f16_encode(values):
    """float32 → IEEE binary16 bits, round to nearest even (numpy's cast; overflow → ±Inf)."""
    with np.errstate(over="ignore"):
        return np.asarray(values, dtype=np.float32).astype(np.float16).view(np.uint16)


def f16_decode(bits):
    return np.asarray(bits, dtype=np.uint16).view(np.float16).astype(np.float32)


DTYPE_BYTES = {"float32": 4, "bfloat16": 2, "float16": 2}


def dtype_enum(name):
    return {"float32": pb.FLOAT32, "bfloat16": pb.BFLOAT16, "float16": pb.FLOAT16}[name]


def encode(values, dtype):
    """Raw little-endian frame bytes of `values` in the wire dtype, and the float32 values
    the shard decodes them to (exactly)."""
    v = np.asarray(values, dtype=np.float32)
    if dtype == "float32":
        return v.astype("<f4").tobytes(), v.copy()
    if dtype == "bfloat16":
        bits = bf16_encode(v)
        return bits.astype("<u2").tobytes(), bf16_decode(bits)
    bits = f16_encode(v)
    return bits.astype("<u2").tobytes(), f16_decode(bits)


def crc(data):
    return zlib.crc32(data) & 0xFFFFFFFF


# ---------------------------------------------------------------- the documented SGD recipe


def f32(x):
    return np.asarray(x, dtype=np.float64).astype(np.float32)


class ReferenceShard:
    """proto/README.md "Reproducing the parameters bit for bit": float64 arithmetic, f32()
    after each stored stage, combine in ascending share index."""

    def __init__(self, theta0, lr, momentum=0.0, weight_decay=0.0, warmup_steps=0):
        self.theta = np.asarray(theta0, dtype=np.float32).copy()
        self.v = np.zeros_like(self.theta)
        self.k = 0
        self.lr, self.momentum, self.wd, self.warmup = lr, momentum, weight_decay, warmup_steps

    def step(self, pushes):
        """pushes: [(share_index, num_samples, float32 gradient)]; skips 0-sample pushes."""
        pushes = sorted((p for p in pushes if p[1] > 0), key=lambda p: p[0])
        eta = self.lr * min(1.0, (self.k + 1) / self.warmup) if self.warmup > 0 else self.lr
        if len(pushes) == 1:
            c = np.asarray(pushes[0][2], dtype=np.float32)
        else:
            acc = 0.0 + pushes[0][1] * pushes[0][2].astype(np.float64)
            for _, w, g in pushes[1:]:
                acc = acc + w * g.astype(np.float64)
            c = f32(acc / sum(p[1] for p in pushes))
        u = f32(c.astype(np.float64) + self.wd * self.theta.astype(np.float64)) if self.wd > 0 else c
        u = f32(-eta * u.astype(np.float64))
        if self.momentum > 0:
            self.v = f32(u.astype(np.float64) + self.momentum * self.v.astype(np.float64))
            u = self.v
        self.theta = f32(self.theta.astype(np.float64) + u.astype(np.float64))
        self.k += 1
        return self.theta


def block_size(batch, index, count):
    """Samples in block `index` of `count` equal blocks of B (documented in Replies and refusals)."""
    return batch // count + (1 if index < batch % count else 0)


# ---------------------------------------------------------------- one DEALER connection


class Conn:
    """One DEALER to one shard: the connection a rank registers and acts over."""

    _next_id = 1

    def __init__(self, ctx, endpoint, curve=None):
        self.sock = ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        if curve is not None:
            # CURVE client: its own pair and the shard's public key (Z85 text), set before connect.
            self.sock.curve_publickey = curve["public"].encode()
            self.sock.curve_secretkey = curve["secret"].encode()
            self.sock.curve_serverkey = curve["server"].encode()
        self.sock.connect(endpoint)
        self.endpoint = endpoint
        self.inbox = []  # (Envelope, [frames]) received but not yet claimed
        self.unsolicited = []
        self.log = {}  # request_id -> describe() of every message received for it
        self.last_sent = None  # time.monotonic() of the last message sent

    @classmethod
    def new_id(cls):
        cls._next_id += 1
        return cls._next_id

    def send(self, env, frames=()):
        env.protocol = PROTOCOL
        self.sock.send_multipart([env.SerializeToString(), *frames])
        self.last_sent = time.monotonic()

    def send_raw(self, frames):
        self.sock.send_multipart(list(frames))
        self.last_sent = time.monotonic()

    def _pump(self, timeout_s):
        if self.sock.poll(int(timeout_s * 1000)) == 0:
            return False
        while self.sock.poll(0):
            msg = self.sock.recv_multipart()
            env = pb.Envelope.FromString(msg[0])
            self.log.setdefault(env.request_id, []).append(describe((env, msg[1:])))
            if env.request_id == 0:
                self.unsolicited.append((env, msg[1:]))
            else:
                self.inbox.append((env, msg[1:]))
        return True

    def take(self, request_id):
        mine = [m for m in self.inbox if m[0].request_id == request_id]
        self.inbox = [m for m in self.inbox if m[0].request_id != request_id]
        return mine

    def replies(self, request_id, timeout_s=30.0):
        """Every message answering `request_id` until the answer is complete: an Error, a
        whole Params, or the part parts-1 of a parted Params (then all parts, in order of
        arrival), or any other single body."""
        got = []
        deadline = time.monotonic() + timeout_s
        while True:
            got += self.take(request_id)
            if got and complete(got):
                return got
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{self.endpoint}: request {request_id} unanswered after {timeout_s} s ({len(got)} messages)")
            self._pump(min(left, 0.05))

    def quiet(self, request_id, wait_s):
        """Messages answering `request_id` that arrive within wait_s (expected: none)."""
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            self._pump(0.05)
        return self.take(request_id)

    def drain(self, wait_s=0.3):
        """Receives whatever is still on the way (into the log)."""
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            self._pump(0.05)

    def close(self):
        self.sock.close(0)


def complete(msgs):
    last = msgs[-1][0]
    kind = last.WhichOneof("body")
    if kind != "params":
        return True
    if last.params.parts <= 1:
        return True
    parts = {m[0].params.part for m in msgs if m[0].WhichOneof("body") == "params"}
    return len(parts) == last.params.parts and (last.params.parts - 1) in parts


# ---------------------------------------------------------------- a worker rank


class Worker:
    """One rank: a DEALER per shard, the assignment of each shard, and the documented push."""

    def __init__(self, ctx, endpoints, worker_id, rank, curve=None):
        self.conns = [Conn(ctx, e, curve) for e in endpoints]
        self.worker_id, self.requested_rank = worker_id, rank
        self.assign = [None] * len(endpoints)

    def send_register(self, shard, token=""):
        env = pb.Envelope(request_id=Conn.new_id())
        env.register.worker_id = self.worker_id
        env.register.requested_rank = self.requested_rank
        env.register.auth_token = token
        self.conns[shard].send(env)
        return env.request_id

    def take_assignment(self, shard, request_id, timeout_s=60.0):
        (env, _), *_ = self.conns[shard].replies(request_id, timeout_s)
        if env.WhichOneof("body") != "assignment":
            raise RuntimeError(f"register at shard {shard}: {env}")
        self.assign[shard] = env.assignment
        return env.assignment

    @property
    def rank(self):
        return self.assign[0].rank

    def pull(self, shard):
        a = self.assign[shard]
        env = pb.Envelope(request_id=Conn.new_id())
        env.pull.rank = a.rank
        env.pull.session = a.session
        self.conns[shard].send(env)
        msgs = self.conns[shard].replies(env.request_id)
        return assemble(msgs, a.range)

    def push_messages(self, shard, step, num_samples, loss, grad, dtype="float32", part_length=0, share=None):
        """The documented push of `grad` (this shard's slice, float32) as a list of
        (Envelope, frame) in key order: whole when part_length is 0, else in parts."""
        a = self.assign[shard]
        n = a.range.length
        if len(grad) != n:
            raise ValueError(f"grad has {len(grad)} keys, shard {shard} holds {n}")
        pieces = [(0, n)] if part_length == 0 else [(o, min(part_length, n - o)) for o in range(0, n, part_length)]
        out = []
        for p, (o, length) in enumerate(pieces):
            data, _ = encode(grad[o : o + length], dtype)
            env = pb.Envelope()
            m = env.push
            m.rank, m.step, m.num_samples, m.loss, m.session = a.rank, step, num_samples, loss, a.session
            if share is not None:
                m.share.CopyFrom(share)
            m.grad.dtype = dtype_enum(dtype)
            m.grad.offset = a.range.offset + o
            m.grad.length = length
            m.grad.checksum_kind = pb.CRC32
            m.grad.checksum = crc(data)
            if part_length:
                m.part, m.parts = p, len(pieces)
            out.append((env, data))
        return out

    def send_push(self, shard, msgs, request_id=None):
        rid = request_id or Conn.new_id()
        for env, data in msgs:
            env.request_id = rid
            self.conns[shard].send(env, [data])
        return rid

    def goodbye(self):
        for shard, c in enumerate(self.conns):
            env = pb.Envelope(request_id=0)
            env.stop.reason = f"done rank {self.rank}"
            env.stop.goodbye.rank = self.rank
            env.stop.goodbye.session = self.assign[shard].session
            c.send(env)

    def close(self):
        for c in self.conns:
            c.close()


def assemble(msgs, rng):
    """θ of one shard's range from a Params reply (whole or parts); raises on anything else
    or on a reply that breaks the documented part layout."""
    env0 = msgs[0][0]
    if env0.WhichOneof("body") != "params":
        raise RuntimeError(f"expected Params, got {env0}")
    theta = np.full(rng.length, np.nan, dtype=np.float32)
    for env, frames in msgs:
        p = env.params.params
        if p.dtype != pb.FLOAT32:
            raise RuntimeError(f"Params dtype {p.dtype}")
        if len(frames) != 1 or len(frames[0]) != 4 * p.length:
            raise RuntimeError(f"Params frame of {[len(f) for f in frames]} bytes for {p.length} keys")
        if p.checksum_kind == pb.CRC32 and crc(frames[0]) != p.checksum:
            raise RuntimeError("Params CRC-32 mismatch")
        lo = p.offset - rng.offset
        theta[lo : lo + p.length] = np.frombuffer(frames[0], dtype="<f4")
    return theta


def error_of(msgs):
    env = msgs[0][0]
    return env.error if env.WhichOneof("body") == "error" else None


def describe(msg):
    """A short text of one received message, for reports."""
    env = msg[0]
    kind = env.WhichOneof("body")
    if kind == "params":
        p = env.params
        return f"params v{p.version} part {p.part}/{p.parts} keys {p.params.offset}+{p.params.length}"
    if kind == "error":
        return f"error {pb.ErrorCode.Name(env.error.code)}: {env.error.message}"
    return kind


def code_name(code):
    return pb.ErrorCode.Name(code)
