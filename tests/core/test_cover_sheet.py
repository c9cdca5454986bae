"""The day's cover sheet, read as a class teacher would: each pupil's class, who is with
them in the morning and in the afternoon, and whose support that stands in for."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pdfplumber
import pytest

from sencodesk import cli, commands, vocab
from sencodesk.reports.cover_sheet import cover_lines, cover_sheet_report
from sencodesk.rules.pay import WorkDay

THURSDAY = dt.date(2026, 12, 10)
AM, PM = vocab.session_bit(3, False), vocab.session_bit(3, True)


def _school(store):
    with store.session() as s:
        commands.save_school(s, {"name": "Oakfield Primary"})
        pupils = {}
        for first, last, cls in (("Amelia", "Hart", "6W"), ("Leo", "Dunn", "3B")):
            pupils[first] = commands.save_pupil(
                s,
                {
                    "legal_first_name": first,
                    "legal_last_name": last,
                    "date_of_birth": dt.date(2016 if cls == "6W" else 2019, 1, 5),
                    "class_name": cls,
                    "sen_code": "E",
                },
            )
        staff = {}
        for first, last in (("Sarah", "Cole"), ("Rachel", "Henry"), ("Priya", "Shah")):
            staff[first] = commands.save_staff(
                s, {"first_name": first, "last_name": last, "role": "lsa_1to1"}
            )
            commands.save_contract(
                s,
                {
                    "staff_id": staff[first],
                    "kind": "permanent",
                    "start_date": dt.date(2025, 9, 1),
                    "fte_salary": Decimal("23297"),
                    "days": [WorkDay(d, dt.time(8, 40), dt.time(15, 30), 30) for d in range(5)],
                },
            )
        all_week = sum(vocab.session_bit(d, pm) for d in range(5) for pm in (False, True))
        commands.save_assignment(
            s,
            {
                "staff_id": staff["Sarah"],
                "pupil_id": pupils["Amelia"],
                "role": "one_to_one",
                "sessions": all_week,
                "weekly_minutes": 25 * 60,
                "start_date": dt.date(2025, 9, 1),
            },
        )
        # Sarah is away on Thursday: Rachel covers Amelia all day, Priya covers Leo after lunch.
        for who, pupil, sessions in (("Rachel", "Amelia", AM | PM), ("Priya", "Leo", PM)):
            commands.save_assignment(
                s,
                {
                    "staff_id": staff[who],
                    "pupil_id": pupils[pupil],
                    "role": "cover",
                    "sessions": sessions,
                    "weekly_minutes": 180,
                    "start_date": THURSDAY,
                    "end_date": THURSDAY,
                },
            )


def test_each_cover_is_a_line_per_session_with_class_and_whose_support(store):
    _school(store)
    with store.read() as s:
        lines = cover_lines(s, THURSDAY)
        assert [
            (c.session, c.class_name, c.pupil_name, c.covered_by, c.instead_of) for c in lines
        ] == [
            ("AM", "6W", "Amelia Hart", "Rachel Henry", "Sarah Cole"),
            ("PM", "3B", "Leo Dunn", "Priya Shah", ""),
            ("PM", "6W", "Amelia Hart", "Rachel Henry", "Sarah Cole"),
        ]
        assert lines[0].year_label == "Year 6"
        # The day before and the day after have no cover.
        assert cover_lines(s, THURSDAY - dt.timedelta(days=1)) == []
        report = cover_sheet_report(s, dt.date(2026, 12, 12))
        assert "weekend" in report.subtitle[0]


def test_the_command_line_writes_the_pdf_a_teacher_reads(store, db_path, tmp_path, capsys):
    _school(store)
    store.close()
    out = tmp_path / "cover.pdf"
    code = cli.run(
        ["report", "cover-sheet", "--date", "10/12/2026", "--out", str(out), "--db", str(db_path)]
    )
    assert code == 0, capsys.readouterr()
    with pdfplumber.open(out) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "Cover sheet, Thursday 10/12/2026" in text
    assert "Morning (AM)" in text and "Afternoon (PM)" in text
    morning, afternoon = text.split("Afternoon (PM)")
    assert "Amelia Hart" in morning and "Rachel Henry" in morning and "Leo Dunn" not in morning
    assert "Leo Dunn" in afternoon and "Priya Shah" in afternoon
    assert "OFFICIAL-SENSITIVE" in text
    # No medical detail, no contract terms on a teacher's sheet.
    assert "£" not in text


def test_a_bad_date_or_file_name_is_told_in_words(store, db_path, tmp_path, capsys):
    store.close()
    with pytest.raises(SystemExit):  # argparse's usage message, as for every date option
        cli.run(
            [
                "report",
                "cover-sheet",
                "--date",
                "31/02/2026",
                "--out",
                "x.pdf",
                "--db",
                str(db_path),
            ]
        )
    assert "not a date" in capsys.readouterr().err
    code = cli.run(
        [
            "report",
            "cover-sheet",
            "--date",
            "10/12/2026",
            "--out",
            str(tmp_path / "x.doc"),
            "--db",
            str(db_path),
        ]
    )
    assert code != 0
    err = capsys.readouterr().err
    assert "x.doc" in err and "Traceback" not in err
