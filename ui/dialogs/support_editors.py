"""Editors for a pupil's support: an LSA's assignment, and a funding line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from sencodesk import vocab

from ..context import Context
from ..widgets.fields import (
    ChoiceField,
    DateField,
    HoursField,
    MoneyField,
    SessionsField,
    TextField,
)
from .editor import EditorDialog, loaded_version

if TYPE_CHECKING:
    from sencodesk.store import Session


def load_staff_choices(s: Session, today: Any) -> list[tuple[int, str]]:
    from sencodesk.queries.staff import list_staff

    return [(r.id, f"{r.name} ({r.role_label})") for r in list_staff(s, today=today)]


def load_pupil_choices(s: Session, today: Any) -> list[tuple[int, str]]:
    from sencodesk.queries.pupils import list_pupils

    return [
        (r.id, f"{r.sort_name} ({r.year_label})")
        for r in list_pupils(s, today=today, sen_only=True)
    ]


class AssignmentEditor(EditorDialog):
    def __init__(
        self,
        ctx: Context,
        *,
        pupil_id: int | None = None,
        staff_id: int | None = None,
        row: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx, "Edit assignment" if row else "Assign an LSA", "this assignment", parent
        )
        self.row_id = row.id if row else None
        self.version = loaded_version(row)
        self.pupil_id = pupil_id
        self.staff_id = staff_id
        f = self.form
        if staff_id is None:
            f.add("staff_id", "&LSA", ChoiceField([], blank="(choose)"))
        if pupil_id is None:
            f.add("pupil_id", "&Pupil", ChoiceField([], blank="(choose)"))
        f.add(
            "role",
            "&Role",
            ChoiceField(list(vocab.ASSIGNMENT_ROLE_LABELS.items())),
        )
        f.add("weekly_minutes", "&Hours a week", HoursField("Hours a week"))
        f.add(
            "sessions",
            "&Sessions",
            SessionsField(),
            tip="The half-days of the week this support happens (used to plan cover)",
        )
        f.add("start_date", "&From", DateField(optional=False))
        f.add("end_date", "&Until", DateField())
        if row is not None:
            f.set_values(
                {
                    "staff_id": row.staff_id,
                    "pupil_id": row.pupil_id,
                    "role": row.role,
                    "weekly_minutes": row.weekly_minutes,
                    "sessions": row.sessions,
                    "start_date": row.start_date,
                    "end_date": row.end_date,
                }
            )
        else:
            f.set_values({"start_date": ctx.today, "role": "one_to_one"})
        if staff_id is None:
            ctx.query(
                load_staff_choices,
                ctx.today,
                on_done=lambda rows: f.set_choices("staff_id", rows, "(choose)"),
            )
        if pupil_id is None:
            ctx.query(
                load_pupil_choices,
                ctx.today,
                on_done=lambda rows: f.set_choices("pupil_id", rows, "(choose)"),
            )
        self.resize(680, 460)

    def values(self) -> dict[str, Any]:
        v = super().values()
        if self.pupil_id is not None:
            v["pupil_id"] = self.pupil_id
        if self.staff_id is not None:
            v["staff_id"] = self.staff_id
        v["weekly_minutes"] = v["weekly_minutes"] or None
        if self.row_id is None:
            v = {k: x for k, x in v.items() if x is not None or k == "end_date"}
        return v

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        from sencodesk import commands

        return commands.save_assignment(session, values, self.row_id)


class FundingEditor(EditorDialog):
    def __init__(
        self, ctx: Context, *, pupil_id: int, row: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "Edit funding" if row else "New funding", "this funding line", parent)
        self.row_id = row.id if row else None
        self.version = loaded_version(row)
        self.pupil_id = pupil_id
        f = self.form
        f.add(
            "source",
            "&Source",
            ChoiceField(list(vocab.FUNDING_SOURCE_LABELS.items())),
        )
        f.add("funder", "&Funder", TextField(), tip="Usually the local authority")
        f.add("reference", "&Reference", TextField())
        f.add("amount_per_year", "&Amount a year", MoneyField(1_000_000))
        f.add("weekly_minutes", "Funded &hours a week", HoursField("Funded hours a week"))
        f.add("start_date", "S&tarts", DateField(optional=False))
        f.add("end_date", "&Ends", DateField())
        f.add(
            "status",
            "Stat&us",
            ChoiceField(list(vocab.FUNDING_STATUS_LABELS.items())),
        )
        if row is not None:
            f.set_values(
                {
                    "source": row.source,
                    "funder": row.funder,
                    "reference": row.reference,
                    "amount_per_year": row.amount_per_year,
                    "weekly_minutes": row.weekly_minutes,
                    "start_date": row.start_date,
                    "end_date": row.end_date,
                    "status": row.status,
                }
            )
        else:
            f.set_values({"start_date": ctx.today})
        self.resize(620, 420)

    def values(self) -> dict[str, Any]:
        v = super().values()
        v["amount_per_year"] = self.form.fields["amount_per_year"].value_decimal() or None
        v["weekly_minutes"] = v["weekly_minutes"] or None
        if self.row_id is None:
            v["pupil_id"] = self.pupil_id
        return v

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        from sencodesk import commands

        return commands.save_funding(session, values, self.row_id)
