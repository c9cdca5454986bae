"""Saving an annual review meeting with its invitees, advice and amendments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import checks, vocab
from ..model import Pupil, ReviewAdvice, ReviewAmendment, ReviewInvitee, ReviewMeeting
from .base import Values, _apply, _exists, _load, _row

STEP_FIELDS = checks.STEP_FIELDS


def save_review(session: Session, values: Values, meeting_id: int | None = None) -> int:
    """Save a review meeting; ``invitees`` (list of dicts name/role/email) replaces the list.

    ``advice`` and ``amendments`` (lists of dicts, see ``checks.review_advice`` and
    ``checks.review_amendment``) become the meeting's lists: an item with an ``id`` updates
    that row, one without adds a row, and a stored row not in the list is deleted. Every
    field of every item is checked before anything is written."""
    obj = _load(session, ReviewMeeting, meeting_id, "review meeting", values)
    c = checks.review_meeting(values, _row(obj))
    if "pupil_id" in c.out and not _exists(session, Pupil, c.out["pupil_id"]):
        c.fail("pupil_id", "is not a known pupil")
    if c.out.get("recommendation") is not None:
        pid = c.out.get("pupil_id", obj.pupil_id if obj else None)
        pupil = session.get(Pupil, pid) if pid is not None else None
        if pupil is not None and pupil.sen_code == vocab.SenCode.SEN_SUPPORT:
            c.fail(
                "recommendation",
                "is for an EHC plan's review: a SEN-support plan's review has a next step",
            )
    if c.out.get("next_step") is not None:
        pid = c.out.get("pupil_id", obj.pupil_id if obj else None)
        pupil = session.get(Pupil, pid) if pid is not None else None
        if pupil is not None and pupil.sen_code == vocab.SenCode.EHCP:
            c.fail(
                "next_step",
                "is for a review of a SEN-support plan: an EHC plan's review has an outcome "
                "(maintain, amend or cease)",
            )
    # (model, rule, the meeting's stored rows by id, the items given) for each list given
    lists: list[tuple[Any, Any, dict[int, Any], list[Any]]] = []
    specs: tuple[tuple[str, Any, Any, str], ...] = (
        ("advice", ReviewAdvice, checks.review_advice, "advice"),
        ("amendments", ReviewAmendment, checks.review_amendment, "amendment"),
    )
    for key, model, rule, what in specs:
        items = values.get(key)
        if not isinstance(items, list | tuple):
            continue
        stored: dict[int, Any] = (
            {r.id: r for r in session.scalars(select(model).where(model.meeting_id == meeting_id))}
            if meeting_id is not None
            else {}
        )
        for i, item in enumerate(items, start=1):
            if item.get("id") is not None and item["id"] not in stored:
                c.fail(f"{what} {i}", "is not one of this meeting's")
        lists.append((model, rule, stored, list(items)))
    invitees = values.get("invitees")
    out = c.done()
    loaded_at = obj.version if obj is not None else None
    saved = _apply(session, ReviewMeeting, obj, out)
    for model, rule, stored, items in lists:
        kept = {item.get("id") for item in items}
        for row_id, row in stored.items():
            if row_id not in kept:
                session.delete(row)
        for item in items:
            row = stored.get(item.get("id"))
            fields = {k: v for k, v in item.items() if k not in ("id", "meeting_id")}
            clean = rule(fields, _row(row), in_meeting=True).done()
            if row is None:
                session.add(model(meeting_id=saved.id, **clean))
            else:
                for k, v in clean.items():
                    setattr(row, k, v)
        session.flush()
    if lists and loaded_at is not None and saved.version == loaded_at:
        # The lists belong to the meeting: a save of them is a change to the meeting, so a
        # form loaded before it (at the old version) is refused, not allowed to overwrite.
        session.execute(
            update(ReviewMeeting)
            .where(ReviewMeeting.id == saved.id)
            .values(version=ReviewMeeting.version + 1)
            .execution_options(synchronize_session=False)
        )
        session.expire(saved, ["version"])
    if invitees is not None:
        for old in list(
            session.scalars(select(ReviewInvitee).where(ReviewInvitee.meeting_id == saved.id))
        ):
            session.delete(old)
        session.flush()
        for inv in invitees:
            session.add(
                ReviewInvitee(
                    meeting_id=saved.id,
                    name=str(inv["name"]).strip(),
                    role=str(inv.get("role", "")).strip(),
                    email=str(inv.get("email", "")).strip(),
                )
            )
        session.flush()
    if out.get("held_on") and saved.kind == vocab.ReviewKind.ANNUAL:
        pupil = session.get(Pupil, saved.pupil_id)
        if pupil is not None and (
            pupil.ehcp_last_review is None or pupil.ehcp_last_review < out["held_on"]
        ):
            pupil.ehcp_last_review = out["held_on"]
            session.flush()
    return saved.id
