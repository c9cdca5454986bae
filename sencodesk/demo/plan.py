"""The plan: every row the demo will write, with references between rows, and what it adds up to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import vocab

Progress = Callable[[int, int, str], None]

DEFAULT_PUPILS = 420
MIN_PUPILS = 20
MAX_PUPILS = 200_000
#: More pupils than this make a trust (Reception to Year 11), written with bulk inserts.
LARGE_FROM = 1000
#: Per 420 pupils: 48 on SEN support (K) and 12 with an EHCP (E), as in an average primary.
K_PER_420 = 48
E_PER_420 = 12
PUPILS_PER_CLASS = 30
CHUNK = 2000  # rows per bulk insert (and per progress report)
ONE_DAY = dt.timedelta(days=1)


# =========================================================================== the plan


class _Row:
    """One row to write. A value may be another ``_Row`` (a foreign key): it is replaced by
    that row's id once written. ``extra`` holds what is written with it (contract days,
    outcome history, review invitees)."""

    __slots__ = ("table", "values", "extra", "id")

    def __init__(self, table: str, values: dict[str, Any], extra: dict[str, Any]) -> None:
        self.table = table
        self.values = values
        self.extra = extra
        self.id: int | None = None

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"_Row({self.table}, id={self.id})"


#: Tables in the order they are written (each refers only to earlier ones, or to itself).
ORDER = (
    "local_authority",
    "school",
    "term_date",
    "staff",
    "pupil",
    "funding",
    "contract",
    "assignment",
    "outcome",
    "record",
    "qualification",
    "training",
    "dbs_check",
    "review_meeting",
)
#: Written through the commands even in bulk mode (a handful of rows).
SETTINGS_TABLES = frozenset({"local_authority", "school", "term_date"})


class _Plan:
    def __init__(self) -> None:
        self.rows: dict[str, list[_Row]] = {t: [] for t in ORDER}

    def add(self, table: str, values: dict[str, Any], **extra: Any) -> _Row:
        row = _Row(table, values, extra)
        self.rows[table].append(row)
        return row

    def count(self, table: str) -> int:
        return len(self.rows[table])

    def summary(self, school_name: str) -> DemoSummary:
        codes = [r.values["sen_code"] for r in self.rows["pupil"]]
        return DemoSummary(
            school_name=school_name,
            pupils=len(codes),
            sen_support=codes.count(vocab.SenCode.SEN_SUPPORT.value),
            ehcps=codes.count(vocab.SenCode.EHCP.value),
            staff=self.count("staff"),
            contracts=self.count("contract"),
            funding_lines=self.count("funding"),
            assignments=self.count("assignment"),
            outcomes=self.count("outcome"),
            records=self.count("record"),
            reviews=self.count("review_meeting"),
            local_authorities=self.count("local_authority"),
        )


@dataclass(frozen=True)
class _Change:
    on: dt.date
    status: str
    note: str = ""


@dataclass(frozen=True)
class DemoSummary:
    """What the demo wrote (the counts depend only on the pupils, seed and date)."""

    school_name: str
    pupils: int
    sen_support: int
    ehcps: int
    staff: int
    contracts: int
    funding_lines: int
    assignments: int
    outcomes: int
    records: int
    reviews: int
    local_authorities: int

    @property
    def sen_register(self) -> int:
        return self.sen_support + self.ehcps

    def lines(self) -> list[str]:
        """The summary as lines for people."""
        return [
            f"{self.pupils:,} pupils: {self.sen_register:,} on the SEN register "
            f"({self.sen_support:,} SEN support, {self.ehcps:,} EHCPs)",
            f"{self.staff:,} staff, {self.contracts:,} contracts, "
            f"{self.funding_lines:,} funding lines, {self.assignments:,} assignments",
            f"{self.outcomes:,} outcomes, {self.records:,} records, "
            f"{self.reviews:,} review meetings, {self.local_authorities} local authorities",
        ]
