"""Shared fixtures: a real SQLite file per test, and a real PostgreSQL database where marked.

PostgreSQL tests need ``SENCODESK_TEST_PG_URL`` (a server URL whose user may create
databases); ``.ci/run`` starts one on loopback. Without it they are skipped, unless
``SENCODESK_REQUIRE_PG=1`` (as in CI), when a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from sencodesk.store import Store, open_store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_URL = os.environ.get("SENCODESK_TEST_PG_URL", "")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "school.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = open_store(db_path, user="test")
    yield s
    s.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if not PG_URL:
        if os.environ.get("SENCODESK_REQUIRE_PG") == "1":
            pytest.fail("SENCODESK_TEST_PG_URL is not set but PostgreSQL tests are required")
        pytest.skip("no PostgreSQL server (set SENCODESK_TEST_PG_URL)")
    name = "sencodesk_test_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same test on a real SQLite file and on a real PostgreSQL database."""
    if request.param == "sqlite":
        s = open_store(tmp_path / "school.db", user="test")
    else:
        s = open_store(request.getfixturevalue("pg_url"), user="test")
    yield s
    s.close()
