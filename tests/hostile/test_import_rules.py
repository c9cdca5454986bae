"""Hostile and careless JSON files: the import checks every row with the editors' rules,
names every bad row (table, row, column, why) and writes nothing.

Each case is one spoilt value of a valid export. Before the shared rules (issue #11) every one
of these was imported without a word.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from sencodesk import cli, commands
from sencodesk.errors import KnownError, ValidationError
from sencodesk.exchange.json_io import import_json
from sencodesk.queries.pupil_detail import find_pupil
from sencodesk.store import open_store

from .conftest import rows, write

Row = dict[str, Any]


def _first(doc: dict[str, Any], table: str, ok: Callable[[Row], bool] = lambda r: True):
    """(row number from 1, row) of the first row of ``table`` that ``ok`` accepts."""
    for n, row in enumerate(doc["tables"][table], start=1):
        if ok(row):
            return n, row
    raise AssertionError(f"the demo has no suitable {table} row")


def _days_of(doc: dict[str, Any], contract_id: int) -> list[Row]:
    return [d for d in doc["tables"]["contract_day"] if d["contract_id"] == contract_id]


def _with_days(doc: dict[str, Any]) -> Callable[[Row], bool]:
    return lambda r: bool(_days_of(doc, r["id"]))


def _wrong_letter(upn: str) -> str:
    return ("A" if upn[0] != "A" else "B") + upn[1:]


# Each case: (spoil the document -> (table, row number, row), column, words in the message)
CASES: dict[str, tuple[Callable[[dict[str, Any]], tuple[str, int, Row]], str, str]] = {}


def case(name: str, column: str, words: str):
    def register(spoil: Callable[[dict[str, Any]], tuple[str, int, Row]]):
        CASES[name] = (spoil, column, words)
        return spoil

    return register


def _set(doc, table, ok, **values):
    n, row = _first(doc, table, ok)
    row.update(values)
    return table, n, row


@case("upn-wrong-check-letter", "upn", "check letter should be")
def _(doc):
    n, row = _first(doc, "pupil", lambda r: bool(r["upn"]))
    row["upn"] = _wrong_letter(row["upn"])
    return "pupil", n, row


@case("upn-ends-in-I", "upn", "cannot end in I")
def _(doc):
    n, row = _first(doc, "pupil", lambda r: bool(r["upn"]))
    row["upn"] = row["upn"][:12] + "I"
    return "pupil", n, row


@case("upn-12-characters", "upn", "13 characters")
def _(doc):
    n, row = _first(doc, "pupil", lambda r: bool(r["upn"]))
    row["upn"] = row["upn"][:12]
    return "pupil", n, row


@case("term-time-without-paid-weeks", "paid_weeks", "required for a term-time contract")
def _(doc):
    return _set(doc, "contract", lambda r: r["term_time"], paid_weeks=None)


@case("negative-fte-salary", "fte_salary", "cannot be negative")
def _(doc):
    return _set(doc, "contract", lambda r: True, fte_salary="-23297.00")


@case("negative-assignment-minutes", "weekly_minutes", "cannot be negative")
def _(doc):
    return _set(doc, "assignment", lambda r: True, weekly_minutes=-60)


@case("negative-record-minutes", "minutes", "must be at least 0")
def _(doc):
    return _set(doc, "record", lambda r: True, minutes=-5)


@case("review-interval-0", "review_interval_months", "must be at least 1")
def _(doc):
    return _set(doc, "pupil", lambda r: True, review_interval_months=0)


@case("sen-code-X", "sen_code", "must be one of")
def _(doc):
    return _set(doc, "pupil", lambda r: True, sen_code="X")


@case("need-FOO", "primary_need", "must be one of")
def _(doc):
    return _set(doc, "pupil", lambda r: r["sen_code"] != "N", primary_need="FOO")


@case("funding-ends-before-it-starts", "end_date", "cannot be before the start date")
def _(doc):
    n, row = _first(doc, "funding")
    start = dt.date.fromisoformat(row["start_date"])
    row["end_date"] = (start - dt.timedelta(days=1)).isoformat()
    return "funding", n, row


@case("contract-ends-before-it-starts", "end_date", "cannot be before the start date")
def _(doc):
    n, row = _first(doc, "contract")
    start = dt.date.fromisoformat(row["start_date"])
    row["end_date"] = (start - dt.timedelta(days=30)).isoformat()
    return "contract", n, row


@case("working-day-ends-before-it-starts", "end", "must be after the start")
def _(doc):
    return _set(doc, "contract_day", lambda r: True, end="07:00:00")


@case("weekly-minutes-disagree-with-the-pattern", "weekly_minutes", "working pattern")
def _(doc):
    n, row = _first(doc, "contract", _with_days(doc))
    row["weekly_minutes"] += 60  # pay would follow the minutes, not the days worked
    return "contract", n, row


@case("meeting-on-a-saturday", "meeting_at", "Saturday")
def _(doc):
    return _set(doc, "review_meeting", lambda r: True, meeting_at="2026-03-07T10:00:00")


@case("meeting-on-a-bank-holiday", "meeting_at", "bank holiday")
def _(doc):
    return _set(doc, "review_meeting", lambda r: True, meeting_at="2026-05-04T10:00:00")


@case("date-9999-12-31", "end_date", "not a plausible date")
def _(doc):
    return _set(doc, "funding", lambda r: True, end_date="9999-12-31")


@case("meeting-in-9999", "meeting_at", "not a plausible date")
def _(doc):
    return _set(doc, "review_meeting", lambda r: True, meeting_at="9999-12-31T10:00:00")


@case("dbs-certificate-letters", "certificate_number", "12 digits")
def _(doc):
    return _set(doc, "dbs_check", lambda r: True, certificate_number="ABC")


@case("school-id-2", "id", "at most 1")
def _(doc):
    n, row = _first(doc, "school")
    row["id"] = 2
    return "school", n, row


def _where(table: str, n: int, row: Row, column: str) -> str:
    return f"table {table!r}, row {n} (id {row['id']}), column {column!r}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_spoilt_value_is_named_and_nothing_is_written(export, tmp_path, name):
    spoil, column, words = CASES[name]
    table, n, row = spoil(export)
    path = write(export, tmp_path / f"{name}.json")
    store = open_store(tmp_path / "target.db", user="test")
    try:
        before = rows(store)
        with pytest.raises(KnownError) as caught:
            import_json(store, path)
        message = str(caught.value)
        assert _where(table, n, row, column) in message
        assert words in message.split(_where(table, n, row, column), 1)[1].split("\n", 1)[0]
        assert "Nothing was imported" in message
        assert rows(store) == before  # row for row
    finally:
        store.close()


@pytest.mark.parametrize("name", ["upn-wrong-check-letter", "meeting-on-a-saturday"])
def test_the_command_line_says_so_and_creates_no_database(export, tmp_path, capsys, name):
    spoil, column, words = CASES[name]
    table, n, row = spoil(export)
    path = write(export, tmp_path / "spoilt.json")
    target = tmp_path / "new.db"
    assert cli.run(["import", str(path), "--db", str(target)]) != 0
    err = capsys.readouterr().err
    assert err.startswith("sencodesk: Cannot import") and "Traceback" not in err
    assert _where(table, n, row, column) in err and words in err
    assert not target.exists()


def test_a_5001_digit_number_is_refused_in_words(export, tmp_path):
    n, row = _first(export, "pupil")
    row["ehcp_weekly_minutes"] = "@@HUGE@@"
    text = json.dumps(export).replace('"@@HUGE@@"', "9" * 5001)
    path = tmp_path / "huge.json"
    path.write_text(text, "utf-8")
    store = open_store(tmp_path / "target.db", user="test")
    try:
        with pytest.raises(KnownError) as caught:
            import_json(store, path)
        assert _where("pupil", n, row, "ehcp_weekly_minutes") in str(caught.value)
        assert "5001 digits" in str(caught.value)
        assert rows(store)["pupil"] == []
    finally:
        store.close()


def test_every_bad_row_is_reported_not_only_the_first(export, tmp_path):
    wanted = []
    for name in ("upn-wrong-check-letter", "negative-fte-salary", "meeting-on-a-saturday"):
        spoil, column, _words = CASES[name]
        table, n, row = spoil(export)
        wanted.append(_where(table, n, row, column))
    export["tables"]["pupil"][-1]["sen_code"] = "X"
    wanted.append(
        _where("pupil", len(export["tables"]["pupil"]), export["tables"]["pupil"][-1], "sen_code")
    )
    path = write(export, tmp_path / "many.json")
    store = open_store(tmp_path / "target.db", user="test")
    try:
        with pytest.raises(KnownError) as caught:
            import_json(store, path)
        for where in wanted:
            assert where in str(caught.value)
        found = re.search(r": (\d+) problems found\. Nothing was imported", str(caught.value))
        assert found and int(found.group(1)) >= len(wanted)
    finally:
        store.close()


def test_a_upn_in_small_letters_is_stored_in_capitals_and_found(export, tmp_path):
    n, row = _first(export, "pupil", lambda r: bool(r["upn"]))
    upn = row["upn"]
    row["upn"] = upn.lower()
    store = open_store(tmp_path / "target.db", user="test")
    try:
        import_json(store, write(export, tmp_path / "lower.json"))
        with store.read() as s:
            assert find_pupil(s, upn) == row["id"]
    finally:
        store.close()


@pytest.mark.parametrize(
    ("save", "values", "field"),
    [
        (commands.save_pupil, {"review_interval_months": 0}, "review_interval_months"),
        (commands.save_pupil, {"sen_code": "X"}, "sen_code"),
        (commands.save_pupil, {"upn": "A801200005001"}, "upn"),
    ],
)
def test_the_editors_refuse_what_the_import_refuses(export, tmp_path, save, values, field):
    """One rule, every way in: the editors' commands say the same as the import."""
    store = open_store(tmp_path / "target.db", user="test")
    try:
        import_json(store, write(export, tmp_path / "ok.json"))
        with pytest.raises(ValidationError) as caught, store.session() as s:
            save(s, values, export["tables"]["pupil"][0]["id"])
        assert field in caught.value.errors
    finally:
        store.close()


def test_a_meeting_in_9999_is_refused_by_the_editor_too(export, tmp_path):
    store = open_store(tmp_path / "target.db", user="test")
    try:
        import_json(store, write(export, tmp_path / "ok.json"))
        meeting = export["tables"]["review_meeting"][0]
        with pytest.raises(ValidationError) as caught, store.session() as s:
            commands.save_review(s, {"meeting_at": dt.datetime(9999, 12, 31, 10)}, meeting["id"])
        assert "plausible" in caught.value.errors["meeting_at"]
    finally:
        store.close()
