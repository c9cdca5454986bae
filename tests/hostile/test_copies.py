"""Every copy accounted for: unfinished copies (left by a killed backup, restore or
encryption) are removed at the next opening and named until then; files are private; a
backup asked for by hand survives rotation; erasure names the copies that still hold data."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from sencodesk import cli
from sencodesk.safety import backup as bk
from sencodesk.safety import sqlitefile
from sencodesk.store import open_store

from .safety_helpers import add_pupil, mode, names

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
PHRASE = "correct horse battery staple"


def _leave_unfinished(db: Path) -> list[Path]:
    """What SIGKILLs leave: a half-written backup (with its journal), and the staging files
    of a restore and of an encryption, each a real copy of the data."""
    folder = bk.backup_folder(db)
    folder.mkdir(exist_ok=True)
    left = [
        folder / "school-20260301-101010.db.partial",
        folder / "school-20260301-101010.db.partial-journal",
        db.with_name(db.name + ".restoring"),
        db.with_name(db.name + ".encrypting"),
    ]
    for p in left:
        shutil.copyfile(db, p)
        os.chmod(p, 0o644)
    return left


def test_unfinished_copies_are_listed_then_removed_at_the_next_opening(db_path, capsys):
    store = open_store(db_path, user="test")
    add_pupil(store)
    made = bk.backup_now(store)
    store.close()
    left = _leave_unfinished(db_path)
    other = bk.backup_folder(db_path) / "other-20260301-101010.db.partial"  # not ours
    shutil.copyfile(db_path, other)

    assert cli.run(["backup", "--list", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert str(made) in out
    assert "unfinished" in out
    for p in left:
        assert str(p) in out, out
    assert str(other) not in out

    reader = open_store(db_path, read_only=True)  # a reader removes nothing: the writer
    reader.close()  # may be mid-backup
    assert all(p.exists() for p in left)

    store = open_store(db_path, user="test")  # the writer tidies up
    try:
        assert names(store) == ["Okafor"]
        assert store.unfinished == ()
    finally:
        store.close()
    assert [p for p in left if p.exists()] == []
    assert other.exists()
    assert made.exists()


def test_encrypt_leaves_no_plain_copy_unnamed(db_path, tmp_path, capsys):
    store = open_store(db_path, user="test")
    add_pupil(store)
    bk.backup_now(store)
    store.close()
    _leave_unfinished(db_path)
    phrase_file = tmp_path / "phrase.txt"
    phrase_file.write_text(PHRASE, "utf-8")

    assert cli.run(["encrypt", "--db", str(db_path), "--passphrase-file", str(phrase_file)]) == 0
    out = capsys.readouterr().out
    plain = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file() and sqlitefile.header(p) == sqlitefile.SQLITE_MAGIC
    ]
    assert plain, "the old regular backup is still plain"
    for p in plain:
        assert str(p) in out, f"{p} holds the data unencrypted and is not named:\n{out}"
    assert not [p for p in tmp_path.rglob("*.partial*")]


@posix_only
def test_database_backups_and_folders_are_private(tmp_path):
    db = tmp_path / "new" / "school.db"
    store = open_store(db, user="test")
    try:
        add_pupil(store)
        made = bk.backup_now(store)
        elsewhere = bk.backup_now(store, tmp_path / "out")
        manual = bk.backup_now(store, kind="manual")
        assert mode(db.parent) == 0o700
        for p in (db, db.with_name("school.db-wal"), db.with_name("school.db-shm")):
            assert mode(p) == 0o600, p
        assert mode(made.parent) == 0o700
        for p in (made, elsewhere, manual):
            assert mode(p) == 0o600, p
        assert mode(tmp_path / "out") == 0o700  # created here
    finally:
        store.close()


@posix_only
def test_files_made_readable_by_an_older_version_are_made_private_at_opening(db_path):
    store = open_store(db_path, user="test")
    made = bk.backup_now(store)
    store.close()
    for p in (db_path, made):
        os.chmod(p, 0o644)
    os.chmod(made.parent, 0o755)
    open_store(db_path, user="test").close()
    assert mode(db_path) == 0o600
    assert mode(made) == 0o600
    assert mode(made.parent) == 0o700


def test_a_backup_made_by_hand_is_not_rotated_away_the_same_day(db_path, capsys):
    store = open_store(db_path, user="test")
    add_pupil(store)
    store.close()
    assert cli.run(["backup", "--db", str(db_path)]) == 0
    by_hand = Path(capsys.readouterr().out.split("Backed up to ", 1)[1].strip())
    assert "-manual-" in by_hand.name

    store = open_store(db_path, user="test")
    try:
        later = dt.datetime.now() + dt.timedelta(seconds=5)
        for minutes in (0, 30, 60):  # the app's own backups, later that day, then rotation
            bk.backup_now(store, now=later + dt.timedelta(minutes=minutes))
            bk.rotate(
                bk.backup_folder(db_path),
                now=later + dt.timedelta(minutes=minutes),
                database=db_path,
            )
        assert by_hand.exists()
        # Kept like the safety copies: 28 days, then rotated.
        bk.rotate(bk.backup_folder(db_path), now=later + dt.timedelta(days=27), database=db_path)
        assert by_hand.exists()
        bk.rotate(bk.backup_folder(db_path), now=later + dt.timedelta(days=29), database=db_path)
        assert not by_hand.exists()
    finally:
        store.close()


def test_erasure_removes_unfinished_copies_and_names_the_backups_that_hold_the_records(
    db_path,
):
    from ui import safety_ops  # the erasure as the app runs it (no Qt in it)

    store = open_store(db_path, user="test")
    try:
        pid = add_pupil(store, "Leaver", "Lee", leaving_date=dt.date(2024, 7, 19))
        made = bk.backup_now(store)
        left = _leave_unfinished(db_path)[:2]  # the restore/encrypt ones need the lock
        with store.session() as s:  # the change op, then the whole-store op, as the app chains them
            entry = safety_ops.erase_pupil(s, pid, "Retention ended", "Lee Leaver")
        result = safety_ops.account_for_copies(store, entry)
        assert [p for p in left if p.exists()] == []
        assert made in result.copies
        assert all(p.exists() for p in result.copies)
        assert names(store) == []
    finally:
        store.close()


def test_one_older_copy_is_named_in_the_singular(db_path, tmp_path, capsys):
    store = open_store(db_path, user="test")
    add_pupil(store)
    store.close()
    old = tmp_path / "old.txt"
    old.write_text(PHRASE, "utf-8")
    new = tmp_path / "new.txt"
    new.write_text(PHRASE + " and more", "utf-8")
    assert cli.run(["encrypt", "--db", str(db_path), "--passphrase-file", str(old)]) == 0
    capsys.readouterr()
    assert (
        cli.run(
            [
                "change-passphrase",
                "--db",
                str(db_path),
                "--passphrase-file",
                str(old),
                "--new-passphrase-file",
                str(new),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "WARNING: this older copy still opens with the OLD passphrase:" in out, out
    assert "1 older copies" not in out
