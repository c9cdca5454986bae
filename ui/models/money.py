"""Funding lines and contracts, each with its end date, its links and the gap between them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sencodesk import vocab

from .. import format as fmt
from .base import FIRST, GREEN_BG, RED_BG, WHOLE, Column, RowTableModel
from .common import date_col, fold, hours_col, label, money_col

if TYPE_CHECKING:
    from PySide6.QtGui import QColor


def _gap_text(gap: Any) -> str:
    """ "153 days, £6,525.18 unfunded" (or "no end date, £… a year unfunded")."""
    return gap.short if gap is not None else "covered"


def _gap_tip(gap: Any) -> str:
    return gap.sentence() if gap is not None else ""


def _funding_gap_text(r: Any) -> str:
    if not r.contract_ids:
        return "no contract linked"
    if r.end_date is None:
        return "covered (no end date)"
    return _gap_text(r.gap)


def _contract_gap_text(r: Any) -> str:
    if r.funding_id is None:
        return ""
    if r.funding_end is None:
        return "covered (no end date)"
    return _gap_text(r.gap)


def _gap_key(gap: Any) -> tuple[int, Any]:
    return (gap.days, gap.cost) if gap is not None else (0, 0)


def _gap_colour(linked: bool, gap: Any) -> QColor | None:
    if not linked:
        return None
    return RED_BG if gap is not None else GREEN_BG


class FundingModel(RowTableModel):
    """Funding lines; the columns a SENCO acts on (whose, when it ends, the gap) come first,
    in view at 1024x768, then what it is, the amounts and the details (which scroll into view
    when the window is narrow)."""

    (
        COL_PUPIL,
        COL_END,
        COL_GAP,
        COL_SOURCE,
        COL_FUNDER,
        COL_START,
        COL_AMOUNT,
        COL_HOURS,
        COL_CONTRACTS,
    ) = range(9)
    KEY_COLUMNS = (COL_PUPIL, COL_END, COL_GAP)
    COLUMNS = (
        Column("Pupil", lambda r: r.pupil_name, key=lambda r: fold(r.pupil_name)),
        date_col("Ends", lambda r: r.end_date),
        Column(
            "Gap",
            _funding_gap_text,
            key=lambda r: _gap_key(r.gap),
            background=lambda r, _t: _gap_colour(bool(r.contract_ids), r.gap),
            tooltip=lambda r: _gap_tip(r.gap),
            header_tip="Days a linked contract runs past the end of this funding, and what "
            "that costs (pay and on-costs)",
            squeeze=WHOLE,
        ),
        Column("Source", lambda r: label(vocab.FUNDING_SOURCE_LABELS, r.source)),
        Column("Funder", lambda r: r.funder),
        date_col("Starts", lambda r: r.start_date),
        money_col("A year", lambda r: r.amount_per_year),
        hours_col("Hours", lambda r: r.weekly_minutes, header_tip="Funded hours a week"),
        Column(
            "Linked contracts",
            lambda r: (
                (
                    f"{len(r.contract_ids)}, last ends {fmt.date(r.latest_contract_end)}"
                    if r.latest_contract_end
                    else f"{len(r.contract_ids)}"
                )
                if r.contract_ids
                else "none"
            ),
            key=lambda r: len(r.contract_ids),
            squeeze=FIRST,
        ),
    )


class ContractModel(RowTableModel):
    """Every contract; who, until when, paid by what until when and the gap come first (in
    view at 1024x768), the kind, hours, pay and the job title after."""

    (
        COL_STAFF,
        COL_END,
        COL_FUNDING,
        COL_FUNDING_END,
        COL_GAP,
        COL_KIND,
        COL_HOURS,
        COL_COST,
        COL_PAY,
        COL_NOTICE,
        COL_TITLE,
    ) = range(11)
    KEY_COLUMNS = (COL_STAFF, COL_END, COL_FUNDING_END, COL_GAP)
    COLUMNS = (
        Column("Staff", lambda r: r.staff_name, key=lambda r: fold(r.staff_name)),
        date_col("Ends", lambda r: r.end_date),
        Column("Funded by", lambda r: r.funding_pupil_name or "not linked"),
        date_col("Funding ends", lambda r: r.funding_end),
        Column(
            "Gap",
            _contract_gap_text,
            key=lambda r: _gap_key(r.gap),
            background=lambda r, _t: _gap_colour(r.funding_id is not None, r.gap),
            tooltip=lambda r: _gap_tip(r.gap),
            header_tip="Days the contract runs past the end of the funding that pays for it, "
            "and what that costs (pay and on-costs)",
            squeeze=WHOLE,
        ),
        Column(
            "Kind",
            lambda r: vocab.CONTRACT_KIND_LABELS[r.kind],
        ),
        hours_col("Hours", lambda r: r.weekly_minutes, header_tip="Contracted hours a week"),
        money_col("Cost a year", lambda r: r.annual_cost, header_tip="Pay plus on-costs"),
        money_col("Pay a year", lambda r: r.annual_pay),
        date_col("Notice by", lambda r: r.notice_by),
        Column("Job", lambda r: r.job_title, squeeze=FIRST),
    )
