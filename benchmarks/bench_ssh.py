"""Bytes and time per action of treem through a real sshd, against vim and nano.

Builds a throw-away server with ``treem server setup --demo`` (``sshlab.Lab``: sshd on
127.0.0.1, resident server, 2,000 synthetic children), then drives ``ssh -tt`` on a pty
at 80x24 and counts, per action:

- wire bytes: what the server sent on the TCP connection (``ss -ti`` ``bytes_received`` of
  the client's socket: SSH framing and, with ``-C``, compression included);
- pty bytes: what the application wrote (the same with or without ``-C``);
- time: key sent to the last byte of the answer (to the echo, for a search character).

Actions: screen switches (home->entry, entry->home, home->search, search->home,
home->review, review->home), Tab in the form, a search word typed at 4 keys a second
(bytes per character, the results' repaint included), a five-step drag of the window
edge, 40 mouse-motion reports, 3 s idle. vim (``-u DEFAULTS``) and nano do the nearest
equivalents on the same harness (``:e other``, ``/`` incremental search, Tab, resize).

``--slow`` runs everything once more over an emulated rural link (``slowlink.py``: two
network namespaces, 64 kbit/s each way, 300 ms round trip, 2% loss). ``--dead-link``
measures how long sshd takes to hang up a session whose link went silent.

Usage (root; from the repository root)::

    .venv/bin/python benchmarks/bench_ssh.py [--runs 5] [--slow] [--dead-link]
        [--no-editors]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import slowlink
import sshlab
from ttyio import Terminal

WORD = "nguyen van"
TYPING_GAP_S = 0.25
RESIZES = ((24, 82), (25, 84), (26, 86), (25, 84), (24, 80))
SWITCHES = (("home->entry", "n"), ("entry->home", "escape"), ("home->search", "t"),
            ("search->home", "escape"), ("home->review", "r"), ("review->home", "escape"))


class Wire:
    """Bytes received so far on the client's TCP connection to the server's port."""

    def __init__(self, port: int, wrap: list[str] | None = None) -> None:
        self.port = port
        self.wrap = wrap or []

    def received(self) -> int:
        out = subprocess.run([*self.wrap, "ss", "-tinH", "state", "established",
                              f"( dport = :{self.port} )"], capture_output=True,
                             text=True, check=False).stdout
        return sum(int(n) for n in re.findall(r"bytes_received:(\d+)", out))


class Session:
    """One ssh -tt client on a pty; ``measure`` runs an action and returns its figures."""

    def __init__(self, argv: list[str], env: dict[str, str], wire: Wire, quiet: float) -> None:
        self.wire = wire
        self.quiet = quiet
        self.term = Terminal(argv, env)

    def measure(self, action: Callable[[], None], answered: bool = True
                ) -> tuple[int, int, float]:
        """(wire bytes, pty bytes, seconds to the last byte) of ``action``. ``answered``:
        wait for the answer to start (a lost packet is resent after a timeout longer than
        the quiet time) before waiting for it to end."""
        self.term.settle(self.quiet)
        wire0, pty0 = self.wire.received(), len(self.term.log)
        sent = time.perf_counter()
        action()
        if answered:
            end = time.perf_counter() + 10
            while len(self.term.log) == pty0 and time.perf_counter() < end:
                self.term.drain(0.05)
        self.term.settle(self.quiet)
        seconds = (self.term.last_read - sent) if len(self.term.log) > pty0 else 0.0
        return self.wire.received() - wire0, len(self.term.log) - pty0, seconds

    def key(self, key: str) -> Callable[[], None]:
        return lambda: self.term.send(key)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def treem_run(lab: sshlab.Lab, compress: bool, wire: Wire, wrap: list[str] | None,
              host: str, quiet: float) -> dict[str, tuple[float, float, float]]:
    """One treem session: figures per action (wire B, pty B, s)."""
    argv = lab.ssh_argv(lab.users[0], compress=compress, host=host)
    t0 = time.perf_counter()
    s = Session([*(wrap or []), *argv], lab.client_env(), wire, quiet)
    out: dict[str, tuple[float, float, float]] = {}
    try:
        s.term.wait_for_text("Trang chính", limit=60, quiet=quiet)
        out["login to home (SSH handshake included)"] = (
            float(wire.received()), float(len(s.term.log)), s.term.last_read - t0)
        for name, key in SWITCHES:
            out[f"switch {name}"] = tuple(map(float, s.measure(s.key(key))))  # type: ignore[assignment]
        s.measure(s.key("n"))
        tabs = [s.measure(s.key("tab")) for _ in range(6)]
        out["Tab (form)"] = tuple(_median([t[i] for t in tabs]) for i in range(3))  # type: ignore[assignment]
        s.measure(s.key("escape"))
        s.measure(s.key("t"))

        echo_times: list[float] = []

        def type_word() -> None:
            for i, ch in enumerate(WORD):
                sent = time.perf_counter()
                s.term.send(ch)
                s.term.wait_for_text(WORD[:i + 1], limit=10, quiet=0.0)
                echo_times.append(s.term.last_read - sent)
                rest = TYPING_GAP_S - (time.perf_counter() - sent)
                if rest > 0:
                    s.term.drain(rest)
            s.term.drain(1.5 + 2 * quiet)  # the results after the pause

        w, p, _t = s.measure(type_word)
        out["search, per character"] = (w / len(WORD), p / len(WORD), _median(echo_times))
        s.measure(s.key("escape"))
        steps = [s.measure(lambda r=r, c=c: s.term.resize(r, c, quiet=0.0))
                 for r, c in RESIZES]
        out["resize step"] = tuple(_median([t[i] for t in steps]) for i in range(3))  # type: ignore[assignment]

        def motion() -> None:
            for i in range(40):
                s.term.send(f"\x1b[<35;{10 + i % 30};{5 + i % 10}M".encode())

        out["40 mouse motions"] = tuple(map(float, s.measure(motion, answered=False)))  # type: ignore[assignment]
        w0, p0 = wire.received(), len(s.term.log)
        s.term.drain(3.0)
        out["idle 3 s"] = (float(wire.received() - w0), float(len(s.term.log) - p0), 0.0)
    finally:
        s.term.close()
    return out


def editor_run(lab: sshlab.Lab, editor: str, compress: bool, wire: Wire,
               wrap: list[str] | None, host: str, quiet: float
               ) -> dict[str, tuple[float, float, float]]:
    """vim or nano through the same sshd: the nearest equivalents of treem's actions."""
    assert lab.editor is not None
    home = lab.base / "home" / lab.editor
    for name in ("a.txt", "b.txt"):
        lines = [f"Dòng {i:02d}: Nguyễn Văn An, Bản Nà Sản, {name}" for i in range(30)]
        (home / name).write_text("\n".join(lines) + "\n")
        shutil.chown(home / name, lab.editor)
    command = "env LANG=C.UTF-8 " + (
        "vim -u DEFAULTS -N a.txt" if editor == "vim" else "nano --ignorercfiles a.txt")
    argv = [*(wrap or []), *lab.ssh_argv(lab.editor, compress=compress, host=host), command]
    s = Session(argv, lab.client_env(), wire, quiet)
    out: dict[str, tuple[float, float, float]] = {}
    try:
        s.term.wait_for_text("Dòng 00", limit=30, quiet=quiet)
        if editor == "vim":
            s.term.send(":e b.txt")
            s.term.settle(quiet)
            out["switch (vim :e other)"] = tuple(map(float, s.measure(s.key("enter"))))  # type: ignore[assignment]
            s.measure(s.key("/"))
            search_keys, leave = WORD, "escape"
        else:
            s.measure(s.key("\x17"))  # ^W: where is
            search_keys, leave = WORD, "\x03"
        w, p, _t = s.measure(lambda: [(s.term.send(ch), s.term.drain(TYPING_GAP_S))
                                      for ch in search_keys])
        out["search, per character"] = (w / len(WORD), p / len(WORD), float("nan"))
        s.measure(s.key(leave))
        if editor == "vim":
            s.measure(s.key("i"))
        tabs = [s.measure(s.key("tab")) for _ in range(6)]
        out["Tab (form)"] = tuple(_median([t[i] for t in tabs]) for i in range(3))  # type: ignore[assignment]
        steps = [s.measure(lambda r=r, c=c: s.term.resize(r, c, quiet=0.0))
                 for r, c in RESIZES]
        out["resize step"] = tuple(_median([t[i] for t in steps]) for i in range(3))  # type: ignore[assignment]
    finally:
        s.term.close("\x1b:q!\r" if editor == "vim" else "\x18n")
    return out


def dead_link(lab: sshlab.Lab, link: slowlink.Link) -> float:
    """Seconds from the link going silent to the app session being hung up."""
    argv = link.client_cmd(lab.ssh_argv(lab.users[0], host=slowlink.SERVER_ADDR))
    term = Terminal(argv, lab.client_env())
    try:
        term.wait_for_text("Trang chính", limit=60, quiet=0.5)
        assert lab.resident is not None

        def sessions() -> set[int]:
            out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(lab.resident.pid)],
                                 capture_output=True, text=True, check=False).stdout
            return {int(x) for x in out.split()}

        before = sessions()
        link.silence(True)
        start = time.monotonic()
        while sessions() & before and time.monotonic() - start < 300:
            time.sleep(0.5)
        return time.monotonic() - start
    finally:
        link.silence(False)
        term.close()


def _table(title: str, results: dict[str, list[dict[str, tuple[float, float, float]]]]) -> None:
    print(f"\n{title}")
    columns = list(results)
    actions: list[str] = []
    for runs in results.values():
        for run in runs:
            actions += [a for a in run if a not in actions]
    print("| action | " + " | ".join(f"{c}: wire B / pty B / s" for c in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for action in actions:
        cells = []
        for c in columns:
            values = [run[action] for run in results[c] if action in run]
            if not values:
                cells.append("-")
                continue
            w, p, t = (_median([v[i] for v in values]) for i in range(3))
            cells.append(f"{w:,.0f} / {p:,.0f} / {t:.2f}")
        print(f"| {action} | " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slow", action="store_true", help="also over the emulated link")
    parser.add_argument("--dead-link", action="store_true", help="time to hang up a dead link")
    parser.add_argument("--no-editors", action="store_true", help="skip vim and nano")
    parser.add_argument("--client-alive", metavar="INTERVAL,COUNT",
                        help="replace the drop-in's ClientAlive values (dead-link trials)")
    args = parser.parse_args(argv)
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    lab = sshlab.Lab(users=1, tag="bench", demo=True,
                     editor=not args.no_editors and (args.runs > 0))
    link = None
    try:
        lab.setup()
        if args.client_alive:
            interval, count = args.client_alive.split(",")
            drop_in = lab.sshd_dir / "treem.conf"
            drop_in.write_text(re.sub(r"ClientAliveCountMax \d+", f"ClientAliveCountMax {count}",
                               re.sub(r"ClientAliveInterval \d+",
                                      f"ClientAliveInterval {interval}",
                                      drop_in.read_text())))
        lab.start_sshd()
        lab.start_resident()
        paths = [("loopback", None, "127.0.0.1", Wire(lab.port), 0.3)]
        if args.slow or args.dead_link:
            link = slowlink.Link(f"tl{lab.port % 1000}")
            config = lab.base / "sshd_config_slow"
            config.write_text(lab.sshd_config.read_text().replace(
                "ListenAddress 127.0.0.1", f"ListenAddress {slowlink.SERVER_ADDR}").replace(
                f"PidFile {lab.base / 'sshd.pid'}", f"PidFile {lab.base / 'sshd-slow.pid'}"))
            lab.start_sshd(wrap=link.server_cmd([]), config=config,
                           address=slowlink.SERVER_ADDR)
            if args.slow:
                wrap = link.client_cmd([])
                paths.append(("slow link", wrap, slowlink.SERVER_ADDR,
                              Wire(lab.port, wrap), 0.8))
        for label, wrap, host, wire, quiet in paths if args.runs > 0 else []:
            results: dict[str, list[dict[str, tuple[float, float, float]]]] = {}
            for compress in (False, True):
                tag = "-C" if compress else "plain"
                results[f"treem {tag}"] = [treem_run(lab, compress, wire, wrap, host, quiet)
                                           for _ in range(args.runs)]
                if not args.no_editors:
                    for editor in ("vim", "nano"):
                        results[f"{editor} {tag}"] = [
                            editor_run(lab, editor, compress, wire, wrap, host, quiet)
                            for _ in range(args.runs)]
            _table(f"{label}: medians of {args.runs} runs", results)
        if args.dead_link and link is not None:
            print(f"\ndead link hung up after {dead_link(lab, link):.1f} s "
                  "(ClientAliveInterval/CountMax of the setup's drop-in)")
    finally:
        if link is not None:
            link.close()
        lab.close()
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
