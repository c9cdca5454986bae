"""The table reports by name: what the command line and the GUI's Reports menu offer.

Each builder is ``(session, *, today) -> exchange.tabular.Report``; write the result with
``tables.write_report(report, path)`` (PDF, CSV or XLSX from the extension) or
``write_pdf_report(report, io.BytesIO())`` for an in-app preview.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from ..errors import KnownError
from ..exchange.tabular import Report, report_format
from ..guarded import names_bad_data
from .census import census_report
from .costs import costs_report, provision_map_report
from .expiries import expiries_report
from .tables import write_report
from .training import training_report

Builder = Callable[..., Report]


@dataclass(frozen=True)
class ReportKind:
    name: str
    title: str
    build: Builder


REPORTS: dict[str, ReportKind] = {
    k.name: k
    for k in (
        ReportKind("expiries", "Funding and contract expiry", expiries_report),
        ReportKind("costs", "Staff deployment and cost", costs_report),
        ReportKind("provision-map", "Provision map", provision_map_report),
        ReportKind("training", "Training and DBS", training_report),
        ReportKind("census", "Census check", census_report),
    )
}


@names_bad_data
def build_report(session: Session, name: str, *, today: dt.date) -> Report:
    kind = REPORTS.get(name)
    if kind is None:
        raise KnownError(f"There is no report called {name!r}; choose from {', '.join(REPORTS)}.")
    return kind.build(session, today=today)


def write_named_report(session: Session, name: str, path: Path | str, *, today: dt.date) -> Path:
    """Build and write a report; the format comes from the extension (checked first)."""
    report_format(path)
    return write_report(build_report(session, name, today=today), path)
