"""Pty bytes of the search screen for "nguyen van" typed with given gaps between keys.

Run from the repository root: ``.venv/bin/python benchmarks/probe_search_gaps.py GAPS DB``
(DB: a register, e.g. from ``treem demo --db DB --no-ui``). GAPS: seconds after each
key, comma-separated (the last one repeats). Prints the gaps, the bytes per
typed character (results included) and the bytes after each key, then after the pause.
Used to tell the app's share of the slow-link search bytes from the link's (issue 16).
"""
import os
import sys

sys.path.insert(0, "benchmarks")
from ttyio import Terminal

gaps = [float(x) for x in sys.argv[1].split(",")]
db = sys.argv[2]
env = dict(os.environ, TERM="xterm", TEXTUAL_ANIMATIONS="none",
           TEXTUAL_COLOR_SYSTEM="standard", PYTHONPATH=os.getcwd())
term = Terminal([sys.executable, "-c",
                 "import sys; from tui.app import run_app; sys.exit(run_app(sys.argv[1]))",
                 db], env, cwd=os.getcwd())
try:
    term.wait_for("Trang chính".encode())
    term.drain(1.0)
    term.key("t", quiet=0.3, limit=3)
    begin = len(term.log)
    sizes = []
    for i, ch in enumerate("nguyen van"):
        before = len(term.log)
        term.send(ch)
        term.drain(gaps[min(i, len(gaps) - 1)])
        sizes.append(len(term.log) - before)
    before = len(term.log)
    term.drain(1.5)
    sizes.append(len(term.log) - before)
    print(sys.argv[1], (len(term.log) - begin) / 10, sizes)
finally:
    term.close()
