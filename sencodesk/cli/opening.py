"""Opening the database from the command line: the passphrase (from a file, the environment or
a prompt), the new passphrase of ``encrypt`` and ``change-passphrase``, and the store itself
(``open_cli_store``, which every command uses). The safety commands are in ``safety``."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from ..errors import KnownError
from ..safety import sqlitefile
from ..safety.errors import PassphraseRequired
from . import read_passphrase_file

NEW_PASSPHRASE_ENV = "SENCODESK_NEW_PASSPHRASE"


# --------------------------------------------------------------------------- passphrases


def cli_passphrase(
    args: argparse.Namespace, *, prompt: str = "Passphrase: ", confirm: bool = False
) -> str | None:
    """The passphrase for this run: the file, the environment, else a prompt on a terminal."""
    file = getattr(args, "passphrase_file", None)
    if file:
        return read_passphrase_file(Path(file))
    given = sqlitefile.default_passphrase()
    if given:
        return given
    return _prompt(prompt, confirm)


def _new_passphrase(args: argparse.Namespace) -> str:
    file = getattr(args, "new_passphrase_file", None)
    phrase = (
        read_passphrase_file(Path(file))
        if file
        else os.environ.get(NEW_PASSPHRASE_ENV) or _prompt("New passphrase: ", True)
    )
    if not phrase:
        raise KnownError(
            "Give the new passphrase with --new-passphrase-file FILE or "
            f"{NEW_PASSPHRASE_ENV}, or run this in a terminal to be asked."
        )
    problem = sqlitefile.new_passphrase_problem(phrase)
    if problem:
        raise KnownError(problem)
    return phrase


def _prompt(prompt: str, confirm: bool) -> str | None:
    if not sys.stdin.isatty():
        return None
    phrase = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != phrase:
        raise KnownError("The two passphrases are not the same; nothing was changed.")
    return phrase or None


def open_cli_store(args: argparse.Namespace, *, read: bool = False, **options: Any) -> Any:
    """Open ``--db`` for a command, asking for the passphrase only if the file is encrypted.

    ``read``: a read command, which opens the file read-only if another app has it, and
    never creates one (a mistyped path is told as such, not read as an empty school).
    """
    from ..store import open_for_reading, open_store

    opener = open_for_reading if read else open_store
    if read:
        options.setdefault("create", False)
    new = _new_file(args)
    try:
        store = opener(args.db, **options)
    except PassphraseRequired:
        phrase = cli_passphrase(args)
        if not phrase:
            raise
        store = opener(args.db, passphrase=phrase, **options)
    if new is not None and store.encrypted:
        print(
            f"sencodesk: created {new} encrypted with the passphrase given for this run "
            "(keep it safe: without it nobody can open the data).",
            file=sys.stderr,
        )
    for p in store.unfinished:
        print(
            f"sencodesk: warning: {p} was left by an interrupted backup or restore and "
            "cannot be removed; it holds a copy of the data: delete it.",
            file=sys.stderr,
        )
    return store


def _new_file(args: argparse.Namespace) -> Path | None:
    """The SQLite file ``--db`` names if it does not exist yet (it is about to be created)."""
    try:
        path = _db_path(args)
    except KnownError:
        return None
    return path if not path.exists() or path.stat().st_size == 0 else None


def _db_path(args: argparse.Namespace) -> Path:
    from sqlalchemy.engine import make_url

    from ..places import resolve_url

    url = make_url(resolve_url(args.db))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise KnownError(
            "This command works on an SQLite database file; a PostgreSQL "
            "database is looked after on its server."
        )
    return Path(url.database)
