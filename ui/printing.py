"""Printing a page's list: an HTML table marked OFFICIAL-SENSITIVE, through the print dialog."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QWidget

from . import format as fmt


def table_html(title: str, model: Any, school: str = "") -> str:
    head = "".join(f"<th align='left'>{html.escape(c.title)}</th>" for c in model.COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c.text(r))}</td>" for c in model.COLUMNS) + "</tr>"
        for r in model.rows
    )
    return (
        f"<p><b>OFFICIAL-SENSITIVE</b></p><h2>{html.escape(title)}</h2>"
        f"<p>{html.escape(school)} · printed {fmt.date(dt.date.today())}</p>"
        f"<table border='1' cellspacing='0' cellpadding='3'><tr>{head}</tr>{body}</table>"
        "<p><b>OFFICIAL-SENSITIVE</b></p>"
    )


def print_table(parent: QWidget, title: str, model: Any, school: str = "") -> bool:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print {title}")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    doc = QTextDocument()
    doc.setHtml(table_html(title, model, school))
    doc.print_(printer)
    return True
