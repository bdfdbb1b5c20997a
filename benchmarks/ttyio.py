"""A program on a pseudo-terminal, driven as a person at a terminal drives it.

Shared by the terminal benchmarks (``bench_tui_bytes.py``, ``bench_ssh.py``,
``bench_room.py``) and the paint-budget tests: start any command on a pty of a given size
(as its controlling terminal, so that a resize sends SIGWINCH), write keys as a terminal
sends them, and count every byte written back until the output goes quiet.

Standard library only, so that it runs from a bare checkout.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence
from pathlib import Path

#: Output silent this long = the program has finished answering.
QUIET_S = 0.06

KEYS = {
    "enter": "\r", "tab": "\t", "shift+tab": "\x1b[Z", "escape": "\x1b",
    "backspace": "\x7f", "up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C",
    "left": "\x1b[D", "f1": "\x1bOP", "f2": "\x1bOQ", "f3": "\x1bOR", "f4": "\x1bOS",
    "f5": "\x1b[15~", "f6": "\x1b[17~", "f7": "\x1b[18~", "f8": "\x1b[19~",
    "f9": "\x1b[20~", "f10": "\x1b[21~", "ctrl+q": "\x11",
}


def _controlling_tty() -> None:  # pragma: no cover - runs in the child
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def set_size(fd: int, rows: int, cols: int) -> None:
    """Set the window size of the pty ``fd`` (the kernel then signals SIGWINCH)."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Terminal:
    """``argv`` running on a pty of ``rows`` x ``cols``; ``log`` holds all it wrote."""

    def __init__(self, argv: Sequence[str], env: dict[str, str] | None = None, *,
                 rows: int = 24, cols: int = 80, cwd: str | Path | None = None) -> None:
        master, slave = os.openpty()
        set_size(slave, rows, cols)
        self.master = master
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
            preexec_fn=_controlling_tty, close_fds=True,
        )
        os.close(slave)
        self.log = bytearray()
        self.last_read = self.t0
        self.rows, self.cols = rows, cols

    # --- reading ------------------------------------------------------------------------
    def _read(self) -> bytes:
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return b""
        self.log += chunk
        self.last_read = time.perf_counter()
        return chunk

    def read_until_quiet(self, quiet: float = QUIET_S, limit: float = 10.0) -> tuple[int, float]:
        """Read until no output for ``quiet`` s after some output (or ``limit`` s);
        (bytes read, perf_counter of the last byte)."""
        got = 0
        last = time.perf_counter()
        end = last + limit
        while time.perf_counter() < end:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready:
                if got:
                    break
                continue
            chunk = self._read()
            if not chunk:
                break
            got += len(chunk)
            last = time.perf_counter()
        return got, last

    def wait_for(self, marker: bytes, limit: float = 30.0, quiet: float = QUIET_S) -> float:
        """Read until ``marker`` appears in the output written from now on, then until
        quiet; seconds from now to the last byte. RuntimeError if it never appears."""
        start = time.perf_counter()
        begin = len(self.log)
        end = start + limit
        while marker not in self.log[begin:] and time.perf_counter() < end:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready and not self._read():
                break
        if marker not in self.log[begin:]:
            tail = bytes(self.log[-400:])
            raise RuntimeError(f"{marker!r} never appeared; last output: {tail!r}")
        _n, last = self.read_until_quiet(quiet)
        return max(last, start) - start

    def screen_lines(self) -> list[str]:
        """The screen as a terminal would show it now (needs pyte, from the test extra):
        the app sends only changed cells, so a text on screen need not be in the bytes."""
        import pyte

        if getattr(self, "_screen", None) is None:
            class _Screen(pyte.Screen):  # type: ignore[misc]
                def select_graphic_rendition(self, *attrs: int, private: bool = False) -> None:
                    # pyte 0.8 fails on private SGR (vim's ESC [ > 4 ; 2 m): ignore those
                    if not private:
                        super().select_graphic_rendition(*attrs)

            self._screen = _Screen(self.cols, self.rows)
            self._stream = pyte.ByteStream(self._screen)
            self._fed = 0
        self._stream.feed(bytes(self.log[self._fed:]))
        self._fed = len(self.log)
        return list(self._screen.display)

    def wait_for_text(self, text: str, limit: float = 30.0, quiet: float = QUIET_S) -> float:
        """Read until ``text`` is on the emulated screen, then until quiet; seconds from
        now to the last byte. RuntimeError (with the screen) if it never shows."""
        start = time.perf_counter()
        end = start + limit
        while time.perf_counter() < end:
            if any(text in line for line in self.screen_lines()):
                last = self.settle(quiet)
                return max(last or self.last_read, start) - start
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready and not self._read():
                break
        raise RuntimeError(f"{text!r} never shown:\n" + "\n".join(self.screen_lines()))

    def settle(self, quiet: float = QUIET_S, limit: float = 10.0) -> float | None:
        """Read until ``quiet`` s pass with no output; perf_counter of the last byte read
        meanwhile (None if nothing came)."""
        last = None
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready or not self._read():
                break
            last = self.last_read
        return last

    def drain(self, seconds: float) -> int:
        """Bytes written during the next ``seconds`` (whatever is typed or not)."""
        got = 0
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.master], [], [], min(left, 0.1))
            if ready:
                chunk = self._read()
                if not chunk:
                    break
                got += len(chunk)
        return got

    # --- writing ------------------------------------------------------------------------
    def send(self, data: str | bytes) -> None:
        """Write ``data`` as typed (a key name from ``KEYS`` or raw text)."""
        if isinstance(data, str):
            data = KEYS.get(data, data).encode()
        os.write(self.master, data)

    def key(self, data: str | bytes, quiet: float = QUIET_S,
            limit: float = 10.0) -> tuple[int, float]:
        """Send one key; (bytes written in response, seconds from the key to the last
        byte of the response; 0.0 when nothing came)."""
        sent = time.perf_counter()
        self.send(data)
        got, last = self.read_until_quiet(quiet, limit)
        return got, (last - sent) if got else 0.0

    def resize(self, rows: int, cols: int, quiet: float = QUIET_S) -> tuple[int, float]:
        """Change the window size as a dragged window edge does; (bytes, seconds)."""
        sent = time.perf_counter()
        set_size(self.master, rows, cols)
        self.rows, self.cols = rows, cols
        if getattr(self, "_screen", None) is not None:
            self.screen_lines()
            self._screen.resize(rows, cols)
        got, last = self.read_until_quiet(quiet)
        return got, (last - sent) if got else 0.0

    def close(self, quit_key: str | bytes = "ctrl+q", timeout: float = 5.0) -> int | None:
        """Quit with ``quit_key`` (then SIGHUP, then SIGKILL); the exit status."""
        try:
            self.send(quit_key)
            self.drain(0.2)
            self.proc.wait(timeout=timeout)
        except (OSError, subprocess.TimeoutExpired):
            for sig in (signal.SIGHUP, signal.SIGKILL):
                try:
                    os.killpg(self.proc.pid, sig)
                    self.proc.wait(timeout=timeout)
                    break
                except (OSError, subprocess.TimeoutExpired):
                    continue
        os.close(self.master)
        return self.proc.returncode
