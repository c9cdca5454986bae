"""Read a Common Transfer File (CTF, the DfE's XML) from any English MIS.

Element paths (as in DfE's own CTF writer and the MIS vendors' importers)::

    CTfile/Header/{CTFversion, DateTime, SourceSchool/{LEA, Estab, SchoolName}, ...}
    CTfile/CTFpupilData/Pupil/{UPN, Surname, Forename, DOB, Sex (older files: Gender)}
    Pupil/BasicDetails/{PreferredForename, NCyearActual, ...}
    Pupil/SENhistory/SEN/{StartDate, SENprovision}        several spells: the latest counts
    Pupil/SENhistory/SENneeds/SENneed/{SENtypeRank, SENtype, NeedEndDate}

Liberal in what it reads: unknown sections (addresses, contacts, attendance…) are skipped,
optional elements may be missing, white space is trimmed and dates may be ISO or dd/mm/yyyy.
The file is parsed as a stream (``defusedxml``'s ``iterparse``: no DTD, no entity expansion,
no external entities), one pupil at a time, so a big file does not fill the memory.
A file that is not well-formed, is cut short, is not a CTF, or is hostile is one
``KnownError`` naming the file and the place; a pupil that cannot be read is a ``Refused``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from ..errors import KnownError
from .rows import (
    PupilRow,
    Refused,
    Source,
    clean_text,
    read_date,
    read_name,
    read_need,
    read_sen_code,
    read_sex,
    read_upn,
    read_year,
)

Progress = Callable[[int, int], object]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: Element | None, *path: str) -> Element | None:
    for name in path:
        if el is None:
            return None
        el = next((c for c in el if _local(c.tag) == name), None)
    return el


def _text(el: Element | None, *path: str) -> str | None:
    found = _child(el, *path)
    if found is None:
        return None
    return clean_text(found.text)


def _children(el: Element | None, name: str) -> list[Element]:
    return [] if el is None else [c for c in el if _local(c.tag) == name]


class CtfFile:
    """A CTF being read: ``header`` after the first pupils; ``pupils()`` yields rows."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.header: dict[str, str] = {}
        self.refused: list[Refused] = []
        self.count = 0
        self._file_date = dt.date.today()

    def fail(self, what: str) -> KnownError:
        return KnownError(f"Cannot import {self.path.name}: {what}")

    def source(self) -> Source:
        version = self.header.get("CTFversion", "")
        school = self.header.get("SchoolName", "") or "an unnamed school"
        file_date = dt.date.today()
        stamp = self.header.get("DateTime", "")
        if stamp:
            with contextlib.suppress(ValueError):
                file_date = read_date(stamp)
        desc = f"CTF {version} from {school}" if version else f"CTF from {school}"
        lea, estab = self.header.get("LEA", ""), self.header.get("Estab", "")
        return Source(
            file_name=self.path.name,
            kind="ctf",
            description=desc,
            file_date=file_date,
            source_school=f"{lea}{estab}" if lea and estab else "",
        )

    def pupils(self, progress: Progress | None = None) -> Iterator[PupilRow]:
        try:
            size = os.path.getsize(self.path)
            f = open(self.path, "rb")  # noqa: SIM115 - closed in the finally below
        except OSError as exc:
            raise self.fail(
                f"the file cannot be read ({(exc.strerror or str(exc)).lower()})."
            ) from None
        if size == 0:
            f.close()
            raise self.fail("the file is empty.")
        try:
            yield from self._parse(f, size, progress)
        except ParseError as exc:
            line, col = getattr(exc, "position", (0, 0))
            msg = str(exc)
            if msg.startswith(("no element found", "unclosed token")):
                raise self.fail(
                    f"the file ends early at line {line} (it looks cut short). "
                    "Export the CTF from the MIS again."
                ) from None
            reason = msg.split(":", 1)[0]
            raise self.fail(
                f"it is not well-formed XML at line {line}, column {col + 1} ({reason})."
            ) from None
        except DefusedXmlException:
            raise self.fail(
                "the file declares a DTD or entities, which a Common Transfer File never "
                "does; it has been refused unread, as it could be a hostile file."
            ) from None
        except UnicodeDecodeError:
            raise self.fail("the file is not text in the encoding it declares.") from None
        finally:
            f.close()

    def _parse(self, f: Any, size: int, progress: Progress | None) -> Iterator[PupilRow]:
        stack: list[str] = []
        pupil_data: Element | None = None
        seen_root = False
        events = iterparse(f, events=("start", "end"), forbid_dtd=True)
        for event, el in events:
            name = _local(el.tag)
            if event == "start":
                if not seen_root:
                    seen_root = True
                    if name != "CTfile":
                        raise self.fail(
                            f"it is XML but not a Common Transfer File (its first element is "
                            f"<{name}>, not <CTfile>)."
                        )
                stack.append(name)
                if stack == ["CTfile", "CTFpupilData"]:
                    pupil_data = el
                continue
            path = stack
            if path == ["CTfile", "Header"]:
                self._read_header(el)
            elif path == ["CTfile", "CTFpupilData", "Pupil"]:
                self.count += 1
                row = self._pupil(el, self.count)
                if pupil_data is not None:
                    pupil_data.clear()  # this pupil is read: free its elements
                if row is not None:
                    yield row
                if progress is not None and self.count % 200 == 0:
                    progress(f.tell(), size)
            stack.pop()
        if not seen_root:
            raise self.fail("the file holds no XML element.")
        if progress is not None:
            progress(size, size)

    def _read_header(self, el: Element) -> None:
        h = self.header
        for key in ("CTFversion", "DateTime", "DocumentQualifier"):
            h[key] = _text(el, key) or ""
        for key in ("LEA", "Estab", "SchoolName", "AcademicYear"):
            h[key] = _text(el, "SourceSchool", key) or ""
        h["DestLEA"] = _text(el, "DestSchool", "LEA") or ""
        h["DestEstab"] = _text(el, "DestSchool", "Estab") or ""
        self._file_date = self.source().file_date

    def _pupil(self, el: Element, n: int) -> PupilRow | None:
        surname = _text(el, "Surname") or ""
        forename = _text(el, "Forename") or ""
        who = f"{surname}, {forename}".strip(", ") or "no name"
        where = f"<Pupil> {n} ({who})"
        problems: list[Refused] = []

        def read(field: str, fn: Callable[[Any], Any], raw: Any) -> Any:
            try:
                return fn(raw)
            except ValueError as exc:
                problems.append(Refused(where, field, str(exc)))
                return None

        last = read("Surname", read_name, surname)
        first = read("Forename", read_name, forename)
        dob_text = _text(el, "DOB")
        dob = read("DOB", read_date, dob_text or "")
        upn = read("UPN", read_upn, _text(el, "UPN"))
        sex_text = _text(el, "Sex")
        sex_field = "Sex"
        if sex_text is None:
            sex_text, sex_field = _text(el, "Gender"), "Gender"
        sex = read(sex_field, read_sex, sex_text)
        basic = _child(el, "BasicDetails")
        preferred = _text(basic, "PreferredForename")
        if preferred is None:
            preferred = _text(el, "PreferredForename")
        if preferred is not None and (not preferred or preferred == forename):
            preferred = ""
        year_text = _text(basic, "NCyearActual")
        year = read("NCyearActual", read_year, year_text) if year_text is not None else None
        sen, primary, secondary = self._sen(_child(el, "SENhistory"), read)
        if problems:
            self.refused.extend(problems)
            return None
        return PupilRow(
            where=where,
            legal_last_name=last,
            legal_first_name=first,
            date_of_birth=dob,
            upn=upn,
            preferred_name=preferred,
            sex=sex,
            year=year,
            sen_code=sen,
            primary_need=primary,
            secondary_need=secondary,
        )

    def _sen(
        self, history: Element | None, read: Callable[[str, Callable[[Any], Any], Any], Any]
    ) -> tuple[str, str, str]:
        """The latest SEN spell's provision (no SENhistory: no SEN, "N") and the needs ranked
        1 and 2 that have not ended by the file's date."""
        if history is None:  # no SEN history: the MIS records no SEN, and no needs
            return "N", "", ""
        spells: list[tuple[dt.date, int, str]] = []
        for i, spell in enumerate(_children(history, "SEN")):
            code = read("SEN/SENprovision", read_sen_code, _text(spell, "SENprovision") or "")
            start_text = _text(spell, "StartDate")
            start = read("SEN/StartDate", read_date, start_text) if start_text else None
            if code is not None:
                spells.append((start or dt.date.min, i, code))
        sen = max(spells)[2] if spells else "N"
        today = self._file_date
        ranked: dict[int, str] = {}
        for need in _children(_child(history, "SENneeds"), "SENneed"):
            code = read("SENneed/SENtype", read_need, _text(need, "SENtype"))
            rank_text = _text(need, "SENtypeRank") or ""
            try:
                rank = int(rank_text)
            except ValueError:
                read("SENneed/SENtypeRank", _not_a_rank, rank_text)
                continue
            end_text = _text(need, "NeedEndDate")
            end = read("SENneed/NeedEndDate", read_date, end_text) if end_text else None
            if code is None or (end is not None and end < today):
                continue
            ranked.setdefault(rank, code)
        return sen, ranked.get(1, ""), ranked.get(2, "")


def _not_a_rank(text: Any) -> None:
    raise ValueError(f"{text!r} is not a rank (1 for the primary need, 2 the secondary)")


def looks_like_xml(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head.startswith(b"<")
