"""Subject access request: a PDF for people with all of a pupil's data, marked on every page,
and the ``sar`` command writing it (and the JSON) straight into the folder asked for."""

import datetime as dt
import re

import pdfplumber
import pytest

from sencodesk import cli, commands
from sencodesk.model import OutcomeStatusChange, Pupil
from sencodesk.rules.pay import WorkDay
from sencodesk.safety.sar_pdf import write_sar_pdf

D = dt.date
NAME = ("Zoë", "Ní Bhriain-Łukasiewicz")
UPN = "B801200005001"


def rich_pupil(s, records=120):
    commands.save_school(s, {"name": "St Aidan's C of E Primary"})
    pid = commands.save_pupil(
        s,
        {
            "legal_first_name": NAME[0],
            "legal_last_name": NAME[1],
            "date_of_birth": D(2015, 5, 4),
            "upn": UPN,
            "sen_code": "E",
            "primary_need": "SLCN",
            "ehcp_issued": D(2021, 3, 1),
            "ehcp_weekly_minutes": 1500,
            "medical_needs": "Epipen in the office",
            "personal_care": True,
        },
    )
    staff = commands.save_staff(
        s, {"first_name": "Łukasz", "last_name": "Nguyễn", "role": "lsa_1to1"}
    )
    oid = commands.save_outcome(
        s,
        {
            "pupil_id": pid,
            "area": "communication",
            "text": "Zoë will use her symbols board to ask for help",
            "success_criteria": "Asks 3 times a day",
            "set_date": D(2024, 9, 2),
            "target_date": D(2025, 7, 18),
        },
    )
    s.add(
        OutcomeStatusChange(
            outcome_id=oid, changed_on=D(2025, 1, 10), status="developing", note="Uses it at lunch"
        )
    )
    for i in range(records):
        commands.save_record(
            s,
            {
                "pupil_id": pid,
                "author_id": staff,
                "kind": "support",
                "occurred_at": dt.datetime(2024, 9, 2, 9) + dt.timedelta(days=i),
                "text": f"Session {i}: phonics with Zoë",
                "minutes": 30,
                "outcome_id": oid,
                "progress": 3,
            },
        )
    commands.save_record(
        s,
        {
            "pupil_id": pid,
            "kind": "incident",
            "occurred_at": dt.datetime(2025, 2, 3, 13, 20),
            "antecedent": "Loud hall",
            "behaviour": "Ran out of assembly",
            "consequence": "Calm space",
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
    commands.delete(s, "record", gone)  # held only in the audit trail now: still in the SAR
    fid = commands.save_funding(
        s,
        {
            "pupil_id": pid,
            "source": "top_up",
            "funder": "Kent CC",
            "amount_per_year": "12345.67",
            "weekly_minutes": 1500,
            "start_date": D(2024, 9, 1),
            "end_date": D(2025, 8, 31),
        },
    )
    commands.save_contract(
        s,
        {
            "staff_id": staff,
            "kind": "fixed_term",
            "fte_salary": "23297",
            "start_date": D(2024, 9, 1),
            "end_date": D(2025, 8, 31),
            "funding_id": fid,
            "days": [WorkDay(0, dt.time(8, 40), dt.time(15, 30), 30)],
        },
    )
    commands.save_assignment(
        s,
        {
            "staff_id": staff,
            "pupil_id": pid,
            "weekly_minutes": 1500,
            "sessions": 0b1111111111,
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
            "invitees": [{"name": "Dr Siobhán Ó Briain", "role": "EP"}],
        },
    )
    return pid


def pdf_text(path):
    with pdfplumber.open(path) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
        fonts = {c["fontname"] for p in pdf.pages for c in p.chars}
        return pages, fonts, pdf.metadata


def test_sar_pdf_has_everything_marked_on_every_page(store, tmp_path):
    with store.session() as s:
        pid = rich_pupil(s)
    out = tmp_path / "sar.pdf"
    with store.read() as s:
        n = write_sar_pdf(s, pid, out, today=D(2025, 3, 19))
    pages, fonts, meta = pdf_text(out)
    assert n == len(pages) > 1
    for i, text in enumerate(pages, start=1):
        assert "OFFICIAL-SENSITIVE" in text
        assert f"Page {i} of {n}" in text
    everything = "\n".join(pages)
    assert "Zoë Ní Bhriain-Łukasiewicz" in everything
    for expected in (
        "04/05/2015",
        "B801200005001",
        "SLCN",
        "Epipen in the office",
        "Zoë will use her symbols board",
        "Asks 3 times a day",
        "Uses it at lunch",
        "Session 0: phonics",
        "Session 119: phonics",
        "Ran out of assembly",
        "Loud hall",
        "Kent CC",
        "£12,345.67",
        "25 h",
        "Łukasz Nguyễn",
        "Dr Siobhán Ó Briain",
        "Parents pleased",
        "04/03/2025 14:00",
        "Change history",
        "Printed 19/03/2025",
        "Nosebleed",
    ):
        assert expected in everything, expected
    assert not re.search(r"\d{4}-\d{2}-\d{2}", everything)  # every date as dd/mm/yyyy
    assert all("DejaVuSans" in f for f in fonts)
    assert "Ł" not in (meta.get("Title") or "") and "Zo" not in (meta.get("Title") or "")


def test_sar_command_writes_json_and_pdf_into_the_folder(store, db_path, tmp_path, capsys):
    pytest.importorskip("sencodesk.exchange.json_io")
    with store.session() as s:
        rich_pupil(s, records=3)
    store.close()
    out = tmp_path / "sar-out"
    assert (
        cli.run(["sar", "--db", str(db_path), "--pupil", "b801 2000 05001", "--out", str(out)]) == 0
    )
    assert sorted(p.name for p in out.iterdir()) == [
        f"{UPN}-subject-access.json",
        f"{UPN}-subject-access.pdf",
    ]
    assert "Zoë" in (out / f"{UPN}-subject-access.json").read_text(encoding="utf-8")
    pages, _, _ = pdf_text(out / f"{UPN}-subject-access.pdf")
    assert "Zoë Ní Bhriain-Łukasiewicz" in pages[0]
    assert "OFFICIAL-SENSITIVE" in capsys.readouterr().out


def test_sar_unknown_pupil(store, db_path, tmp_path, capsys):
    with store.session() as s:
        s.add(Pupil(legal_first_name="A", legal_last_name="B", date_of_birth=D(2015, 1, 1)))
    store.close()
    assert (
        cli.run(["sar", "--db", str(db_path), "--pupil", "999", "--out", str(tmp_path / "o")]) == 2
    )
    assert "No pupil" in capsys.readouterr().err
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())
