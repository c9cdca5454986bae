"""Editors for a member of staff, their qualifications, training and DBS checks."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from sencodesk import vocab

from ..context import Context
from ..widgets.fields import CheckField, ChoiceField, DateField, TextField
from .editor import EditorDialog, loaded_version


class StaffEditor(EditorDialog):
    TABLE = "staff"

    def __init__(self, ctx: Context, detail: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            "Edit member of staff" if detail else "New member of staff",
            "this member of staff",
            parent,
        )
        self.row_id = detail.row.id if detail else None
        self.version = loaded_version(detail)
        f = self.form
        f.add("first_name", "&First name", TextField())
        f.add("last_name", "&Last name", TextField())
        f.add("role", "&Role", ChoiceField(list(vocab.STAFF_ROLE_LABELS.items())))
        f.add("email", "&Email", TextField())
        f.add("phone", "&Phone", TextField())
        f.add("start_date", "&Started", DateField())
        f.add("leaving_date", "Lef&t", DateField())
        if detail is not None:
            f.set_values(
                {
                    "first_name": detail.first_name,
                    "last_name": detail.last_name,
                    "role": detail.row.role,
                    "email": detail.row.email,
                    "phone": detail.phone,
                    "start_date": detail.start_date,
                    "leaving_date": detail.row.leaving_date,
                }
            )
        else:
            f.set_values({"role": vocab.StaffRole.ONE_TO_ONE_LSA.value})
        self.resize(600, 360)

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        from sencodesk import commands

        return commands.save_staff(session, values, self.row_id)


class QualificationEditor(EditorDialog):
    TABLE = "qualification"

    def __init__(
        self, ctx: Context, *, staff_id: int, row: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "Qualification", "this qualification", parent)
        self.row_id = row.id if row else None
        self.version = loaded_version(row)
        self.staff_id = staff_id
        self.form.add(
            "kind",
            "&Qualification",
            TextField(),
            tip="e.g. Level 3 Certificate in Supporting Teaching and Learning",
        )
        self.form.add("level", "&Level", TextField())
        self.form.add("awarded", "&Awarded", DateField())
        if row is not None:
            self.form.set_values({"kind": row.kind, "level": row.level, "awarded": row.awarded})
        self.resize(560, 220)

    def values(self) -> dict[str, Any]:
        return {**super().values(), "staff_id": self.staff_id}

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        from sencodesk import commands

        return commands.save_qualification(session, values, self.row_id)


class TrainingEditor(EditorDialog):
    TABLE = "training"  # (its rule has no text: a choice and two dates)

    def __init__(
        self, ctx: Context, *, staff_id: int, row: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "Training", "this training record", parent)
        self.row_id = row.id if row else None
        self.version = loaded_version(row)
        self.staff_id = staff_id
        self.form.add(
            "kind",
            "&Training",
            ChoiceField(list(vocab.TRAINING_LABELS.items())),
        )
        self.form.add("completed", "&Completed", DateField(optional=False))
        self.form.add("expires", "&Expires", DateField())
        if row is not None:
            self.form.set_values(
                {"kind": row.kind, "completed": row.completed, "expires": row.expires}
            )
        else:
            self.form.set_values({"completed": ctx.today})
        self.resize(520, 220)

    def values(self) -> dict[str, Any]:
        return {**super().values(), "staff_id": self.staff_id}

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        from sencodesk import commands

        return commands.save_training(session, values, self.row_id)


class DbsEditor(EditorDialog):
    TABLE = "dbs_check"

    def __init__(
        self, ctx: Context, *, staff_id: int, row: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "DBS check", "this DBS check", parent)
        self.row_id = row.id if row else None
        self.version = loaded_version(row)
        self.staff_id = staff_id
        f = self.form
        f.add(
            "level",
            "&Level",
            ChoiceField(list(vocab.DBS_LEVEL_LABELS.items())),
        )
        f.add(
            "certificate_number",
            "&Certificate number",
            TextField(),
            tip="The 12 digits on the certificate",
        )
        f.add("issued", "&Issued", DateField(optional=False))
        f.add("update_service", "Update service", CheckField("On the DBS update service"))
        f.add("renew_by", "&Renew by", DateField(), tip="The school's own renewal date")
        if row is not None:
            f.set_values(
                {
                    "level": row.level,
                    "certificate_number": row.certificate_number,
                    "issued": row.issued,
                    "update_service": row.update_service,
                    "renew_by": row.renew_by,
                }
            )
        self.resize(560, 260)

    def values(self) -> dict[str, Any]:
        return {**super().values(), "staff_id": self.staff_id}

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        from sencodesk import commands

        return commands.save_dbs(session, values, self.row_id)
