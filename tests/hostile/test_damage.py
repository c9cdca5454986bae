"""Damage named as damage: damaged first bytes are not "encrypted, wrong passphrase"; the good
backup is offered; silent damage in a backup (SQLite has no page checksums) is caught by its
recorded SHA-256; index damage that the quick check misses is caught by the full check run
at the first opening for changes of the day."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from sencodesk import cli
from sencodesk.safety import backup as bk
from sencodesk.safety import integrity, sqlitefile
from sencodesk.safety.errors import BadBackup, DatabaseDamaged, PassphraseRequired
from sencodesk.safety.restore import restore
from sencodesk.store import open_store

from .safety_helpers import add_pupil, names

PHRASE = "correct horse battery staple"


def _school(db: Path) -> Path:
    """A database with one pupil and a checked backup beside it; returns the backup."""
    store = open_store(db, user="test")
    try:
        add_pupil(store)
        return bk.backup_now(store)
    finally:
        store.close()


def _damage_first_bytes(db: Path, n: int) -> None:
    data = bytearray(db.read_bytes())
    data[:n] = bytes(range(7, 7 + n))
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("n", [16, 100])
def test_damaged_first_bytes_are_damage_and_the_backup_is_offered(db_path, capsys, n):
    backup = _school(db_path)
    _damage_first_bytes(db_path, n)
    assert sqlitefile.is_encrypted(db_path)  # what fooled the old check

    with pytest.raises(DatabaseDamaged) as caught:
        open_store(db_path, user="test")
    assert caught.value.backup == backup

    assert cli.run(["alerts", "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and str(backup) in err and "passphrase" not in err.lower()

    assert cli.run(["check", "--db", str(db_path)]) == 1
    out = capsys.readouterr().out
    assert "damaged" in out and str(backup) in out and "passphrase" not in out.lower()

    assert cli.run(["restore", str(backup), "--yes", "--db", str(db_path)]) == 0
    store = open_store(db_path, user="test")
    try:
        assert names(store) == ["Okafor"]
    finally:
        store.close()
    kept = [i for i in bk.list_backups(bk.backup_folder(db_path)) if i.kind == "damaged"]
    assert len(kept) == 1  # the damaged file is kept, out of the way

    # And the other way round: an encrypted file, with the plain backups from before its
    # encryption beside it, is still an encrypted file that wants its passphrase.
    phrase_file = db_path.parent / "phrase.txt"
    phrase_file.write_text(PHRASE, "utf-8")
    assert cli.run(["encrypt", "--db", str(db_path), "--passphrase-file", str(phrase_file)]) == 0
    with pytest.raises(PassphraseRequired):
        open_store(db_path, user="test")


def _flip_inside_a_page(path: Path, needle: bytes) -> None:
    data = bytearray(path.read_bytes())
    at = data.index(needle)
    while at >= 0:  # every copy (the row, its index entry, the audit) so that they agree
        data[at] ^= 0x01  # "O" -> "N": one bit, each record still well formed
        at = data.find(needle, at + 1)
    path.write_bytes(bytes(data))


def test_a_backup_changed_after_it_was_checked_is_not_trusted(db_path, capsys):
    store = open_store(db_path, user="test")
    try:
        add_pupil(store)
        older = bk.backup_now(store, now=bk.dt.datetime(2026, 3, 1, 9))
        newer = bk.backup_now(store, now=bk.dt.datetime(2026, 3, 2, 9))
    finally:
        store.close()
    _flip_inside_a_page(newer, b"Okafor")
    # The silent kind of damage: SQLite's own check of the backup still passes.
    assert integrity.check_sqlite_file(newer).ok

    with pytest.raises(BadBackup, match="changed since it was made"):
        restore(db_path, newer)
    assert bk.newest_good_backup(db_path) == older
    assert cli.run(["check", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert f"note: the backup {newer} has changed since it was made" in out


def _index_damage(db: Path) -> None:
    """Change a name in the pupil table's row but not in its index: a damaged page that
    SQLite's quick check does not see (it does not compare indexes with their tables)."""
    data = db.read_bytes()
    start = 0
    while True:
        at = data.index(b"Zqxjvwk", start)
        spoiled = bytearray(data)
        spoiled[at + 3] ^= 0x01  # "Zqxjvwk" -> "Zqxkvwk"
        db.write_bytes(bytes(spoiled))
        conn = sqlite3.connect(db)
        try:
            quick = conn.execute("PRAGMA quick_check").fetchall()
            full = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
        if quick == [("ok",)] and full != [("ok",)]:
            return
        db.write_bytes(data)
        start = at + 1


def test_index_damage_is_caught_before_the_first_write_of_the_day(db_path):
    store = open_store(db_path, user="test")
    try:
        add_pupil(store, "Zqxjvwk")
    finally:
        store.close()
    open_store(db_path, user="test").close()  # checkpointed: the rows are in the file
    _index_damage(db_path)
    open_store(db_path, user="test", read_only=True).close()  # the quick check passes
    sidecar = db_path.with_name(db_path.name + ".state.json")
    state = json.loads(sidecar.read_text("utf-8")) if sidecar.exists() else {}
    sidecar.write_text(json.dumps({**state, "last_integrity_check": "2000-01-01"}), "utf-8")
    with pytest.raises(DatabaseDamaged, match="index"):
        open_store(db_path, user="test")
