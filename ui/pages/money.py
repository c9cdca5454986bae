"""Funding & contracts: every funding line and contract, its end date, what it is linked to,
and the gap between them (a contract running past its funding is red)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from sencodesk.changes import Change

from .. import format as fmt
from ..context import Context
from ..models.money import ContractModel, FundingModel
from ..widgets.table import FilterBox, Table
from .base import Page, hint

if TYPE_CHECKING:
    from sencodesk.store import Session


def load_money(s: Session, today: Any) -> tuple[list[Any], list[Any]]:
    from sencodesk.queries.money import contract_rows, funding_rows

    return funding_rows(s), contract_rows(s)


class MoneyPage(Page):
    TITLE = "Funding & contracts"
    WATCHES = frozenset(
        {
            Change.FUNDING,
            Change.CONTRACT,
            Change.PUPIL,
            Change.STAFF,
            Change.SCHOOL,
        }
    )

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.summary = QLabel()
        self.summary.setAccessibleName("Totals")
        self.summary.setWordWrap(True)
        self.outer.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Funding and contracts")
        self.funding_model = FundingModel()
        self.contract_model = ContractModel()
        # What a SENCO acts on (whose, the end dates and the gap) comes first and fits a
        # 1024-pixel screen; the details after it scroll.
        self.funding = Table(
            self.funding_model,
            "Funding lines",
            (140, 90, 135, 160, 150, 90, 90, 90, 150),
            sort_column=FundingModel.COL_END,
            min_fit=160,
            empty="No current funding lines. Add one on a pupil's Funding tab (Pupils, "
            "then open the pupil); Show past lists those that have ended.",
        )
        self.contracts = Table(
            self.contract_model,
            "Contracts",
            (145, 90, 140, 105, 135, 85, 100, 100, 100, 90, 200),
            sort_column=ContractModel.COL_END,
            min_fit=160,
            empty="No current contracts. Add one on a member of staff's Contracts tab (Staff, "
            "then open them); Show past lists those that have ended.",
        )
        self.past = QCheckBox("Show &past funding and contracts")
        self.past.setToolTip("Funding lines and contracts that ended before today")
        self.past.toggled.connect(lambda _on: self._show(*self.loaded_rows))
        self.head.addWidget(self.past)
        self.loaded_rows: tuple[list[Any], list[Any]] = ([], [])
        for table, label, placeholder in (
            (self.funding, "Funding &lines", "Filter funding by pupil, source or funder…"),
            (self.contracts, "&Contracts", "Filter contracts by name, job or pupil…"),
        ):
            w = QWidget()
            lay = QVBoxLayout(w)
            box = FilterBox(table, placeholder, f"Filter {label.replace('&', '').lower()}")
            box.setObjectName("filter")
            lay.addWidget(box)
            lay.addWidget(table, 1)
            self.tabs.addTab(w, label)
        self.outer.addWidget(self.tabs, 1)
        self.outer.addWidget(
            hint(
                "Enter opens the pupil (funding) or the member of staff "
                "(contract). Red gap: the contract runs past the funding "
                "that pays for it."
            )
        )
        self.funding.row_activated.connect(lambda r: ctx.open_pupil.emit(r.pupil_id))
        self.contracts.row_activated.connect(lambda r: ctx.open_staff.emit(r.staff_id))

    def load(self) -> None:
        self.ctx.query(load_money, self.ctx.today, on_done=self._loaded, on_error=self.load_failed)

    def _show(self, funding: list[Any], contracts: list[Any]) -> None:
        """The lists, without what ended before today unless asked for."""
        from sencodesk.rules.coverage import not_ended

        today = self.ctx.today
        if not self.past.isChecked():
            funding = [f for f in funding if not_ended(f.end_date, today)]
            contracts = [c for c in contracts if not_ended(c.end_date, today)]
        self.funding_model.set_rows(funding)
        self.contract_model.set_rows(contracts)

    def _loaded(self, result: tuple[list[Any], list[Any]]) -> None:
        from sencodesk.rules.coverage import is_current, not_ended

        funding, contracts = result
        today = self.ctx.today
        self.loaded_rows = (funding, contracts)
        self._show(funding, contracts)
        live_f = [f for f in funding if is_current(f.start_date, f.end_date, today)]
        live_c = [c for c in contracts if is_current(c.start_date, c.end_date, today)]
        income = sum((f.amount_per_year or Decimal(0) for f in live_f), Decimal(0))
        cost = sum((c.annual_cost for c in live_c), Decimal(0))
        # A contract that has ended is history, whatever its funding did.
        short = [
            c
            for c in contracts
            if c.gap is not None and not_ended(c.end_date, today) and c.gap.still_matters(today)
        ]
        text = (
            f"Current funding {fmt.money(income)} a year against support staff costs "
            f"{fmt.money(cost)} a year (pay plus on-costs)."
        )
        if short:
            unfunded = sum((c.gap.cost for c in short), Decimal(0))
            text += (
                f" {fmt.count(len(short), 'contract')} "
                f"{'runs' if len(short) == 1 else 'run'} past the funding that pays for "
                f"{'it' if len(short) == 1 else 'them'}: {fmt.money(unfunded)} unfunded "
                "(pay and on-costs for the days each runs past it)."
            )
        self.summary.setText(text)
        self.summary.setObjectName("summaryBad" if short or cost > income else "summaryGood")
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
        self.finish_loading()

    def export_table(self) -> Table:
        return self.funding if self.tabs.currentIndex() == 0 else self.contracts
