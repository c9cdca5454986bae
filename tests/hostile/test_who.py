"""The audit's "who" is the person signed in: this computer's account as the OS knows it, or
the database login on a server; never an environment variable anyone can set."""

from __future__ import annotations

import os
import sys

import pytest
from sqlalchemy import select

from sencodesk import audit
from sencodesk.model import AuditEntry
from sencodesk.safety import lock as locking
from sencodesk.store import open_store

from .safety_helpers import add_pupil

SPOOFS = ("USER", "LOGNAME", "USERNAME", "LNAME")


@pytest.fixture
def spoofed(monkeypatch):
    for name in SPOOFS:
        monkeypatch.setenv(name, "headteacher")


def _account() -> str:
    if sys.platform == "win32":  # pragma: no cover
        return audit.os_account()
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


def _whos(store) -> set[str]:
    with store.read() as s:
        return set(s.scalars(select(AuditEntry.user)))


def test_setting_user_does_not_change_who_on_sqlite(db_path, spoofed):
    assert _account() != "headteacher"
    store = open_store(db_path)  # no user given: the app's own way
    try:
        add_pupil(store)
        assert store.user == _account()
        assert _whos(store) == {_account()}
        assert locking.read_info(db_path).user == _account()
    finally:
        store.close()


def test_who_on_a_server_is_the_database_login(pg_url, spoofed):
    store = open_store(pg_url)
    try:
        add_pupil(store)
        with store.engine.connect() as conn:
            login = conn.exec_driver_sql("SELECT session_user").scalar()
        assert store.user == login != "headteacher"
        assert _whos(store) == {login}
        assert audit.who(store.engine) == login
    finally:
        store.close()


def test_who_without_a_connection_is_the_os_account(spoofed):
    assert audit.who() == _account()
