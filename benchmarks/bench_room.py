"""A room of officers: N simultaneous SSH logins, time to the home screen and memory.

Builds a throw-away server (``sshlab.Lab``: ``treem server setup --demo``, sshd on
127.0.0.1, N throw-away officer accounts) and, for each serving mode,

- ``resident``: the resident server forks each session from a warm copy of the app;
- ``process``: no resident server; each login runs its own ``treem`` (the connector's
  fallback, i.e. process per session),
- ``bare``: no treem: ``ForceCommand`` prints the home screen's title (SSH's own floor;
  put it last, it rewrites the drop-in),

starts N ``ssh -tt`` clients at the same instant (each on its own 80x24 pty), records for
each the time from its start to the home screen on its terminal, lets the sessions idle
for 5 s and reads the proportional set size (PSS, ``/proc/PID/smaps_rollup``) of every
app session. For the resident mode the server's own PSS is reported too (it is shared by
all sessions; "per session incl. server" adds its share).

Usage (root; from the repository root)::

    .venv/bin/python benchmarks/bench_room.py [--sizes 1,10,30] [--modes resident,process]
        [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sshlab
from ttyio import Terminal

IDLE_S = 5.0
TICK = os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[int, str, float, float]]:
    """Every process: pid -> (parent pid, command name, own CPU s, CPU s of its reaped
    children), from ``/proc/PID/stat``."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        comm = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        found[int(entry.name)] = (int(fields[1]), comm,
                                  (int(fields[11]) + int(fields[12])) / TICK,
                                  (int(fields[13]) + int(fields[14])) / TICK)
    return found


def descendants(table: dict[int, tuple[int, str, float, float]], root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, *_rest) in table.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def cpu_by_part(lab: sshlab.Lab, clients: list[int]) -> dict[str, float]:
    """CPU seconds used so far by the parts of a login: the ssh clients, sshd (listener,
    per-connection processes and what they reaped: key exchange, authentication, pty),
    the connectors (``python3 -I -S connector.py``, or the officers' own treem without the
    resident server) and the resident server's sessions (the app after the fork)."""
    table = processes()
    parts = {"ssh client": 0.0, "sshd": 0.0, "connector / own treem": 0.0, "app session": 0.0}
    for pid in clients:
        if pid in table:
            parts["ssh client"] += table[pid][2] + table[pid][3]
    if lab.sshd is not None:
        for pid in descendants(table, lab.sshd.pid):
            _ppid, comm, own, reaped = table[pid]
            if comm == "sshd" or comm == "sh":
                parts["sshd"] += own + reaped
            else:
                parts["connector / own treem"] += own + reaped
    if lab.resident is not None:
        for pid in descendants(table, lab.resident.pid):
            if pid != lab.resident.pid:
                parts["app session"] += table[pid][2] + table[pid][3]
    return parts


def pss_kb(pid: int) -> int:
    """Proportional set size of ``pid`` in kB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def app_sessions(lab: sshlab.Lab, users: list[str]) -> list[int]:
    """The pids of the app sessions: children of the resident server, or the officers'
    own treem processes."""
    if lab.resident is not None:
        argv = ["ps", "-o", "pid=", "--ppid", str(lab.resident.pid)]
    else:
        argv = ["ps", "-o", "pid=,args=", "-u", ",".join(users)]
    out = subprocess.run(argv, capture_output=True, text=True, check=False).stdout
    pids = []
    for line in out.splitlines():
        parts = line.split(None, 1)
        if lab.resident is not None or "bin/treem --db" in (parts[1] if len(parts) > 1 else ""):
            pids.append(int(parts[0]))
    return pids


def room(lab: sshlab.Lab, n: int) -> tuple[list[float], list[int], dict[str, float]]:
    """N logins at once: (seconds to home per login, PSS kB per idle session, CPU seconds
    per login of each part, read after the idle wait)."""
    users = lab.users[:n]
    before = cpu_by_part(lab, [])
    terms = [Terminal(lab.ssh_argv(user), lab.client_env()) for user in users]
    starts = [t.t0 for t in terms]
    done: dict[int, float] = {}
    end = time.monotonic() + 120
    try:
        while len(done) < n and time.monotonic() < end:
            pending = [t for i, t in enumerate(terms) if i not in done]
            ready, _, _ = select.select([t.master for t in pending], [], [], 0.2)
            for i, term in enumerate(terms):
                if i in done or term.master not in ready:
                    continue
                term._read()
                if any("Trang chính" in line for line in term.screen_lines()):
                    done[i] = term.last_read - starts[i]
        for term in terms:
            term.drain(0.0)
        time.sleep(IDLE_S)
        for term in terms:
            term.drain(0.05)
        pss = [pss_kb(pid) for pid in app_sessions(lab, users)]
        after = cpu_by_part(lab, [t.proc.pid for t in terms])
        cpu = {part: (after[part] - before[part]) / n for part in after}
    finally:
        for term in terms:
            term.close()
        time.sleep(1.0)
    if len(done) < n:
        raise RuntimeError(f"only {len(done)} of {n} logins reached the home screen")
    return [done[i] for i in range(n)], pss, cpu


def bare_ssh(lab: sshlab.Lab) -> None:
    """The floor SSH itself sets: the officers' ``ForceCommand`` becomes a shell line
    that prints the home screen's title and waits (no treem at all), so a room measures
    key exchange, authentication, pty and session set-up by sshd and the 30 clients."""
    lab.stop_resident()
    drop_in = lab.sshd_dir / "treem.conf"
    text = drop_in.read_text()
    start = text.index("ForceCommand ")
    end = text.index("\n", start)
    drop_in.write_text(text[:start] + "ForceCommand printf 'Trang ch\\303\\255nh\\n'; "
                       "sleep 10" + text[end:])
    assert lab.sshd is not None
    lab.sshd.send_signal(signal.SIGHUP)  # sshd re-executes itself with the new drop-in
    time.sleep(1.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,30")
    parser.add_argument("--modes", default="resident,process")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
          f"cores={os.cpu_count()}")
    lab = sshlab.Lab(users=max(sizes), tag="room", demo=True)
    try:
        lab.setup()
        lab.start_sshd()
        print("| mode | N | login to home p50 / max (s) | PSS per session p50 (MB) "
              "| server PSS (MB) | per session incl. server (MB) | load |")
        print("|---|---|---|---|---|---|---|")
        cpu_lines: list[str] = []
        for mode in args.modes.split(","):
            if mode == "bare":
                bare_ssh(lab)
            elif mode == "resident":
                lab.start_resident()
            else:
                lab.stop_resident()
            for n in sizes:
                logins: list[float] = []
                pss: list[int] = []
                cpus: list[dict[str, float]] = []
                for _ in range(args.runs):
                    times, sizes_kb, cpu = room(lab, n)
                    logins += times
                    pss += sizes_kb
                    cpus.append(cpu)
                cpu_lines.append(f"| {mode} | {n} | " + " | ".join(
                    f"{statistics.median(c[part] for c in cpus) * 1000:.0f}"
                    for part in cpus[0]) + f" | {os.getloadavg()[0]:.1f} |")
                server = pss_kb(lab.resident.pid) / 1024 if lab.resident else 0.0
                per = statistics.median(pss) / 1024 if pss else float("nan")
                load = os.getloadavg()[0]
                print(f"| {mode} | {n} | {statistics.median(logins):.2f} / {max(logins):.2f} "
                      f"| {per:.1f} | {server:.1f} | {per + server / n:.1f} | {load:.1f} |",
                      flush=True)
        print("\nCPU per login, ms (median of the rooms; after the idle wait):\n")
        print("| mode | N | ssh client | sshd | connector / own treem | app session | load |")
        print("|---|---|---|---|---|---|---|")
        print("\n".join(cpu_lines))
    finally:
        lab.close()
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
