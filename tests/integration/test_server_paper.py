"""The review meeting's record on a shared server (#13): the advice received and the
amendments proposed are the SENCO's to write, the head's and the trust lead's to read, and
neither an LSA's nor a business manager's, enforced by the DATABASE (plain SQL sent as each
login), like the other tables (test_server_roles)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from sencodesk import commands
from sencodesk.queries.review_record import meeting_record
from sencodesk.store import open_store
from tests.integration.server_seed import Server, server_fixture
from tests.integration.test_server_roles import DENIED, attempt

pytestmark = pytest.mark.pg
server = pytest.fixture(server_fixture, name="server")

TABLES = ("review_advice", "review_amendment")


def _meetings(server: Server) -> dict[str, int]:
    """A meeting with one advice and one amendment for P1 (school 1) and for P3 (school 2)."""
    i = server.ids
    ids: dict[str, int] = {}
    store = open_store(server.url, user="owner")
    try:
        with store.session() as s:
            for key, pupil in (("m1", "p1"), ("m3", "p3")):
                ids[key] = commands.save_review(
                    s,
                    {
                        "pupil_id": i[pupil],
                        "meeting_at": dt.datetime(2026, 3, 9, 14),
                        "school_view": "Settled well",
                        "advice": [{"source": "ep", "summary": "Visual timetable"}],
                        "amendments": [{"section": "F", "text": "More SaLT"}],
                    },
                )
        with store.engine.begin() as conn:  # the owner puts P3's meeting in school 2
            for t in ("review_meeting", *TABLES):
                col = "id" if t == "review_meeting" else "meeting_id"
                conn.execute(
                    text(f"UPDATE {t} SET school_id = 2 WHERE {col} = :m"), {"m": ids["m3"]}
                )
                ids[f"{t}_1"], ids[f"{t}_3"] = (
                    conn.scalar(text(f"SELECT id FROM {t} WHERE {col} = :m"), {"m": ids[m]})
                    for m in ("m1", "m3")
                )
    finally:
        store.close()
    return ids


def test_who_may_read_and_write_the_advice_and_amendments(server: Server) -> None:
    ids = _meetings(server)
    for t in TABLES:
        mine, theirs = ids[f"{t}_1"], ids[f"{t}_3"]
        sel = f"SELECT id FROM {t}"
        upd = f"UPDATE {t} SET version = version WHERE id = :id RETURNING id"
        dele = f"DELETE FROM {t} WHERE id = :id RETURNING id"
        if t == "review_advice":
            ins = (
                "INSERT INTO review_advice (meeting_id, source, given_by, summary, shared) "
                "VALUES (:m, 'ot', '', 'x', true) RETURNING id"
            )
        else:
            ins = (
                "INSERT INTO review_amendment (meeting_id, section, text) "
                "VALUES (:m, 'B', 'x') RETURNING id"
            )
        table = [
            # SENCO: everything in their own school, nothing in another
            ("senco", sel, {}, {mine}),
            ("senco", upd, {"id": mine}, {mine}),
            ("senco", upd, {"id": theirs}, set()),
            ("senco", dele, {"id": mine}, {mine}),
            ("senco", dele, {"id": theirs}, set()),
            ("senco", ins, {"m": ids["m1"]}, "inserted"),
            ("senco2", sel, {}, {theirs}),
            # head: reads their school's; trust lead: reads every school's; neither writes
            ("head", sel, {}, {mine}),
            ("head", upd, {"id": mine}, DENIED),
            ("head", ins, {"m": ids["m1"]}, DENIED),
            ("head", dele, {"id": mine}, DENIED),
            ("trust", sel, {}, {mine, theirs}),
            ("trust", upd, {"id": mine}, DENIED),
            ("trust", ins, {"m": ids["m1"]}, DENIED),
            # an LSA (even one assigned to P1) and the business manager: nothing at all
            ("amy", sel, {}, DENIED),
            ("amy", ins, {"m": ids["m1"]}, DENIED),
            ("amy", upd, {"id": mine}, DENIED),
            ("bm", sel, {}, DENIED),
            ("bm", ins, {"m": ids["m1"]}, DENIED),
            ("bm", dele, {"id": mine}, DENIED),
        ]
        for who, sql, params, expected in table:
            got = attempt(server.url_for(who), sql, **params)
            if expected == "inserted":
                assert isinstance(got, set) and len(got) == 1, (t, who, sql)
            else:
                assert got == expected, (t, who, sql)


def test_the_senco_saves_a_meeting_record_through_the_app_and_the_head_reads_it(
    server: Server,
) -> None:
    ids = _meetings(server)
    senco = open_store(server.url_for("senco"), user="senco")
    try:
        with senco.session() as s:
            commands.save_review(
                s,
                {
                    "parent_views": "Calmer mornings",
                    "advice": [{"source": "salt", "summary": "Signing at snack time"}],
                    "amendments": [{"section": "B", "text": "Communication first"}],
                },
                ids["m1"],
            )
    finally:
        senco.close()
    head = open_store(server.url_for("head"), user="head")
    try:
        with head.read() as s:
            r = meeting_record(s, ids["m1"])
    finally:
        head.close()
    assert r.parent_views == "Calmer mornings"
    assert [a.summary for a in r.advice] == ["Signing at snack time"]
    assert [(a.section, a.text) for a in r.amendments] == [("B", "Communication first")]
