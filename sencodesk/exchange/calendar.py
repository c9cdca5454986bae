"""An .ics calendar of review meetings, their deadline steps, and funding and contract ends.

Calendars sync to phones and get shared, so events never carry a pupil's or a member of
staff's name: a pupil is their initials and year group ("ZNBŁ, Year 6"), a member of staff
their initials and job title, and the description gives the SENCO Desk id to look them up.

Every event has a stable UID (``review-12-invitations@sencodesk``, ``funding-3-end@sencodesk``)
and a SEQUENCE that grows with each export, so importing a newer file into Outlook or Google
updates the events instead of duplicating them. Deadlines are all-day events on the act-by
date (the last working day on or before the due date); meetings are timed, Europe/London.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..checks import names_bad_data
from ..errors import BadData
from ..files import atomic_path
from ..model import Contract, Funding, Pupil, Staff
from ..queries.money import notice_by
from ..queries.pupils import pupil_year_group
from ..queries.reviews import ReviewRow, review_rows
from ..queries.school import get_school
from ..rules.dates import format_date
from ..rules.schoolyear import year_group_label
from ..vocab import FUNDING_SOURCE_LABELS, REVIEW_KIND_LABELS

LONDON = ZoneInfo("Europe/London")
DOMAIN = "sencodesk"
PRODID = "-//SENCO Desk//SENCO Desk calendar//EN"
MEETING_LENGTH = dt.timedelta(hours=1)
SEQUENCE_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
REVIEW_NAMES = {kind: f"{label} review" for kind, label in REVIEW_KIND_LABELS.items()}


def initials(*names: str) -> str:
    """ "Zoë", "Ní Bhriain-Łukasiewicz" -> "ZNBŁ" (each word and hyphenated part)."""
    parts = [w for n in names for w in re.split(r"[\s\-]+", n.strip()) if w]
    return "".join(w[0].upper() for w in parts)


def london_timezone() -> Timezone:
    """Europe/London as the two yearly rules Outlook writes itself (last Sundays of March
    and October), rather than a list of every change since 1970."""
    tz = Timezone()
    tz.add("tzid", "Europe/London")
    for kind, start, month, before, after, name in (
        (TimezoneDaylight, dt.datetime(1981, 3, 29, 1), 3, "+0000", "+0100", "BST"),
        (TimezoneStandard, dt.datetime(1996, 10, 27, 2), 10, "+0100", "+0000", "GMT"),
    ):
        part = kind()
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
        part["tzoffsetfrom"] = before
        part["tzoffsetto"] = after
        part.add("tzname", name)
        tz.add_component(part)
    return tz


def uid(*parts: object) -> str:
    return "-".join(str(p) for p in parts) + f"@{DOMAIN}"


def _event(
    uid_: str, summary: str, *, stamp: dt.datetime, sequence: int, description: str = ""
) -> Event:
    e = Event()
    e.add("uid", uid_)
    e.add("dtstamp", stamp)
    e.add("last-modified", stamp)
    e.add("sequence", sequence)
    e.add("summary", summary)
    if description:
        e.add("description", description)
    e.add("class", "CONFIDENTIAL")
    return e


def _all_day(uid_: str, summary: str, day: dt.date, **kw: object) -> Event:
    if day >= dt.date.max:  # only a date no editor accepts (31/12/9999) gets here
        table, row_id = (uid_.split("-") + ["", ""])[:2]
        table = {"review": "review_meeting"}.get(table, table)
        raise BadData(table, row_id, f"the date {day:%d/%m/%Y} is not a plausible date")
    e = _event(uid_, summary, **kw)  # type: ignore[arg-type]
    e.add("dtstart", day)
    e.add("dtend", day + dt.timedelta(days=1))
    e.add("transp", "TRANSPARENT")
    return e


def _pupil_labels(session: Session, ids: set[int], today: dt.date) -> dict[int, str]:
    if not ids:
        return {}
    out = {}
    for p in session.scalars(select(Pupil).where(Pupil.id.in_(ids))):
        who = initials(p.preferred_name or p.legal_first_name, p.legal_last_name)
        out[p.id] = f"{who}, {year_group_label(pupil_year_group(p, today))}"
    return out


def _review_events(r: ReviewRow, label: str, **kw: object) -> list[Event]:
    kind = REVIEW_NAMES.get(r.kind, "Review")
    when = format_date(r.meeting_at.date())
    ref = f"SENCO Desk pupil id {r.pupil_id}, review meeting id {r.id}."
    meeting = _event(uid("review", r.id, "meeting"), f"{kind}: {label}", description=ref, **kw)  # type: ignore[arg-type]
    start = r.meeting_at.replace(tzinfo=LONDON)
    meeting.add("dtstart", start)
    meeting.add("dtend", start + MEETING_LENGTH)
    if r.place:
        meeting.add("location", r.place)
    out = [meeting]
    for s in r.steps:
        if s.step == "meeting":
            continue
        done = f"Done {format_date(s.done_on)}: " if s.done_on else ""
        desc = (
            f"{s.label} for the {kind.lower()} of {label} on {when}. Due "
            f"{format_date(s.due)}; act by {format_date(s.act_by)}. {ref}"
        )
        out.append(
            _all_day(
                uid("review", r.id, s.step),
                f"{done}{s.label} ({label}, review {when})",
                s.act_by,
                description=desc,
                **kw,
            )
        )
    return out


@names_bad_data
def build_calendar(
    session: Session,
    *,
    today: dt.date,
    since: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Calendar:
    """Events from ``since`` (default 90 days ago) onwards."""
    since = since or today - dt.timedelta(days=90)
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    kw = {"stamp": now, "sequence": int((now - SEQUENCE_EPOCH).total_seconds() // 60)}
    school = get_school(session)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"SENCO Desk – {school.name}" if school.name else "SENCO Desk")
    cal.add("x-wr-timezone", "Europe/London")
    cal.add_component(london_timezone())

    reviews = [
        r
        for r in review_rows(session, start=since - dt.timedelta(weeks=8))
        if max(s.act_by for s in r.steps) >= since
    ]
    funding = list(
        session.execute(
            select(Funding.id, Funding.pupil_id, Funding.source, Funding.end_date)
            .where(Funding.end_date.is_not(None), Funding.end_date >= since)
            .order_by(Funding.end_date, Funding.id)
        )
    )
    labels = _pupil_labels(session, {r.pupil_id for r in reviews} | {f[1] for f in funding}, today)
    for r in reviews:
        for e in _review_events(r, labels.get(r.pupil_id, f"pupil {r.pupil_id}"), **kw):
            cal.add_component(e)
    for fid, pid, source, end in funding:
        if end is None:
            continue
        what = FUNDING_SOURCE_LABELS.get(source, source)
        label = labels.get(pid, f"pupil {pid}")
        cal.add_component(
            _all_day(
                uid("funding", fid, "end"),
                f"Funding ends: {label} – {what}",
                end,
                description=f"Last day of {what} funding for {label}. SENCO Desk pupil id {pid}, "
                f"funding id {fid}.",
                **kw,
            )
        )
    contracts = session.execute(
        select(
            Contract.id,
            Contract.end_date,
            Contract.notice_weeks,
            Contract.job_title,
            Staff.first_name,
            Staff.last_name,
            Staff.id,
        )
        .join(Staff, Staff.id == Contract.staff_id)
        .where(Contract.end_date.is_not(None), Contract.end_date >= since)
        .order_by(Contract.end_date, Contract.id)
    )
    for cid, end, weeks, title, first, last, sid in contracts:
        if end is None:
            continue
        who = initials(first, last) + (f", {title}" if title else "")
        ref = f"SENCO Desk staff id {sid}, contract id {cid}."
        cal.add_component(
            _all_day(
                uid("contract", cid, "end"),
                f"Contract ends: {who}",
                end,
                description=f"Last day of the contract. {ref}",
                **kw,
            )
        )
        by = notice_by(end, weeks)
        if by is not None and by >= since:
            cal.add_component(
                _all_day(
                    uid("contract", cid, "notice"),
                    f"Give notice by: {who} (ends {format_date(end)})",
                    by,
                    description=f"Last working day to give {weeks} weeks' notice before the "
                    f"contract ends on {format_date(end)}. {ref}",
                    **kw,
                )
            )
    return cal


def write_calendar(
    session: Session, path: Path | str, *, today: dt.date, since: dt.date | None = None
) -> Path:
    """Write the calendar to an .ics file (CRLF line endings, as RFC 5545 and Outlook want)."""
    data = build_calendar(session, today=today, since=since).to_ical()
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target
