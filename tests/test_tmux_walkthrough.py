"""The officer's walk-through in tmux at 80x24 on the demo and on a fresh ``treem init``
database (benchmarks/tmux_walkthrough.py): every step shows what it should, no English from
Textual, no table cell cut mid-word, the cleaning list is written to the home folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "tmux_walkthrough.py"


def test_officers_walk_through_in_tmux(tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        print("tmux is not installed: the walk-through needs a real terminal multiplexer")
        pytest.skip("tmux is not installed")
    done = subprocess.run([sys.executable, str(SCRIPT), "--keep", str(tmp_path)],
                          capture_output=True, text=True, timeout=300, check=False)
    print(done.stdout, done.stderr)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 vấn đề" in done.stdout
