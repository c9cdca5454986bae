"""The review pack's middle sections: the pupil's profile, outcomes, support (with the plan,
staffed and delivered lines every output shares) and incidents, with the small table helpers
the cover and funding sections use too. ``review_pack`` puts them in order."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..rules.coverage import not_ended
from ..rules.dates import format_date
from ..rules.pay import format_hours
from ..vocab import (
    AREA_LABELS,
    ASSIGNMENT_ROLE_LABELS,
    NEED_LABELS,
    OUTCOME_SOURCE_LABELS,
    OUTCOME_STATUS_LABELS,
    RECORD_KIND_LABELS,
    SEN_CODE_LABELS,
    AssignmentRole,
    format_sessions,
)
from .data_review import ReviewPackData
from .document import (
    BarChart,
    Block,
    Cell,
    Gap,
    Heading,
    KeyValues,
    Para,
    RoomFor,
    Strong,
    Table,
    Together,
)

STATUS_KEY = (
    "Key to the status of an outcome: Not started; Emerging (first signs); Developing "
    "(sometimes, with help); Secure (most of the time); Achieved (the outcome is met)."
)
PROGRESS_KEY = (
    "Key to progress on a record: the adult's rating of that session, from 1/5 (no progress "
    "seen) to 5/5 (did it on their own)."
)


def _label(mapping: dict[Any, str], value: str | None) -> str:
    if not value:
        return ""
    for k, v in mapping.items():
        if str(k) == value:
            return v
    return value


def _need(code: str) -> str:
    return f"{code} – {NEED_LABELS[code]}" if code in NEED_LABELS else (code or "None recorded")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _table(
    header: list[str], rows: list[list[Cell]], widths: list[float], right: tuple[int, ...] = ()
) -> Table:
    """``widths``: fractions of the text width; ``right``: the columns of amounts, hours and
    counts (aligned right and never wrapped)."""
    return Table(header, rows, widths, figures=right)


# --------------------------------------------------------------------------- sections


def _profile(d: ReviewPackData) -> list[Block]:
    p = d.pupil
    ehcp_hours = p.row.ehcp_weekly_minutes
    pairs: list[tuple[str, Cell]] = [
        ("SEN code", _label(SEN_CODE_LABELS, p.row.sen_code)),
        ("Primary need", _need(p.row.primary_need)),
        ("Secondary need", _need(p.row.secondary_need) if p.row.secondary_need else "None"),
    ]
    if d.form.statutory:
        pairs += [
            ("EHC plan issued", format_date(p.ehcp_issued) or "Not recorded"),
            ("Issuing LA", p.ehcp_la_name or "Not recorded"),
            ("Last review", format_date(p.ehcp_last_review) or "None yet"),
            ("Next review due", format_date(d.next_review_due) or "–"),
            (
                "Support in the plan",
                f"{format_hours(ehcp_hours)} a week" if ehcp_hours else "Not recorded",
            ),
        ]
    else:
        pairs.append(
            (
                "Last review",
                format_date(d.period_start) if d.period_basis == "the last review" else "None yet",
            )
        )
    pairs += [
        ("Medical needs", p.medical_needs or "None recorded"),
        ("Personal care plan", "Yes" if p.personal_care else "No"),
        ("Behaviour plan", "Yes" if p.behaviour_plan else "No"),
        ("Admitted", format_date(p.admission_date) or "Not recorded"),
    ]
    out: list[Block] = [Heading("Pupil profile and needs", 1), KeyValues(pairs)]
    if d.record_counts:
        counts = ", ".join(f"{label}: {n}" for label, n in d.record_counts)
        out.append(Para(f"Records kept in the period: {counts}.", "note"))
    return out


def _outcomes(d: ReviewPackData) -> list[Block]:
    out: list[Block] = [RoomFor(60), Heading("Progress against outcomes", 1)]
    if not d.outcomes:
        return [*out, Para("No outcomes are recorded for this pupil.")]
    out.append(Para(STATUS_KEY, "note"))
    out.append(Para(PROGRESS_KEY, "note"))
    for n, sec in enumerate(d.outcomes, start=1):
        o = sec.outcome
        kind = OUTCOME_SOURCE_LABELS[o.source]
        head = Heading(f"{n}. {kind}: {_label(AREA_LABELS, o.area)}", 2)
        pairs: list[tuple[str, Cell]] = [("Outcome", o.text)]
        if o.success_criteria:
            pairs.append(("Success criteria", o.success_criteria))
        pairs += [
            ("Set", format_date(o.set_date)),
            ("Target date", format_date(o.target_date) or "None set"),
            (
                f"Status on {format_date(d.status_as_of)}" if d.status_as_of else "Status now",
                Strong(_label(OUTCOME_STATUS_LABELS, o.status)),
            ),
        ]
        out.append(Together([head, KeyValues(pairs)]))
        hist: list[list[Cell]] = [
            [format_date(h.changed_on), _label(OUTCOME_STATUS_LABELS, h.status), h.note]
            for h in o.history
        ]
        if hist:
            out.append(Heading("Status history", 3, 25))
            out.append(_table(["Date", "Status", "Note"], hist, [0.15, 0.17, 0.68]))
        out.append(Heading(f"Evidence since {format_date(d.period_start)}", 3, 25))
        if sec.evidence:
            rows: list[list[Cell]] = [
                [
                    format_date(r.occurred_at.date()),
                    _label(RECORD_KIND_LABELS, r.kind),
                    r.author_name,
                    f"{r.progress}/5" if r.progress else "",
                    r.text or r.behaviour,
                ]
                for r in sec.evidence
            ]
            out.append(
                _table(
                    ["Date", "Kind", "By", "Progress", "Note"],
                    rows,
                    [0.13, 0.14, 0.16, 0.11, 0.46],
                )
            )
        else:
            out.append(Para("No evidence linked to this outcome in the period.", "note"))
        out.append(Gap(3))
    return out


def _support(d: ReviewPackData) -> list[Block]:
    out: list[Block] = [RoomFor(50), Heading("Support provided", 1)]
    out += plan_staffed_delivered(d)
    if d.support:
        rows: list[list[Cell]] = [
            [
                s.staff_name,
                _label(ASSIGNMENT_ROLE_LABELS, s.role),
                format_sessions(s.sessions) or "–",
                format_hours(s.weekly_minutes),
                f"{format_date(s.start_date)} – {format_date(s.end_date) or 'open'}",
                format_hours(s.planned_minutes),
                format_hours(s.recorded_minutes),
                format_hours(max(s.planned_minutes - s.recorded_minutes, 0)),
            ]
            for s in d.support
        ]
        out.append(
            _table(
                [
                    "Staff",
                    "Role",
                    "Sessions",
                    "Hours a week",
                    "Assigned",
                    "Planned in period",
                    "Recorded",
                    "No record",
                ],
                rows,
                [0.13, 0.08, 0.15, 0.1, 0.17, 0.12, 0.12, 0.13],
                right=(3, 5, 6, 7),
            )
        )
    else:
        out.append(Para("No staff were assigned to this pupil in the period."))
    if d.other_support_minutes:
        out.append(
            Para(
                "Support recorded by staff with no assignment to the pupil on that day: "
                f"{format_hours(d.other_support_minutes)}.",
                "note",
            )
        )
    out.append(Heading("Interventions and support sessions recorded", 3, 30))
    if d.interventions:
        rows = [
            [
                i.name,
                str(i.sessions),
                format_hours(i.minutes),
                format_date(i.first),
                format_date(i.last),
                ", ".join(i.staff) or "–",
            ]
            for i in d.interventions
        ]
        out.append(
            _table(
                ["Intervention or support", "Sessions", "Time", "First", "Last", "Recorded by"],
                rows,
                [0.31, 0.11, 0.11, 0.12, 0.12, 0.23],
                right=(1, 2),
            )
        )
    else:
        out.append(Para("No support sessions were recorded in the period.", "note"))
    months = [m for m in d.support_by_month if m.count or _assigned_in(d, m.month)]
    out.append(Heading("Support sessions by month", 3, 30))
    if any(m.count for m in months):
        rows = [
            [
                m.month.strftime("%B %Y"),
                str(m.count) if m.count else "None recorded",
                format_hours(m.minutes) if m.count else "–",
            ]
            for m in months
        ]
        out += [
            _table(
                ["Month", "Sessions recorded", "Time recorded"],
                rows,
                [0.4, 0.3, 0.3],
                right=(1, 2),
            ),
            Para(
                'Months are shown from when support was first assigned. "None recorded" '
                "means nothing was written down that month, not that no support was given.",
                "note",
            ),
        ]
    else:
        out.append(Para("No support sessions were recorded in the period.", "note"))
    return out


def _assigned_in(d: ReviewPackData, month: dt.date) -> bool:
    """Someone was assigned to the pupil (not as cover) on some day of ``month``."""
    last = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return any(
        s.role != AssignmentRole.COVER and s.start_date <= last and not_ended(s.end_date, month)
        for s in d.support
    )


def plan_lines(d: ReviewPackData) -> tuple[str, list[tuple[str, str]]]:
    """The plan, what is staffed and what was delivered, in one sentence and a few lines
    (the same words in every output): hours from the plan, the coverage rule and records."""
    on = format_date(d.period_end)
    staffed = d.staffed_weekly_minutes
    plan = d.plan_weekly_minutes
    if plan:
        short = plan - staffed
        if short > 0:
            diff = f"{format_hours(short)} short"
        elif short < 0:
            diff = f"{format_hours(-short)} more than the plan"
        else:
            diff = "fully staffed"
        now = "now" if d.period_end == d.today else f"on {on}"
        sentence = (
            f"The plan says {format_hours(plan)} a week; {format_hours(staffed)} "
            f"{'is' if staffed == 60 else 'are'} staffed {now}: {diff}."
        )
    else:
        sentence = (
            f"{'The EHC plan sets no weekly hours' if d.form.statutory else 'SEN support'}"
            f": {format_hours(staffed)} a week of adult support is staffed on {on}."
        )
    weeks = f"{d.school_weeks} school weeks" + (
        ", estimated where no term dates are set" if d.school_weeks_estimated else ""
    )
    planned, recorded = d.planned_period_minutes, d.recorded_support_minutes
    sessions = sum(m.count for m in d.support_by_month)
    lines = [
        ("In the plan", f"{format_hours(plan)} a week" if plan else "No weekly hours set"),
        (f"Staffed on {on}", f"{format_hours(staffed)} a week"),
        (
            "Planned in the period",
            f"{format_hours(planned)} over {weeks}, from the staff assignments",
        ),
        (
            "Recorded",
            f"{format_hours(recorded)} in {sessions} support "
            f"session{'s' if sessions != 1 else ''} written down",
        ),
        (
            "No record",
            f"{format_hours(d.unrecorded_period_minutes)} of the planned time has no "
            "record: the support may have been given but not written down. "
            "This is not the same as support not given.",
        ),
    ]
    return sentence, lines


def plan_staffed_delivered(d: ReviewPackData) -> list[Block]:
    sentence, lines = plan_lines(d)
    return [Heading(sentence, 2), KeyValues(list(lines)), Gap(3)]


def _incidents(d: ReviewPackData) -> list[Block]:
    out: list[Block] = [RoomFor(70)]
    head = Heading("Incidents", 1)
    n = len(d.incidents)
    if not n:
        return [
            *out,
            head,
            Para(
                f"No incidents were recorded between {format_date(d.period_start)}"
                f" and {format_date(d.period_end)}."
            ),
        ]
    physical = sum(1 for r in d.incidents if r.physical_intervention)
    held = (
        "no physical intervention was used"
        if not physical
        else f"physical intervention was used in {physical} of them"
        if n > 1
        else "physical intervention was used"
    )
    summary = Para(f"{n} incident{'s' if n != 1 else ''} recorded in the period; {held}.")
    chart = BarChart(
        [m.month for m in d.incidents_by_month],
        [m.count for m in d.incidents_by_month],
        caption="Incidents by month",
        count_label="Incidents",
    )
    out.append(Together([head, summary, chart]))  # the chart stays with its heading
    rows: list[list[Cell]] = [
        [
            r.occurred_at.strftime("%d/%m/%Y %H:%M"),
            r.behaviour or r.text,
            r.antecedent,
            "Yes" if r.physical_intervention else "No",
            r.injury or "None",
            "Yes" if r.parents_informed else "No",
        ]
        for r in d.incidents
    ]
    out.append(
        _table(
            [
                "When",
                "What happened",
                "Before it (antecedent)",
                "Physical intervention",
                "Injury",
                "Parents told",
            ],
            rows,
            [0.14, 0.26, 0.22, 0.13, 0.16, 0.09],
        )
    )
    return out
