"""Encryption at rest: no plaintext in the file, its -wal or its backups; no opening without
the passphrase; conversion and passphrase changes that check before they replace."""

import datetime as dt
import sqlite3
import unicodedata

import pytest
from sqlalchemy import func, select

from sencodesk import cli
from sencodesk.errors import KnownError, ValidationError
from sencodesk.model import Pupil, Record
from sencodesk.safety import backup as bk
from sencodesk.safety import encryption, sqlitefile
from sencodesk.safety.errors import PassphraseRequired, WrongPassphrase
from sencodesk.safety.restore import restore
from sencodesk.store import create_encrypted, open_store

pytest.importorskip("sqlcipher3")

SENTINEL = b"Zebedee Sentinelson"
PASS = "Zo\u00eb's \"quoted\" pass'; DROP TABLE pupil; --"


@pytest.fixture(autouse=True)
def _forget_passphrase():
    yield
    sqlitefile.set_session_passphrase(None)


def add_sentinel(store):
    with store.session() as s:
        p = Pupil(
            legal_first_name="Zebedee",
            legal_last_name="Sentinelson",
            date_of_birth=dt.date(2016, 2, 29),
            medical_needs="Zebedee Sentinelson: asthma",
        )
        s.add(p)
        s.flush()
        s.add(
            Record(
                pupil_id=p.id,
                occurred_at=dt.datetime(2025, 1, 6, 10),
                kind="support",
                text="Zebedee Sentinelson read with me",
            )
        )
        return p.id


def count(store):
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(Pupil))


def test_plaintext_control_the_scan_does_find_the_name(store, db_path):
    add_sentinel(store)
    assert SENTINEL in db_path.with_name("school.db-wal").read_bytes()


def test_no_plaintext_anywhere_and_no_opening_without_the_key(db_path):
    s = open_store(db_path, passphrase=PASS, user="test")
    assert s.encrypted
    add_sentinel(s)
    wal = db_path.with_name("school.db-wal")
    assert wal.stat().st_size > 0  # the change is in the -wal, not yet checkpointed
    assert SENTINEL not in wal.read_bytes()
    assert SENTINEL not in db_path.read_bytes()
    made = bk.backup_now(s)
    s.close()
    assert not wal.exists()
    for path in (db_path, made):
        raw = path.read_bytes()
        assert SENTINEL not in raw and not raw.startswith(b"SQLite format 3")
        assert encryption.is_encrypted(path)
        plain = sqlite3.connect(path)
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            plain.execute("SELECT * FROM pupil").fetchall()
        plain.close()
    with pytest.raises(PassphraseRequired):
        open_store(db_path)
    with pytest.raises(
        WrongPassphrase, match="The passphrase is wrong, or this is not a SENCO Desk database"
    ):
        open_store(db_path, passphrase="not the passphrase")
    with pytest.raises(WrongPassphrase):
        sqlitefile.connect(made, key=b"not the passphrase")
    with sqlitefile.connected(made, key=sqlitefile.key_bytes(PASS), read_only=True) as conn:
        assert conn.execute("SELECT legal_last_name FROM pupil").fetchall() == [("Sentinelson",)]
    # The same passphrase typed in decomposed Unicode (e + combining diaeresis) still opens it.
    s = open_store(db_path, passphrase=unicodedata.normalize("NFD", PASS))
    assert count(s) == 1
    s.close()


def test_environment_passphrase_is_used_by_every_opener(db_path, monkeypatch):
    create_encrypted(db_path, PASS)
    assert encryption.is_encrypted(db_path)
    monkeypatch.setenv("SENCODESK_PASSPHRASE", PASS)
    s = open_store(db_path, user="test")  # as the other commands call it
    assert s.encrypted and count(s) == 0
    s.close()


def test_encrypt_existing_checks_then_replaces(store, db_path):
    add_sentinel(store)
    old_backup = bk.backup_now(store)
    with store.read() as s:
        before = s.scalar(select(func.count()).select_from(Record))
    store.close()
    result = encryption.encrypt_existing(db_path, PASS)
    assert result.old_copies == (old_backup,)  # listed for a warning, never deleted
    assert old_backup.exists() and SENTINEL in old_backup.read_bytes()
    assert encryption.is_encrypted(db_path) and SENTINEL not in db_path.read_bytes()
    assert not db_path.with_name("school.db-wal").exists()
    assert not db_path.with_name("school.db.encrypting").exists()
    s = open_store(db_path, passphrase=PASS)
    with s.read() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == before
        assert session.scalar(select(Pupil.legal_first_name)) == "Zebedee"
    add_sentinel(s)  # and it is writable as usual
    s.close()
    with pytest.raises(KnownError, match="already encrypted"):
        encryption.encrypt_existing(db_path, PASS)


def test_new_passphrases_must_be_usable(db_path):
    with pytest.raises(ValidationError, match="at least 10 characters"):
        create_encrypted(db_path, "short")
    with pytest.raises(ValidationError, match="raw hex key"):
        create_encrypted(db_path, "x'" + "ab" * 32 + "'")
    assert not db_path.exists()


def test_change_passphrase(db_path):
    s = open_store(db_path, passphrase=PASS)
    add_sentinel(s)
    made = bk.backup_now(s)
    s.close()
    result = encryption.change_passphrase(db_path, PASS, "a brand new passphrase")
    assert result.old_copies == (made,)
    with pytest.raises(WrongPassphrase):
        open_store(db_path, passphrase=PASS)
    s = open_store(db_path, passphrase="a brand new passphrase")
    assert count(s) == 1
    s.close()
    assert SENTINEL not in db_path.read_bytes()


def test_restore_keeps_the_database_encrypted(db_path):
    plain = open_store(db_path, user="test")
    add_sentinel(plain)
    plain_backup = bk.backup_now(plain)
    plain.close()
    encryption.encrypt_existing(db_path, PASS)
    s = open_store(db_path, passphrase=PASS)
    enc_backup = bk.backup_now(s, now=dt.datetime(2030, 1, 1))
    s.close()
    # A backup from before encryption goes back in encrypted.
    safety = restore(db_path, plain_backup, passphrase=PASS)
    assert encryption.is_encrypted(safety) and SENTINEL not in safety.read_bytes()
    assert encryption.is_encrypted(db_path) and SENTINEL not in db_path.read_bytes()
    assert not db_path.with_name("school.db.restoring").exists()
    s = open_store(db_path, passphrase=PASS)
    assert count(s) == 1
    s.close()
    restore(db_path, enc_backup, passphrase=PASS)
    s = open_store(db_path, passphrase=PASS)
    assert count(s) == 1
    s.close()
    with pytest.raises(PassphraseRequired):
        restore(db_path, enc_backup)


def test_cli_encrypt_and_check(store, db_path, tmp_path, capsys):
    add_sentinel(store)
    bk.backup_now(store)
    store.close()
    pw = tmp_path / "passphrase.txt"
    pw.write_text("\ufeff" + PASS + "\r\n", encoding="utf-8")  # as Notepad saves it
    assert cli.run(["encrypt", "--db", str(db_path), "--passphrase-file", str(pw)]) == 0
    out = capsys.readouterr().out
    assert "Encrypted" in out and "NOT encrypted" in out and str(db_path.parent / "backups") in out
    assert SENTINEL not in db_path.read_bytes()
    sqlitefile.set_session_passphrase(None)
    assert cli.run(["check", "--db", str(db_path)]) == 2  # no passphrase, no terminal
    assert "encrypted" in capsys.readouterr().err
    assert cli.run(["--passphrase-file", str(pw), "check", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out == "ok\n"
    s = open_store(db_path, passphrase=PASS)
    assert count(s) == 1
    s.close()
