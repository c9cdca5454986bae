"""A record about a pupil: a support session, an observation, or an incident (with its
antecedent, behaviour and consequence), linked to an EHCP outcome."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QVBoxLayout, QWidget

from sencodesk import vocab

from ..context import Context
from ..widgets.fields import CheckField, ChoiceField, DateTimeField, IntField, NotesField
from ..widgets.form import Form
from .editor import EditorDialog, loaded_version

if TYPE_CHECKING:
    from sencodesk.store import Session

INCIDENT_ONLY = (
    "antecedent",
    "behaviour",
    "consequence",
    "deescalation",
    "physical_intervention",
    "injury",
    "parents_informed",
)


def load_record_choices(s: Session, pupil_id: int | None, today: Any) -> dict[str, Any]:
    """Staff (authors), and the pupil's outcomes (or every SEN pupil when none is chosen)."""
    from sencodesk.queries.pupil_detail import outcome_rows
    from sencodesk.queries.pupils import list_pupils
    from sencodesk.queries.staff import staff_names

    out: dict[str, Any] = {"staff": staff_names(s, today=today)}
    if pupil_id is None:
        out["pupils"] = [
            (r.id, f"{r.sort_name} ({r.year_label})")
            for r in list_pupils(s, today=today, sen_only=True)
        ]
    else:
        out["outcomes"] = [
            (o.id, o.text[:80])
            for o in outcome_rows(s, [pupil_id])
            if o.status != vocab.OutcomeStatus.ACHIEVED
        ]
    return out


def load_outcome_choices(s: Session, pupil_id: int) -> list[tuple[int, str]]:
    from sencodesk.queries.pupil_detail import outcome_rows

    return [(o.id, o.text[:80]) for o in outcome_rows(s, [pupil_id])]


def build_record_form(form: Form, *, with_pupil: bool) -> None:
    if with_pupil:
        form.add("pupil_id", "&Pupil", ChoiceField([], blank="(choose)"))
    form.add("kind", "&Kind", ChoiceField(list(vocab.RECORD_KIND_LABELS.items())))
    form.add("occurred_at", "&When", DateTimeField("When", QTime.currentTime()))
    form.add("author_id", "&By", ChoiceField([], blank="(me / not recorded)"))
    form.add(
        "outcome_id",
        "&Outcome",
        ChoiceField([], blank="(not linked)"),
        tip="The EHCP outcome this is evidence for",
    )
    form.add("text", "&Notes", NotesField(lines=3))
    form.add("minutes", "&Minutes", IntField(0, 600, " min"))
    progress = IntField(0, 5)
    progress.setSpecialValueText("not rated")
    form.add(
        "progress",
        "Progress (1–5)",
        progress,
        tip="1 = no progress … 5 = achieved independently; 0 = not rated",
    )
    form.add("antecedent", "&Antecedent (before)", NotesField(lines=2))
    form.add("behaviour", "Behavio&ur (what happened)", NotesField(lines=2))
    form.add("consequence", "&Consequence (after)", NotesField(lines=2))
    form.add("deescalation", "&De-escalation used", NotesField(lines=2))
    form.add(
        "physical_intervention",
        "Physical intervention",
        CheckField("Physical intervention was used"),
    )
    form.add("injury", "&Injury", NotesField(lines=1))
    form.add("parents_informed", "Parents", CheckField("Parents were informed"))

    def kind_changed() -> None:
        incident = form.fields["kind"].value() == vocab.RecordKind.INCIDENT
        for name in INCIDENT_ONLY:
            form.set_row_visible(name, incident)

    form.fields["kind"].currentIndexChanged.connect(lambda _i: kind_changed())
    kind_changed()


def record_values(form: Form) -> dict[str, Any]:
    v = form.values()
    v["minutes"] = v["minutes"] or None
    v["progress"] = v["progress"] or None
    if v["kind"] != vocab.RecordKind.INCIDENT:
        for name in INCIDENT_ONLY:
            v.pop(name, None)
    return v


class RecordEditor(EditorDialog):
    TABLE = "record"

    def __init__(
        self,
        ctx: Context,
        *,
        pupil_id: int,
        row: Any = None,
        kind: str = "support",
        pupil_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx, "Edit record" if row else "New record", "this record", parent, scroll=True
        )
        # Whose record it is, inside the dialog (records of two pupils look alike); never in
        # the window title, which a task bar or a shared screen shows to anyone.
        name = getattr(row, "pupil_name", "") or pupil_name
        from ..widgets.elided import ElidedLabel

        self.whose = ElidedLabel(f"Record for {name}" if name else "")
        self.whose.setObjectName("sectionTitle")
        self.whose.setAccessibleName("Whose record")
        self.whose.setVisible(bool(name))
        lay = self.layout()
        assert isinstance(lay, QVBoxLayout)  # EditorDialog's: the form, then the buttons
        lay.insertWidget(0, self.whose)
        self.row_id = row.id if row else None
        self.version = loaded_version(row)
        self.pupil_id = pupil_id
        build_record_form(self.form, with_pupil=False)
        if row is not None:
            self.form.set_values(
                {
                    k: getattr(row, k)
                    for k in (
                        "kind",
                        "occurred_at",
                        "author_id",
                        "outcome_id",
                        "text",
                        "minutes",
                        "progress",
                        *INCIDENT_ONLY,
                    )
                }
            )
        else:
            self.form.set_values(
                {
                    "kind": kind,
                    "occurred_at": dt.datetime.combine(
                        ctx.today, dt.datetime.now().time().replace(second=0, microsecond=0)
                    ),
                }
            )

        def choices(c: dict[str, Any]) -> None:
            self.form.set_choices("author_id", c["staff"], "(me / not recorded)")
            self.form.set_choices("outcome_id", c.get("outcomes", []), "(not linked)")

        ctx.query(load_record_choices, pupil_id, ctx.today, on_done=choices)
        self.resize(720, 700)

    def values(self) -> dict[str, Any]:
        v = record_values(self.form)
        if self.row_id is None:
            v["pupil_id"] = self.pupil_id
        return v

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        from sencodesk import commands

        return commands.save_record(session, values, self.row_id)
