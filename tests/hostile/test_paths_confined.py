"""File names built from data stay in the folder the user chose.

A database written by an older version (or an unchecked import) can hold a UPN such as
``../../../PWNED``: the subject access export named its files ``<UPN>-subject-access.*`` and
wrote them outside ``--out``. Every name from data now goes through one sanitiser and is
confined to the chosen folder.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from sencodesk import cli
from sencodesk.errors import KnownError
from sencodesk.exchange.json_io import import_json
from sencodesk.store import open_store

from .conftest import write

EVIL = "../../../PWNED"


def _files(root: Path) -> set[Path]:
    """Every file under ``root`` but the database's own (``school.db.state.json`` and the
    like, which the app keeps beside it)."""
    return {
        Path(d, f)
        for d, _dirs, files in os.walk(root)
        for f in files
        if not (Path(d) == root and f.startswith("school.db"))
    }


@pytest.fixture
def evil_db(export, tmp_path) -> tuple[Path, int]:
    """The demo school, then (as an older version could) a UPN set to a path, written
    straight into the table: the rules would refuse it."""
    db = tmp_path / "school.db"
    store = open_store(db, user="test")
    try:
        import_json(store, write(export, tmp_path / "demo.json"))
        pupil = next(
            p["id"]
            for p in export["tables"]["pupil"]
            if any(m["pupil_id"] == p["id"] for m in export["tables"]["review_meeting"])
        )
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE pupil SET upn = :u WHERE id = :i"), {"u": EVIL, "i": pupil})
    finally:
        store.close()
    return db, pupil


def test_subject_access_files_stay_in_the_folder(evil_db, tmp_path):
    db, pupil = evil_db
    out = tmp_path / "a" / "b" / "c" / "out"
    before = _files(tmp_path)
    assert cli.run(["sar", "--pupil", str(pupil), "--out", str(out), "--db", str(db)]) == 0
    new = _files(tmp_path) - before
    assert new and all(p.parent == out for p in new), new
    assert {p.name for p in new} == {"PWNED-subject-access.json", "PWNED-subject-access.pdf"}


def test_review_packs_stay_in_the_folder(evil_db, tmp_path, export):
    db, pupil = evil_db
    meeting = next(m for m in export["tables"]["review_meeting"] if m["pupil_id"] == pupil)
    day = dt.datetime.fromisoformat(meeting["meeting_at"]).date().isoformat()
    out = tmp_path / "x" / "y" / "packs"
    before = _files(tmp_path)
    code = cli.run(
        ["report", "review-packs", "--from", day, "--to", day, "--out", str(out), "--db", str(db)]
    )
    assert code == 0
    new = _files(tmp_path) - before
    assert new and all(p.parent == out for p in new), new


def test_the_review_pack_shown_in_the_app_has_a_safe_name(evil_db, export):
    """The app's "open in the PDF viewer" writes the pack under a name made from the UPN."""
    from ui.reports import make_pack

    db, pupil = evil_db
    meeting = next(m for m in export["tables"]["review_meeting"] if m["pupil_id"] == pupil)
    store = open_store(db, user="test")
    try:
        with store.read() as s:
            stem, pdf = make_pack(s, pupil, meeting["id"], dt.date(2026, 3, 2))
    finally:
        store.close()
    assert pdf.startswith(b"%PDF")
    assert "/" not in stem and "\\" not in stem and ".." not in stem and stem.endswith("PWNED")


@pytest.mark.parametrize(
    ("text_in", "name"),
    [
        ("B801200005001", "B801200005001"),
        (EVIL, "PWNED"),
        ("..\\..\\Windows\\x", "Windows-x"),
        ("C:/Users/x", "C-Users-x"),
        ("CON", "CON_"),
        ("", "fallback"),
        ("...", "fallback"),
        ("Zoë O'Brien", "Zo-O-Brien"),
        ("a\x00b\nc", "a-b-c"),
    ],
)
def test_the_sanitiser(text_in, name):
    from sencodesk.exchange.filenames import safe_name

    assert safe_name(text_in, fallback="fallback") == name


def test_file_in_refuses_any_way_out(tmp_path):
    from sencodesk.exchange.filenames import file_in

    folder = tmp_path / "out"
    folder.mkdir()
    assert file_in(folder, "a.pdf") == folder / "a.pdf"
    (folder / "link").symlink_to(tmp_path)
    for bad in ("../a.pdf", "/etc/passwd", "sub/a.pdf", "..", "", "link/a.pdf"):
        with pytest.raises(KnownError, match="outside the folder"):
            file_in(folder, bad)
