"""The pupil list on a server (#17) is read through SQLAlchemy, so each login sees what its
role may read (``queries.common.readable``): a business manager the names and funded hours,
no needs or medical notes. The same pupils on a server and in a file make the same list."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sencodesk.queries.pupils import PupilRow, list_pupils, list_pupils_sqlalchemy
from sencodesk.store import open_store
from tests.core.test_pupil_list import TODAY, seed, typed
from tests.integration.server_seed import Server, server_fixture

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")


def listed(url: str, user: str, **kw: bool) -> list[PupilRow]:
    store = open_store(url, user=user)
    try:
        with store.read() as s:
            got = list_pupils(s, today=TODAY, **kw)
            assert typed(got) == typed(list_pupils_sqlalchemy(s, today=TODAY, **kw))
        return got
    finally:
        store.close()


def test_each_role_reads_the_list_its_columns_allow(server: Server) -> None:
    senco = listed(server.url_for("senco"), "senco")
    bm = listed(server.url_for("bm"), "bm")
    assert [(r.name, r.lsa_names, r.assigned_minutes, r.medical) for r in senco] == [
        ("Ada Pupil", "Amy Ash", 600, True),
        ("Bo Pupil", "Ben Birch", 600, True),
    ]
    # the business manager may not read medical_needs: it comes as NULL, so no flag
    assert [r.medical for r in bm] == [False, False]
    assert [dataclasses.replace(r, medical=True) for r in bm] == senco


def test_the_same_pupils_on_a_server_and_in_a_file_make_the_same_list(
    pg_url: str, tmp_path: Path
) -> None:
    made = {}
    for name, url in (("server", pg_url), ("file", str(tmp_path / "school.db"))):
        store = open_store(url, user="test")
        try:
            seed(store)
        finally:
            store.close()
        made[name] = [
            typed(listed(url, "test", include_archived=a, sen_only=s))
            for a in (False, True)
            for s in (False, True)
        ]
    assert made["server"] == made["file"]
    assert made["file"][0]  # something to compare
