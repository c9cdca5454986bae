"""Pupils: the list (fast on 20,000 rows); one pupil's page is in ``pupil_detail``.

On a school's own SQLite file the list is read with the driver (``_list_sqlite``, #17); on a
server through SQLAlchemy (``list_pupils_sqlalchemy``), which gives the same rows (the tests
hold the two equal on the same file)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..frozen_slots import fast_slots, unfrozen
from ..model import Assignment, Pupil, Staff
from ..rules.coverage import Slot, staffed_minutes
from ..rules.names import names
from ..rules.reviews import next_review_due
from ..rules.schoolyear import year_group, year_group_label
from ..rules.text import fold
from ..vocab import SenCode
from .common import current_filter, display_name, readable
from .factread import READ, row_reader


@fast_slots
@dataclass(frozen=True, slots=True)
class PupilRow:
    id: int
    name: str
    sort_name: str
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    upn: str
    date_of_birth: dt.date
    year_group: int
    year_label: str
    class_name: str
    sen_code: str
    primary_need: str
    secondary_need: str
    ehcp_weekly_minutes: int | None
    assigned_minutes: int
    lsa_names: str
    next_review_due: dt.date | None
    medical: bool
    archived: bool

    @property
    def unstaffed_minutes(self) -> int:
        return max(0, (self.ehcp_weekly_minutes or 0) - self.assigned_minutes)

    @property
    def search_key(self) -> str:
        """The text the pupil list's instant filter matches against, folded (``rules.text``):
        names (preferred and legal), UPN, year, class, SEN code, needs and LSAs."""
        return fold(
            " ".join(
                (
                    self.name,
                    self.preferred_name,
                    self.legal_first_name,
                    self.legal_last_name,
                    self.upn,
                    self.year_label,
                    self.class_name,
                    self.sen_code,
                    self.primary_need,
                    self.secondary_need,
                    self.lsa_names,
                )
            )
        )


def pupil_year_group(p: Pupil | Any, on: dt.date) -> int:
    if p.year_group_override is not None:
        return p.year_group_override
    return year_group(p.date_of_birth, on)


def _review_due(p: Any) -> dt.date | None:
    base = p.ehcp_last_review or p.ehcp_issued
    if p.sen_code != SenCode.EHCP or base is None:
        return None
    return next_review_due(base, p.review_interval_months)


def current_support(
    session: Session, on: dt.date, pupil_ids: list[int] | None = None
) -> dict[int, list[tuple[str, int, str, Slot]]]:
    """Pupil id -> [(staff display name, weekly minutes, role, the assignment as the coverage
    rules take it)] of assignments current on ``on``."""
    q = (
        select(
            Assignment.pupil_id,
            Staff.first_name,
            Staff.last_name,
            Assignment.weekly_minutes,
            Assignment.role,
            Assignment.id,
            Assignment.staff_id,
            Assignment.sessions,
            Assignment.start_date,
            Assignment.end_date,
        )
        .join(Staff, Staff.id == Assignment.staff_id)
        .where(current_filter(Assignment.start_date, Assignment.end_date, on))
        .order_by(Assignment.pupil_id, Staff.last_name, Staff.first_name)
    )
    if pupil_ids is not None:
        q = q.where(Assignment.pupil_id.in_(pupil_ids))
    out: dict[int, list[tuple[str, int, str, Slot]]] = defaultdict(list)
    for pid, first, last, mins, role, aid, sid, sessions, start, end in session.execute(q):
        slot = Slot(aid, sid, pid, mins, sessions, role, start, end)
        out[pid].append((display_name(first, last), mins, role, slot))
    return out


_NO_SUPPORT = (0, "")


def _support_summary(support: list[tuple[str, int, str, Slot]], on: dt.date) -> tuple[int, str]:
    """A pupil's minutes staffed on ``on`` and their LSAs' names, from their
    :func:`current_support`."""
    # Distinct hours staffed: the same person twice in one session counts once.
    assigned = staffed_minutes([x[3] for x in support], on)
    return assigned, ", ".join(dict.fromkeys(x[0] for x in support))


def _row(
    p: Any, on: dt.date, support: list[tuple[str, int, str, Slot]], yg: int | None = None
) -> PupilRow:
    """``p``: a Pupil, or a row of the columns in ``_LIST_COLUMNS`` in that order (the list's
    fast path: a row's fields read by position, 25 reads by name were most of its time).
    ``yg``: the year group, when the caller knows it."""
    if isinstance(p, Pupil):
        p = tuple(getattr(p, c.key) for c in _LIST_COLUMNS)
    (
        pid,
        first,
        last,
        preferred,
        upn,
        born,
        override,
        class_name,
        sen_code,
        primary,
        secondary,
        ehcp_minutes,
        last_review,
        issued,
        interval,
        medical,
        archived,
    ) = p
    if yg is None:
        yg = override if override is not None else year_group(born, on)
    # most pupils of a trust: no assignment
    assigned, lsas = _support_summary(support, on) if support else _NO_SUPPORT
    base = last_review or issued
    return PupilRow(
        pid,
        *names(first, last, preferred),
        first,
        last,
        preferred,
        upn or "",
        born,
        yg,
        year_group_label(yg),
        class_name,
        sen_code,
        primary or "",
        secondary or "",
        ehcp_minutes,
        assigned,
        lsas,
        next_review_due(base, interval) if sen_code == SenCode.EHCP and base is not None else None,
        has_medical(medical),
        archived,
    )


def has_medical(notes: str | None) -> bool:
    """Whether a pupil's medical notes say anything (the list's flag)."""
    return bool((notes or "").strip())


# What a list row needs of a pupil. The list reads these columns rather than Pupil objects:
# building 20,000 ORM instances took about two thirds of the pupil list's load time.
_LIST_COLUMNS = (
    Pupil.id,
    Pupil.legal_first_name,
    Pupil.legal_last_name,
    Pupil.preferred_name,
    Pupil.upn,
    Pupil.date_of_birth,
    Pupil.year_group_override,
    Pupil.class_name,
    Pupil.sen_code,
    Pupil.primary_need,
    Pupil.secondary_need,
    Pupil.ehcp_weekly_minutes,
    Pupil.ehcp_last_review,
    Pupil.ehcp_issued,
    Pupil.review_interval_months,
    Pupil.medical_needs,
    Pupil.archived,
)


def list_pupils(
    session: Session, *, today: dt.date, include_archived: bool = False, sen_only: bool = False
) -> list[PupilRow]:
    """Every pupil (by surname), with their current support; a few queries whatever the size.

    On a school's own SQLite file the rows are read with the driver itself, on the session's
    own connection and transaction (SQLAlchemy's handling of each value was a third of the
    list at a trust, #17). On a server through SQLAlchemy, where the login's column grants
    decide what it reads (:func:`list_pupils_sqlalchemy`). Pending changes are flushed first,
    as the session's own execute would."""
    session.flush()
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        return _list_sqlite(conn.connection.driver_connection, today, include_archived, sen_only)
    return list_pupils_sqlalchemy(
        session, today=today, include_archived=include_archived, sen_only=sen_only
    )


def list_pupils_sqlalchemy(
    session: Session, *, today: dt.date, include_archived: bool = False, sen_only: bool = False
) -> list[PupilRow]:
    """:func:`list_pupils` through SQLAlchemy Core, as on a server (on SQLite too: the tests
    hold the two ways to the same rows)."""
    # On a server, columns the login may not read come as NULL (a business manager choosing
    # a pupil to assign reads names and funded hours, not needs or medical notes).
    q = select(*readable(session, *_LIST_COLUMNS)).order_by(
        Pupil.legal_last_name, Pupil.legal_first_name, Pupil.id
    )
    if not include_archived:
        q = q.where(Pupil.archived.is_(False))
    if sen_only:
        q = q.where(Pupil.sen_code != SenCode.NONE)
    support = current_support(session, today)
    # A Core read (the ORM's handling of 20,000 result rows was a fifth of the list's time),
    # and each birthday's year group worked out once: at a trust many pupils share one.
    session.flush()
    years: dict[dt.date, int] = {}
    none: list[tuple[str, int, str, Slot]] = []
    out = []
    for p in session.connection().execute(q).all():  # all at once: fetching one by one is slower
        yg = p[6]  # year_group_override
        if yg is None:
            yg = years.get(p[5])  # date_of_birth
            if yg is None:
                yg = years[p[5]] = year_group(p[5], today)
        out.append(_row(p, today, support.get(p[0], none), yg))
    return out


_SUPPORT_COLUMNS = (
    "pupil_id",
    "first_name",
    "last_name",
    "weekly_minutes",
    "role",
    "id",
    "staff_id",
    "sessions",
    "start_date",
    "end_date",
)
_read_support = row_reader(_SUPPORT_COLUMNS, READ["assignment"])
_SUPPORT_SQL = (
    "SELECT a.pupil_id, s.first_name, s.last_name, a.weekly_minutes, a.role, a.id,"
    " a.staff_id, a.sessions, a.start_date, a.end_date"
    " FROM assignment a JOIN staff s ON s.id = a.staff_id"
    " WHERE a.start_date <= ? AND (a.end_date IS NULL OR a.end_date >= ?)"
)


def _support_sqlite(conn: Any, on: dt.date) -> dict[int, tuple[int, str]]:
    """Pupil id -> (minutes staffed, the LSAs' names) on ``on``, for the pupils with support:
    :func:`current_support`'s rows read with the driver, summed as :func:`_row` sums them.

    Each pupil's LSAs are put in :func:`current_support`'s order (surname, first name) here
    rather than by SQL (which sorted every row by pupil first): the same names in the same
    order, and the minutes staffed do not depend on the order."""
    day = on.isoformat()
    by_pupil: dict[int, list[tuple[str, str, tuple[str, int, str, Slot]]]] = defaultdict(list)
    for pid, first, last, mins, role, aid, sid, sessions, start, end in _read_support(
        conn.execute(_SUPPORT_SQL, (day, day)).fetchall()
    ):
        slot = Slot(aid, sid, pid, mins, sessions, role, start, end)
        by_pupil[pid].append((last, first, (display_name(first, last), mins, role, slot)))
    out = {}
    for pid, got in by_pupil.items():
        if len(got) > 1:
            got.sort(key=_by_name)  # str's order is SQLite's (BINARY: UTF-8 bytes)
        out[pid] = _support_summary([x[2] for x in got], on)
    return out


def _by_name(x: tuple[str, str, Any]) -> tuple[str, str]:
    return x[0], x[1]


# The list's columns on an SQLite file. What the row keeps of the EHCP's review dates and of
# the medical notes is worked out by SQL, so fewer values come back.
_LIST_SQL = (
    "SELECT id, legal_first_name, legal_last_name, preferred_name, upn, date_of_birth,"
    " year_group_override, class_name, sen_code, primary_need, secondary_need,"
    " ehcp_weekly_minutes,"
    # the base of the next review, of an EHCP only (as ``_row``: last review, else issue)
    f" CASE WHEN sen_code = '{SenCode.EHCP.value}'"
    " THEN coalesce(ehcp_last_review, ehcp_issued) END,"
    f" CASE WHEN sen_code = '{SenCode.EHCP.value}' THEN review_interval_months END,"
    # the medical notes where there are some (most pupils have none: '' comes as NULL)
    " nullif(medical_needs, ''){archived}"
    # read in the table's order (a scan, not the index on ``archived``: fewer steps a row)
    " FROM pupil NOT INDEXED{where}"
)
# The list's order, from the index on the names (``ix_pupil_name``: surname, first name and
# the row id, so no sort): the rows above come in the table's order and are put in this one.
# (In one query SQLite sorts the rows themselves, about a third of the read at 200,000.)
_ORDER_SQL = "SELECT id FROM pupil ORDER BY legal_last_name, legal_first_name, id"
_READ_PUPIL = READ["pupil"]
_Fill: Any = unfrozen(PupilRow)


def _list_sqlite(
    conn: Any, today: dt.date, include_archived: bool, sen_only: bool
) -> list[PupilRow]:
    """:func:`list_pupils` on an SQLite file, read with the driver on ``conn``."""
    where = []
    if not include_archived:
        where.append("archived IS 0")
    if sen_only:
        where.append(f"sen_code <> '{SenCode.NONE.value}'")
    sql = _LIST_SQL.format(
        archived=", archived" if include_archived else ", 0",
        where=" WHERE " + " AND ".join(where) if where else "",
    )
    with _snapshot(conn):
        support = _support_sqlite(conn, today)
        place = {pid: i for i, (pid,) in enumerate(conn.execute(_ORDER_SQL).fetchall())}
        rows = conn.execute(sql).fetchall()
    read_born = _READ_PUPIL["date_of_birth"]
    read_review = _READ_PUPIL["ehcp_last_review"]
    read_archived = _READ_PUPIL["archived"]
    years: dict[str, tuple[dt.date, int, str]] = {}  # a birthday's date, year group, label
    labels: dict[int, str] = {}
    dues: dict[tuple[str, int], dt.date] = {}
    new, sup = object.__new__, support.get
    out: list[Any] = [None] * len(place)
    for (
        pid,
        first,
        last,
        preferred,
        upn,
        born,
        override,
        class_name,
        sen_code,
        primary,
        secondary,
        ehcp_minutes,
        base,
        interval,
        medical,
        archived,
    ) in rows:
        y = years.get(born)
        if y is None:
            d = read_born(born)
            yg = year_group(d, today)
            y = years[born] = (d, yg, year_group_label(yg))
        if override is None:
            born_date, yg, label = y
        else:
            born_date, yg = y[0], override
            label = labels.get(yg) or labels.setdefault(yg, year_group_label(yg))
        if base is None:
            due = None
        else:
            due = dues.get((base, interval))
            if due is None:
                due = dues[base, interval] = next_review_due(read_review(base), interval)
        # The row's fields set one by one on its unfrozen twin, then it is made a PupilRow
        # (``frozen_slots``): every field below, in the order of the class.
        row = new(_Fill)
        row.id = pid
        row.name, row.sort_name = names(first, last, preferred)
        row.legal_first_name = first
        row.legal_last_name = last
        row.preferred_name = preferred
        row.upn = upn or ""
        row.date_of_birth = born_date
        row.year_group = yg
        row.year_label = label
        row.class_name = class_name
        row.sen_code = sen_code
        row.primary_need = primary or ""
        row.secondary_need = secondary or ""
        row.ehcp_weekly_minutes = ehcp_minutes
        row.assigned_minutes, row.lsa_names = sup(pid, _NO_SUPPORT)
        row.next_review_due = due
        row.medical = False if medical is None else has_medical(medical)
        row.archived = read_archived(archived) if include_archived else False
        row.__class__ = PupilRow
        out[place[pid]] = row
    if len(rows) < len(out):  # archived or not on the SEN register: their places are empty
        out = [row for row in out if row is not None]
    return out


@contextmanager
def _snapshot(conn: Any) -> Iterator[None]:
    """The reads inside in one read transaction (one snapshot of the file, so the order read
    first has every row read next), unless the connection is in one already."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")
