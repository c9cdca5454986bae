"""Reading CTFs and spreadsheets: every form the MIS may write is read the same way."""

from __future__ import annotations

import datetime as dt

import pytest

from sencodesk.mis import ctf, sheet
from sencodesk.mis.rows import read_date, read_need, read_sen_code, read_year

from .make_files import FIXTURES, big_roll, write_ctf, write_xlsx


def _read(path):
    f = ctf.CtfFile(path)
    rows = list(f.pupils())
    return f, {r.legal_last_name: r for r in rows}


def test_a_ctf_25_with_sex_several_spells_and_unknown_sections():
    f, rows = _read(FIXTURES / "ctf_25_sex.xml")
    assert f.source().description == "CTF 25.0 from Oakfield Primary School"
    assert f.source().file_date == dt.date(2026, 11, 20)
    assert f.source().source_school == "8862001"
    assert len(rows) == 6 and f.refused == []
    olivia = rows["Smith"]
    # two SEN spells: K from 2022, E from 2024 -> the latest, E
    assert (olivia.sen_code, olivia.primary_need, olivia.secondary_need) == ("E", "ASD", "SLCN")
    assert (olivia.upn, olivia.sex, olivia.year, olivia.preferred_name) == (
        "N886200126001",
        "F",
        6,
        "Liv",
    )
    # no SENhistory: no SEN, no needs
    assert (rows["Khan"].sen_code, rows["Khan"].primary_need) == ("N", "")
    # a need that ended before the file's date is not counted
    assert (rows["Nowak"].primary_need, rows["Nowak"].secondary_need) == ("SEMH", "")
    # Reception written R; a temporary UPN kept
    assert (rows["Jones"].year, rows["Jones"].upn) == (0, "Z88620012600A")
    # white space around every value, and an empty UPN
    leo = rows["Brown"]
    assert (leo.legal_first_name, leo.date_of_birth, leo.upn) == (
        "Leo",
        dt.date(2015, 10, 10),
        None,
    )
    assert (leo.year, leo.sen_code, leo.primary_need) == (5, "K", "MLD")


def test_an_older_ctf_with_gender_and_uk_dates():
    f, rows = _read(FIXTURES / "ctf_old_gender.xml")
    assert f.source().description == "CTF 12.0 from Oakfield Primary School"
    assert f.source().file_date == dt.date(2026, 11, 20)
    assert rows["Smith-Hart"].sex == "F"
    assert rows["Smith-Hart"].date_of_birth == dt.date(2016, 3, 14)
    assert rows["Khan"].sex == "M" and rows["Khan"].year is None


def test_a_pupil_that_cannot_be_read_is_refused_with_its_element_and_field(tmp_path):
    pupils = list(big_roll(3))
    pupils[1]["dob"] = dt.date(2016, 1, 1)
    pupils[2]["sen"] = [(dt.date(2024, 9, 4), "K")]
    pupils[2]["needs"] = [(1, "DYS")]
    path = write_ctf(tmp_path / "x.xml", pupils)
    path.write_text(path.read_text().replace("<DOB>2016-01-01</DOB>", "<DOB>31/02/2016</DOB>"))
    f = ctf.CtfFile(path)
    rows = list(f.pupils())
    assert [r.legal_last_name for r in rows] == [pupils[0]["surname"]]
    assert [str(r) for r in f.refused] == [
        f"<Pupil> 2 ({pupils[1]['surname']}, {pupils[1]['forename']}), DOB: "
        "'31/02/2016' is not a date (use dd/mm/yyyy)",
        f"<Pupil> 3 ({pupils[2]['surname']}, {pupils[2]['forename']}), SENneed/SENtype: "
        "'DYS' is not a need code (SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, "
        "OTH, NSA)",
    ]


def test_a_big_ctf_is_read_as_a_stream(tmp_path):
    path = write_ctf(tmp_path / "big.xml", big_roll(2000))
    f = ctf.CtfFile(path)
    seen = []
    n = sum(1 for _ in f.pupils(progress=lambda done, total: seen.append((done, total))))
    assert n == 2000 and f.refused == []
    assert seen[-1][0] == seen[-1][1] == path.stat().st_size


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Year 5", 5),
        ("Y5", 5),
        ("5", 5),
        ("Yr 5", 5),
        ("R", 0),
        ("Reception", 0),
        ("N2", -1),
        ("X", None),
        ("", None),
    ],
)
def test_year_groups_in_every_form(text, year):
    assert read_year(text) == year


def test_dates_sen_codes_and_needs_in_words():
    assert read_date("07/09/2015") == read_date("2015-09-07") == read_date("7/9/2015")
    assert read_date("2015-09-07 00:00:00") == dt.date(2015, 9, 7)
    assert read_sen_code("K - SEN Support") == read_sen_code("SEN Support") == "K"
    assert read_sen_code("EHC Plan") == read_sen_code("E") == "E"
    assert read_sen_code("") == "N"
    assert read_need("Autistic Spectrum Disorder") == "ASD"
    assert read_need("Specific Learning Difficulty") == "SPLD"
    assert read_need("semh") == "SEMH"
    with pytest.raises(ValueError, match="not a need code"):
        read_need("Dyslexia-ish")
    with pytest.raises(ValueError, match="not a date"):
        read_date("14/3/16x")


@pytest.mark.parametrize(
    "name", ["sims_roll_utf8.csv", "sims_roll_bom.csv", "sims_roll_cp1252.csv"]
)
def test_each_csv_encoding_reads_the_same(name):
    sh = sheet.open_sheet(FIXTURES / name)
    assert sh.headings[0] == "UPN"  # no BOM left on the first heading
    mapping = sheet.guess_mapping(sh.headings)
    refused: list = []
    rows = list(sheet.pupil_rows(sh, mapping, refused))
    assert refused == [] and len(rows) == 6
    siobhan = rows[2]
    assert siobhan.legal_first_name == "Siobhán" and siobhan.legal_last_name == "O'Brien"
    assert (siobhan.sen_code, siobhan.primary_need, siobhan.year) == ("K", "SPLD", 4)
    assert rows[3].admission_date == dt.date(2023, 9, 6)  # an ISO date among UK ones
    assert (rows[4].year, rows[4].preferred_name, rows[4].sen_code) == (0, "Millie", "N")


def test_headings_are_guessed_as_sims_and_arbor_users_write_them():
    m = sheet.guess_mapping(
        [
            "Legal Surname",
            "Legal Forename",
            "Date of Birth",
            "Registration Group",
            "SEN Status",
            "Primary SEN Type",
            "Year Taught In",
            "Gender",
        ]
    )
    assert m == {
        "legal_last_name": "Legal Surname",
        "legal_first_name": "Legal Forename",
        "date_of_birth": "Date of Birth",
        "class_name": "Registration Group",
        "sen_code": "SEN Status",
        "primary_need": "Primary SEN Type",
        "year": "Year Taught In",
        "sex": "Gender",
    }
    assert sheet.guess_kind(["Surname", "Forename", "Role", "Start Date"]) == sheet.STAFF


def test_an_xlsx_with_a_title_row_and_date_cells(tmp_path):
    path = write_xlsx(tmp_path / "roll.xlsx", list(big_roll(30)), title="Student list report")
    sh = sheet.open_sheet(path)
    assert sh.header_line == 2 and sh.headings[1] == "Legal Surname"
    refused: list = []
    rows = list(sheet.pupil_rows(sh, sheet.guess_mapping(sh.headings), refused))
    assert refused == [] and len(rows) == 30
    assert rows[0].where == "line 3"
