"""Files as an MIS would export them, made for the tests and the benchmark: CTFs (any number
of pupils, written as a stream), and CSV/XLSX lists with SIMS/Arbor-style headings."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import select, text

from sencodesk.model import Base, Pupil
from sencodesk.rules.schoolyear import year_group
from sencodesk.rules.upn import check_letter

FIXTURES = Path(__file__).parent / "fixtures"
FILE_DATE = dt.date(2026, 11, 20)
SIMS_HEADINGS = [
    "UPN",
    "Legal Surname",
    "Forename",
    "Preferred Forename",
    "DOB",
    "Gender",
    "Year",
    "Reg Group",
    "Admission Date",
    "SEN Status",
    "Primary Need",
    "Secondary Need",
]


def upn(la: int, estab: int, year: int, serial: int) -> str:
    body = f"{la:03d}{estab:04d}{year % 100:02d}{serial:03d}"
    return check_letter(body) + body


def _d(d: dt.date, form: str) -> str:
    return d.isoformat() if form == "iso" else d.strftime("%d/%m/%Y")


def ctf_pupil(p: dict[str, Any], *, sex_tag: str = "Sex", date_form: str = "iso") -> str:
    out = ["<Pupil>"]
    out.append(f"<UPN>{escape(p.get('upn') or '')}</UPN>")
    out.append(f"<Surname>{escape(p['surname'])}</Surname>")
    out.append(f"<Forename>{escape(p['forename'])}</Forename>")
    out.append(f"<DOB>{_d(p['dob'], date_form)}</DOB>")
    out.append(f"<{sex_tag}>{p.get('sex', 'F')}</{sex_tag}>")
    out.append("<BasicDetails>")
    if p.get("preferred"):
        out.append(f"<PreferredForename>{escape(p['preferred'])}</PreferredForename>")
    if p.get("year") is not None:
        out.append(f"<NCyearActual>{p['year']}</NCyearActual>")
    out.append("<Ethnicity>WBRI</Ethnicity></BasicDetails>")
    out.append("<FSMhistory><FSMstartDate>2024-01-04</FSMstartDate></FSMhistory>")
    if p.get("sen"):
        out.append("<SENhistory>")
        for start, code in p["sen"]:
            out.append(
                f"<SEN><StartDate>{_d(start, date_form)}</StartDate>"
                f"<SENprovision>{code}</SENprovision></SEN>"
            )
        if p.get("needs"):
            out.append("<SENneeds>")
            for rank, code in p["needs"]:
                out.append(
                    f"<SENneed><SENtypeRank>{rank}</SENtypeRank><SENtype>{code}</SENtype></SENneed>"
                )
            out.append("</SENneeds>")
        out.append("</SENhistory>")
    out.append("<Contacts><Contact><Surname>Parent</Surname></Contact></Contacts>")
    out.append("</Pupil>")
    return "".join(out)


def ctf_header(
    *,
    version: str = "25.0",
    school: str = "Oakfield Primary School",
    lea: str = "886",
    estab: str = "2259",
    when: dt.date = FILE_DATE,
) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<CTfile><Header>'
        f"<CTFversion>{version}</CTFversion><DateTime>{when.isoformat()}T10:00:00</DateTime>"
        "<DocumentQualifier>full</DocumentQualifier>"
        f"<SourceSchool><LEA>{lea}</LEA><Estab>{estab}</Estab>"
        f"<SchoolName>{escape(school)}</SchoolName><AcademicYear>2026</AcademicYear>"
        f"</SourceSchool><DestSchool><LEA>{lea}</LEA><Estab>{estab}</Estab></DestSchool>"
        "</Header><CTFpupilData>\n"
    )


def write_ctf(path: Path, pupils: Iterable[dict[str, Any]], **kw: Any) -> Path:
    """A CTF written as a stream (any size)."""
    sex_tag = kw.pop("sex_tag", "Sex")
    date_form = kw.pop("date_form", "iso")
    with open(path, "w", encoding="utf-8") as f:
        f.write(ctf_header(**kw))
        for p in pupils:
            f.write(ctf_pupil(p, sex_tag=sex_tag, date_form=date_form) + "\n")
        f.write("</CTFpupilData></CTfile>\n")
    return path


FIRST = ["Olivia", "Amelia", "Isla", "Ava", "Noah", "Oliver", "George", "Leo", "Muhammad", "Zoë"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Khan", "Patel", "Nowak", "O'Brien"]
NEEDS = ["SPLD", "MLD", "SEMH", "SLCN", "ASD", "PD", "HI"]


def big_roll(n: int, seed: int = 7, on: dt.date = FILE_DATE) -> Iterator[dict[str, Any]]:
    """``n`` made-up pupils with valid, distinct UPNs; about one in six on the SEN register."""
    rng = random.Random(seed)
    for i in range(n):
        dob = dt.date(2014, 9, 1) + dt.timedelta(days=rng.randrange(7 * 365))
        p: dict[str, Any] = {
            "upn": upn(886, 2259 + i // 1000, 26, i % 1000),
            "surname": f"{rng.choice(LAST)}-{i}",
            "forename": rng.choice(FIRST),
            "dob": dob,
            "sex": rng.choice("MF"),
            "year": year_group(dob, on),
            "class": f"{year_group(dob, on)}{rng.choice('ABC')}",
        }
        if rng.random() < 0.17:
            p["sen"] = [(dt.date(2024, 9, 4), rng.choice("KKKE"))]
            p["needs"] = [(1, rng.choice(NEEDS))]
        yield p


def roll_of(store: Any) -> list[dict[str, Any]]:
    """The pupils on roll in a database, as an MIS would hold them."""
    with store.read() as s:
        rows = s.execute(
            select(Pupil).where(Pupil.archived.is_(False)).order_by(Pupil.id)
        ).scalars()
        out = []
        for p in rows:
            d: dict[str, Any] = {
                "id": p.id,
                "upn": p.upn,
                "surname": p.legal_last_name,
                "forename": p.legal_first_name,
                "preferred": p.preferred_name,
                "dob": p.date_of_birth,
                "sex": "F",
                "year": p.year_group_override
                if p.year_group_override is not None
                else year_group(p.date_of_birth, FILE_DATE),
                "class": p.class_name,
                "admission": p.admission_date,
            }
            if p.sen_code != "N":
                d["sen"] = [(dt.date(2024, 9, 4), p.sen_code)]
                d["needs"] = [(r, n) for r, n in ((1, p.primary_need), (2, p.secondary_need)) if n]
            out.append(d)
        return out


def sheet_row(p: dict[str, Any]) -> list[Any]:
    sen = p["sen"][-1][1] if p.get("sen") else "N"
    needs = dict(p.get("needs") or [])
    year = p.get("year")
    adm = p.get("admission")
    return [
        p.get("upn") or "",
        p["surname"],
        p["forename"],
        p.get("preferred") or "",
        p["dob"].strftime("%d/%m/%Y"),
        p.get("sex", ""),
        "R" if year == 0 else f"Year {year}" if year is not None else "",
        p.get("class", ""),
        adm.strftime("%d/%m/%Y") if adm else "",
        sen,
        needs.get(1, ""),
        needs.get(2, ""),
    ]


def write_csv(
    path: Path, pupils: Iterable[dict[str, Any]], encoding: str = "utf-8", headings=None
) -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(headings or SIMS_HEADINGS)
        for p in pupils:
            w.writerow(sheet_row(p))
    return path


def write_xlsx(path: Path, pupils: Iterable[dict[str, Any]], title: str | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Students")
    if title:
        ws.append([title])  # a report title above the headings, as Arbor's exports have
    ws.append(SIMS_HEADINGS)
    for p in pupils:
        row = sheet_row(p)
        row[4] = p["dob"]  # a real date cell
        ws.append(row)
    wb.save(path)
    _declare_dimension(path)
    return path


def _declare_dimension(path: Path) -> None:
    """Excel (and SIMS, Arbor) write the sheet's size, <dimension ref="A1:L5001"/>, before
    its rows; openpyxl's write-only mode does not. Put it in, as a real export has it."""
    import re
    import shutil
    import zipfile

    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", info.filename):
                text = data.decode("utf-8")
                rows = len(re.findall(r"<row[ >]", text))
                at = min(
                    i
                    for i in (
                        text.find(t)
                        for t in ("<sheetViews", "<sheetFormatPr", "<cols", "<sheetData")
                    )
                    if i >= 0
                )
                text = text[:at] + f'<dimension ref="A1:L{max(rows, 1)}"/>' + text[at:]
                data = text.encode("utf-8")
            dst.writestr(info, data)
    shutil.move(tmp, path)


def snapshot(store: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to compare a database row for row."""
    out = {}
    with store.engine.connect() as conn:
        for t in Base.metadata.sorted_tables:
            out[t.name] = [
                tuple(r) for r in conn.execute(text(f'SELECT * FROM "{t.name}" ORDER BY id'))
            ]
    return out
