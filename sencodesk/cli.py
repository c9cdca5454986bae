"""The command line: ``python main.py COMMAND``. Each command module adds its subcommands.

A command module has ``register(subparsers)``, which adds parsers whose ``func(args)`` returns
the exit code. Known errors print a message (no traceback) and exit 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import logging
import sys
from collections.abc import Sequence

from .errors import KnownError

# Each module owns its subcommands (kept apart so the parts of the app grow independently).
COMMAND_MODULES: tuple[str, ...] = (
    "sencodesk.cli_safety",
    "sencodesk.cli_reports",
    "sencodesk.cli_alerts",
    "sencodesk.cli_exchange",
    "sencodesk.cli_demo",
)


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: the file in your user data folder)",
    )
    from .cli_safety import add_passphrase_argument  # --passphrase-file, for encrypted files

    add_passphrase_argument(parser)


def parse_date_arg(text: str) -> dt.date:
    """An argparse type: YYYY-MM-DD or dd/mm/yyyy."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        try:
            return dt.datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a date (use YYYY-MM-DD or dd/mm/yyyy)"
            ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sencodesk",
        description="SENCO Desk. With no command, opens the app.",
    )
    add_db_argument(parser)
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except KnownError as exc:
        print(f"sencodesk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sencodesk: cancelled", file=sys.stderr)
        return 130


def wants_gui(argv: Sequence[str]) -> bool:
    """No subcommand (only options such as --db) means the GUI."""
    if "-h" in argv or "--help" in argv:
        return False
    try:
        args, _ = build_parser().parse_known_args(argv)
    except SystemExit:
        return False
    return args.command is None
