"""A database damaged by an older version (rows written without the editors' rules) is found
and named by ``check``, and the alerts, reports and calendar never end in a traceback on it.

Before issue #11, ``check`` said "ok" on all of these, and ``report costs|expiries|
provision-map`` and ``calendar`` died with Python tracebacks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from sencodesk import cli
from sencodesk.exchange.json_io import import_json
from sencodesk.store import open_store

from .conftest import write

TODAY = "2026-03-02"


def _first(export, table, ok=lambda r: True) -> int:
    return next(r["id"] for r in export["tables"][table] if ok(r))


@pytest.fixture
def damaged(export, tmp_path) -> tuple[Path, list[str]]:
    """The demo school with the issue's bad values written straight into the tables; returns
    the file and what ``check`` must name."""
    db = tmp_path / "damaged.db"
    store = open_store(db, user="test")
    t = export["tables"]
    days = {d["contract_id"] for d in t["contract_day"]}
    pupil = _first(export, "pupil", lambda r: r["upn"])
    needy = _first(export, "pupil", lambda r: r["sen_code"] != "N" and r["id"] != pupil)
    term = _first(export, "contract", lambda r: r["term_time"] and r["id"] in days)
    other = _first(export, "contract", lambda r: r["id"] != term)
    funding = _first(export, "funding")
    day = _first(export, "contract_day", lambda r: r["contract_id"] != term)
    meeting = _first(export, "review_meeting")
    assignment = _first(export, "assignment")
    damage = [
        (
            f"UPDATE pupil SET upn = 'a801200005001x', review_interval_months = 0, "
            f"sen_code = 'X' WHERE id = {pupil}",
            [
                f"Table pupil, row id {pupil}, upn:",
                f"Table pupil, row id {pupil}, review_interval_months:",
                f"Table pupil, row id {pupil}, sen_code:",
            ],
        ),
        (
            f"UPDATE pupil SET primary_need = 'FOO' WHERE id = {needy}",
            [f"Table pupil, row id {needy}, primary_need:"],
        ),
        (
            f"UPDATE contract SET paid_weeks = NULL, weekly_minutes = weekly_minutes + 60 "
            f"WHERE id = {term}",
            [
                f"Table contract, row id {term}, paid_weeks:",
                f"Table contract, row id {term}, weekly_minutes: does not match the working pattern",
            ],
        ),
        (
            f"UPDATE contract SET fte_salary = -2329700, weekly_minutes = -100 WHERE id = {other}",
            [f"Table contract, row id {other}, fte_salary: cannot be negative"],
        ),
        (
            f"UPDATE funding SET end_date = '9999-12-31' WHERE id = {funding}",
            [f"Table funding, row id {funding}, end_date: is not a plausible date"],
        ),
        (
            f"UPDATE contract_day SET \"end\" = '07:00:00.000000' WHERE id = {day}",
            [f"Table contract_day, row id {day}, end:"],
        ),
        (
            f"UPDATE review_meeting SET meeting_at = '2026-03-07 10:00:00.000000' WHERE id = {meeting}",
            [f"Table review_meeting, row id {meeting}, meeting_at: is a Saturday"],
        ),
        (
            f"UPDATE assignment SET weekly_minutes = -60 WHERE id = {assignment}",
            [f"Table assignment, row id {assignment}, weekly_minutes: cannot be negative"],
        ),
    ]
    try:
        import_json(store, write(export, tmp_path / "demo.json"))
        with store.engine.begin() as conn:
            for sql, _named in damage:
                conn.execute(text(sql))
    finally:
        store.close()
    return db, [n for _sql, named in damage for n in named]


def test_check_finds_and_names_every_bad_row(damaged, capsys):
    db, named = damaged
    assert cli.run(["check", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    for line in named:
        assert line in out
    assert "ok" not in out.splitlines()


def test_check_says_ok_on_sound_data(export, tmp_path, capsys):
    db = tmp_path / "sound.db"
    store = open_store(db, user="test")
    try:
        import_json(store, write(export, tmp_path / "demo.json"))
    finally:
        store.close()
    assert cli.run(["check", "--db", str(db)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "ok"


@pytest.mark.parametrize(
    "command",
    [
        ["alerts", "--today", TODAY],
        ["alerts", "--today", TODAY, "--format", "csv"],
        ["report", "costs", "--out", "{tmp}/costs.xlsx"],
        ["report", "expiries", "--out", "{tmp}/expiries.csv"],
        ["report", "provision-map", "--out", "{tmp}/map.pdf"],
        ["calendar", "--out", "{tmp}/reviews.ics"],
    ],
)
def test_commands_never_end_in_a_traceback(damaged, tmp_path, capsys, command):
    """Each one either works or says in one line which row holds impossible data."""
    db, _named = damaged
    argv = [a.replace("{tmp}", str(tmp_path)) for a in command] + ["--db", str(db)]
    code = cli.run(argv)  # a bug would raise out of run()
    err = capsys.readouterr().err
    if code:
        assert err.startswith("sencodesk: ") and err.count("\n") == 1, err
        assert "holds data that breaks the rules" in err and "check" in err


@pytest.fixture
def unreadable(export, tmp_path) -> tuple[Path, list[str]]:
    """The demo school with values no column type reads, as a file made or damaged outside
    the app holds them (SQLite keeps whatever it is given): a month 13, a number where a date
    goes, words where a time or an amount goes."""
    db = tmp_path / "unreadable.db"
    store = open_store(db, user="test")
    t = export["tables"]
    funding = _first(export, "funding")
    contract = _first(export, "contract")
    other = _first(export, "contract", lambda r: r["id"] != contract)
    meeting = _first(export, "review_meeting")
    day = _first(export, "contract_day")
    damage = [
        (
            f"UPDATE contract_day SET \"end\" = 'late' WHERE id = {day}",
            f"Table contract_day, row id {day}, end: 'late' is not a",
        ),
        (
            f"UPDATE funding SET end_date = '2026-13-45' WHERE id = {funding}",
            f"Table funding, row id {funding}, end_date: '2026-13-45' is not a date",
        ),
        (
            f"UPDATE contract SET end_date = 12345 WHERE id = {contract}",
            f"Table contract, row id {contract}, end_date: 12345 is not a date",
        ),
        (
            f"UPDATE contract SET fte_salary = 'lots' WHERE id = {other}",
            f"Table contract, row id {other}, fte_salary: 'lots' is not a value",
        ),
        (
            f"UPDATE review_meeting SET meeting_at = 'soon' WHERE id = {meeting}",
            f"Table review_meeting, row id {meeting}, meeting_at: 'soon' is not a date and time",
        ),
    ]
    assert t["review_meeting"]
    try:
        import_json(store, write(export, tmp_path / "demo.json"))
        with store.engine.begin() as conn:
            for sql, _named in damage:
                conn.execute(text(sql))
    finally:
        store.close()
    return db, [named for _sql, named in damage]


def test_check_names_a_value_no_type_reads(unreadable, capsys):
    """Before, ``check`` said only "month must be in 1..12", and every reader ended in a
    traceback: the rows were read through the column types before any rule looked."""
    db, named = unreadable
    assert cli.run(["check", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    for line in named:
        assert out.count(line) == 1, line  # once each (contract_day is read twice)
    assert "cannot be corrected in it: restore a backup" in out  # not "correct them in the app"


@pytest.mark.parametrize(
    "command",
    [
        ["alerts", "--today", TODAY],
        ["report", "costs", "--out", "{tmp}/costs.xlsx"],
        ["report", "expiries", "--out", "{tmp}/expiries.csv"],
        ["calendar", "--out", "{tmp}/reviews.ics"],
    ],
)
def test_unreadable_values_never_end_in_a_traceback(unreadable, tmp_path, capsys, command):
    db, named = unreadable
    argv = [a.replace("{tmp}", str(tmp_path)) for a in command] + ["--db", str(db)]
    code = cli.run(argv)  # a bug would raise out of run()
    err = capsys.readouterr().err
    assert code and err.startswith("sencodesk: ") and err.count("\n") == 1, err
    assert "holds data that breaks the rules" in err and named[0] in err
    assert "restore a backup from before the file was damaged" in err
