"""Editors for a pupil's support: an LSA's assignment, and a funding line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from sencodesk import vocab
from sencodesk.vocab import AssignmentRole

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


def load_assignment_defaults(
    s: Session, pupil_id: int | None, staff_id: int | None, today: Any
) -> Any:
    from sencodesk.queries.entry import assignment_defaults

    return assignment_defaults(s, pupil_id=pupil_id, staff_id=staff_id, today=today)


def load_ehcp_funder(s: Session, pupil_id: int) -> str:
    from sencodesk.queries.entry import ehcp_funder

    return ehcp_funder(s, pupil_id)


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
        f.add(
            "weekly_minutes",
            "&Hours a week",
            HoursField("Hours a week"),
            tip="A new assignment starts with the hours of the pupil's EHCP no one staffs yet",
        )
        f.add(
            "sessions",
            "&Sessions",
            SessionsField(),
            tip="The half-days of the week this support happens (used to plan cover); a new "
            "assignment starts with the LSA's working days from their contract",
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
            f.set_values({"start_date": ctx.today, "role": AssignmentRole.ONE_TO_ONE})
        self._suggested: dict[str, Any] = {}
        if row is None:
            for name in ("staff_id", "pupil_id"):
                if name in f.fields:
                    f.fields[name].edited.connect(self._suggest)
            self._suggest()
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

    def _chosen(self, name: str) -> Any:
        given = getattr(self, name)
        return given if given is not None else self.form.fields[name].value()

    def _suggest(self) -> None:
        """Ask for the hours and sessions a new assignment of this pupil and LSA starts with."""
        self.ctx.query(
            load_assignment_defaults,
            self._chosen("pupil_id"),
            self._chosen("staff_id"),
            self.ctx.today,
            on_done=self._apply_defaults,
        )

    def _apply_defaults(self, d: Any) -> None:
        """Fill in the suggestion where the field is empty or still holds the last one (what
        the user typed or ticked stays)."""
        fields = self.form.fields
        take = {}
        for name, value in (("weekly_minutes", d.weekly_minutes), ("sessions", d.sessions)):
            current = fields[name].value()
            if value is not None and current in (0, self._suggested.get(name)):
                take[name] = value
        self._suggested.update(take)
        self.form.suggest(take)

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
    TABLE = "funding"

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
            # The funder is usually the LA that issued the EHCP.
            ctx.query(load_ehcp_funder, pupil_id, on_done=self._funder_found)
        self.resize(620, 420)

    def _funder_found(self, name: str) -> None:
        if name and not self.form.fields["funder"].value():
            self.form.suggest({"funder": name})

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
