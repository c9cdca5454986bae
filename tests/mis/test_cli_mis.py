"""``python main.py import-mis``: preview, --dry-run, --yes, saved mappings, staff."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from sencodesk import cli
from sencodesk.model import MisMapping, Pupil, Staff
from sencodesk.store import open_store

from .conftest import set_up_school
from .make_files import FIXTURES, snapshot

ROOT = Path(__file__).resolve().parents[2]


def _count(db, model=Pupil):
    s = open_store(db, user="test")
    try:
        with s.read() as r:
            return r.scalar(select(func.count()).select_from(model))
    finally:
        s.close()


def _new_school(tmp_path) -> str:
    db = tmp_path / "school.db"
    s = open_store(db, user="test")
    set_up_school(s)
    s.close()
    return str(db)


def test_a_ctf_into_an_empty_school_then_again(tmp_path, capsys):
    db = _new_school(tmp_path)
    ctf = str(FIXTURES / "ctf_25_sex.xml")
    assert cli.run(["import-mis", ctf, "--db", db, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "ctf_25_sex.xml: CTF 25.0 from Oakfield Primary School, dated 20/11/2026" in out
    assert "6 pupils read from ctf_25_sex.xml, 6 new, 0 with changes, 0 unchanged" in out
    assert "  <Pupil> 6 (Brown, Leo)\n" in out  # named once
    assert "Dry run, nothing written: it would add 6 new pupils" in out
    assert _count(db) == 0
    assert cli.run(["import-mis", ctf, "--db", db]) == 2  # not a terminal: --yes is needed
    assert "Add --yes to apply" in capsys.readouterr().err
    assert _count(db) == 0
    assert cli.run(["import-mis", ctf, "--db", db, "--yes"]) == 0
    assert "6 new pupils added, 0 updated (0 fields), 0 marked as leavers" in (
        capsys.readouterr().out
    )
    assert _count(db) == 6
    s = open_store(db, user="test")
    before = snapshot(s)
    s.close()
    assert cli.run(["import-mis", ctf, "--db", db, "--yes"]) == 0
    assert "Nothing to import: the app already matches the file." in capsys.readouterr().out
    s = open_store(db, user="test")
    assert snapshot(s) == before
    s.close()


def test_one_changed_pupil_is_counted_once_and_its_field_in_the_singular(tmp_path, capsys):
    db = _new_school(tmp_path)
    ctf = FIXTURES / "ctf_25_sex.xml"
    assert cli.run(["import-mis", str(ctf), "--db", db, "--yes"]) == 0
    capsys.readouterr()
    changed = tmp_path / "changed.xml"
    text = ctf.read_text(encoding="utf-8")
    assert "<Forename>Olivia</Forename>" in text
    changed.write_text(
        text.replace("<Forename>Olivia</Forename>", "<Forename>Olive</Forename>"), encoding="utf-8"
    )
    assert cli.run(["import-mis", str(changed), "--db", db, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1 with changes" in out
    assert "\nChanged (1):\n" in out  # one pupil, however many lines its changes take
    assert "update 1 (1 field)" in out
    assert cli.run(["import-mis", str(changed), "--db", db, "--yes"]) == 0
    assert "0 new pupils added, 1 updated (1 field), 0 marked as leavers" in capsys.readouterr().out


def test_a_csv_with_a_saved_mapping(tmp_path, capsys):
    db = _new_school(tmp_path)
    csv_path = tmp_path / "roll.csv"
    text = (FIXTURES / "sims_roll_utf8.csv").read_text(encoding="utf-8")
    csv_path.write_text(text.replace("Reg Group", "Tutor Set"), encoding="utf-8")
    code = cli.run(
        [
            "import-mis",
            str(csv_path),
            "--db",
            db,
            "--yes",
            "--column",
            "class_name=Tutor Set",
            "--save-mapping",
            "SIMS roll",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "  Class (registration group): 'Tutor Set'" in out
    assert "Saved the column mapping as 'SIMS roll'." in out
    assert _count(db, MisMapping) == 1
    assert cli.run(["import-mis", str(csv_path), "--db", db, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Columns (saved mapping 'SIMS roll'):" in out
    assert "0 new, 0 with changes, 6 unchanged" in out
    assert cli.run(["import-mis", str(csv_path), "--db", db, "--mapping", "Nope"]) == 2
    assert "There is no saved mapping called 'Nope' (saved: SIMS roll)" in capsys.readouterr().err


def test_into_the_demo_school_made_by_the_demo_command(tmp_path):
    db = tmp_path / "demo.db"
    run = [sys.executable, str(ROOT / "main.py")]
    subprocess.run(
        [*run, "demo", "--db", str(db), "--pupils", "40", "--today", "2026-11-20"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    before = _count(db)
    out = subprocess.run(
        [*run, "import-mis", str(FIXTURES / "sims_roll_utf8.csv"), "--db", str(db), "--yes"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    # the demo school's own pupils are not in this list: offered as leavers, not marked
    assert f"6 new, 0 with changes, 0 unchanged, {before} not in the file" in out
    assert "6 new pupils added, 0 updated (0 fields), 0 marked as leavers" in out
    assert _count(db) == before + 6


def test_staff_from_a_list(tmp_path, capsys):
    db = _new_school(tmp_path)
    staff = str(FIXTURES / "arbor_staff.csv")
    assert cli.run(["import-mis", staff, "--db", db, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "3 staff read from arbor_staff.csv, 3 new" in out
    assert "3 new staff added" in out
    assert _count(db, Staff) == 3
    assert cli.run(["import-mis", staff, "--db", db, "--yes", "--staff"]) == 0
    assert "Nothing to import" in capsys.readouterr().out
