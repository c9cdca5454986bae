"""Apply the SENCO's ticked choices from a plan: one transaction, through the editors' own
commands (``commands.save_pupil``, ``save_staff``), so every value passes the same checks as
if it had been typed. Each change is audited with the reason "Imported from <file> (…)".

All or nothing: a value the checks refuse, a row changed in the app since the preview, or
Cancel leaves the database as it was. Applying a plan twice (or re-importing the same file)
changes nothing the second time: only values that differ are written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import commands, vocab
from ..errors import KnownError, ValidationError
from ..model import MisPupil
from ..validate import Checker
from . import sheet
from .match import AppPupil, AppStaff, load_pupils, load_staff
from .preview import CHOOSE, LABELS, LEAVER, NEW, Choices, Item, MisValues, Plan

Progress = Callable[[int, int], object]
Cancel = Callable[[], bool]
MAX_LISTED = 15
BATCH = 500  # new pupils added (and audited) per flush


class Cancelled(KnownError):
    def __init__(self) -> None:
        super().__init__("Import cancelled: nothing was written.")


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@dataclass(frozen=True)
class Applied:
    added: int = 0
    updated: int = 0
    fields: int = 0
    leavers: int = 0
    mis_recorded: int = 0
    dry_run: bool = False

    def summary(self, kind: str = sheet.PUPILS) -> str:
        who = "pupils" if kind == sheet.PUPILS else "staff"
        if self.dry_run:
            text = (
                f"Dry run, nothing written: it would add {self.added:,} new {who} and update "
                f"{self.updated:,} ({_fields(self.fields)})"
            )
            if kind == sheet.PUPILS:
                text += f", and mark {self.leavers:,} as leavers"
            return text
        text = f"{self.added:,} new {who} added, {self.updated:,} updated ({_fields(self.fields)})"
        if kind == sheet.PUPILS:
            text += f", {self.leavers:,} marked as leavers"
        return text


def _fields(n: int) -> str:
    return f"{n:,} field" if n == 1 else f"{n:,} fields"


def _check_mis(values: MisValues) -> dict[str, Any]:
    sen, primary, secondary, sex, source, file_date = values
    c = Checker(
        {
            "sen_code": sen,
            "primary_need": primary,
            "secondary_need": secondary,
            "sex": sex,
            "source": source,
            "file_date": file_date,
        }
    )
    c.choice("sen_code", [s.value for s in vocab.SenCode], nullable=True)
    c.choice("primary_need", vocab.NEED_CODES, nullable=True)
    c.choice("secondary_need", vocab.NEED_CODES, nullable=True)
    c.choice("sex", ["M", "F", "U", ""])
    c.text("source", max_len=300)
    c.date("file_date")
    return c.done()


def save_mis_values(session: Session, pupil_id: int, values: MisValues) -> bool:
    """Record what the MIS said about a pupil; False when it was already recorded as such."""
    out = _check_mis(values)
    row = session.scalar(select(MisPupil).where(MisPupil.pupil_id == pupil_id))
    if row is None:
        session.add(MisPupil(pupil_id=pupil_id, **out))
        session.flush()
        return True
    if all(getattr(row, k) == v for k, v in out.items()):
        return False
    for k, v in out.items():
        setattr(row, k, v)
    session.flush()
    return True


def add_mis_values(session: Session, rows: list[tuple[int, MisValues]]) -> int:
    """Record the MIS values of pupils just added (who have none yet), in one flush."""
    session.add_all(MisPupil(pupil_id=pid, **_check_mis(values)) for pid, values in rows)
    session.flush()
    return len(rows)


def apply_plan(
    store: Any,
    plan: Plan,
    choices: Choices,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    dry_run: bool = False,
) -> Applied:
    try:
        with store.session(reason=plan.source.reason) as s:
            result = _apply(s, plan, choices, progress, cancel)
            if dry_run:
                raise _DryRun(result)
    except _DryRun as dry:
        r: Applied = dry.args[0]
        return Applied(r.added, r.updated, r.fields, r.leavers, r.mis_recorded, dry_run=True)
    return result


def _apply(
    s: Session, plan: Plan, choices: Choices, progress: Progress | None, cancel: Cancel | None
) -> Applied:
    pupils = plan.kind == sheet.PUPILS
    current: dict[int, Any] = (
        {p.id: p for p in load_pupils(s)} if pupils else {p.id: p for p in load_staff(s)}
    )
    save = commands.save_pupil if pupils else commands.save_staff
    errors: list[str] = []
    added = updated = nfields = leavers = mis = 0
    work = [i for i in plan.items if _ticked(i, choices)]
    total = len(work) + len(plan.mis_updates)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if cancel is not None and cancel():
            raise Cancelled()
        if progress is not None and (done % 50 == 0 or done == total):
            progress(done, total)

    def run(item: Item, values: dict[str, Any], row_id: int | None) -> int | None:
        try:
            return save(s, values, row_id)
        except ValidationError as exc:
            for f, msg in exc.errors.items():
                errors.append(f"{_place(item)}, {LABELS.get(f, f)}: {msg}")
            return None

    if progress is not None:
        progress(0, total)
    adding = [i for i in work if _adds(i, choices)]
    for start in range(0, len(adding), BATCH):
        batch = adding[start : start + BATCH]
        for _ in batch:
            step()
        rows = [dict(i.values or i.new_values) for i in batch]
        if not pupils:
            for item, values in zip(batch, rows, strict=True):
                added += run(item, values, None) is not None
            continue
        try:
            ids = commands.add_pupils(s, rows)
        except ValidationError as exc:
            for key, msg in exc.errors.items():
                n, _, f = key.partition(": ")
                item = batch[int(n.removeprefix("row ")) - 1]
                errors.append(f"{_place(item)}, {LABELS.get(f, f)}: {msg}")
            continue
        added += len(ids)
        mis += add_mis_values(
            s, [(pid, i.mis) for pid, i in zip(ids, batch, strict=True) if i.mis is not None]
        )
    for item in work:
        if _adds(item, choices):
            continue
        step()
        if item.action == CHOOSE:
            row_id = choices.chosen[item.key]
            cand = next((c for c in item.candidates if c.id == row_id), None)
            if cand is None:
                raise KnownError(f"{item.where}: choose one of the pupils offered.")
            changes = [c for c in cand.changes if c.default]
        else:
            row_id = item.row_id  # type: ignore[assignment]
            changes = [c for c in item.changes if (item.key, c.field) in choices.fields]
            if item.action == LEAVER:
                changes = list(item.changes)
        app = current.get(row_id)
        if app is None:
            errors.append(f"{_place(item)}: no longer in the app; preview again")
            continue
        stale = [c for c in changes if _value(app, c.field) != c.old]
        if stale:
            errors.append(
                f"{_place(item)}: {stale[0].label} has changed in the app since "
                "the preview; preview the file again"
            )
            continue
        if changes and run(item, {c.field: c.new for c in changes}, row_id) is not None:
            if item.action == LEAVER:
                leavers += 1
            else:
                updated += 1
                nfields += len(changes)
        if pupils and item.mis is not None and save_mis_values(s, row_id, item.mis):
            mis += 1
    for pupil_id, recorded in plan.mis_updates:
        step()
        if pupil_id in current and save_mis_values(s, pupil_id, recorded):
            mis += 1
    if errors:
        listed = "\n".join(f"- {e}" for e in errors[:MAX_LISTED])
        more = f"\n…and {len(errors) - MAX_LISTED} more." if len(errors) > MAX_LISTED else ""
        raise KnownError(
            f"Nothing was imported: {len(errors)} change{'s' if len(errors) != 1 else ''} "
            f"cannot be saved. Untick {'them' if len(errors) != 1 else 'it'}, or correct the "
            f"MIS and export again:\n{listed}{more}"
        )
    return Applied(added, updated, nfields, leavers, mis)


def _adds(item: Item, choices: Choices) -> bool:
    """A new row: a new pupil ticked, or an ambiguous row the SENCO says is someone new."""
    return item.action == NEW or (item.action == CHOOSE and choices.chosen.get(item.key) == 0)


def _place(item: Item) -> str:
    """Where a row is, with its name: "line 7 (Brown, Leo)", "<Pupil> 3 (Nowak, Łukasz)"."""
    return item.where if item.where.endswith(")") else f"{item.where} ({item.name})"


def _ticked(item: Item, choices: Choices) -> bool:
    if item.action in (NEW, LEAVER):
        return item.key in choices.items
    if item.action == CHOOSE:
        return item.key in choices.chosen
    return True  # an update is visited for its ticked fields and its MIS values


def _value(app: AppPupil | AppStaff, name: str) -> Any:
    if name == "leaving_date" and isinstance(app, AppPupil):
        return app.leaving_date
    return getattr(app, name, None)
