#!/usr/bin/env python3
"""A learning Ethernet switch in user space between TAP devices, with netem-like faults.

The kernels lnsgd's tests run on may lack sch_netem (tc netem), so the network-chaos
test joins its namespaces through this switch instead of a bridge. Each port is one
host's link; per port, both directions: delay with uniform jitter, loss, duplication,
reordering (a share of frames skips the delay, as netem's `reorder`), and `down` (a
partition). Frames are queued at most LIMIT per port; randomness is seeded.

Usage: chaos_switch.py SEED TAP...   (creates the TAPs, prints "ready", then reads
commands on stdin, one per line, and answers one JSON line each):
  set <tap> delay=<ms> jitter=<ms> loss=<p> dup=<p> reorder=<p> down=<0|1>
  stats          -> {"<tap>": {counters}, ...}
  quit
Standard library only; needs CAP_NET_ADMIN for /dev/net/tun.
"""
import fcntl
import heapq
import json
import os
import random
import select
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
LIMIT = 1000
COUNTERS = ("rx", "tx", "lost", "cut", "duplicated", "reordered", "overflow")


def open_tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def main():
    rng = random.Random(int(sys.argv[1]))
    names = sys.argv[2:]
    fds = {n: open_tap(n) for n in names}
    by_fd = {fd: n for n, fd in fds.items()}
    rules = {n: {"delay": 0.0, "jitter": 0.0, "loss": 0.0, "dup": 0.0, "reorder": 0.0, "down": 0} for n in names}
    stats = {n: {c: 0 for c in COUNTERS} for n in names}
    queued = {n: 0 for n in names}
    macs = {}  # source MAC -> port
    heap = []  # (due, seq, port, frame)
    seq = 0
    print("ready", flush=True)

    def hop(src, dst):
        """Delay in seconds of one frame from port src to port dst, or None when dropped."""
        a, b = rules[src], rules[dst]
        if a["down"] or b["down"]:
            stats[src]["cut"] += 1
            return None
        if rng.random() < a["loss"] or rng.random() < b["loss"]:
            stats[src]["lost"] += 1
            return None
        if rng.random() < max(a["reorder"], b["reorder"]):
            stats[src]["reordered"] += 1
            return 0.0
        ms = a["delay"] + b["delay"] + rng.uniform(-a["jitter"], a["jitter"]) + rng.uniform(-b["jitter"], b["jitter"])
        return max(0.0, ms) / 1000.0

    def send(src, dst, frame, now):
        nonlocal seq
        copies = 2 if rng.random() < max(rules[src]["dup"], rules[dst]["dup"]) else 1
        if copies == 2:
            stats[src]["duplicated"] += 1
        for _ in range(copies):
            d = hop(src, dst)
            if d is None:
                continue
            if queued[dst] >= LIMIT:
                stats[dst]["overflow"] += 1
                continue
            queued[dst] += 1
            seq += 1
            heapq.heappush(heap, (now + d, seq, dst, frame))

    def command(line):
        words = line.split()
        if not words:
            return {}
        if words[0] == "set":
            port = words[1]
            for kv in words[2:]:
                k, v = kv.split("=")
                if k not in rules[port]:
                    raise ValueError("unknown rule " + k)
                rules[port][k] = float(v)
            return {"ok": True}
        if words[0] == "stats":
            return stats
        if words[0] == "quit":
            sys.exit(0)
        raise ValueError("unknown command " + words[0])

    stdin = sys.stdin.fileno()
    while True:
        now = time.monotonic()
        while heap and heap[0][0] <= now:
            _, _, dst, frame = heapq.heappop(heap)
            queued[dst] -= 1
            try:
                os.write(fds[dst], frame)
                stats[dst]["tx"] += 1
            except OSError:
                pass  # the namespace's link is down or gone
        timeout = max(0.0, heap[0][0] - time.monotonic()) if heap else 1.0
        ready, _, _ = select.select([stdin, *by_fd], [], [], timeout)
        now = time.monotonic()
        for fd in ready:
            if fd == stdin:
                line = sys.stdin.readline()
                if line == "":
                    return
                try:
                    print(json.dumps(command(line)), flush=True)
                except (ValueError, KeyError, IndexError) as err:
                    print(json.dumps({"error": str(err)}), flush=True)
                continue
            src = by_fd[fd]
            while True:
                try:
                    frame = os.read(fd, 65536)
                except BlockingIOError:
                    break
                stats[src]["rx"] += 1
                if len(frame) < 14:
                    continue
                macs[frame[6:12]] = src
                dst = macs.get(frame[0:6])
                targets = [dst] if dst is not None and dst != src and not frame[0] & 1 else [p for p in names if p != src]
                for t in targets:
                    send(src, t, frame, now)


if __name__ == "__main__":
    main()
