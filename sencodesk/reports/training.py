"""Training and DBS matrix: every current member of staff against every kind of training.

Each cell says its state in words ("EXPIRED 01/02/2026", "Expires soon 03/04/2026",
"Not recorded"), bold when it needs action, so the page reads the same in black and white.
A second table lists each latest training record as typed rows (for filtering in Excel).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..exchange.tabular import DATE, FLAG, TEXT, Column, Flagged, Report, TableData
from ..model import DbsCheck
from ..queries.school import get_school
from ..queries.staff import StaffRow, TrainingRow, latest_training, list_staff
from ..rules.dates import format_date
from ..vocab import TRAINING_LABELS, TrainingKind

MATRIX_KINDS = tuple(k for k in TrainingKind if k != TrainingKind.OTHER)
REQUIRED = frozenset({TrainingKind.SAFEGUARDING})  # every member of staff needs this


@dataclass(frozen=True)
class DbsState:
    issued: dt.date
    renew_by: dt.date | None
    update_service: bool
    level: str


def latest_dbs(session: Session, staff_ids: list[int]) -> dict[int, DbsState]:
    out: dict[int, DbsState] = {}
    if not staff_ids:
        return out
    q = (
        select(DbsCheck)
        .where(DbsCheck.staff_id.in_(staff_ids))
        .order_by(DbsCheck.staff_id, DbsCheck.issued, DbsCheck.id)
    )
    for d in session.scalars(q):
        out[d.staff_id] = DbsState(d.issued, d.renew_by, d.update_service, d.level)
    return out


def status(expires: dt.date | None, today: dt.date, warn_days: int) -> str:
    """ "Expired", "Expires soon", "Current" or "No expiry"."""
    if expires is None:
        return "No expiry"
    if expires < today:
        return "Expired"
    if (expires - today).days <= warn_days:
        return "Expires soon"
    return "Current"


def _cell(t: TrainingRow | None, kind: str, today: dt.date, warn: int) -> str:
    if t is None:
        return Flagged("NOT RECORDED") if kind in REQUIRED else "–"
    st = status(t.expires, today, warn)
    if st == "Expired":
        return Flagged(f"EXPIRED {format_date(t.expires)}")
    if st == "Expires soon":
        return Flagged(f"Expires soon {format_date(t.expires)}")
    if st == "No expiry":
        return f"Done {format_date(t.completed)}"
    return f"To {format_date(t.expires)}"


def _dbs_cell(d: DbsState | None, today: dt.date, warn: int) -> str:
    if d is None:
        return Flagged("NO DBS RECORDED")
    text = f"Issued {format_date(d.issued)}"
    if d.update_service:
        text += ", update service"
    st = status(d.renew_by, today, warn)
    if st == "Expired":
        return Flagged(f"{text}; RENEWAL OVERDUE since {format_date(d.renew_by)}")
    if st == "Expires soon":
        return Flagged(f"{text}; renew by {format_date(d.renew_by)}")
    if d.renew_by is not None:
        text += f"; renew by {format_date(d.renew_by)}"
    return text


def training_report(session: Session, *, today: dt.date) -> Report:
    school = get_school(session)
    warn = school.expiry_warning_days
    staff: list[StaffRow] = list_staff(session, today=today)
    ids = [s.id for s in staff]
    training = latest_training(session, ids) if ids else {}
    dbs = latest_dbs(session, ids)
    matrix_cols = (
        Column("Staff", TEXT, 1.3),
        Column("Role", TEXT, 0.9),
        Column("DBS", TEXT, 1.6),
        *(Column(TRAINING_LABELS[k], TEXT, 1.0) for k in MATRIX_KINDS),
    )
    matrix: list[list[object]] = []
    detail: list[list[object]] = []
    problems = 0
    for s in staff:
        mine = {t.kind: t for t in training.get(s.id, [])}
        row: list[object] = [s.name, s.role_label, _dbs_cell(dbs.get(s.id), today, warn)]
        row += [_cell(mine.get(k), k, today, warn) for k in MATRIX_KINDS]
        problems += any(isinstance(v, Flagged) for v in row)
        matrix.append(row)
        for t in sorted(mine.values(), key=lambda t: t.kind):
            st = status(t.expires, today, warn)
            flag = st if st in ("Expired", "Expires soon") else ""
            detail.append(
                [
                    s.name,
                    s.role_label,
                    TRAINING_LABELS.get(t.kind, t.kind),
                    t.completed,
                    t.expires,
                    st,
                    flag,
                ]
            )
    detail_cols = (
        Column("Staff", TEXT, 1.4),
        Column("Role", TEXT, 1),
        Column("Training", TEXT, 2),
        Column("Completed", DATE, 0.9),
        Column("Expires", DATE, 0.9),
        Column("Status", TEXT, 0.9),
        Column("Action", FLAG, 0.9),
    )
    return Report(
        title="Training and DBS",
        school=school.name,
        today=today,
        landscape=True,
        subtitle=(
            f"Current staff on {format_date(today)}: {len(staff)}; "
            f'{problems} need action. "Expires soon" means within {warn} days.',
        ),
        tables=(
            TableData(
                "Training and DBS matrix",
                matrix_cols,
                matrix,
                notes=(
                    "Each cell shows the latest record of that training. Safeguarding "
                    'is required for everyone; "–" means none recorded.',
                ),
            ),
            TableData("Training records", detail_cols, detail),
        ),
    )
