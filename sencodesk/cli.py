"""The command line: ``python main.py COMMAND``. Each command module adds its subcommands.

A command module has ``register(subparsers)``, which adds parsers whose ``func(args)`` returns
the exit code. Known errors print a message (no traceback) and exit 2.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import io
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
    # No default here: argparse copies a sub-command's defaults over the main parser's
    # values, so "sencodesk --db X alerts" would use the default database, not X. The
    # defaults (None) are set once, on the main parser (build_parser).
    for action in parser._actions:
        if action.dest in ("db", "passphrase_file"):
            action.default = argparse.SUPPRESS


# The dates the app accepts anywhere (as validate.Checker.date): beyond them, the date
# arithmetic of alerts and reports would run off the end of the calendar.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2200, 12, 31)


def parse_date_arg(text: str) -> dt.date:
    """An argparse type: YYYY-MM-DD or dd/mm/yyyy, from 1900 to 2200."""
    try:
        d = dt.date.fromisoformat(text)
    except ValueError:
        try:
            d = dt.datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a date (use YYYY-MM-DD or dd/mm/yyyy)"
            ) from None
    if not FIRST_DATE <= d <= LAST_DATE:
        raise argparse.ArgumentTypeError(
            f"{text!r} is out of range (use a date from {FIRST_DATE:%d/%m/%Y} "
            f"to {LAST_DATE:%d/%m/%Y})"
        )
    return d


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sencodesk",
        description="SENCO Desk. With no command, opens the app.",
    )
    add_db_argument(parser)
    parser.set_defaults(db=None, passphrase_file=None)
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
    try:  # quietly: a bad command line is told once, by run()
        with contextlib.redirect_stderr(io.StringIO()):
            args, _ = build_parser().parse_known_args(argv)
    except SystemExit:
        return False
    return args.command is None
