"""Data-safety commands: backup, restore, check, encrypt, change-passphrase, sar.

Passphrases never go on the command line (it shows in the process list): they come from
``--passphrase-file FILE`` (accepted by every command), $SENCODESK_PASSPHRASE, or a prompt
when the terminal is interactive.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import UNREADABLE, KnownError
from ..safety import sqlitefile
from ..safety.errors import PassphraseRequired
from .opening import NEW_PASSPHRASE_ENV, _db_path, _new_passphrase, cli_passphrase, open_cli_store

# --------------------------------------------------------------------------- commands


def _backup(args: argparse.Namespace) -> int:
    from ..safety.backup import backup_folder, backup_now, list_backups, unfinished_copies

    if args.list:
        folder = Path(args.out) if args.out else backup_folder(_db_path(args))
        rows = list_backups(folder, database=None if args.out else _db_path(args))
        unfinished = [] if args.out else unfinished_copies(_db_path(args))
        if not rows:
            print(f"No backups in {folder}.")
        for b in rows:
            kind = f"  ({b.kind.replace('-', ' ')})" if b.kind else ""
            print(f"{b.taken_at:%d/%m/%Y %H:%M:%S}  {b.size / 1e6:8.1f} MB  {b.path}{kind}")
        if unfinished:
            print(
                f"\n{len(unfinished)} unfinished cop{'y' if len(unfinished) == 1 else 'ies'} "
                "(left by an interrupted backup, restore or encryption; no backup, but "
                "they hold the data; removed the next time the database is opened):"
            )
            for p in unfinished:
                size = p.stat().st_size if p.exists() else 0
                print(f"{'':19}  {size / 1e6:8.1f} MB  {p}")
        return 0
    store = open_cli_store(args, read=True)
    try:  # not rotated here, and marked manual: rotation keeps it (see backup.rotate)
        made = backup_now(store, Path(args.out) if args.out else None, kind="manual")
    finally:
        store.close()
    print(f"Backed up to {made}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from ..safety.integrity import check_sqlite_file
    from ..safety.restore import restore

    db = _db_path(args)
    backup = Path(args.backup)
    if not db.parent.is_dir():
        raise KnownError(f"Cannot restore into {db}: {db.parent} is not a folder.")
    if not args.yes:
        if not sys.stdin.isatty():
            raise KnownError("Restoring replaces the database: add --yes to confirm.")
        answer = input(
            f"Replace {db} with {backup}? The current database is backed up first. [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was changed.")
            return 1
    from ..safety.integrity import damaged_header

    phrase = None
    db_encrypted = sqlitefile.is_encrypted(db) and damaged_header(db) is None
    if sqlitefile.is_encrypted(backup) or db_encrypted:
        phrase = cli_passphrase(args)
        if not phrase:
            raise PassphraseRequired(backup if sqlitefile.is_encrypted(backup) else db)
    safety = restore(db, backup, passphrase=phrase)
    if safety is not None:
        print(f"The database as it was is kept in {safety}")
    key = sqlitefile.key_bytes(phrase) if phrase and sqlitefile.is_encrypted(db) else None
    result = check_sqlite_file(db, key=key, quick=True)
    print(f"Restored {db} from {backup}" + ("" if result.ok else " (but it fails its check)"))
    return 0 if result.ok else 1


def _check(args: argparse.Namespace) -> int:
    from ..safety.backup import damaged_backups, newest_good_backup
    from ..safety.integrity import check_database, damaged_header

    db = args.db
    phrase = None
    path: Path | None = None
    try:
        path = _db_path(args)
        if sqlitefile.is_encrypted(path) and damaged_header(path) is None:
            phrase = cli_passphrase(args)
    except KnownError:
        pass  # a server database
    result = check_database(db, passphrase=phrase, rules=True)
    if result.unusable:
        raise KnownError(" ".join(result.problems))
    for note in result.notes:
        print(f"note: {note}")
    if path is not None:
        for problem in damaged_backups(path):
            print(f"note: the backup {problem}")
    stale = ""
    if path is None:  # a server: its policies set up by this version of the app?
        from ..server.session import server_outdated

        stale = server_outdated(db)
        if stale:
            print(stale)
    if result.problems or result.rule_problems:
        for problem in result.problems:
            print(problem)
        if result.rule_problems:
            print("Rows that break the rules the editors apply (correct them in the app):")
        for problem in result.rule_problems:
            print(f"  {problem}")
        if any(UNREADABLE in p for p in result.rule_problems):
            print(
                "A value the app cannot read cannot be corrected in it: restore a backup from "
                "before the file was damaged ('python main.py restore FILE'), or ask whoever "
                "supports the app to repair it."
            )
        if result.problems and path is not None:
            key = sqlitefile.key_bytes(phrase) if phrase else None
            good = newest_good_backup(path, key=key)
            print(
                f"The newest backup that checks out is {good}: restore it with "
                f"'python main.py restore \"{good}\"' (anything entered after it is lost)."
                if good is not None
                else "No backup that checks out was found beside it: keep the file as it "
                "is and ask for help."
            )
        return 1
    if stale:
        return 1
    print("ok")
    return 0


def _encrypt(args: argparse.Namespace) -> int:
    from ..safety.encryption import encrypt_existing

    db = _db_path(args)
    if not db.exists():
        raise KnownError(f"There is no database at {db}.")
    if sqlitefile.is_encrypted(db):
        raise KnownError(f"{db} is already encrypted (use change-passphrase to change it).")
    phrase = cli_passphrase(args, prompt="New passphrase: ", confirm=True)
    if not phrase:
        raise KnownError(
            "Give the passphrase with --passphrase-file FILE or "
            f"{sqlitefile.PASSPHRASE_ENV}, or run this in a terminal to be asked."
        )
    problem = sqlitefile.new_passphrase_problem(phrase)
    if problem:
        raise KnownError(problem)
    result = encrypt_existing(db, phrase)
    print(f"Encrypted {db}.")
    made = _first_backup(db, phrase)
    print(f"A first encrypted backup is in {made} (checked).")
    print("Keep the passphrase safe: without it nobody, including you, can open the data.")
    _warn_old_copies(
        result.old_copies,
        ("is NOT encrypted and still holds", "are NOT encrypted and still hold"),
        " the data readable",
    )
    print(
        "Parts of the old unencrypted file may remain in the disk's free space: keep "
        "full-disk encryption (BitLocker) switched on for this computer."
    )
    return 0


def _change_passphrase(args: argparse.Namespace) -> int:
    from ..safety.encryption import change_passphrase

    db = _db_path(args)
    old = cli_passphrase(args, prompt="Current passphrase: ")
    if not old:
        raise PassphraseRequired(db)
    new = _new_passphrase(args)
    result = change_passphrase(db, old, new)
    print(f"The passphrase of {db} is changed.")
    made = _first_backup(db, new)
    print(f"A first backup under the new passphrase is in {made} (checked).")
    _warn_old_copies(
        tuple(p for p in result.old_copies if p != made),
        ("still opens", "still open"),
        " with the OLD passphrase",
    )
    return 0


def _first_backup(db: Path, passphrase: str) -> Path:
    """A backup of ``db`` under ``passphrase``, checked: it opens with that passphrase (and
    only with it) and passes SQLite's full integrity check."""
    from ..safety.backup import backup_now
    from ..safety.integrity import check_sqlite_file
    from ..store import open_store

    store = open_store(db, passphrase=passphrase)
    try:
        made = backup_now(store)
    finally:
        store.close()
    result = check_sqlite_file(made, key=sqlitefile.key_bytes(passphrase))
    if not result.ok or not sqlitefile.is_encrypted(made):
        raise KnownError(
            f"The backup {made} under the new passphrase did not check out "
            f"({'; '.join(result.problems[:2]) or 'not encrypted'}): make one with "
            "'backup' before deleting older ones."
        )
    return made


def _warn_old_copies(paths: tuple[Path, ...], verbs: tuple[str, str], rest: str) -> None:
    """'this older copy is…' for one, 'these 3 older copies are…' for more."""
    if not paths:
        return
    if len(paths) == 1:
        print(f"\nWARNING: this older copy {verbs[0]}{rest}:")
    else:
        print(f"\nWARNING: these {len(paths)} older copies {verbs[1]}{rest}:")
    for p in paths:
        print(f"  {p}")
    print(
        "Delete them, or move them somewhere as safe as the database, once you have "
        "checked the new backup."
    )


def _sar(args: argparse.Namespace) -> int:
    from ..safety.sar_pdf import write_subject_access

    store = open_cli_store(args, read=True)
    try:
        files = write_subject_access(store, args.pupil, Path(args.out))
    finally:
        store.close()
    print(f"Wrote {files.json}")
    print(f"Wrote {files.pdf} ({files.pages} pages)")
    print(
        "These files are OFFICIAL-SENSITIVE (special-category data about a child): check "
        "them for other people's information, send them securely, and delete your copies "
        "when the request is answered (within one month of receiving it)."
    )
    return 0


# --------------------------------------------------------------------------- registration


def register(sub: Any) -> None:
    from . import add_db_argument

    p = sub.add_parser("backup", help="back up the database (SQLite's backup API, checked)")
    add_db_argument(p)
    p.add_argument(
        "--out",
        metavar="PATH",
        help="folder (or file) for the backup (default: backups/ beside the database)",
    )
    p.add_argument("--list", action="store_true", help="list the backups instead")
    p.set_defaults(func=_backup)

    p = sub.add_parser("restore", help="replace the database with a backup (backed up first)")
    add_db_argument(p)
    p.add_argument("backup", metavar="BACKUP", help="the backup file to restore")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=_restore)

    p = sub.add_parser(
        "check",
        help="check the database for damage and broken links",
        description="Prints 'ok' or the problems. Exit status: 0 ok, "
        "1 problems, 2 not a database (or cannot be checked).",
    )
    add_db_argument(p)
    p.set_defaults(func=_check)

    p = sub.add_parser("encrypt", help="encrypt the database file (SQLCipher)")
    add_db_argument(p)
    p.set_defaults(func=_encrypt)

    p = sub.add_parser("change-passphrase", help="change the passphrase of an encrypted database")
    add_db_argument(p)
    p.add_argument(
        "--new-passphrase-file",
        metavar="FILE",
        help=f"read the new passphrase from FILE (or set {NEW_PASSPHRASE_ENV})",
    )
    p.set_defaults(func=_change_passphrase)

    p = sub.add_parser(
        "sar", help="subject access request: everything held about one pupil, as JSON and PDF"
    )
    add_db_argument(p)
    p.add_argument("--pupil", required=True, metavar="UPN_OR_ID", help="the pupil's UPN or id")
    p.add_argument("--out", required=True, metavar="DIR", help="folder to write the files into")
    p.set_defaults(func=_sar)
