"""``treem server setup`` and ``treem server run`` (argument parsing only)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from tui.messages import server as msg

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``treem server``."""
    from tui.cli import Parser
    from tui.server.setup import SetupOptions

    d = SetupOptions()
    parser = Parser(prog="treem server", description=msg.SERVER_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH",
                                parser_class=Parser)
    setup = sub.add_parser("setup", help=msg.SETUP_HELP, description=msg.SETUP_HELP)
    setup.add_argument("--prefix", type=Path, default=d.prefix, metavar="THƯ_MỤC",
                       help=msg.OPT_PREFIX.format(default=d.prefix))
    setup.add_argument("--data", type=Path, default=d.data, metavar="THƯ_MỤC",
                       help=msg.OPT_DATA.format(default=d.data))
    setup.add_argument("--group", default=d.group, metavar="NHÓM",
                       help=msg.OPT_GROUP.format(default=d.group))
    setup.add_argument("--commune", metavar="MÃ_XÃ", help=msg.OPT_COMMUNE)
    setup.add_argument("--demo", action="store_true", help=msg.OPT_DEMO)
    setup.add_argument("--from", dest="source", type=Path, metavar="NGUỒN", help=msg.OPT_FROM)
    setup.add_argument("--python", type=Path, default=d.python, metavar="PYTHON",
                       help=msg.OPT_PYTHON.format(default=d.python))
    setup.add_argument("--sshd-dir", type=Path, default=d.sshd_dir, metavar="THƯ_MỤC",
                       help=msg.OPT_SSHD_DIR.format(default=d.sshd_dir))
    setup.add_argument("--sshd-config", type=Path, default=d.sshd_config, metavar="TỆP",
                       help=msg.OPT_SSHD_CONFIG.format(default=d.sshd_config))
    setup.add_argument("--socket", type=Path, default=d.socket, metavar="TỆP",
                       help=msg.OPT_SOCKET.format(default=d.socket))
    setup.add_argument("--mode", choices=("resident", "process"), default=d.mode,
                       help=msg.OPT_MODE)
    setup.add_argument("--unit-dir", type=Path, default=d.unit_dir, metavar="THƯ_MỤC",
                       help=msg.OPT_UNIT_DIR.format(default=d.unit_dir))
    setup.add_argument("--sshd-pid", type=Path, default=d.sshd_pid, metavar="TỆP",
                       help=msg.OPT_SSHD_PID.format(default=d.sshd_pid))
    setup.add_argument("--pip-arg", dest="pip_args", action="append", default=[],
                       metavar="THAM_SỐ", help=msg.OPT_PIP_ARG)
    run = sub.add_parser("run", help=msg.RUN_HELP, description=msg.RUN_HELP)
    run.add_argument("--db", type=Path, required=True, metavar="TỆP", help=msg.OPT_DB)
    run.add_argument("--socket", type=Path, default=d.socket, metavar="TỆP",
                     help=msg.OPT_SOCKET.format(default=d.socket))
    run.add_argument("--group", default=d.group, metavar="NHÓM",
                     help=msg.OPT_GROUP.format(default=d.group))
    return parser


def main(argv: Sequence[str]) -> int:
    """Run ``treem server ARGV``; the exit code."""
    args = build_parser().parse_args(list(argv))
    if args.command == "setup":
        from tui.server.setup import SetupOptions, main_setup

        options = SetupOptions(
            prefix=args.prefix, data=args.data, group=args.group, commune=args.commune,
            demo=args.demo, source=args.source, python=args.python, sshd_dir=args.sshd_dir,
            sshd_config=args.sshd_config, socket=args.socket, mode=args.mode,
            unit_dir=args.unit_dir, sshd_pid=args.sshd_pid, pip_args=list(args.pip_args),
        )
        return main_setup(options)
    import grp
    import os
    import sys

    from tui.server.resident import ResidentServer, preload

    if os.geteuid() != 0:
        print(msg.NOT_ROOT, file=sys.stderr)
        return 1
    try:
        grp.getgrnam(args.group)
    except KeyError:
        print(msg.NO_GROUP.format(group=args.group), file=sys.stderr)
        return 1
    preload()
    ResidentServer(args.db, args.socket, args.group).serve()
    return 0
