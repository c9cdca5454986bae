"""Every bad file gets one clear message naming the file and the place, and the database is
left row for row as it was (through the command line, as a SENCO's data manager would run it,
and through the core)."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from sencodesk import cli
from sencodesk.mis.preview import make_plan

from .make_files import FIXTURES, big_roll, snapshot, write_csv, write_ctf

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE CTfile [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<CTfile><Header><CTFversion>&lol4;</CTFversion></Header></CTfile>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE CTfile [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CTfile><Header><CTFversion>25.0</CTFversion></Header><CTFpupilData><Pupil>
<Surname>&secret;</Surname><Forename>A</Forename><DOB>2018-01-01</DOB></Pupil>
</CTFpupilData></CTfile>
"""
DTD_ONLY = """<?xml version="1.0"?>
<!DOCTYPE CTfile SYSTEM "http://example.invalid/ctf.dtd">
<CTfile><Header/></CTfile>
"""


def _ctf_text() -> str:
    return (FIXTURES / "ctf_25_sex.xml").read_text(encoding="utf-8")


def _cases(tmp_path):
    good = _ctf_text()
    cut = good[: good.index("<Surname>Nowak")]
    xlsx_as_csv = tmp_path / "book.xlsx"
    with zipfile.ZipFile(xlsx_as_csv, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    return {
        "malformed.xml": (
            good.replace("<Forename>Muhammad</Forename>", "<Forename>Muhammad</Forname>"),
            "it is not well-formed XML at line 66, column 27 (mismatched tag)",
        ),
        "truncated.xml": (cut, "the file ends early at line 97 (it looks cut short)"),
        "other.xml": (
            '<?xml version="1.0"?><Pupils><Pupil><UPN>X</UPN></Pupil></Pupils>',
            "it is XML but not a Common Transfer File (its first element is <Pupils>, "
            "not <CTfile>)",
        ),
        "laughs.xml": (BILLION_LAUGHS, "declares a DTD or entities"),
        "xxe.xml": (EXTERNAL_ENTITY, "declares a DTD or entities"),
        "dtd.xml": (DTD_ONLY, "declares a DTD or entities"),
        "empty.xml": ("", "the file is empty"),
        "empty.csv": (b"", "the file is empty"),
        "garbage.xlsx": (b"\x00\x01not a zip at all" * 20, "it is not an Excel workbook"),
        "broken.xlsx": (xlsx_as_csv.read_bytes(), "it is not an Excel workbook"),
        "renamed.csv": (xlsx_as_csv.read_bytes(), "it is an Excel workbook, not a CSV file"),
        "binary.csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 10, "it holds binary data"),
        "old.xls": (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "save it as .xlsx or CSV"),
        "utf16.csv": (
            "UPN,Legal Surname\r\n".encode("utf-16"),
            "it is saved as UTF-16 text",
        ),
        "neither.csv": (
            b"UPN,Legal Surname,Forename,DOB\r\n,Smith,Ann,01/01/2018\r\n,Bad\x81,Ann,01/01/2018\r\n",
            "line 3 holds a character that is neither UTF-8 nor Windows-1252 text",
        ),
        "bom-but-not.csv": (
            b"\xef\xbb\xbfUPN,Legal Surname,Forename,DOB\r\n,Sm\xe9th,Ann,01/01/2018\r\n",
            "line 2 is not UTF-8 text, though the file says it is",
        ),
        "nocolumns.csv": (
            b"Name,Birthday\r\nAnn Smith,01/01/2018\r\n",
            "no column is mapped to Legal surname, Legal forename, Date of birth. Its "
            "headings are 'Name', 'Birthday'",
        ),
    }


@pytest.fixture
def demo_cli(demo, tmp_path):
    return demo, str(demo.path)


def test_every_bad_file_is_one_message_and_nothing_changes(demo_cli, tmp_path, capsys):
    store, db = demo_cli
    before = snapshot(store)
    store.close()
    for name, (content, message) in _cases(tmp_path).items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        code = cli.run(["import-mis", str(path), "--db", db, "--yes"])
        err = capsys.readouterr().err
        assert code == 2, name
        assert f"sencodesk: Cannot import {name}: " in err, (name, err)
        assert message in err, (name, err)
        assert "Traceback" not in err
    from sencodesk.store import open_store

    again = open_store(db, user="test")
    try:
        assert snapshot(again) == before
    finally:
        again.close()


def test_a_missing_file(store, tmp_path, capsys):
    assert cli.run(["import-mis", str(tmp_path / "nope.xml"), "--db", str(store.path)]) == 2
    assert f"There is no file {tmp_path / 'nope.xml'}" in capsys.readouterr().err


def test_rows_that_cannot_be_read_are_refused_with_line_and_column(school, tmp_path):
    rows = list(big_roll(4))
    path = write_csv(tmp_path / "roll.csv", rows)
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace(rows[1]["dob"].strftime("%d/%m/%Y"), "31/13/2016")
    lines[3] = lines[3].replace(",Year ", ",Class ")
    cells = lines[4].split(",")
    cells[10] = "Dyslexia-ish"
    lines[4] = ",".join(cells)
    path.write_text("\r\n".join(lines) + "\r\n")
    before = snapshot(school)
    with school.read() as s:
        plan = make_plan(s, path)
    assert [str(r) for r in plan.refused] == [
        "line 3, DOB: '31/13/2016' is not a date (use dd/mm/yyyy)",
        f"line 4, Year: 'Class {rows[2]['year']}' is not a year group (e.g. Year 5, Y5, 5 or R)",
        "line 5, Primary Need: 'Dyslexia-ish' is not a need code (SPLD, MLD, SLD, PMLD, SEMH, "
        "SLCN, HI, VI, MSI, PD, ASD, OTH, NSA)",
    ]
    assert plan.counts["new"] == 1 and plan.counts["refused"] == 3 and plan.counts["rows"] == 4
    assert snapshot(school) == before


def test_a_ctf_with_no_pupils(school, tmp_path):
    path = write_ctf(tmp_path / "none.xml", [])
    with school.read() as s, pytest.raises(Exception, match="it holds no pupils"):
        make_plan(s, path)
    assert dt.date.today()  # the message is a KnownError, told in words (see the CLI test)
