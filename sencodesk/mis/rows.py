"""What a file from the MIS says, row by row, and the field readers both file kinds share.

A value of ``None`` means "the file says nothing about this" (an absent element or an
unmapped column): nothing is changed for it. Each reader raises ``ValueError`` with words a
SENCO can act on; the caller adds the place (line or pupil element, and field).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .. import vocab
from ..rules import upn as upn_rules

FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2200, 12, 31)


@dataclass(frozen=True, slots=True)
class PupilRow:
    """One pupil as the MIS has them. ``where``: the line or pupil element, for messages."""

    where: str
    legal_last_name: str
    legal_first_name: str
    date_of_birth: dt.date
    upn: str | None = None
    preferred_name: str | None = None
    sex: str | None = None
    year: int | None = None
    class_name: str | None = None
    admission_date: dt.date | None = None
    sen_code: str | None = None
    primary_need: str | None = None
    secondary_need: str | None = None

    @property
    def name(self) -> str:
        return f"{self.legal_last_name}, {self.legal_first_name}"


@dataclass(frozen=True, slots=True)
class StaffRow:
    where: str
    last_name: str
    first_name: str
    role: str | None = None
    start_date: dt.date | None = None
    email: str | None = None

    @property
    def name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


@dataclass(frozen=True, slots=True)
class Refused:
    """A row that cannot be imported: where it is, which field, and why."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.field}: {self.message}"


@dataclass(frozen=True)
class Source:
    """The file: its name, what it is, and the date it speaks for."""

    file_name: str
    kind: str  # "ctf" or "sheet"
    description: str  # "CTF 25.0 from Oakfield Primary" or "spreadsheet"
    file_date: dt.date
    source_school: str = ""  # LEA + Estab of a CTF's source school (7 digits), else ""

    @property
    def reason(self) -> str:
        """The audit reason of every change the import makes."""
        return f"Imported from {self.file_name} ({self.description})"


# --------------------------------------------------------------------------- field readers

_SPACES = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """Trimmed, with runs of white space (tabs, new lines, no-break spaces) as one space."""
    if value is None:
        return ""
    return _SPACES.sub(" ", str(value).replace("\u00a0", " ")).strip()


def read_date(value: object) -> dt.date:
    """dd/mm/yyyy, d/m/yyyy, ISO yyyy-mm-dd (a time after it is ignored), or a date object."""
    if isinstance(value, dt.datetime):
        d = value.date()
    elif isinstance(value, dt.date):
        d = value
    else:
        text = clean_text(value)
        if not text:
            raise ValueError("is empty")
        head = re.split(r"[T ]", text, maxsplit=1)[0]
        found: dt.date | None = None
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                found = dt.datetime.strptime(head, fmt).date()
                break
            except ValueError:
                continue
        if found is None:
            raise ValueError(f"{text!r} is not a date (use dd/mm/yyyy)")
        d = found
    if not FIRST_DATE <= d <= LAST_DATE:
        raise ValueError(f"{d:%d/%m/%Y} is not a plausible date")
    return d


_YEAR = re.compile(r"^(?:year|yr|y|nc\s*year|ncy)?\s*(-?\d{1,2})$")
_YEAR_WORDS = {
    "r": 0,
    "rec": 0,
    "reception": 0,
    "yr r": 0,
    "year r": 0,
    "n": -1,
    "n1": -1,
    "n2": -1,
    "nursery": -1,
    "nursery 1": -1,
    "nursery 2": -1,
}


def read_year(value: object) -> int | None:
    """ "Year 5", "Y5", "Yr 5", "5", "R" / "Reception", "N1"/"N2"/"Nursery"; "X" (not
    following the National Curriculum) or empty -> None (leave the year to the birth date)."""
    text = clean_text(value).lower()
    if not text or text == "x":
        return None
    if text in _YEAR_WORDS:
        return _YEAR_WORDS[text]
    m = _YEAR.match(text)
    if m:
        n = int(m.group(1))
        if -1 <= n <= 14:
            return n
    raise ValueError(f"{clean_text(value)!r} is not a year group (e.g. Year 5, Y5, 5 or R)")


_SEN_WORDS = {
    "e": "E",
    "ehc plan": "E",
    "ehcp": "E",
    "education, health and care plan": "E",
    "education health and care plan": "E",
    "s": "E",  # a statement, before EHC plans (2014-2018)
    "statement": "E",
    "k": "K",
    "sen support": "K",
    "n": "N",
    "no special educational need": "N",
    "no sen": "N",
    "none": "N",
    "": "N",
}


def read_sen_code(value: object) -> str:
    """E / K / N, or their words ("EHC Plan", "SEN Support", "No Special Educational Need")."""
    text = clean_text(value).lower()
    if len(text) > 2:  # "K - SEN Support", "E: EHC plan"
        text = re.sub(r"^[ekns]\s*[-–:]\s*", "", text)
    if text in _SEN_WORDS:
        return _SEN_WORDS[text]
    raise ValueError(f"{clean_text(value)!r} is not an SEN provision (E, K or N)")


_NEED_WORDS = {label.lower(): code for code, label in vocab.NEED_LABELS.items()}
_NEED_WORDS.update(
    {
        "autism": "ASD",
        "autistic spectrum disorder": "ASD",
        "autism spectrum disorder": "ASD",
        "specific learning difficulty (e.g. dyslexia)": "SPLD",
        "speech, language and communication needs": "SLCN",
        "speech language and communication needs": "SLCN",
        "social, emotional and mental health": "SEMH",
        "social emotional and mental health": "SEMH",
        "physical disability": "PD",
        "other difficulty/disability": "OTH",
        "sen support but no specialist assessment": "NSA",
    }
)


def read_need(value: object) -> str | None:
    """A need code (SEMH, ASD…) or its words; empty -> None."""
    text = clean_text(value)
    if not text:
        return None
    code = text.upper().replace(" ", "")
    if code in vocab.NEED_CODES:
        return code
    m = re.match(r"^([A-Za-z]{2,4})\s*[-–:]\s*", text)
    if m and m.group(1).upper() in vocab.NEED_CODES:
        return m.group(1).upper()
    found = _NEED_WORDS.get(text.lower())
    if found:
        return found
    raise ValueError(f"{text!r} is not a need code ({', '.join(vocab.NEED_CODES)})")


def read_sex(value: object) -> str | None:
    text = clean_text(value).lower()
    if not text:
        return None
    if text in ("m", "male", "boy"):
        return "M"
    if text in ("f", "female", "girl"):
        return "F"
    if text in ("u", "unknown", "not known", "not stated"):
        return "U"
    raise ValueError(f"{clean_text(value)!r} is not a sex (M or F)")


def read_upn(value: object) -> str | None:
    """A valid UPN (permanent or temporary), or None when empty."""
    text = clean_text(value)
    if not text:
        return None
    upn = upn_rules.normalise_upn(text)
    problem = upn_rules.upn_error(upn)
    if problem:
        raise ValueError(f"{text!r}: {problem}")
    return upn


def read_name(value: object, max_len: int = 100) -> str:
    text = clean_text(value)
    if not text:
        raise ValueError("is empty")
    if len(text) > max_len:
        raise ValueError(f"is too long (at most {max_len} characters)")
    return text


def name_key(last: str, first: str) -> tuple[str, str]:
    """Names compared without case, accents of spacing, hyphens or apostrophes mattering."""
    import unicodedata

    def norm(s: str) -> str:
        s = unicodedata.normalize("NFKD", s)
        s = "".join(ch for ch in s if not unicodedata.combining(ch))
        s = re.sub(r"[\s\-‐–'’`.]+", " ", s.casefold())
        return s.strip()

    return norm(last), norm(first)
