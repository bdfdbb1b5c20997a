"""The SSH side of the resident server: hand this session's terminal to ``treem server run``.

sshd runs this as the officer (``ForceCommand``), as the session leader of the officer's
pty. It must start in a few milliseconds, so it is run as a plain file with
``python3 -I -S`` and uses the standard library only (no ``tui`` import, no site-packages).

1. Connect to the resident server's unix socket (mode 0660, group of the officers). If
   there is none (server stopped, first boot), run the app itself: ``exec`` of the
   fallback command, the plain process-per-session way.
2. Give up the terminal as controlling terminal (``TIOCNOTTY``), so that the session the
   server forks can make it its own: SIGHUP on a dropped link and SIGWINCH on a resize
   then go to the app, not to this process.
3. Send one message: the terminal's descriptor (``SCM_RIGHTS``) and a JSON object with
   the terminal-related environment (``TERM``, language, colour hints, the SSH client's
   address). The server learns who is asking from the socket itself (``SO_PEERCRED``),
   never from this message.
4. Wait for the app's exit status and exit with it, so that sshd ends the session then.

Usage (what ``treem server setup`` writes into ``ForceCommand``)::

    python3 -I -S connector.py SOCKET FALLBACK_COMMAND [ARGS...]
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import signal
import socket
import struct
import sys
import termios

#: Environment passed to the app: only what describes the terminal and the link.
FORWARDED_ENV = ("TERM", "COLORTERM", "LANG", "LC_ALL", "LC_CTYPE", "NO_COLOR",
                 "TEXTUAL_COLOR_SYSTEM", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")
#: Largest request the server reads.
MAX_REQUEST = 8192
#: The server's answer: the app's exit status, a signed 32-bit integer.
STATUS = struct.Struct("!i")
#: Exit status when the server went away without an answer.
EXIT_LOST = 70


def request_payload(environ: dict[str, str]) -> bytes:
    """The JSON request the connector sends (terminal environment only)."""
    env = {k: environ[k] for k in FORWARDED_ENV if k in environ}
    return json.dumps({"env": env}, separators=(",", ":")).encode()


def send_terminal(sock: socket.socket, tty_fd: int, payload: bytes) -> None:
    """Send ``payload`` with ``tty_fd`` attached (SCM_RIGHTS)."""
    fds = array.array("i", [tty_fd])
    sock.sendmsg([payload], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds.tobytes())])


def _fallback(command: list[str]) -> None:
    os.execv(command[0], command)


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        sys.stderr.write("usage: connector.py SOCKET COMMAND [ARGS...]\n")
        return 2
    socket_path, fallback = argv[1], argv[2:]
    if not os.isatty(0):
        _fallback(fallback)  # no terminal: let the app say so
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(socket_path)
    except OSError:
        sock.close()
        _fallback(fallback)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # TIOCNOTTY signals our own group
    with contextlib.suppress(OSError):
        import fcntl

        fcntl.ioctl(0, termios.TIOCNOTTY)
    try:
        send_terminal(sock, 0, request_payload(dict(os.environ)))
    except OSError:
        return EXIT_LOST
    # Nothing of the terminal stays open here but the descriptors sshd gave us.
    data = b""
    while len(data) < STATUS.size:
        try:
            chunk = sock.recv(STATUS.size - len(data))
        except InterruptedError:
            continue
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    if len(data) < STATUS.size:
        return EXIT_LOST
    status = STATUS.unpack(data)[0]
    return status if 0 <= status < 256 else 128 + (-status & 0x7F)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
