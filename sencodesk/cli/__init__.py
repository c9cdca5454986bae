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
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import KnownError, environment_problem
from ..safety import PASSPHRASE_ENV

# Each module owns its subcommands (kept apart so the parts of the app grow independently).
COMMAND_MODULES: tuple[str, ...] = (
    "sencodesk.cli.safety",
    "sencodesk.cli.reports",
    "sencodesk.cli.alerts",
    "sencodesk.cli.exchange",
    "sencodesk.cli.demo",
    "sencodesk.cli.mis",
    "sencodesk.cli.server",
)


# --------------------------------------------------------------------------- shared options


def read_passphrase_file(path: Path) -> str:
    """The first line of a file (a BOM and the line ending are not part of it)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        why = (exc.strerror or str(exc)).lower()
        raise KnownError(f"Cannot read the passphrase file {path}: {why}.") from None
    except UnicodeDecodeError:
        raise KnownError(f"The passphrase file {path} is not text (UTF-8).") from None
    line = text.splitlines()[0] if text else ""
    if not line:
        raise KnownError(f"The passphrase file {path} is empty.")
    return line


class _PassphraseFileAction(argparse.Action):
    """Reads the file as the option is parsed, so it works before or after the command name."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        try:
            from ..safety import sqlitefile  # here, not at import: the app's start-up

            sqlitefile.set_session_passphrase(read_passphrase_file(Path(values)))
        except KnownError as exc:
            parser.error(str(exc))
        setattr(namespace, self.dest, values)


def add_passphrase_argument(parser: argparse.ArgumentParser) -> None:
    """``--passphrase-file FILE`` (added to every command by ``add_db_argument``)."""
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        action=_PassphraseFileAction,
        help="read the passphrase of an encrypted database from the first line of FILE "
        f"(or set {PASSPHRASE_ENV}; never type it on the command line)",
    )


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: the file in your user data folder)",
    )
    add_passphrase_argument(parser)  # --passphrase-file, for encrypted files
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


def _options_parser() -> argparse.ArgumentParser:
    """The options the app and every command share: --db, --passphrase-file, -v."""
    parser = argparse.ArgumentParser(
        prog="sencodesk",
        description="SENCO Desk. With no command, opens the app.",
    )
    add_db_argument(parser)
    parser.set_defaults(db=None, passphrase_file=None)
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _options_parser()
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
    if not args.verbose:  # the driver's own notes on a dying connection: the error says it
        logging.getLogger("psycopg").setLevel(logging.ERROR)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return _run_command(args)
    finally:  # the passphrase was for this run only (tests and tools call run() repeatedly)
        if getattr(args, "passphrase_file", None):
            from ..safety import sqlitefile

            sqlitefile.set_session_passphrase(None)


def _run_command(args: argparse.Namespace) -> int:
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # here, not at exit: a closed pipe is told like any failure
        return code
    except KnownError as exc:
        print(f"sencodesk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sencodesk: cancelled", file=sys.stderr)
        return 130
    except Exception as exc:
        problem = environment_problem(exc)
        if problem is None:
            raise  # a bug: its traceback is what the developer needs
        if isinstance(exc, BrokenPipeError) or isinstance(exc.__context__, BrokenPipeError):
            _silence_stdout()
        print(f"sencodesk: {problem}", file=sys.stderr)
        return 2


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at the null device so that Python's own flush at
    exit does not fail again (the way the Python documentation recommends)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (captured): nothing to silence
        pass


def gui_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The app's options when ``argv`` has no command (only options such as --db): the GUI
    opens. None when it names a command, asks for help or is wrong: ``run`` handles those.

    Only the shared options are parsed: the commands' modules are not imported when the app
    starts (they cost start-up time)."""
    if "-h" in argv or "--help" in argv:
        return None
    try:  # quietly: a bad command line is told once, by run()
        with contextlib.redirect_stderr(io.StringIO()):
            args, rest = _options_parser().parse_known_args(argv)
    except SystemExit:
        return None
    return None if rest else args
