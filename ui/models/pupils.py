"""Pupils: the list (20,000 rows, filtered as you type), outcomes and assignments."""

from __future__ import annotations

from sencodesk import vocab

from .. import format as fmt
from .base import FIRST, RED_BG, WHOLE, Column, RowTableModel
from .common import date_col, expiry_colour, fold, hours_col, label


class PupilListModel(RowTableModel):
    (
        COL_NAME,
        COL_YEAR,
        COL_CLASS,
        COL_SEN,
        COL_EHCP,
        COL_ASSIGNED,
        COL_REVIEW,
        COL_NEED,
        COL_LSAS,
        COL_UPN,
    ) = range(10)
    # In view without scrolling sideways at 1024 px: who, and the review whose red or amber
    # the page's hint points at. (The figures a SENCO scans come first, UPN last: it is
    # looked up, not scanned.)
    KEY_COLUMNS = (COL_NAME, COL_REVIEW)
    COLUMNS = (
        Column("Name", lambda r: r.name, key=lambda r: fold(r.sort_name)),
        Column("Year", lambda r: r.year_label, key=lambda r: r.year_group, squeeze=WHOLE),
        Column("Class", lambda r: r.class_name, squeeze=WHOLE),
        Column(
            "SEN",
            lambda r: r.sen_code,
            tooltip=lambda r: vocab.SEN_CODE_LABELS.get(vocab.SenCode(r.sen_code), ""),
            squeeze=WHOLE,
        ),
        hours_col("EHCP hours", lambda r: r.ehcp_weekly_minutes),
        hours_col(
            "Assigned",
            lambda r: r.assigned_minutes if r.assigned_minutes or r.ehcp_weekly_minutes else None,
            background=lambda r, _t: RED_BG if r.unstaffed_minutes else None,
        ),
        date_col(
            "Next review",
            lambda r: r.next_review_due,
            background=lambda r, t: expiry_colour(r.next_review_due, t),
        ),
        Column(
            "Need",
            lambda r: r.primary_need,
            tooltip=lambda r: vocab.NEED_LABELS.get(r.primary_need, ""),
            header_tip="Primary area of need",
        ),
        Column("LSAs", lambda r: r.lsa_names, squeeze=FIRST),
        Column("UPN", lambda r: r.upn, squeeze=WHOLE),
    )


class OutcomeModel(RowTableModel):
    COL_AREA, COL_TEXT, COL_STATUS, COL_SINCE, COL_TARGET = range(5)
    COLUMNS = (
        Column("Area", lambda r: label(vocab.AREA_LABELS, r.area)),
        Column("Outcome", lambda r: r.text, tooltip=lambda r: r.success_criteria, squeeze=FIRST),
        Column(
            "Status",
            lambda r: label(vocab.OUTCOME_STATUS_LABELS, r.status),
            key=lambda r: (
                list(vocab.OutcomeStatus).index(r.status)
                if r.status in set(vocab.OutcomeStatus)
                else 99
            ),
            tooltip=lambda r: "\n".join(
                f"{fmt.date(h.changed_on)}: {label(vocab.OUTCOME_STATUS_LABELS, h.status)}"
                + (f" – {h.note}" if h.note else "")
                for h in r.history
            ),
        ),
        date_col("Since", lambda r: r.history[-1].changed_on if r.history else r.set_date),
        date_col("Target", lambda r: r.target_date),
    )


def _role(r: object) -> str:
    return label(vocab.ASSIGNMENT_ROLE_LABELS, getattr(r, "role", ""))


class PupilAssignmentModel(RowTableModel):
    """A pupil's support: who, how many hours, which sessions."""

    COL_STAFF, COL_ROLE, COL_HOURS, COL_SESSIONS, COL_START, COL_END = range(6)
    COLUMNS = (
        Column("LSA", lambda r: r.staff_name),
        Column("Role", _role),
        hours_col("Hours a week", lambda r: r.weekly_minutes),
        Column("Sessions", lambda r: vocab.format_sessions(r.sessions), squeeze=FIRST),
        date_col("From", lambda r: r.start_date),
        date_col("Until", lambda r: r.end_date),
    )


class StaffAssignmentModel(RowTableModel):
    """A member of staff's pupils."""

    COL_PUPIL, COL_ROLE, COL_HOURS, COL_SESSIONS, COL_START, COL_END = range(6)
    COLUMNS = (
        Column("Pupil", lambda r: r.pupil_name),
        Column("Role", _role),
        hours_col("Hours a week", lambda r: r.weekly_minutes),
        Column("Sessions", lambda r: vocab.format_sessions(r.sessions), squeeze=FIRST),
        date_col("From", lambda r: r.start_date),
        date_col("Until", lambda r: r.end_date),
    )
