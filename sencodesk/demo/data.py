"""The demo's names, needs, outcomes, words and jobs, read from the JSON files in
``data/`` (shipped with the package). Arrays are read as tuples: the data never changes."""

from __future__ import annotations

import datetime as dt
import json
import random
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..rules.pay import WorkDay


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    return value


@cache
def load(name: str) -> dict[str, Any]:
    """``data/<name>.json`` as read-only values (arrays as tuples)."""
    text = resources.files(__package__).joinpath("data", f"{name}.json").read_text("utf-8")
    return _frozen(json.loads(text))


# =========================================================================== names

_names = load("names")
# tradition -> (weight per 100 pupils, girls' names, boys' names, surnames). A surname "A/B"
# is the form for men and boys and the form for women and girls (Kowalski/Kowalska).
_NAMES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    k: (t["weight"], t["girls"], t["boys"], t["surnames"]) for k, t in _names["traditions"].items()
}
_TRADITION_KEYS = list(_NAMES)
_TRADITION_WEIGHTS = [_NAMES[k][0] for k in _TRADITION_KEYS]
_PREFERRED: dict[str, str] = _names["preferred"]  # names children are often known by
_ENGLISH_NAMES = (_names["english_names"]["girls"], _names["english_names"]["boys"])
_STAFF_WOMEN: tuple[str, ...] = _names["staff_women"]
_STAFF_MEN: tuple[str, ...] = _names["staff_men"]
_PROFESSIONALS: tuple[str, ...] = _names["professionals"]
_THERAPISTS: tuple[str, ...] = _names["therapists"]
_CASEWORKERS: tuple[str, ...] = _names["caseworkers"]

_ASCII = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "ß": "ss",
        "ı": "i",
        "'": "",
        " ": "",
        "-": "",
    }
)


def _ascii(text: str) -> str:
    """Plain letters for an email address: "Siobhán O'Brien" -> "SiobhanOBrien"."""
    text = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum())


# =========================================================================== needs

_needs = load("needs")
# Primary needs, per 100 pupils with an EHCP and per 100 on SEN support (DfE "Special
# educational needs in England", primary schools, rounded).
_NEEDS_E: dict[str, int] = _needs["needs_ehcp"]
_NEEDS_K: dict[str, int] = _needs["needs_sen_support"]
_RARE: tuple[str, ...] = _needs["rare"]  # never drawn as a secondary need
_AREAS_FOR_NEED: dict[str, tuple[str, ...]] = _needs["areas_for_need"]
_MEDICAL: dict[str, str] = _needs["medical"]
_MEDICAL_RECORDS: dict[str, tuple[str, ...]] = _needs["medical_records"]
_FIRST_AID: tuple[str, ...] = _needs["first_aid"]


def _pick_need(rng: random.Random, table: dict[str, int], exclude: Iterable[str] = ()) -> str:
    gone = set(exclude)
    keys = [k for k in table if k not in gone]
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


# =========================================================================== outcomes and records

_outcomes = load("outcomes")
# area -> (outcome text, success criteria). "{n}" is the pupil's first (or preferred) name.
_OUTCOMES: dict[str, tuple[tuple[str, str], ...]] = _outcomes["outcomes"]
_HI_VI_OUTCOME: dict[str, Any] = _outcomes["hi_vi_outcome"]
_SCHOOL_TARGETS: tuple[Any, ...] = _outcomes["school_targets"]
_records = load("records")
_SUPPORT: dict[str, tuple[str, ...]] = _records["support"]
# how a session went (1-5) -> the words a record uses (JSON keys are text)
_PROGRESS_WORDS: dict[int, str] = {int(k): v for k, v in _records["progress_words"].items()}
_OBSERVATIONS: tuple[str, ...] = _records["observations"]
_SUBJECTS: tuple[str, ...] = _records["subjects"]
_PARENT: tuple[str, ...] = _records["parent"]
_INCIDENTS: tuple[Any, ...] = _records["incidents"]
_PERSONAL_CARE: tuple[str, ...] = _records["personal_care"]
_REVIEW_NOTES_HELD: tuple[str, ...] = _records["review_notes_held"]


# =========================================================================== places and jobs

_places = load("places")
_AREAS: tuple[Any, ...] = _places["areas"]
_OTHER_LA_CODES: tuple[str, ...] = _places["other_la_codes"]
_PRIMARY_NAMES: tuple[str, ...] = _places["primary_names"]
_TRUST_NAMES: tuple[str, ...] = _places["trust_names"]
_SECONDARY: tuple[Any, ...] = _places["secondary"]


def _time(text: str) -> dt.time:
    h, m = text.split(":")
    return dt.time(int(h), int(m))


@dataclass(frozen=True)
class _Job:
    role: str
    title: str
    kind: str
    pattern: str
    term_time: bool
    grade: str
    pay_point: str
    fte: str
    paid_weeks: str | None = None
    notice_weeks: int = 4


_jobs = load("jobs")
# Working patterns from the job adverts in seeds/ (the key worker's: 08:40-15:30, 30 minutes
# unpaid lunch, 31 h 40 a week).
PATTERNS: dict[str, tuple[WorkDay, ...]] = {
    key: tuple(
        WorkDay(d["day"], _time(d["start"]), _time(d["end"]), d["unpaid_minutes"]) for d in days
    )
    for key, days in _jobs["patterns"].items()
}
# NJC pay spine 2025/26 for grades 2-7; the key worker is on the advert's own range.
_JOBS: dict[str, _Job] = {key: _Job(**job) for key, job in _jobs["jobs"].items()}
_QUALIFICATIONS: dict[str, tuple[tuple[str, str], ...]] = _jobs["qualifications"]
# Years of service before this academic year (0: joined this year).
_SERVICE: dict[str, tuple[int, int]] = _jobs["service_years"]
_TRAINING_YEARS: dict[str, int] = _jobs["training_years"]
_PLACES: tuple[str, ...] = _jobs["meeting_places"]
