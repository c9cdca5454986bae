"""Funding lines and contracts, each with its end date, its links and the gap between them."""

from __future__ import annotations

from sencodesk import vocab

from .. import format as fmt
from .base import GREEN_BG, RED_BG, Column, RowTableModel
from .common import date_col, hours_col, label, money_col


def _gap_text(days: int | None, what: str) -> str:
    if days is None:
        return ""
    if days >= 10**6:
        return f"{what} has no end date"
    if days > 0:
        return f"{days} days unfunded"
    return "covered"


def _gap_colour(days: int | None) -> object:
    if days is None:
        return None
    return RED_BG if days > 0 else GREEN_BG


class FundingModel(RowTableModel):
    (
        COL_PUPIL,
        COL_SOURCE,
        COL_FUNDER,
        COL_AMOUNT,
        COL_HOURS,
        COL_START,
        COL_END,
        COL_CONTRACTS,
        COL_GAP,
    ) = range(9)
    COLUMNS = (
        Column("Pupil", lambda r: r.pupil_name),
        Column("Source", lambda r: label(vocab.FUNDING_SOURCE_LABELS, r.source)),
        Column("Funder", lambda r: r.funder),
        money_col("A year", lambda r: r.amount_per_year),
        hours_col("Hours a week", lambda r: r.weekly_minutes),
        date_col("Starts", lambda r: r.start_date),
        date_col("Ends", lambda r: r.end_date),
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
        ),
        Column(
            "Gap",
            lambda r: _gap_text(r.gap_days, "A linked contract"),
            key=lambda r: r.gap_days,
            background=lambda r, _t: _gap_colour(r.gap_days),
        ),  # type: ignore[arg-type]
    )


class ContractModel(RowTableModel):
    (
        COL_STAFF,
        COL_TITLE,
        COL_KIND,
        COL_HOURS,
        COL_PAY,
        COL_COST,
        COL_END,
        COL_NOTICE,
        COL_FUNDING,
        COL_FUNDING_END,
        COL_GAP,
    ) = range(11)
    COLUMNS = (
        Column("Staff", lambda r: r.staff_name),
        Column("Job", lambda r: r.job_title),
        Column(
            "Kind",
            lambda r: "Fixed term" if r.kind == vocab.ContractKind.FIXED_TERM else "Permanent",
        ),
        hours_col("Hours a week", lambda r: r.weekly_minutes),
        money_col("Pay a year", lambda r: r.annual_pay),
        money_col("Cost a year", lambda r: r.annual_cost),
        date_col("Ends", lambda r: r.end_date),
        date_col("Notice by", lambda r: r.notice_by),
        Column("Funded by", lambda r: r.funding_pupil_name or "not linked"),
        date_col("Funding ends", lambda r: r.funding_end),
        Column(
            "Gap",
            lambda r: _gap_text(r.outlives_funding_days, "The contract"),
            key=lambda r: r.outlives_funding_days,
            background=lambda r, _t: _gap_colour(r.outlives_funding_days),
        ),  # type: ignore[arg-type]
    )
