"""The alerts of cover: a pupil's funded or EHCP hours not staffed, clashes, staff who left."""

from __future__ import annotations

import datetime as dt

from ..queries.factrows import ContractFact, Facts, PupilFact
from ..rules.coverage import (
    COVER,
    is_current,
    not_ended,
    notice_by,
    session_clashes,
    staffed_minutes,
)
from ..rules.dates import format_date
from ..rules.pay import format_hours
from ..vocab import AssignmentRole, SenCode, StaffRole, format_sessions
from .alert import ENHANCED_DBS, ONE_DAY, Alert, AlertKind


def _in_force(p: PupilFact, today: dt.date) -> bool:
    return (
        p.sen_code == SenCode.EHCP
        and not p.archived
        and (p.ehcp_issued is None or p.ehcp_issued <= today)
    )


def _coverage(facts: Facts, today: dt.date, horizon: dt.date = dt.date.max) -> list[Alert]:
    """Hours not covered, support ending, over-assigned staff, clashes and missing DBS
    checks, acted on by ``horizon`` (the others are not built: they would be dropped)."""
    out: list[Alert] = []
    for p in facts.pupils.values():
        if not _in_force(p, today):
            continue
        need = p.ehcp_weekly_minutes or 0
        mine = facts.slots_by_pupil.get(p.id, ())
        have = staffed_minutes(mine, today)
        if need > have:
            out.append(
                Alert(
                    AlertKind.EHCP_HOURS_UNCOVERED,
                    "pupil",
                    p.id,
                    p.name,
                    f"EHCP hours not covered: {format_hours(need - have)} a week short",
                    f"The EHCP specifies {format_hours(need)} a week; {format_hours(have)} "
                    f"staffed: {format_hours(need - have)} short",
                    due=today,
                    act_by=today,
                )
            )
        current = [s for s in mine if s.role != COVER and is_current(s.start, s.end, today)]
        if not current or need == 0:
            continue
        ends: list[tuple[dt.date, ContractFact]] = []
        open_ended = False
        for s in current:
            theirs = [
                facts.contracts[cid]
                for cid in facts.contracts_by_staff.get(s.staff_id, ())
                if is_current(facts.contracts[cid].start_date, facts.contracts[cid].end_date, today)
            ]
            if not theirs:
                continue
            if any(c.end_date is None for c in theirs):
                open_ended = True
                continue
            last = max(theirs, key=lambda c: c.end_date or dt.date.max)
            assert last.end_date is not None
            ends.append((min(last.end_date, s.end or last.end_date), last))
        if open_ended or not ends:
            continue
        support_end = max(e for e, _ in ends)
        if p.leaving_date and p.leaving_date <= support_end:
            continue
        act = min(notice_by(e, c.notice_weeks, facts.days) or e for e, c in ends)
        if act > horizon:
            continue
        out.append(
            Alert(
                AlertKind.SUPPORT_ENDING,
                "pupil",
                p.id,
                p.name,
                "Support ends while the EHCP goes on",
                f"Every LSA supporting them is on a contract ending by {format_date(support_end)}",
                due=support_end + ONE_DAY,
                act_by=act,
                related=tuple(("contract", c.id) for _, c in ends),
            )
        )

    assigned: dict[int, int] = {}
    for s in facts.slots:
        if is_current(s.start, s.end, today):
            assigned[s.staff_id] = assigned.get(s.staff_id, 0) + s.minutes
    for sid, mins in sorted(assigned.items()):
        has = sum(
            facts.contracts[cid].weekly_minutes
            for cid in facts.contracts_by_staff.get(sid, ())
            if is_current(facts.contracts[cid].start_date, facts.contracts[cid].end_date, today)
        )
        if mins > has and sid in facts.staff:
            out.append(
                Alert(
                    AlertKind.OVER_ASSIGNED,
                    "staff",
                    sid,
                    facts.staff[sid].name,
                    "Assigned more hours than contracted",
                    f"Assigned {format_hours(mins)} a week; contracted {format_hours(has)}: "
                    f"{format_hours(mins - has)} over",
                    due=today,
                    act_by=today,
                )
            )

    live = [s for s in facts.slots if not_ended(s.end, today)]
    for a, b in session_clashes(live):
        if a.staff_id not in facts.staff:
            continue
        start = max(a.start, b.start, today)
        if start > horizon:
            continue
        pa, pb = facts.pupils.get(a.pupil_id), facts.pupils.get(b.pupil_id)
        whom = (
            f"twice to {pa.name if pa else 'the same pupil'}"
            if a.pupil_id == b.pupil_id
            else f"to {pa.name if pa else 'a pupil'} and {pb.name if pb else 'another pupil'}"
        )
        out.append(
            Alert(
                AlertKind.SESSION_CLASH,
                "staff",
                a.staff_id,
                facts.staff[a.staff_id].name,
                "In two places in one session",
                f"Assigned {whom} in the same sessions ({format_sessions(a.sessions & b.sessions)}"
                f") from {format_date(start)}: change one assignment",
                due=start,
                act_by=start,
                row_id=a.id,
                related=(("assignment", b.id),),
            )
        )

    for member in facts.staff.values():
        if not not_ended(member.leaving_date, today):
            continue
        one_to_one = any(
            x.role == AssignmentRole.ONE_TO_ONE and not_ended(x.end, today)
            for x in facts.slots_by_staff.get(member.id, ())
        ) or (
            member.role == StaffRole.ONE_TO_ONE_LSA
            and any(
                not_ended(facts.contracts[cid].end_date, today)
                for cid in facts.contracts_by_staff.get(member.id, ())
            )
        )
        if not one_to_one:
            continue
        if any(d.level in ENHANCED_DBS for d in facts.dbs.get(member.id, ())):
            continue
        out.append(
            Alert(
                AlertKind.DBS_MISSING,
                "staff",
                member.id,
                member.name,
                "No enhanced DBS check recorded",
                "Works 1:1 with a pupil but no enhanced DBS check is recorded: check the "
                "certificate (or the Update Service) and record it before they work alone "
                "with a child",
                due=today,
                act_by=today,
            )
        )
    return out
