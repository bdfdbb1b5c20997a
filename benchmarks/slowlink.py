"""A slow rural link on this machine: two network namespaces joined by a user-space shaper.

The client namespace and the server namespace each get a TUN device (10.77.0.1 and
10.77.0.2, addresses that exist only inside these two namespaces, made here and removed
on exit); this process copies every IP packet from one TUN to the other through a model
of the link: a bandwidth per direction (64 kbit/s), a one-way delay (150 ms, so 300 ms
round trip), random loss (2%, seeded) and a modem-sized drop-tail queue. netem is not
needed (nor present in every kernel); nothing leaves the machine.

``SIGUSR1`` makes the link go silent (every packet dropped, as when a 3G link dies
without a FIN or RST); ``SIGUSR2`` brings it back.

Run as root; the benchmark starts it with :func:`start` and stops it with ``Link.close``::

    python3 benchmarks/slowlink.py --prefix tl1 [--kbit 64] [--rtt-ms 300] [--loss 0.02]
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import fcntl
import heapq
import os
import random
import select
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

CLIENT_ADDR, SERVER_ADDR = "10.77.0.1", "10.77.0.2"
TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
CLONE_NEWNET = 0x40000000
QUEUE_BYTES = 16_000  # two seconds at 64 kbit/s, then drop-tail


def _setns(name: str) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {name}")
    finally:
        os.close(fd)


def _tun(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


class Direction:
    """One direction of the link: serialisation at ``rate`` B/s, then ``delay`` s."""

    def __init__(self, out_fd: int, rate: float, delay: float, loss: float,
                 rng: random.Random) -> None:
        self.out_fd, self.rate, self.delay, self.loss, self.rng = out_fd, rate, delay, loss, rng
        self.free_at = 0.0
        self.queued: list[tuple[float, int, bytes]] = []
        self.backlog: list[tuple[float, int]] = []  # (leaves the queue at, size)
        self.dead = False

    def push(self, packet: bytes, now: float, seq: int) -> None:
        while self.backlog and self.backlog[0][0] <= now:
            heapq.heappop(self.backlog)
        if self.dead or self.rng.random() < self.loss:
            return
        if sum(size for _t, size in self.backlog) + len(packet) > QUEUE_BYTES:
            return
        start = max(now, self.free_at)
        self.free_at = start + len(packet) / self.rate
        heapq.heappush(self.backlog, (self.free_at, len(packet)))
        heapq.heappush(self.queued, (self.free_at + self.delay, seq, packet))

    def due(self, now: float) -> float | None:
        while self.queued and self.queued[0][0] <= now:
            _t, _s, packet = heapq.heappop(self.queued)
            with contextlib.suppress(OSError):
                os.write(self.out_fd, packet)
        return self.queued[0][0] if self.queued else None


def run(prefix: str, kbit: float, rtt_ms: float, loss: float, seed: int) -> None:
    client_ns, server_ns = f"{prefix}c", f"{prefix}s"
    own = os.open("/proc/self/ns/net", os.O_RDONLY)
    _setns(client_ns)
    client_fd = _tun("tun0")
    _setns(server_ns)
    server_fd = _tun("tun0")
    libc = ctypes.CDLL(None, use_errno=True)
    libc.setns(own, CLONE_NEWNET)
    for ns, addr in ((client_ns, CLIENT_ADDR), (server_ns, SERVER_ADDR)):
        for cmd in (["ip", "addr", "add", f"{addr}/24", "dev", "tun0"],
                    ["ip", "link", "set", "tun0", "up", "mtu", "1500"],
                    ["ip", "link", "set", "lo", "up"]):
            subprocess.run(["ip", "netns", "exec", ns, *cmd], check=True)
    rng = random.Random(seed)
    rate = kbit * 1000 / 8
    up = Direction(server_fd, rate, rtt_ms / 2000, loss, rng)  # client -> server
    down = Direction(client_fd, rate, rtt_ms / 2000, loss, rng)

    def silence(signum: int, _frame: object) -> None:
        up.dead = down.dead = signum == signal.SIGUSR1

    signal.signal(signal.SIGUSR1, silence)
    signal.signal(signal.SIGUSR2, silence)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    seq = 0
    while True:
        now = time.monotonic()
        nexts = [t for t in (up.due(now), down.due(now)) if t is not None]
        timeout = max(0.0, min(nexts) - time.monotonic()) if nexts else 1.0
        try:
            ready, _, _ = select.select([client_fd, server_fd], [], [], timeout)
        except InterruptedError:
            continue
        now = time.monotonic()
        for fd in ready:
            seq += 1
            packet = os.read(fd, 65536)
            (up if fd == client_fd else down).push(packet, now, seq)


class Link:
    """The two namespaces and the shaper process; ``client_cmd`` runs a command inside the
    client namespace, ``server_cmd`` inside the server's."""

    def __init__(self, prefix: str, kbit: float = 64, rtt_ms: float = 300,
                 loss: float = 0.02, seed: int = 16) -> None:
        self.prefix = prefix
        self.namespaces = (f"{prefix}c", f"{prefix}s")
        for ns in self.namespaces:
            subprocess.run(["ip", "netns", "add", ns], check=True)
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--prefix", prefix,
             "--kbit", str(kbit), "--rtt-ms", str(rtt_ms), "--loss", str(loss),
             "--seed", str(seed)], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        if self.proc.stdout.readline().strip() != "ready":
            self.close()
            raise RuntimeError("the slow link did not come up")

    def client_cmd(self, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.namespaces[0], *argv]

    def server_cmd(self, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.namespaces[1], *argv]

    def silence(self, on: bool = True) -> None:
        """Drop every packet from now on (``on``) or carry them again."""
        self.proc.send_signal(signal.SIGUSR1 if on else signal.SIGUSR2)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        for ns in self.namespaces:
            subprocess.run(["ip", "netns", "del", ns], check=False)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--kbit", type=float, default=64)
    parser.add_argument("--rtt-ms", type=float, default=300)
    parser.add_argument("--loss", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    run(args.prefix, args.kbit, args.rtt_ms, args.loss, args.seed)
