"""A contract: working pattern, pay and funding link, with hours, pay, cost and the
notice-by date worked out live as you type (the core's pure pay rules, on the GUI thread)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from sencodesk import vocab
from sencodesk.rules.coverage import funding_gap, notice_by
from sencodesk.rules.pay import (
    FULL_TIME_HOURS,
    ON_COST_PERCENT,
    TERM_TIME_PAID_WEEKS,
    WEEKS_PER_YEAR,
    WorkDay,
    annual_pay,
    employer_cost,
    weekly_minutes,
)
from sencodesk.rules.schooldays import NO_TERMS
from sencodesk.vocab import ContractKind

from .. import format as fmt
from ..context import Context
from ..widgets.fields import (
    CheckField,
    ChoiceField,
    DateField,
    HoursField,
    IntField,
    MoneyField,
    TextField,
    TimeField,
)
from .editor import EditorDialog, loaded_version

if TYPE_CHECKING:
    from sencodesk.store import Session


class PatternField(QWidget):
    """Mon–Fri: worked?, start, end, unpaid break (minutes)."""

    edited = Signal()

    def __init__(self) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for col, text in enumerate(("", "Starts", "Ends", "Unpaid break")):
            grid.addWidget(QLabel(text), 0, col)
        self.rows: list[tuple[QCheckBox, TimeField, TimeField, QSpinBox]] = []
        for day, name in enumerate(vocab.WEEKDAYS):
            on = QCheckBox(name)
            on.setAccessibleName(f"Works on {name}")
            start, end = TimeField(QTime(8, 40)), TimeField(QTime(15, 30))
            for t, what in ((start, "starts"), (end, "ends")):
                t.setAccessibleName(f"{name} {what}")
                t.timeChanged.connect(lambda _t: self.edited.emit())
            brk = QSpinBox()
            brk.setRange(0, 180)
            brk.setSingleStep(5)
            brk.setSuffix(" min")
            brk.setValue(30)
            brk.setAccessibleName(f"{name} unpaid break")
            brk.valueChanged.connect(lambda _v: self.edited.emit())
            on.toggled.connect(lambda _on: self.edited.emit())
            for col, w in enumerate((on, start, end, brk)):
                grid.addWidget(w, day + 1, col)
            self.rows.append((on, start, end, brk))
        self.setFocusProxy(self.rows[0][0])

    def value(self) -> list[WorkDay]:
        out = []
        for day, (on, start, end, brk) in enumerate(self.rows):
            if on.isChecked():
                s, e = start.time(), end.time()
                out.append(
                    WorkDay(
                        day,
                        dt.time(s.hour(), s.minute()),
                        dt.time(e.hour(), e.minute()),
                        brk.value(),
                    )
                )
        return out

    def set_value(self, days: Any) -> None:
        by_day = {d.weekday: d for d in days or ()}
        for day, (on, start, end, brk) in enumerate(self.rows):
            d = by_day.get(day)
            on.setChecked(d is not None)
            if d is not None:
                start.setTime(QTime(d.start.hour, d.start.minute))
                end.setTime(QTime(d.end.hour, d.end.minute))
                brk.setValue(d.unpaid_break_minutes)


def load_contract_choices(s: Session, staff_id: int) -> dict[str, Any]:
    """The school's pay settings, and the funding lines of the pupils this person supports
    (then every other line)."""
    from sencodesk.queries.facts import school_days
    from sencodesk.queries.money import funding_rows
    from sencodesk.queries.pupil_detail import assignment_rows
    from sencodesk.queries.school import get_school

    school = get_school(s)
    mine = {a.pupil_id for a in assignment_rows(s, staff_id=staff_id)}
    lines = sorted(funding_rows(s), key=lambda f: (f.pupil_id not in mine, f.pupil_name))
    return {
        "school": school,
        "school_days": school_days(s),
        "funding_end": {f.id: f.end_date for f in lines},
        "funding": [
            (
                f.id,
                f"{f.pupil_name}: {vocab.FUNDING_SOURCE_LABELS.get(f.source, f.source)}"
                + (f", ends {fmt.date(f.end_date)}" if f.end_date else ", no end date"),
            )
            for f in lines
        ],
    }


class ContractEditor(EditorDialog):
    TABLE = "contract"

    def __init__(
        self, ctx: Context, *, staff_id: int, row: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx, "Edit contract" if row else "New contract", "this contract", parent, scroll=True
        )
        self.row_id = row.id if row else None
        self.version = loaded_version(row)
        self.staff_id = staff_id
        self.school: Any = None
        self.school_days = NO_TERMS
        self.funding_end: dict[int, dt.date | None] = {}
        f = self.form
        f.add("job_title", "&Job title", TextField())
        f.add("kind", "&Kind", ChoiceField(list(vocab.CONTRACT_KIND_LABELS.items())))
        f.add("start_date", "&Starts", DateField(optional=False))
        f.add("end_date", "&Ends", DateField(), tip="Required for a fixed-term contract")
        f.add("grade", "&Grade", TextField())
        f.add("pay_point", "Pay &point (SCP)", TextField())
        f.add(
            "fte_salary",
            "&FTE salary",
            MoneyField(),
            tip="The full-time (37 hours, 52 weeks) salary of the grade and pay point",
        )
        f.add("days", "&Working pattern", PatternField())
        f.add(
            "weekly_minutes",
            "Or &hours a week",
            HoursField("Hours a week"),
            tip="Used only when no day of the pattern is ticked",
        )
        f.add("term_time", "Term-time", CheckField("Term-time only"))
        weeks = QDoubleSpinBox()
        weeks.setDecimals(3)
        weeks.setRange(1, float(WEEKS_PER_YEAR))
        weeks.setSuffix(" weeks")
        weeks.edited = weeks.valueChanged  # type: ignore[attr-defined]
        weeks.set_value = lambda v: weeks.setValue(float(v or TERM_TIME_PAID_WEEKS))  # type: ignore[attr-defined]
        f.add(
            "paid_weeks",
            "Pa&id weeks",
            weeks,
            tip="Working weeks plus holiday entitlement (the employer says)",
        )
        f.add("notice_weeks", "&Notice", IntField(0, 52, " weeks"))
        f.add(
            "funding_id",
            "Funded &by",
            ChoiceField([], blank="(not linked)"),
            tip="Link a fixed-term contract to the pupil funding that pays for it",
        )
        self.computed = QLabel()
        self.computed.setObjectName("summaryGood")
        self.computed.setAccessibleName("Worked out pay")
        self.computed.setWordWrap(True)
        f.add_widget(self.computed)
        if row is not None:
            f.set_values(
                {
                    "job_title": row.job_title,
                    "kind": row.kind,
                    "start_date": row.start_date,
                    "end_date": row.end_date,
                    "grade": row.grade,
                    "pay_point": row.pay_point,
                    "fte_salary": row.fte_salary,
                    "days": row.days,
                    "weekly_minutes": row.weekly_minutes,
                    "term_time": row.term_time,
                    "paid_weeks": row.paid_weeks,
                    "notice_weeks": row.notice_weeks,
                    "funding_id": row.funding_id,
                }
            )
        else:
            f.set_values(
                {
                    "job_title": "1:1 Learning Support Assistant",
                    "kind": ContractKind.FIXED_TERM,
                    "start_date": ctx.today,
                    "term_time": True,
                    "notice_weeks": 4,
                    "days": [WorkDay(d, dt.time(8, 40), dt.time(15, 30), 30) for d in range(5)],
                }
            )
        f.edited.connect(self.recompute)
        f.fields["term_time"].toggled.connect(weeks.setEnabled)
        ctx.query(load_contract_choices, staff_id, on_done=self._choices)
        self.recompute()
        self.resize(760, 720)

    def _choices(self, c: dict[str, Any]) -> None:
        self.school = c["school"]
        self.school_days = c["school_days"]
        self.funding_end = c["funding_end"]
        self.form.set_choices("funding_id", c["funding"], "(not linked)")
        if self.row_id is None and not self.form.dirty:
            self.form._loading = True
            self.form.fields["paid_weeks"].setValue(float(self.school.default_paid_weeks))
            self.form._loading = False
        self.recompute()

    def minutes(self) -> int:
        days = self.form.fields["days"].value()
        try:
            return weekly_minutes(days) if days else self.form.fields["weekly_minutes"].value()
        except ValueError:
            return 0

    def recompute(self) -> None:
        """Hours, pay, cost and notice-by from what is typed now."""
        f = self.form.fields
        # The pattern decides the hours; "or hours a week" is for a contract without one.
        f["weekly_minutes"].setEnabled(not f["days"].value())
        mins = self.minutes()
        term_time = f["term_time"].value()
        weeks = Decimal(str(round(f["paid_weeks"].value(), 3)))
        fte = f["fte_salary"].value_decimal()
        s = self.school
        ft_hours = s.full_time_hours if s else FULL_TIME_HOURS
        per_year = s.weeks_per_year if s else WEEKS_PER_YEAR
        on_cost = s.on_cost_percent if s else ON_COST_PERCENT
        pay = annual_pay(
            fte,
            mins,
            term_time=term_time,
            paid_weeks=weeks,
            full_time_hours=ft_hours,
            weeks_per_year=per_year,
        )
        cost = employer_cost(pay, on_cost)
        end = f["end_date"].value()
        weeks_notice = f["notice_weeks"].value()
        nb = notice_by(end, weeks_notice, self.school_days)
        percent = f"{on_cost:.2f}".rstrip("0").rstrip(".")
        parts = [
            f"{fmt.hours(mins)} a week",
            f"pay {fmt.money(pay)} a year",
            # 29.5%, not 29.50%; a non-breaking hyphen keeps "on-costs" on one line.
            f"cost {fmt.money(cost)} a year with {percent}% on\u2011costs",
        ]
        if nb is not None:
            parts.append(f"give notice by {fmt.date(nb)}")
        text = "Works out as: " + "; ".join(parts) + "."
        # Linked to funding that ends first: say so now, with the days and the money.
        fid = f["funding_id"].value()
        start = f["start_date"].value()
        gap = (
            funding_gap(self.funding_end.get(fid), start, end, cost)
            if fid is not None and start is not None
            else None
        )
        if gap is not None:
            by = notice_by(gap.funding_end, weeks_notice, self.school_days)
            text += (
                f"\nThis contract outlives the funding that pays for it. {gap.sentence()}. "
                f"Give notice by {fmt.date(by)} to end it with the funding."
            )
        self.computed.setText(text)
        name = "summaryBad" if gap is not None else "summaryGood"
        if self.computed.objectName() != name:
            self.computed.setObjectName(name)
            self.computed.style().unpolish(self.computed)
            self.computed.style().polish(self.computed)

    def values(self) -> dict[str, Any]:
        v = super().values()
        v["fte_salary"] = self.form.fields["fte_salary"].value_decimal()
        v["paid_weeks"] = Decimal(str(round(v["paid_weeks"], 3))) if v["term_time"] else None
        if v["days"]:
            v.pop("weekly_minutes")
        else:
            v.pop("days")
            v["weekly_minutes"] = v["weekly_minutes"] or None
        if self.row_id is None:
            v["staff_id"] = self.staff_id
        return v

    def save_in(self, session: Any, values: dict[str, Any]) -> Any:
        from sencodesk import commands

        return commands.save_contract(session, values, self.row_id)
