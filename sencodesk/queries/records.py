"""Records LSAs and the SENCO write: support sessions, observations, incidents and more."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..model import Record
from .common import display_name


@dataclass(frozen=True)
class RecordRow:
    id: int
    pupil_id: int
    pupil_name: str
    author_id: int | None
    author_name: str
    occurred_at: dt.datetime
    kind: str
    text: str
    outcome_id: int | None
    minutes: int | None
    progress: int | None
    antecedent: str
    behaviour: str
    consequence: str
    deescalation: str
    physical_intervention: bool
    injury: str
    parents_informed: bool
    version: int = 0  # the row's version when read: a save sends it back (no lost updates)


def list_records(
    session: Session,
    *,
    pupil_id: int | None = None,
    kind: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    outcome_id: int | None = None,
    limit: int | None = 1000,
) -> list[RecordRow]:
    """Newest first."""
    q = (
        select(Record)
        .options(selectinload(Record.pupil), selectinload(Record.author))
        .order_by(Record.occurred_at.desc(), Record.id.desc())
    )
    if pupil_id is not None:
        q = q.where(Record.pupil_id == pupil_id)
    if kind is not None:
        q = q.where(Record.kind == kind)
    if outcome_id is not None:
        q = q.where(Record.outcome_id == outcome_id)
    if since is not None:
        q = q.where(Record.occurred_at >= dt.datetime.combine(since, dt.time.min))
    if until is not None:
        q = q.where(Record.occurred_at <= dt.datetime.combine(until, dt.time.max))
    if limit is not None:
        q = q.limit(limit)
    return [
        RecordRow(
            id=r.id,
            pupil_id=r.pupil_id,
            pupil_name=display_name(
                r.pupil.legal_first_name, r.pupil.legal_last_name, r.pupil.preferred_name
            ),
            author_id=r.author_id,
            author_name=display_name(r.author.first_name, r.author.last_name) if r.author else "",
            occurred_at=r.occurred_at,
            kind=r.kind,
            text=r.text,
            outcome_id=r.outcome_id,
            minutes=r.minutes,
            progress=r.progress,
            antecedent=r.antecedent,
            behaviour=r.behaviour,
            consequence=r.consequence,
            deescalation=r.deescalation,
            physical_intervention=r.physical_intervention,
            injury=r.injury,
            parents_informed=r.parents_informed,
            version=r.version,
        )
        for r in session.scalars(q)
    ]


def count_records(session: Session, *, kind: str, since: dt.datetime) -> int:
    """How many records of a kind were made on or after ``since`` (that the reader may see)."""
    q = select(func.count()).where(Record.kind == kind, Record.occurred_at >= since)
    return int(session.scalar(q) or 0)
