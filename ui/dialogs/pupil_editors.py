"""Editors for a pupil's profile and EHCP, and for an outcome and its status."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from sencodesk import vocab
from sencodesk.vocab import SenCode

from ..context import Context
from ..widgets.fields import (
    CheckField,
    ChoiceField,
    DateField,
    HoursField,
    IntField,
    NotesField,
    TextField,
)
from .editor import EditorDialog, loaded_version

if TYPE_CHECKING:
    from sencodesk.store import Session


def load_las(s: Session) -> list[tuple[int, str]]:
    from sencodesk.queries.school import list_local_authorities

    return [(la.id, la.name) for la in list_local_authorities(s)]


NEED_CHOICES = [(code, f"{code} – {text}") for code, text in vocab.NEED_LABELS.items()]


def add_local_authority(s: Session, name: str) -> tuple[int, list[tuple[int, str]]]:
    """A new local authority (checked as every other way in), and the list to choose from."""
    from sencodesk import commands

    la_id = commands.save_local_authority(s, {"name": name})
    s.flush()
    return la_id, load_las(s)


ADD_LA = "add"  # the choice that adds a local authority there and then
ADD_LA_LABEL = "Add a local authority…"


class PupilEditor(EditorDialog):
    TABLE = "pupil"

    def __init__(self, ctx: Context, detail: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx, "Edit pupil" if detail else "New pupil", "this pupil", parent, scroll=True
        )
        self.row_id = detail.row.id if detail else None
        self.version = loaded_version(detail)
        f = self.form
        f.add("legal_first_name", "&First name (legal)", TextField())
        f.add("legal_last_name", "&Last name (legal)", TextField())
        f.add(
            "preferred_name",
            "&Preferred name",
            TextField(),
            tip="What the pupil is called in school, if not their legal first name",
        )
        f.add("date_of_birth", "Date of &birth", DateField(optional=False))
        f.add("upn", "&UPN", TextField(), tip="13 characters, e.g. B801200005001")
        f.add("class_name", "&Class", TextField())
        f.add(
            "sen_code",
            "&SEN code",
            ChoiceField([(c.value, vocab.SEN_CODE_LABELS[c]) for c in vocab.SenCode]),
        )
        f.add("primary_need", "Primary &need", ChoiceField(NEED_CHOICES, blank="(none)"))
        f.add("secondary_need", "Secon&dary need", ChoiceField(NEED_CHOICES, blank="(none)"))
        f.add("ehcp_la_id", "EHCP l&ocal authority", ChoiceField([], blank="(none)"))
        f.add("ehcp_issued", "EHCP &issued", DateField())
        f.add("ehcp_last_review", "Last annual &review", DateField())
        f.add(
            "review_interval_months",
            "Review e&very",
            IntField(1, 12, " months"),
            tip="12 months; 3 to 6 for children under 5",
        )
        f.add(
            "ehcp_weekly_minutes",
            "EHCP 1:1 &hours a week",
            HoursField("EHCP hours a week"),
            tip="The 1:1 support written in section F of the EHCP",
        )
        f.add("medical_needs", "&Medical needs", NotesField(lines=2))
        f.add("personal_care", "Personal care", CheckField("Needs personal care"))
        f.add("behaviour_plan", "Behaviour plan", CheckField("Has a behaviour plan"))
        f.add("admission_date", "&Admitted", DateField())
        # The one-page profile (Reports > One-page profile), in the child's words if possible.
        f.add(
            "profile_admire",
            "What people like and admire about me",
            NotesField(lines=2),
            tip="For the one-page profile: strengths and qualities, as the child and family say",
        )
        f.add(
            "profile_important",
            "What's important to me",
            NotesField(lines=2),
            tip="For the one-page profile: people, things and routines that matter to the child",
        )
        f.add(
            "profile_support",
            "How best to support me",
            NotesField(lines=2),
            tip="For the one-page profile: what helps and what does not, for any adult",
        )
        if detail is not None:
            r = detail.row
            f.set_values(
                {
                    "legal_first_name": r.legal_first_name,
                    "legal_last_name": r.legal_last_name,
                    "preferred_name": r.preferred_name,
                    "date_of_birth": r.date_of_birth,
                    "upn": r.upn,
                    "class_name": r.class_name,
                    "sen_code": r.sen_code,
                    "primary_need": r.primary_need or None,
                    "secondary_need": r.secondary_need or None,
                    "ehcp_la_id": detail.ehcp_la_id,
                    "ehcp_issued": detail.ehcp_issued,
                    "ehcp_last_review": detail.ehcp_last_review,
                    "review_interval_months": detail.review_interval_months,
                    "ehcp_weekly_minutes": r.ehcp_weekly_minutes,
                    "medical_needs": detail.medical_needs,
                    "personal_care": detail.personal_care,
                    "behaviour_plan": detail.behaviour_plan,
                    "admission_date": detail.admission_date,
                    "profile_admire": detail.profile_admire,
                    "profile_important": detail.profile_important,
                    "profile_support": detail.profile_support,
                }
            )
        else:
            f.set_values(
                {
                    "review_interval_months": 12,
                    "sen_code": SenCode.SEN_SUPPORT,
                    "date_of_birth": dt.date(ctx.today.year - 8, 9, 1),
                }
            )
        ctx.query(load_las, on_done=self._las_loaded)
        self._la = f.fields["ehcp_la_id"].value()
        f.fields["ehcp_la_id"].edited.connect(self._la_chosen)
        self.resize(760, 720)

    def _las_loaded(self, las: list[tuple[Any, str]]) -> None:
        self.form.set_choices("ehcp_la_id", [*las, (ADD_LA, ADD_LA_LABEL)], "(none)")
        self._la = self.form.fields["ehcp_la_id"].value()

    def _la_chosen(self) -> None:
        """ "Add a local authority…": ask its name, save it, and choose it (a new school's
        list starts with its own LA only)."""
        from . import ask

        field = self.form.fields["ehcp_la_id"]
        if field.value() != ADD_LA:
            self._la = field.value()
            return
        name = ask.ask_text(self, "New local authority", "The local authority's name:").strip()
        if not name:
            field.set_value(self._la)
            return

        def added(result: tuple[int, list[tuple[int, str]]]) -> None:
            la_id, las = result
            self._las_loaded(las)
            field.set_value(la_id)
            self._la = la_id
            self.ctx.status.emit(f"Added {name} to the local authorities.")

        def refused(exc: BaseException, tb: str = "") -> None:
            field.set_value(self._la)
            self.ctx.error(exc, tb)

        self.ctx.change(
            add_local_authority,
            name,
            on_done=added,
            on_error=refused,
            reason="local authority added from the pupil editor",
        )

    def values(self) -> dict[str, Any]:
        v = super().values()
        v["ehcp_weekly_minutes"] = v["ehcp_weekly_minutes"] or None
        return v

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        from sencodesk import commands

        return commands.save_pupil(session, values, self.row_id)


class OutcomeEditor(EditorDialog):
    TABLE = "outcome"

    def __init__(
        self, ctx: Context, pupil_id: int, row: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "Edit outcome" if row else "New outcome", "this outcome", parent)
        self.row_id = row.id if row else None
        self.version = loaded_version(row)
        self.pupil_id = pupil_id
        f = self.form
        f.add("area", "&Area", ChoiceField(list(vocab.AREA_LABELS.items())))
        f.add(
            "source", "From", ChoiceField([("ehcp", "EHCP section E"), ("school", "School target")])
        )
        f.add("text", "&Outcome", NotesField(lines=3))
        f.add("success_criteria", "&Success looks like", NotesField(lines=2))
        f.add("set_date", "Set on", DateField(optional=False))
        f.add("target_date", "&Target date", DateField())
        f.add(
            "status",
            "Stat&us",
            ChoiceField(list(vocab.OUTCOME_STATUS_LABELS.items())),
        )
        f.add("status_date", "Status changed on", DateField(optional=False))
        f.add("status_note", "&Evidence for the change", NotesField(lines=2))
        if row is not None:
            f.set_values(
                {
                    "area": row.area,
                    "source": row.source,
                    "text": row.text,
                    "success_criteria": row.success_criteria,
                    "set_date": row.set_date,
                    "target_date": row.target_date,
                    "status": row.status,
                    "status_date": ctx.today,
                }
            )
        else:
            f.set_values({"set_date": ctx.today, "status_date": ctx.today})
        self.resize(720, 520)

    def values(self) -> dict[str, Any]:
        v = super().values()
        if self.row_id is None:
            v["pupil_id"] = self.pupil_id
        return v

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        from sencodesk import commands

        return commands.save_outcome(session, values, self.row_id)
