"""School settings: name, phase, pay defaults and when to warn."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDoubleSpinBox, QWidget

from sencodesk.rules.pay import WEEKS_PER_YEAR

from ..context import Context
from ..widgets.fields import ChoiceField, IntField, TextField
from .editor import EditorDialog, loaded_version

if TYPE_CHECKING:
    from sencodesk.store import Session

PHASES = ("nursery", "infant", "junior", "primary", "middle", "secondary", "all_through", "special")


def _decimal_box(low: float, high: float, places: int, suffix: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(places)
    box.setSuffix(suffix)
    box.edited = box.valueChanged  # type: ignore[attr-defined]
    box.set_value = lambda v: box.setValue(float(v or 0))  # type: ignore[attr-defined]
    return box


def load_school(s: Session) -> Any:
    from sencodesk.queries.school import get_school

    return get_school(s)


class SchoolEditor(EditorDialog):
    TABLE = "school"

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "School settings", "the school settings", parent)
        f = self.form
        f.add("name", "School &name", TextField())
        f.add("dfe_number", "&DfE number", TextField())
        f.add(
            "phase", "&Phase", ChoiceField([(p, p.replace("_", "-").capitalize()) for p in PHASES])
        )
        f.add("full_time_hours", "&Full-time hours a week", _decimal_box(1, 60, 2, " h"))
        f.add(
            "default_paid_weeks",
            "Default paid weeks (&term-time)",
            _decimal_box(1, float(WEEKS_PER_YEAR), 3, " weeks"),
        )
        f.add("on_cost_percent", "Employer &on-costs", _decimal_box(0, 100, 2, " %"))
        f.add("alert_horizon_days", "&Warn this far ahead", IntField(1, 3650, " days"))
        f.add("expiry_warning_days", "Training &expiry warning", IntField(1, 3650, " days"))
        # Leavers' records are kept to date of birth + this many years (IRMS: 31 for SEN files),
        # then listed on File > Records past retention.
        f.add(
            "retention_years",
            "&Retention after birth",
            IntField(1, 100, " years"),
        )
        self.setEnabled(False)
        ctx.query(load_school, on_done=self._loaded)
        self.resize(560, 390)

    def _loaded(self, s: Any) -> None:
        self.form.set_values({k: getattr(s, k) for k in self.form.fields})
        self.version = loaded_version(s)
        self.setEnabled(True)
        self.focus_first_field()

    def values(self) -> dict[str, Any]:
        v = super().values()
        for k, places in (
            ("full_time_hours", 2),
            ("default_paid_weeks", 3),
            ("on_cost_percent", 2),
        ):
            v[k] = Decimal(str(round(v[k], places)))
        return v

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        from sencodesk import commands

        return commands.save_school(session, values)
