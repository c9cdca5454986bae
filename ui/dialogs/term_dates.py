"""Term dates for an academic year: the first and last day of each of its six half-terms,
typed (dd/mm/yyyy, 5/9/26…) into the one date field. Opens on the dates saved for that year,
else a typical English pattern to correct. Deadlines to act by skip the holidays between."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QWidget

from sencodesk.rules.schooldays import suggested_half_terms
from sencodesk.rules.schoolyear import academic_year_label

from ..context import Context
from ..widgets.fields import DateField
from .editor import EditorDialog
from .first_run import academic_year

if TYPE_CHECKING:
    from sencodesk.store import Session

HALF_TERMS = range(1, 7)


def load_terms(s: Session, year: int) -> list[tuple[dt.date, dt.date]]:
    from sencodesk.queries.school import list_half_terms

    return [(t.start, t.end) for t in list_half_terms(s, year)]


class TermDatesEditor(EditorDialog):
    def __init__(self, ctx: Context, year: int | None = None, parent: QWidget | None = None):
        self.year = academic_year(ctx.today) if year is None else year
        super().__init__(
            ctx, f"Term dates {academic_year_label(self.year)}", "the term dates", parent
        )
        note = QLabel(
            f"The first and last day of each half-term of {academic_year_label(self.year)}. "
            "Act-by dates are moved out of the holidays between them."
        )
        note.setWordWrap(True)
        self.form.add_widget(note)
        for i, (start, end) in zip(HALF_TERMS, suggested_half_terms(self.year), strict=True):
            s, e = DateField(optional=False), DateField(optional=False)
            s.set_value(start)
            e.set_value(end)
            self.form.add(f"half-term {i}: start", f"Half-term &{i} starts", s)
            self.form.add(f"half-term {i}: end", f"Half-term {i} ends", e)
        self.form.mark_clean()
        self.resize(620, 600)  # room for a message beside a date ("31/13/26" is not a date…)
        self.setEnabled(False)
        ctx.query(load_terms, self.year, on_done=self._loaded)

    def _loaded(self, terms: list[tuple[dt.date, dt.date]]) -> None:
        if len(terms) == 6:  # the saved dates; else the suggested ones stay, to correct
            for i, (start, end) in zip(HALF_TERMS, terms, strict=True):
                self.form.fields[f"half-term {i}: start"].set_value(start)
                self.form.fields[f"half-term {i}: end"].set_value(end)
            self.form.mark_clean()
        self.setEnabled(True)
        self.focus_first_field()

    def terms(self) -> list[tuple[Any, Any]]:
        v = self.form.values()
        return [(v[f"half-term {i}: start"], v[f"half-term {i}: end"]) for i in HALF_TERMS]

    def values(self) -> dict[str, Any]:
        return {"year": self.year, "terms": self.terms()}

    def values_to_save(self) -> dict[str, Any]:
        return self.values()  # the year's six half-terms are replaced together

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        from sencodesk import commands

        commands.set_term_dates(session, values["year"], values["terms"])
        return values["year"]
