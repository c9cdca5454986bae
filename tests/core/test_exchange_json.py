"""The JSON interchange: a complete, versioned export of the database, and an all-or-nothing
import into an empty database that gives back the same export, on SQLite and PostgreSQL."""

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy import text as sql
from sqlalchemy.engine import make_url

from sencodesk import cli, commands
from sencodesk.errors import KnownError, NotFound
from sencodesk.exchange.json_io import (
    FORMAT_VERSION,
    column_kind,
    export_json,
    import_json,
    model_tables,
    read_json,
)
from sencodesk.model import AuditEntry, Base, Contract, Pupil, Staff
from sencodesk.rules.pay import WorkDay
from sencodesk.schema import head_revision
from sencodesk.store import open_store
from tests.conftest import PG_URL

D = dt.date
NAME = ("Zoë", "Ní Bhriain-Łukasiewicz")
UPN = "B801200005001"


def populate(store):
    """A small school with every kind of row, some edits and a delete; returns the ids."""
    with store.session() as s:
        la = commands.save_local_authority(s, {"name": "Kent", "code": "886"})
        commands.save_school(
            s, {"name": "St Aidan's C of E Primary", "la_id": la, "on_cost_percent": "28.50"}
        )
        commands.set_term_dates(
            s,
            2024,
            [
                (D(2024, 9, 2), D(2024, 10, 25)),
                (D(2024, 11, 4), D(2024, 12, 20)),
                (D(2025, 1, 6), D(2025, 2, 14)),
                (D(2025, 2, 24), D(2025, 4, 4)),
                (D(2025, 4, 22), D(2025, 5, 23)),
                (D(2025, 6, 2), D(2025, 7, 22)),
            ],
        )
        pid = commands.save_pupil(
            s,
            {
                "legal_first_name": NAME[0],
                "legal_last_name": NAME[1],
                "date_of_birth": D(2015, 5, 4),
                "upn": UPN,
                "sen_code": "E",
                "primary_need": "SLCN",
                "ehcp_la_id": la,
                "ehcp_issued": D(2021, 3, 1),
                "ehcp_weekly_minutes": 1900,
                "medical_needs": "Epipen — in the office",
                "personal_care": True,
            },
        )
        other = commands.save_pupil(
            s,
            {
                "legal_first_name": "Other",
                "legal_last_name": "Child",
                "date_of_birth": D(2016, 1, 2),
                "sen_code": "K",
                "primary_need": "SPLD",
            },
        )
        # The line manager gets a higher id than the member of staff they manage.
        lsa = commands.save_staff(
            s,
            {
                "first_name": "Łukasz",
                "last_name": "Nguyễn",
                "role": "lsa_1to1",
                "email": "l.nguyen@example.org",
                "phone": "07700 900123",
                "start_date": D(2022, 9, 1),
            },
        )
        senco = commands.save_staff(
            s, {"first_name": "Siân", "last_name": "O'Neill", "role": "senco"}
        )
        commands.save_staff(s, {"line_manager_id": senco}, lsa)
        commands.save_qualification(s, {"staff_id": lsa, "kind": "Level 3 TA", "level": "3"})
        commands.save_training(
            s,
            {
                "staff_id": lsa,
                "kind": "first_aid",
                "completed": D(2024, 1, 5),
                "expires": D(2027, 1, 5),
            },
        )
        commands.save_dbs(
            s,
            {
                "staff_id": lsa,
                "certificate_number": "001234567890",
                "issued": D(2022, 8, 1),
                "update_service": True,
            },
        )
        oid = commands.save_outcome(
            s,
            {
                "pupil_id": pid,
                "area": "communication",
                "text": "Zoë will use her symbols board to ask for help",
                "set_date": D(2024, 9, 2),
                "target_date": D(2025, 7, 18),
            },
        )
        commands.save_outcome(
            s,
            {
                "status": "developing",
                "status_date": D(2025, 1, 10),
                "status_note": "Uses it at lunch",
            },
            oid,
        )
        commands.save_record(
            s,
            {
                "pupil_id": pid,
                "author_id": lsa,
                "kind": "support",
                "outcome_id": oid,
                "occurred_at": dt.datetime(2024, 9, 3, 9, 15),
                "text": "Phonics with Zoë",
                "minutes": 30,
                "progress": 3,
            },
        )
        commands.save_record(
            s,
            {
                "pupil_id": pid,
                "author_id": lsa,
                "kind": "incident",
                "occurred_at": dt.datetime(2025, 2, 3, 13, 20, 5),
                "antecedent": "Loud hall",
                "behaviour": "Ran out of assembly",
                "consequence": "Calm space",
                "physical_intervention": False,
                "parents_informed": True,
            },
        )
        gone = commands.save_record(
            s,
            {
                "pupil_id": pid,
                "kind": "medical",
                "text": "Nosebleed",
                "occurred_at": dt.datetime(2025, 1, 2, 11),
            },
        )
        commands.delete(s, "record", gone)
        commands.save_record(
            s,
            {
                "pupil_id": other,
                "kind": "support",
                "text": "Other's note",
                "occurred_at": dt.datetime(2025, 1, 3, 10),
            },
        )
        fid = commands.save_funding(
            s,
            {
                "pupil_id": pid,
                "source": "top_up",
                "funder": "Kent CC",
                "reference": "TU/77",
                "amount_per_year": "16484",
                "weekly_minutes": 1900,
                "start_date": D(2024, 9, 1),
                "end_date": D(2025, 8, 31),
            },
        )
        commands.save_funding(
            s,
            {
                "pupil_id": other,
                "source": "school",
                "amount_per_year": "6000",
                "start_date": D(2024, 9, 1),
            },
        )
        commands.save_contract(
            s,
            {
                "staff_id": lsa,
                "kind": "fixed_term",
                "job_title": "1:1 LSA",
                "fte_salary": "23297.50",
                "start_date": D(2024, 9, 1),
                "end_date": D(2025, 8, 31),
                "funding_id": fid,
                "days": [WorkDay(d, dt.time(8, 40), dt.time(15, 30), 30) for d in range(5)],
            },
        )
        commands.save_assignment(
            s,
            {
                "staff_id": lsa,
                "pupil_id": pid,
                "weekly_minutes": 1900,
                "sessions": 0b1111111111,
                "start_date": D(2024, 9, 2),
            },
        )
        commands.save_assignment(
            s,
            {
                "staff_id": senco,
                "pupil_id": other,
                "weekly_minutes": 60,
                "start_date": D(2024, 9, 2),
            },
        )
        commands.save_review(
            s,
            {
                "pupil_id": pid,
                "meeting_at": dt.datetime(2025, 3, 4, 14, 0),
                "place": "Library",
                "notes": "Parents pleased",
                "invitations_sent_on": D(2025, 2, 18),
                "invitees": [
                    {"name": "Dr Siobhán Ó Briain", "role": "EP", "email": "ep@example.org"},
                    {"name": "Mum"},
                ],
            },
        )
        commands.save_review(
            s,
            {
                "pupil_id": other,
                "meeting_at": dt.datetime(2025, 3, 5, 9),
                "invitees": [{"name": "Other's dad"}],
            },
        )
    return {"pupil": pid, "other": other, "lsa": lsa, "senco": senco, "la": la}


def counts(store):
    with store.read() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in model_tables()}


def without_time(path):
    """The file without its time, and without the audit's ``imported`` marks (an import sets
    them all: ``imported_marks`` reads them)."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00", doc.pop("exported_at"))
    for row in doc["tables"].get("audit_entry", []):
        row.pop("imported")
    return doc


def imported_marks(path):
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return {row["imported"] for row in doc["tables"]["audit_entry"]}


def same_bytes(path):
    """The file's text without its changing lines (the time, the ``imported`` marks)."""
    text = Path(path).read_text(encoding="utf-8")
    text = re.sub(r'"imported": (true|false)', "", text)
    return re.sub(r'"exported_at": "[^"]*"', "", text)


def fresh_store(any_store, tmp_path):
    """An empty database of the same kind as ``any_store`` (dropped again by ``drop``)."""
    if any_store.is_sqlite:
        return open_store(tmp_path / "copy.db", user="importer")
    server = make_url(PG_URL)
    name = make_url(any_store.url).database + "_copy"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sql(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    store = open_store(
        server.set(database=name).render_as_string(hide_password=False), user="importer"
    )
    store.drop_after = name  # for this test module's cleanup only
    return store


def drop(store):
    store.close()
    name = getattr(store, "drop_after", None)
    if name:
        admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def exported(store, tmp_path):
    """A populated SQLite store and its export."""
    ids = populate(store)
    path = tmp_path / "export.json"
    export_json(store, path)
    return store, path, ids


# --------------------------------------------------------------------------- export


def test_export_has_every_table_in_order_with_typed_values(exported):
    store, path, ids = exported
    text = path.read_text(encoding="utf-8")
    assert NAME[1] in text and "\\u" not in text  # UTF-8, not \u escapes
    doc = json.loads(text)
    assert list(doc)[:2] == ["format", "format_version"]
    assert doc["format"] == "sencodesk" and doc["format_version"] == FORMAT_VERSION == 1
    assert doc["schema_revision"] == head_revision()
    assert doc["app_version"] and doc["marking"] == "OFFICIAL-SENSITIVE"
    names = [t.name for t in Base.metadata.sorted_tables]
    assert list(doc["tables"]) == names and "alembic_version" not in names
    assert "audit_entry" in doc["tables"]
    assert {n: len(r) for n, r in doc["tables"].items()} == counts(store)
    for name, rows in doc["tables"].items():
        assert [r["id"] for r in rows] == sorted(r["id"] for r in rows), name
        for r in rows:
            assert list(r) == sorted(r), name
    t = doc["tables"]
    pupil = next(p for p in t["pupil"] if p["id"] == ids["pupil"])
    assert pupil["date_of_birth"] == "2015-05-04" and pupil["personal_care"] is True
    assert pupil["archived"] is False and pupil["upn"] == UPN and pupil["leaving_date"] is None
    assert t["funding"][0]["amount_per_year"] == "16484.00"
    assert t["contract"][0]["fte_salary"] == "23297.50"
    assert t["contract"][0]["paid_weeks"] == "43.108"
    assert t["school"][0]["on_cost_percent"] == "28.50"
    assert t["school"][0]["weeks_per_year"] == "52.143"
    assert t["contract_day"][0]["start"] == "08:40:00"
    assert t["review_meeting"][0]["meeting_at"] == "2025-03-04T14:00:00"
    incident = next(r for r in t["record"] if r["kind"] == "incident")
    assert incident["occurred_at"] == "2025-02-03T13:20:05"
    assert incident["parents_informed"] is True and incident["physical_intervention"] is False
    assert any(a["action"] == "delete" and a["table_name"] == "record" for a in t["audit_entry"])
    assert not list(path.parent.glob(".*.part"))  # no temporary file left


def test_every_column_is_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "json-format.md").read_text("utf-8")
    for table in model_tables():
        section = doc.split(f"### `{table.name}`", 1)
        assert len(section) == 2, table.name
        body = section[1].split("\n### ", 1)[0]
        for column in table.columns:
            assert f"`{column.name}`" in body, f"{table.name}.{column.name}"


def round_trip(any_store, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    export_json(any_store, a)
    copy = fresh_store(any_store, tmp_path)
    try:
        import_json(copy, a)
        assert counts(copy) == counts(any_store)
        export_json(copy, b)
        assert without_time(a) == without_time(b)
        assert same_bytes(a) == same_bytes(b)
        # Every entry of the history came from the file: marked imported, never as made here.
        assert imported_marks(a) == {False} and imported_marks(b) == {True}
        return copy
    except BaseException:
        drop(copy)
        raise


def test_round_trip_gives_the_same_export(any_store, tmp_path):
    ids = populate(any_store)
    copy = round_trip(any_store, tmp_path)
    try:
        # The audit log is copied as is: the import itself wrote no entry.
        with copy.read() as s:
            assert (
                s.scalar(select(func.count()).select_from(AuditEntry))
                == counts(any_store)["audit_entry"]
            )
            assert not s.scalars(select(AuditEntry).where(AuditEntry.user == "importer")).all()
            assert s.get(Staff, ids["lsa"]).line_manager_id == ids["senco"]
            assert s.get(Contract, 1).fte_salary == Decimal("23297.50")
        # Ids carry on after the imported ones (PostgreSQL sequences are reset).
        last_entry = counts(copy)["audit_entry"]
        with copy.session() as s:
            new = commands.save_pupil(
                s,
                {
                    "legal_first_name": "New",
                    "legal_last_name": "Pupil",
                    "date_of_birth": D(2017, 2, 3),
                },
            )
            staff = commands.save_staff(s, {"first_name": "A", "last_name": "B", "role": "teacher"})
            entries = s.scalars(select(AuditEntry.id).where(AuditEntry.user == "importer")).all()
        assert new == ids["other"] + 1 and staff == ids["senco"] + 1
        assert entries and min(entries) == last_entry + 1
    finally:
        drop(copy)


@pytest.mark.pg
def test_sqlite_to_postgresql_and_back(store, pg_url, tmp_path):
    """Moving a school from its SQLite file to a PostgreSQL server, and back again."""
    populate(store)
    a, b, c = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    export_json(store, a)
    server = open_store(pg_url, user="importer")
    try:
        import_json(server, a)
        export_json(server, b)
    finally:
        server.close()
    back = open_store(tmp_path / "back.db", user="importer")
    try:
        import_json(back, b)
        export_json(back, c)
    finally:
        back.close()
    assert same_bytes(a) == same_bytes(b) == same_bytes(c)


def test_export_from_a_read_only_store(exported, db_path, tmp_path):
    """The GUI has the file: the command line opens it read-only and still exports it."""
    _, path, _ = exported
    reader = open_store(db_path, read_only=True)
    try:
        export_json(reader, tmp_path / "ro.json")
        with pytest.raises(KnownError, match="read-only"):
            import_json(reader, path)
    finally:
        reader.close()
    assert same_bytes(path) == same_bytes(tmp_path / "ro.json")


def test_round_trip_of_the_demo(any_store, tmp_path):
    demo = pytest.importorskip("sencodesk.demo")
    demo.make_demo(any_store, pupils=60, seed=3, today=D(2025, 11, 12))
    assert counts(any_store)["pupil"] == 60 and counts(any_store)["audit_entry"] > 0
    drop(round_trip(any_store, tmp_path))


# --------------------------------------------------------------------------- one pupil


def test_pupil_subset_holds_only_that_pupil(exported, tmp_path):
    store, _, ids = exported
    path = tmp_path / "one.json"
    export_json(store, path, pupil_id=ids["pupil"])
    doc = json.loads(path.read_text("utf-8"))
    assert doc["subset"] == {"pupil_id": ids["pupil"]}
    t = doc["tables"]
    assert [p["id"] for p in t["pupil"]] == [ids["pupil"]]
    for name in ("outcome", "record", "funding", "assignment", "review_meeting"):
        assert t[name] and {r["pupil_id"] for r in t[name]} == {ids["pupil"]}, name
    assert len(t["record"]) == 2  # the deleted one lives on only in the audit entries
    assert {r["status"] for r in t["outcome_status_change"]} == {"not_started", "developing"}
    assert {i["name"] for i in t["review_invitee"]} == {"Dr Siobhán Ó Briain", "Mum"}
    # Staff by name only; nothing of their contracts, checks or training.
    assert t["staff"] == [{"first_name": "Łukasz", "id": ids["lsa"], "last_name": "Nguyễn"}]
    assert t["school"] == [{"id": 1, "name": "St Aidan's C of E Primary"}]
    assert [la["id"] for la in t["local_authority"]] == [ids["la"]]
    for name in ("contract", "contract_day", "dbs_check", "training", "qualification", "term_date"):
        assert name not in t
    text = path.read_text("utf-8")
    for other in (
        "Other",
        "Child",
        "Other's note",
        "Other's dad",
        "07700",
        "001234567890",
        "23297",
    ):
        assert other not in text, other
    audit = t["audit_entry"]
    assert any(e["new_value"] == "Nosebleed" for e in audit)
    wanted = {
        "pupil",
        "outcome",
        "outcome_status_change",
        "record",
        "funding",
        "assignment",
        "review_meeting",
        "review_invitee",
    }
    assert {e["table_name"] for e in audit} == wanted
    assert not any(e["table_name"] == "pupil" and e["row_id"] == ids["other"] for e in audit)
    with pytest.raises(KnownError, match="whole database"):
        read_json(path)


def test_pupil_subset_unknown_pupil(exported, tmp_path):
    store, _, _ = exported
    with pytest.raises(NotFound):
        export_json(store, tmp_path / "x.json", pupil_id=999)
    assert not (tmp_path / "x.json").exists()


# --------------------------------------------------------------------------- refusals


@pytest.fixture
def target(tmp_path):
    s = open_store(tmp_path / "target.db", user="importer")
    yield s
    s.close()


def refused(target, path, *fragments):
    before = counts(target)
    with pytest.raises(KnownError) as info:
        import_json(target, path)
    message = str(info.value)
    for fragment in (str(path), *fragments):
        assert fragment in message, (fragment, message)
    assert counts(target) == before
    return message


def edited(path, tmp_path, change):
    doc = json.loads(path.read_text("utf-8"))
    change(doc)
    out = tmp_path / "edited.json"
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def test_malformed_json(exported, target, tmp_path):
    _, path, _ = exported
    lines = path.read_text("utf-8").splitlines()
    lines[5] = lines[5].replace('":', '" ', 1)
    bad = tmp_path / "bad.json"
    bad.write_text("\n".join(lines), encoding="utf-8")
    message = refused(target, bad, "not valid JSON", "line 6, column")
    assert "cut short" not in message


def test_truncated_file(exported, target, tmp_path):
    _, path, _ = exported
    text = path.read_text("utf-8")
    cut = tmp_path / "cut.json"
    for end in (text.index("Ran out of assembly") + 7, len(text) * 2 // 3):
        cut.write_text(text[:end], encoding="utf-8")
        line = text[:end].count("\n") + 1
        refused(target, cut, "not valid JSON", "cut short", f"line {line}, column")


def test_not_an_export(target, tmp_path):
    other = tmp_path / "other.json"
    other.write_text('{"format": "something-else", "tables": {}}', encoding="utf-8")
    refused(target, other, "not a SENCO Desk export", "something-else")
    empty = tmp_path / "empty.json"
    empty.write_text("", encoding="utf-8")
    refused(target, empty, "is empty")
    refused(target, tmp_path / "missing.json", "There is no file")


def test_newer_format_version(exported, target, tmp_path):
    _, path, _ = exported
    newer = edited(path, tmp_path, lambda d: d.update(format_version=FORMAT_VERSION + 1))
    refused(target, newer, "made by a newer version of SENCO Desk", "format version 2")


def test_unknown_table_and_column(exported, target, tmp_path):
    _, path, _ = exported
    bad = edited(path, tmp_path, lambda d: d["tables"].update(wormhole=[]))
    refused(target, bad, "unknown table 'wormhole'")
    bad = edited(path, tmp_path, lambda d: d["tables"]["staff"][1].update(shoe_size=9))
    refused(target, bad, "table 'staff', row 2 (id 2)", "unknown column 'shoe_size'")

    def newer(d):
        d["schema_revision"] = "9999"
        d["tables"]["pupil"][0]["eye_colour"] = "brown"

    refused(
        target,
        edited(path, tmp_path, newer),
        "unknown column 'eye_colour'",
        "newer version of SENCO Desk",
    )


@pytest.mark.parametrize(
    ("table", "column", "value", "expected"),
    [
        ("pupil", "date_of_birth", "04/05/2015", "is not a date (YYYY-MM-DD)"),
        ("pupil", "personal_care", "yes", "must be true or false"),
        ("pupil", "ehcp_weekly_minutes", "1900", "must be a whole number"),
        ("pupil", "legal_last_name", None, "must have a value"),
        ("pupil", "upn", "B" * 14, "at most 13 fit"),
        ("funding", "amount_per_year", 16484.0, "must be a decimal number in a string"),
        ("funding", "amount_per_year", "16484.001", "more than 2 decimal places"),
        ("funding", "amount_per_year", "£16,484", "is not a decimal number"),
        ("record", "occurred_at", "2025-02-30T10:00:00", "is not a date and time"),
        ("contract_day", "start", 840, "must be a time (HH:MM:SS) in a string"),
    ],
)
def test_wrong_value_type(exported, target, tmp_path, table, column, value, expected):
    _, path, _ = exported
    bad = edited(path, tmp_path, lambda d: d["tables"][table][0].update({column: value}))
    refused(target, bad, f"table {table!r}, row 1 (id 1), column {column!r}", expected)


def test_broken_links_and_duplicates(exported, target, tmp_path):
    _, path, _ = exported
    bad = edited(path, tmp_path, lambda d: d["tables"]["record"][0].update(author_id=99))
    refused(target, bad, "table 'record', row 1", "no 'staff' row with id 99")
    bad = edited(path, tmp_path, lambda d: d["tables"]["pupil"][1].update(upn=UPN))
    refused(target, bad, "table 'pupil', row 2", "must be unique")
    bad = edited(path, tmp_path, lambda d: d["tables"]["staff"][1].update(id=1))
    refused(target, bad, "table 'staff', row 2 (id 1)", "must be unique")


def test_import_refuses_a_database_with_data(exported, target, tmp_path):
    store, path, _ = exported
    with target.session() as s:
        commands.save_staff(s, {"first_name": "A", "last_name": "B", "role": "teacher"})
    message = refused(target, path, "already holds data", str(target.path), "staff: 1 row")
    assert "audit_entry" in message
    with pytest.raises(KnownError, match="already holds data"):
        import_json(store, path)  # into itself


def test_import_checks_everything_before_writing(exported, target, tmp_path):
    """A problem in the last table leaves no row of the earlier ones."""
    _, path, _ = exported
    last = model_tables()[-1].name
    bad = edited(path, tmp_path, lambda d: d["tables"][last][-1].update(id="x"))
    refused(target, bad, f"table {last!r}")
    assert sum(counts(target).values()) == 0


def test_an_older_file_without_a_defaulted_column_imports(exported, target, tmp_path):
    _, path, _ = exported

    def older(d):
        for row in d["tables"]["pupil"]:
            del row["retention_hold_reason"]

    import_json(target, edited(path, tmp_path, older))
    with target.read() as s:
        assert {p.retention_hold_reason for p in s.scalars(select(Pupil))} == {""}


def test_the_model_has_no_column_without_a_json_form():
    kinds = {column_kind(c) for t in model_tables() for c in t.columns}
    assert kinds == {"integer", "boolean", "decimal", "date", "datetime", "time", "text"}


# --------------------------------------------------------------------------- the commands


def test_cli_export_and_import(store, db_path, tmp_path, capsys):
    populate(store)
    store.close()
    out = tmp_path / "all.json"
    assert cli.run(["export", "--db", str(db_path), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"Wrote {out}" in said and "OFFICIAL-SENSITIVE" in said
    copy = tmp_path / "copy.db"
    assert cli.run(["import", str(out), "--db", str(copy)]) == 0
    assert "Imported" in capsys.readouterr().out
    again = tmp_path / "again.json"
    assert cli.run(["export", "--format", "json", "--db", str(copy), "--out", str(again)]) == 0
    assert without_time(out) == without_time(again)
    # A second import into the same database is refused, with a message and exit 2.
    assert cli.run(["import", str(out), "--db", str(copy)]) == 2
    assert "already holds data" in capsys.readouterr().err


def test_cli_import_of_a_bad_file_creates_no_database(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "sencodesk", "format_version": 1, "tables": {', encoding="utf-8")
    db = tmp_path / "new.db"
    assert cli.run(["import", str(bad), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "line 1, column" in err and "cut short" in err
    assert not db.exists()


def test_cli_export_to_a_folder_is_refused(store, db_path, tmp_path, capsys):
    store.close()
    assert cli.run(["export", "--db", str(db_path), "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_cli_export_of_one_pupil_writes_the_subject_access_files(store, db_path, tmp_path, capsys):
    populate(store)
    store.close()
    out = tmp_path / "sar"
    assert cli.run(["export", "--db", str(db_path), "--pupil", UPN, "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        f"{UPN}-subject-access.json",
        f"{UPN}-subject-access.pdf",
    ]
    said = capsys.readouterr().out
    assert "Wrote" in said and "OFFICIAL-SENSITIVE" in said
    doc = json.loads((out / f"{UPN}-subject-access.json").read_text("utf-8"))
    assert doc["tables"]["pupil"][0]["legal_last_name"] == NAME[1]
    assert (
        cli.run(["export", "--db", str(db_path), "--pupil", "999", "--out", str(tmp_path / "none")])
        == 2
    )
    assert "No pupil" in capsys.readouterr().err


def test_streamed_export_is_what_one_json_dump_writes(any_store, tmp_path):
    """The whole-database export is written a row at a time (#17: memory), byte for byte the
    layout of ``json.dump(doc, indent=1)`` of the whole document, on an empty database and
    on the demo (every table, both empty and full ones)."""
    from sencodesk import demo

    for step in ("empty", "demo"):
        if step == "demo":
            demo.make_demo(any_store, pupils=60, seed=2, today=dt.date(2026, 3, 1))
        path = tmp_path / f"{step}.json"
        export_json(any_store, path)
        written = path.read_text(encoding="utf-8")
        doc = json.loads(written)
        assert written == json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
        assert list(doc) == [
            "format",
            "format_version",
            "marking",
            "exported_at",
            "app_version",
            "schema_revision",
            "tables",
        ]
        for name, rows in doc["tables"].items():
            ids = [r["id"] for r in rows if "id" in r]
            assert ids == sorted(ids), name
    assert len(doc["tables"]["pupil"]) == 60
