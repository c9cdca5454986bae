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
from sqlalchemy.orm import Session

from ..errors import BadData
from ..files import atomic_path
from ..guarded import names_bad_data
from ..queries.facts import PupilFact, load_facts
from ..queries.reviews import ReviewRow, review_rows
from ..queries.school import get_school
from ..rules.dates import format_date
from ..rules.reviews import Step
from ..rules.schoolyear import year_group_label
from ..vocab import FUNDING_SOURCE_LABELS, REVIEW_KIND_LABELS, SenCode

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
        if s.step == Step.MEETING:
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
    facts = load_facts(session)
    funding = sorted(
        (f for f in facts.funding.values() if f.end_date is not None and f.end_date >= since),
        key=lambda f: (f.end_date, f.id),
    )
    ids = {r.pupil_id for r in reviews} | {f.pupil_id for f in funding}
    labels = {pid: _label(facts.pupils[pid], today) for pid in ids if pid in facts.pupils}
    for r in reviews:
        for e in _review_events(r, labels.get(r.pupil_id, f"pupil {r.pupil_id}"), **kw):
            cal.add_component(e)
    for f in funding:
        assert f.end_date is not None
        what = FUNDING_SOURCE_LABELS.get(f.source, f.source)
        label = labels.get(f.pupil_id, f"pupil {f.pupil_id}")
        ref = f"SENCO Desk pupil id {f.pupil_id}, funding id {f.id}."
        cal.add_component(
            _all_day(
                uid("funding", f.id, "end"),
                f"Funding ends: {label} – {what}",
                f.end_date,
                description=f"Last day of {what} funding for {label}. {ref}",
                **kw,
            )
        )
        chosen = facts.funding_act_by(f.id)
        if chosen is not None and chosen[0] >= since:
            act, paid = chosen
            why = (
                "the last school day to give notice for the contracts it pays for to end with it"
                if paid
                else "4 weeks before it ends: ask the funder about renewal"
            )
            cal.add_component(
                _all_day(
                    uid("funding", f.id, "act"),
                    f"Act on funding: {label} – {what} (ends {format_date(f.end_date)})",
                    act,
                    description=f"Act by {format_date(act)}: {why}. Due "
                    f"{format_date(f.end_date)}. {ref}",
                    **kw,
                )
            )
    for c in sorted(
        (c for c in facts.contracts.values() if c.end_date is not None and c.end_date >= since),
        key=lambda c: (c.end_date, c.id),
    ):
        assert c.end_date is not None
        s = facts.staff.get(c.staff_id)
        who = (initials(s.first_name, s.last_name) if s else "") + (
            f", {c.job_title}" if c.job_title else ""
        )
        ref = f"SENCO Desk staff id {c.staff_id}, contract id {c.id}."
        cal.add_component(
            _all_day(
                uid("contract", c.id, "end"),
                f"Contract ends: {who}",
                c.end_date,
                description=f"Last day of the contract. {ref}",
                **kw,
            )
        )
        if c.notice_by is not None and c.notice_by >= since:
            cal.add_component(
                _all_day(
                    uid("contract", c.id, "notice"),
                    f"Give notice by: {who} (ends {format_date(c.end_date)})",
                    c.notice_by,
                    description=f"Last school day to give {c.notice_weeks} weeks' notice before "
                    f"the contract ends on {format_date(c.end_date)}. {ref}",
                    **kw,
                )
            )
    for c in facts.contracts.values():
        gap = c.gap
        if gap is None or c.funding_act_by is None or c.funding_act_by < since:
            continue
        s = facts.staff.get(c.staff_id)
        who = (initials(s.first_name, s.last_name) if s else "") + (
            f", {c.job_title}" if c.job_title else ""
        )
        cal.add_component(
            _all_day(
                uid("contract", c.id, "funding-notice"),
                f"Notice to end with its funding: {who} (funding ends "
                f"{format_date(gap.funding_end)})",
                c.funding_act_by,
                description=f"Last school day to give {c.notice_weeks} weeks' notice for the "
                f"contract to end with its funding on {format_date(gap.funding_end)}. "
                f"{gap.sentence()}. Its own notice-by date: "
                f"{format_date(c.notice_by) or 'none (no end date)'}. SENCO Desk staff id "
                f"{c.staff_id}, contract id {c.id}, funding id {c.funding_id}.",
                **kw,
            )
        )
    for p in facts.pupils.values():
        if p.sen_code != SenCode.EHCP or p.archived:
            continue
        on = next(
            (m.meeting_at.date() for m in facts.meetings.get(p.id, ()) if m.held_on is None),
            today,
        )
        deadline = p.phase_transfer_due(on, facts.school.transfer_years)
        if deadline is None or deadline < since:
            continue
        label = _label(p, on)
        cal.add_component(
            _all_day(
                uid("phase", p.id, deadline.year),
                f"Phase transfer: amended plan due ({label})",
                facts.days.act_by(deadline),
                description=f"The LA must issue the amended EHC plan by "
                f"{format_date(deadline)} for {label}, who changes phase. Hold the review by "
                f"{format_date(facts.latest_transfer_meeting(p, deadline))} so the LA can "
                f"decide in time. SENCO Desk pupil id {p.id}.",
                **kw,
            )
        )
    return cal


def _label(p: PupilFact, on: dt.date) -> str:
    who = initials(p.preferred_name or p.legal_first_name, p.legal_last_name)
    return f"{who}, {year_group_label(p.year_group_on(on))}"


def write_calendar(
    session: Session, path: Path | str, *, today: dt.date, since: dt.date | None = None
) -> Path:
    """Write the calendar to an .ics file (CRLF line endings, as RFC 5545 and Outlook want)."""
    data = build_calendar(session, today=today, since=since).to_ical()
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target
