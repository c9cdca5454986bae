"""Writing the plan: through the validated, audited commands, or in bulk for a trust."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from .. import commands
from ..model import (
    Assignment,
    Contract,
    ContractDay,
    DbsCheck,
    Funding,
    LocalAuthority,
    Outcome,
    OutcomeStatusChange,
    Pupil,
    Qualification,
    Record,
    ReviewInvitee,
    ReviewMeeting,
    Staff,
    Training,
)
from ..rules.pay import TERM_TIME_PAID_WEEKS, weekly_minutes
from .plan import CHUNK, ORDER, SETTINGS_TABLES, Progress, _Change, _Plan, _Row

# =========================================================================== writers

_LABELS = {
    "local_authority": "local authorities",
    "school": "the school",
    "term_date": "term dates",
    "staff": "staff",
    "pupil": "pupils",
    "funding": "funding",
    "contract": "contracts",
    "assignment": "assignments",
    "outcome": "outcomes",
    "record": "records",
    "qualification": "qualifications",
    "training": "training",
    "dbs_check": "DBS checks",
    "review_meeting": "reviews",
}


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


def _scalar_default(column: Any) -> Any:
    """The model's Python-side default of a column (what an ORM insert would use)."""
    default = column.default
    return getattr(default, "arg", None) if default is not None and default.is_scalar else None


def _resolve(values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in values.items():
        if isinstance(value, _Row):
            assert value.id is not None, f"{value.table} row written after its reference"
            value = value.id
        out[key] = value
    return out


class _Writer:
    def __init__(self, session: Session, plan: _Plan, progress: Progress) -> None:
        self.session = session
        self.plan = plan
        self.progress = progress
        self.total = sum(len(rows) for rows in plan.rows.values())
        self.done = 0
        self._step = max(1, self.total // 200)
        self._next = 0

    def tick(self, table: str, n: int = 1) -> None:
        self.done += n
        if self.done >= self._next:
            self._next = self.done + self._step
            self.progress(self.done, self.total, f"Writing {_LABELS[table]}")

    def write(self) -> None:
        for table in ORDER:
            rows = self.plan.rows[table]
            if table in SETTINGS_TABLES:
                for row in rows:
                    row.id = self.setting(row)
                    self.tick(table)
            else:
                self.write_table(table, rows)

    def setting(self, row: _Row) -> int:
        s = self.session
        values = _resolve(row.values)
        if row.table == "local_authority":
            existing = s.scalar(
                select(LocalAuthority.id).where(
                    func.lower(LocalAuthority.name) == values["name"].lower()
                )
            )
            return commands.save_local_authority(s, values, existing)
        if row.table == "school":
            return commands.save_school(s, values)
        commands.set_term_dates(s, values["academic_year"], values["half_terms"])
        return 0

    def write_table(self, table: str, rows: list[_Row]) -> None:
        raise NotImplementedError


class _CommandWriter(_Writer):
    """Every row through ``commands``: validated, and audited field by field."""

    def write_table(self, table: str, rows: list[_Row]) -> None:
        s = self.session
        for row in rows:
            values = _resolve(row.values)
            if table == "staff":
                row.id = commands.save_staff(s, values)
            elif table == "pupil":
                row.id = commands.save_pupil(s, values)
            elif table == "funding":
                row.id = commands.save_funding(s, values)
            elif table == "contract":
                row.id = commands.save_contract(s, {**values, "days": list(row.extra["days"])})
            elif table == "assignment":
                row.id = commands.save_assignment(s, values)
            elif table == "outcome":
                history: list[_Change] = row.extra["history"]
                first = history[0]
                row.id = commands.save_outcome(
                    s,
                    {
                        **values,
                        "status": first.status,
                        "status_date": first.on,
                        "status_note": first.note,
                    },
                )
                for change in history[1:]:
                    commands.save_outcome(
                        s,
                        {
                            "status": change.status,
                            "status_date": change.on,
                            "status_note": change.note,
                        },
                        row.id,
                    )
            elif table == "record":
                row.id = commands.save_record(s, values)
            elif table == "qualification":
                row.id = commands.save_qualification(s, values)
            elif table == "training":
                row.id = commands.save_training(s, values)
            elif table == "dbs_check":
                row.id = commands.save_dbs(s, values)
            elif table == "review_meeting":
                row.id = commands.save_review(s, {**values, "invitees": row.extra["invitees"]})
            else:  # pragma: no cover - ORDER and this list go together
                raise AssertionError(table)
            self.tick(table)


_MODELS: dict[str, Any] = {
    "staff": Staff,
    "pupil": Pupil,
    "funding": Funding,
    "contract": Contract,
    "assignment": Assignment,
    "outcome": Outcome,
    "record": Record,
    "qualification": Qualification,
    "training": Training,
    "dbs_check": DbsCheck,
    "review_meeting": ReviewMeeting,
}
# Tables whose ids later rows need (fetched with RETURNING, in the order given).
_REFERENCED = frozenset({"staff", "pupil", "funding", "contract", "outcome", "review_meeting"})


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class _BulkWriter(_Writer):
    """Core ``INSERT``s of many rows at a time; the database gives the ids (RETURNING), so
    SQLite and PostgreSQL sequences stay right. The same rows as the commands would write
    (the defaults they fill in are filled in here), without an audit entry per row."""

    def __init__(self, session: Session, plan: _Plan, progress: Progress) -> None:
        super().__init__(session, plan, progress)
        school = plan.rows["school"][0].values if plan.rows["school"] else {}
        self.default_paid_weeks = school.get("default_paid_weeks", TERM_TIME_PAID_WEEKS)

    def write_table(self, table: str, rows: list[_Row]) -> None:
        t = _table(_MODELS[table])
        defaults = {
            c.key: _scalar_default(c)
            for c in t.columns
            # the database fills school_id (one school in a file; the login's on a server)
            if c.key != "id" and not (c.default is None and c.server_default is not None)
        }
        later: list[tuple[_Row, str, _Row]] = []  # references to rows of the same table
        for chunk in _chunks(rows):
            params = []
            for row in chunk:
                p = dict(defaults)
                for key, value in row.values.items():
                    if isinstance(value, _Row):
                        if value.id is None:
                            assert value.table == table, f"{table}.{key} written too early"
                            later.append((row, key, value))
                            value = None
                        else:
                            value = value.id
                    p[key] = value
                self._complete(table, row, p)
                params.append(p)
            if table in _REFERENCED:
                stmt = insert(t).returning(t.c.id, sort_by_parameter_order=True)
                ids = self.session.execute(stmt, params).scalars().all()
                for row, new_id in zip(chunk, ids, strict=True):
                    row.id = int(new_id)
            else:
                self.session.execute(insert(t), params)
            self.tick(table, len(chunk))
        by_key: dict[str, list[dict[str, Any]]] = {}
        for row, key, target in later:
            by_key.setdefault(key, []).append({"row_id_": row.id, "value_": target.id})
        for key, params in by_key.items():
            fix = update(t).where(t.c.id == bindparam("row_id_")).values({key: bindparam("value_")})
            self.session.execute(fix, params)
        self._children(table, rows)

    def _complete(self, table: str, row: _Row, p: dict[str, Any]) -> None:
        """What the command would have filled in or worked out."""
        if table == "contract":
            p["weekly_minutes"] = weekly_minutes(row.extra["days"])
            if not p["term_time"]:
                p["paid_weeks"] = None
            elif p["paid_weeks"] is None:
                p["paid_weeks"] = self.default_paid_weeks
        elif table == "outcome":
            p["status"] = row.extra["history"][-1].status
        elif table == "pupil" and p.get("leaving_date") is not None:
            p["archived"] = p["leaving_date"] <= dt.date.today()

    def _children(self, table: str, rows: list[_Row]) -> None:
        if table == "contract":
            t = _table(ContractDay)
            params = [
                {
                    "contract_id": row.id,
                    "weekday": d.weekday,
                    "start": d.start,
                    "end": d.end,
                    "unpaid_break_minutes": d.unpaid_break_minutes,
                }
                for row in rows
                for d in row.extra["days"]
            ]
        elif table == "outcome":
            t = _table(OutcomeStatusChange)
            params = [
                {"outcome_id": row.id, "changed_on": c.on, "status": c.status, "note": c.note}
                for row in rows
                for c in row.extra["history"]
            ]
        elif table == "review_meeting":
            t = _table(ReviewInvitee)
            params = [
                {
                    "meeting_id": row.id,
                    "name": i["name"],
                    "role": i.get("role", ""),
                    "email": i.get("email", ""),
                }
                for row in rows
                for i in row.extra["invitees"]
            ]
        else:
            return
        for chunk in _chunks(params):
            self.session.execute(insert(t), list(chunk))
