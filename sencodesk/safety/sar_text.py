"""What a subject access request says about a pupil, in words: each stored value as people
read it (dd/mm/yyyy, Yes/No, labels for codes), every column of the pupil's row, and the
change history of every row that is or was theirs. ``sar_pdf.py`` lays it out."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, selectinload

from ..exchange.tabular import yes_no
from ..model import Assignment, AuditEntry, LocalAuthority, Outcome, Pupil, Record, ReviewMeeting
from ..rules.dates import format_date, format_datetime
from ..rules.pay import format_hours
from ..vocab import NEED_LABELS, SEN_CODE_LABELS
from .history import change_words
from .retention import pupil_lives

PUPIL_LABELS = {
    "upn": "UPN",
    "year_group_override": "Year group (set by hand)",
    "class_name": "Class",
    "sen_code": "SEN code",
    "ehcp_la_id": "EHC plan local authority",
    "ehcp_issued": "EHC plan issued",
    "ehcp_last_review": "EHC plan last reviewed",
    "ehcp_weekly_minutes": "EHC plan support a week",
    "review_interval_months": "Review every (months)",
    "archived": "Left the school (archived)",
    "retention_hold": "Records on hold",
    "retention_hold_reason": "Reason for the hold",
}
TABLE_LABELS = {
    "pupil": "Pupil details",
    "outcome": "Outcome",
    "outcome_status_change": "Outcome status",
    "record": "Record",
    "funding": "Funding",
    "assignment": "Support",
    "review_meeting": "Review meeting",
    "review_invitee": "Review invitee",
    "review_advice": "Advice for a review",
    "review_amendment": "Amendment proposed at a review",
}
# What the LA's review form asks for (#13), in the words the review report uses.
MEETING_LABELS = {
    "attendance_percent": "Attendance (%)",
    "exclusions": "Suspensions and exclusions",
    "attainment": "Attainment and progress",
    "needs_changes": "Changes to needs (section B)",
    "health_care": "Health (sections C and G)",
    "social_care": "Social care (sections D and H)",
    "pupil_views": "The child's views",
    "parent_views": "The parents' views",
    "aspirations": "Aspirations",
    "school_view": "The school's view",
    "attendees": "Who came",
    "recommendation": "Recommendation to the LA",
    "next_step": "What happens next (SEN support)",
    "sent_to": "Report sent to",
}
ACTION_WORDS = {"update": "changed", "delete": "deleted", "erase": "erased"}
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def label_of(mapping: dict[Any, str], value: str | None) -> str:
    if not value:
        return ""
    return next((v for k, v in mapping.items() if str(k) == value), value)


def as_text(value: Any) -> str:
    """Any stored value as people read it: dd/mm/yyyy dates, Yes/No, plain numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return f"{value:,}"
    s = str(value)
    if _ISO_DATETIME.match(s):
        return format_datetime(dt.datetime.fromisoformat(s))
    if _ISO_DATE.match(s):
        return format_date(dt.date.fromisoformat(s))
    return s


def local_time(at: dt.datetime) -> dt.datetime:
    """Audit times are stored in UTC; people read local time."""
    return at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def pupil_pairs(session: Session, p: Pupil) -> list[tuple[str, object]]:
    pairs: list[tuple[str, object]] = []
    for attr in inspect(Pupil).column_attrs:
        key = attr.key
        if key == "id":
            continue
        value = getattr(p, key)
        label = PUPIL_LABELS.get(key) or key.replace("_", " ").capitalize()
        if key == "sen_code":
            shown = label_of(SEN_CODE_LABELS, value)
        elif key in ("primary_need", "secondary_need"):
            shown = f"{value} – {NEED_LABELS.get(value, '')}" if value else ""
        elif key == "ehcp_la_id":
            la = session.get(LocalAuthority, value) if value else None
            shown = la.name if la else as_text(value)
        elif key == "ehcp_weekly_minutes":
            shown = format_hours(value)
        else:
            shown = as_text(value)
        pairs.append((label, shown))
    return pairs


def load_pupil(session: Session, pupil_id: int) -> Pupil:
    p = session.scalars(
        select(Pupil)
        .where(Pupil.id == pupil_id)
        .options(
            selectinload(Pupil.outcomes).selectinload(Outcome.history),
            selectinload(Pupil.records).selectinload(Record.author),
            selectinload(Pupil.records).selectinload(Record.outcome),
            selectinload(Pupil.funding),
            selectinload(Pupil.assignments).selectinload(Assignment.staff),
            selectinload(Pupil.reviews).selectinload(ReviewMeeting.invitees),
            selectinload(Pupil.reviews).selectinload(ReviewMeeting.advice),
            selectinload(Pupil.reviews).selectinload(ReviewMeeting.amendments),
        )
    ).one_or_none()
    if p is None:
        from ..errors import NotFound

        raise NotFound(f"There is no pupil with id {pupil_id}.")
    return p


def change_lines(session: Session, p: Pupil) -> list[list[Any]]:
    """The change history of every row that is or was the pupil's, oldest first.

    A row that still exists shows its creation as one line (its values are printed above);
    a row since deleted shows the values it was created with, since they are held nowhere else.
    """
    existing = {("pupil", p.id)}
    existing |= {("outcome", o.id) for o in p.outcomes}
    existing |= {("outcome_status_change", h.id) for o in p.outcomes for h in o.history}
    existing |= {("record", r.id) for r in p.records} | {("funding", f.id) for f in p.funding}
    existing |= {("assignment", a.id) for a in p.assignments}
    existing |= {("review_meeting", m.id) for m in p.reviews}
    existing |= {("review_invitee", i.id) for m in p.reviews for i in m.invitees}
    existing |= {("review_advice", a.id) for m in p.reviews for a in m.advice}
    existing |= {("review_amendment", a.id) for m in p.reviews for a in m.amendments}
    lives = [life for ls in pupil_lives(session, p.id).values() for life in ls]
    life_of = {i: life for life in lives for i in life.entry_ids}
    ids = sorted(life_of)
    entries = [
        e
        for start in range(0, len(ids), 500)
        for e in session.scalars(
            select(AuditEntry).where(AuditEntry.id.in_(ids[start : start + 500]))
        )
    ]
    entries.sort(key=lambda e: (e.at, e.id))
    out: list[list[Any]] = []
    created: dict[tuple[str, int, dt.datetime], list[Any]] = {}
    for e in entries:
        what = f"{TABLE_LABELS.get(e.table_name, e.table_name)} {e.row_id}"
        when, key = format_datetime(local_time(e.at)), (e.table_name, e.row_id, e.at)
        if e.action == "insert":
            line = created.get(key)
            if line is None:
                line = [
                    when,
                    e.user,
                    change_words("insert", e.imported, {"insert": "created"}),
                    what,
                    "",
                    "",
                    "",
                    e.reason,
                ]
                created[key] = line
                out.append(line)
            life = life_of[e.id]
            gone = life.ended is not None or (life.table, life.row_id) not in existing
            if e.field and gone:
                line[6] = (
                    line[6] + "; " if line[6] else ""
                ) + f"{e.field.replace('_', ' ')}: {as_text(e.new_value)}"
            continue
        out.append(
            [
                when,
                e.user,
                change_words(e.action, e.imported, ACTION_WORDS),
                what,
                e.field,
                as_text(e.old_value),
                as_text(e.new_value),
                e.reason,
            ]
        )
    return out
